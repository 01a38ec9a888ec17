package test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// recordingTools writes ffmpeg and ffprobe wrappers that log every invocation to a
// file before running the real program, and returns the environment that makes a
// function use them, and the log's path.
func recordingTools(t *testing.T) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	logPath := filepath.Join(dir, "invocations.log")
	env := map[string]string{}
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		real := testenv.Tool(t, tool)
		script := fmt.Sprintf("#!/bin/sh\necho \"%s $*\" >> %s\nexec %s \"$@\"\n", tool, logPath, real)
		p := filepath.Join(dir, tool)
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		env[strings.ToUpper(tool)+"_PATH"] = p
	}
	return env, logPath
}

func invocations(t *testing.T, logPath string) string {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func s3Store(t *testing.T, env map[string]string) blob.Store {
	t.Helper()
	s, err := s3blob.New(context.Background(), s3blob.Config{
		Endpoint: env["S3_ENDPOINT"], AccessKey: env["S3_ACCESS_KEY"], SecretKey: env["S3_SECRET_KEY"],
		Bucket: env["S3_BUCKET"], CreateBucket: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRejectedInputs uploads files that are not audio: each gets a clear 4xx problem,
// no job and no stored object, and ffmpeg never runs on any of them, neither through
// the gateway nor when the object is handed to the probe function directly.
func TestRejectedInputs(t *testing.T) {
	env := testEnv(t)
	tools, logPath := recordingTools(t)
	probeEnv := clone(env)
	for k, v := range tools {
		probeEnv[k] = v
	}
	startProbe(t, probeEnv)
	gw := startGateway(t, env)
	nc := connectNATS(t, env["NATS_URL"])
	blobs := s3Store(t, env)

	cases := []struct {
		name, file, body string
		status           int
		detail           string
	}{
		{"TextRenamedMP3", "song.mp3", "Dear diary, today I renamed a text file.\n", 415, "text file, not audio"},
		{"Empty", "empty.mp3", "", 400, "empty file"},
		{"HLSPlaylist", "stream.mp3", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://169.254.169.254/latest/meta-data\n", 415, "HLS playlist, not audio"},
		{"FFconcat", "list.flac", "ffconcat version 1.0\nfile 'file:/etc/passwd'\n", 415, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := gw.upload(t, tc.file, strings.NewReader(tc.body), "")
			if resp.StatusCode != tc.status {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status = %d %s, want %d", resp.StatusCode, b, tc.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			var p problemJSON
			decodeJSON(t, resp.Body, &p)
			if p.Status != tc.status || p.Title == "" || p.Type == "" || (tc.detail != "" && p.Detail != tc.detail) || p.Detail == "" {
				t.Errorf("problem = %+v, want status %d and detail %q", p, tc.status, tc.detail)
			}

			// The same bytes handed straight to the function are refused too.
			key := "direct/" + tc.name
			if _, err := blobs.Put(context.Background(), key, strings.NewReader(tc.body), int64(len(tc.body)), blob.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			err := endpoint.Call(context.Background(), nc, contract.ProbeSubject,
				contract.ProbeRequest{Input: contract.ObjectRef{Key: key}}, nil, endpoint.CallOptions{})
			if code := fault.KindOf(err).Code(); code < 400 || code >= 500 {
				t.Errorf("probe of the stored object: %v, want a 4xx", err)
			}
		})
	}
	var list struct {
		Jobs []jobJSON `json:"jobs"`
	}
	gw.get(t, "/v1/jobs", &list)
	if len(list.Jobs) != 0 {
		t.Errorf("jobs after rejected uploads = %d, want 0", len(list.Jobs))
	}
	for info, err := range blobs.List(context.Background(), "default/jobs/") {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("object %s stored for a rejected upload", info.Key)
	}
	if got := invocations(t, logPath); got != "" {
		t.Errorf("ffmpeg ran on rejected input:\n%s", got)
	}

	// The recording tools do record: a real file goes through them.
	job := gw.waitJob(t, gw.uploadFile(t, sharedAudio(t, "msx_harp_harmony.mp3"), `{"steps":["probe"]}`).ID, time.Minute)
	if job.State != "succeeded" || !strings.Contains(invocations(t, logPath), "ffprobe") {
		t.Errorf("real file: job %s, invocations %q; the wrappers should have seen ffprobe", job.State, invocations(t, logPath))
	}
}

// TestUploadLimits checks the size cap and malformed requests.
func TestUploadLimits(t *testing.T) {
	env := testEnv(t)
	env["GATEWAY_MAX_UPLOAD"] = "1MiB"
	gw := startGateway(t, env)

	t.Run("TooLarge", func(t *testing.T) {
		resp := gw.upload(t, "big.wav", io.LimitReader(newWAV(4<<20), 4<<20+44), "")
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status = %d, want 413", resp.StatusCode)
		}
		var p problemJSON
		decodeJSON(t, resp.Body, &p)
		if p.Code != "too_large" || !strings.Contains(p.Detail, "1048576") {
			t.Errorf("problem = %+v", p)
		}
	})
	t.Run("NotMultipart", func(t *testing.T) {
		resp, err := http.Post(gw.URL+"/v1/jobs", "audio/mpeg", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("status = %d, want 415", resp.StatusCode)
		}
	})
	t.Run("BadOptions", func(t *testing.T) {
		resp := gw.upload(t, "a.wav", io.LimitReader(newWAV(1000), 1044), `{"steps":["levitate"]}`)
		var p problemJSON
		decodeJSON(t, resp.Body, &p)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(p.Detail, `"levitate"`) {
			t.Errorf("status %d, problem %+v; want 400 naming the step", resp.StatusCode, p)
		}
	})
	t.Run("UnknownJob", func(t *testing.T) {
		var p problemJSON
		if code := gw.get(t, "/v1/jobs/01a22243-6aae-7d5b-be90-0fba28be0922", &p); code != 404 || p.Code != "not_found" {
			t.Errorf("GET unknown job = %d %+v", code, p)
		}
		if code := gw.get(t, "/v1/jobs/not-a-uuid", &p); code != 404 {
			t.Errorf("GET malformed id = %d", code)
		}
	})
}

// newWAV returns an endless stream: a 16-bit stereo 44.1 kHz WAV header claiming
// dataBytes of data, then a cheap deterministic noise.
func newWAV(dataBytes uint32) io.Reader {
	var h bytes.Buffer
	h.WriteString("RIFF")
	_ = binary.Write(&h, binary.LittleEndian, dataBytes+36)
	h.WriteString("WAVEfmt ")
	_ = binary.Write(&h, binary.LittleEndian, []any{uint32(16), uint16(1), uint16(2), uint32(44100), uint32(44100 * 4), uint16(4), uint16(16)})
	h.WriteString("data")
	_ = binary.Write(&h, binary.LittleEndian, dataBytes)
	return io.MultiReader(&h, &noise{state: 1})
}

// noise is an xorshift byte stream: incompressible enough, free to generate.
type noise struct{ state uint64 }

func (n *noise) Read(p []byte) (int, error) {
	for i := range p {
		n.state ^= n.state << 13
		n.state ^= n.state >> 7
		n.state ^= n.state << 17
		p[i] = byte(n.state)
	}
	return len(p), nil
}
