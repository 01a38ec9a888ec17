package transcode_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/functest"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

type testBundle struct {
	nc     *nats.Conn
	blobs  blob.Store
	dir    string               // scratch folder for generated inputs
	prefix string               // unique key prefix for this test's objects
	reg    *prometheus.Registry // the function's metrics
}

// storeKind selects the blob store a test runs on.
type storeKind int

const (
	fileStore storeKind = iota // a local folder
	s3Store                    // the S3 server of TEST_S3_* (MinIO); skips without one
)

// setup serves the transcode function on an in-process NATS server with the
// chosen blob store and the real ffmpeg.
func setup(t *testing.T, kind storeKind) *testBundle {
	t.Helper()
	var blobs blob.Store = functest.FileStore(t)
	if kind == s3Store {
		s3 := testenv.S3Server(t)
		var err error
		if blobs, err = s3blob.New(context.Background(), s3blob.Config{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey,
			SecretKey: s3.SecretKey, UseSSL: s3.UseSSL, Bucket: "phantom-transcode-test", CreateBucket: true}); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewRegistry()
	nc := functest.Serve(t, "transcode", func(runner *ffmpeg.Runner) []endpoint.Endpoint {
		return transcode.Endpoints(transcode.New(runner, blobs, 1<<30, reg), 10*time.Minute)
	})
	prefix := "test/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/"
	t.Cleanup(func() {
		ctx := context.Background()
		for info, err := range blobs.List(ctx, prefix) {
			if err != nil {
				t.Logf("clean-up: %v", err)
				return
			}
			_ = blobs.Delete(ctx, info.Key)
		}
	})
	return &testBundle{nc: nc, blobs: blobs, dir: t.TempDir(), prefix: prefix, reg: reg}
}

// put stores a local file and returns its key.
func (b *testBundle) put(t *testing.T, name, path string) string {
	t.Helper()
	key := b.prefix + "in/" + name
	functest.Put(t, b.blobs, key, path)
	return key
}

// transcode calls the function with progress events on, as the gateway does.
func (b *testBundle) transcode(t *testing.T, key string, opts any, events *[]endpoint.Event) (contract.TranscodeResult, error) {
	t.Helper()
	raw, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	req := map[string]any{"input": map[string]string{"key": key}, "output_prefix": b.prefix + "out/", "options": json.RawMessage(raw)}
	var res contract.TranscodeResult
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err = endpoint.Call(ctx, b.nc, contract.TranscodeSubject, req, &res, endpoint.CallOptions{
		Heartbeat: 500 * time.Millisecond,
		OnEvent: func(e endpoint.Event) {
			if events != nil {
				*events = append(*events, e)
			}
		},
	})
	return res, err
}

// counter returns the value of the function's counter name.
func (b *testBundle) counter(t *testing.T, name string) float64 {
	t.Helper()
	families, err := b.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no counter %s", name)
	return 0
}

// fetch downloads an object into the scratch folder.
func (b *testBundle) fetch(t *testing.T, key string) string {
	t.Helper()
	path := filepath.Join(b.dir, filepath.Base(key))
	if _, err := blob.Download(context.Background(), b.blobs, key, path, -1); err != nil {
		t.Fatalf("download %s: %v", key, err)
	}
	return path
}

// synth makes an audio file with ffmpeg (the test's own, trusted use).
func synth(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, msg)
	}
	return out
}

// sharedAudio returns a file of the shared evaluation set.
func sharedAudio(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev", name)
}

// probed is what ffprobe itself says of a file: the independent reference.
type probed struct {
	Streams []struct {
		CodecName        string            `json:"codec_name"`
		CodecType        string            `json:"codec_type"`
		SampleRate       string            `json:"sample_rate"`
		SampleFmt        string            `json:"sample_fmt"`
		Channels         int               `json:"channels"`
		BitsPerRawSample string            `json:"bits_per_raw_sample"`
		Disposition      map[string]int    `json:"disposition"`
		Tags             map[string]string `json:"tags"`
	} `json:"streams"`
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		StartTime  string            `json:"start_time"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

func ffprobe(t *testing.T, path string) probed {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// decodedSeconds decodes the file's first audio stream with ffmpeg, failing at
// the first decoding error, and returns its length from the samples.
func decodedSeconds(t *testing.T, path string) float64 {
	t.Helper()
	p := ffprobe(t, path)
	var rate, channels int
	for _, s := range p.Streams {
		if s.CodecType == "audio" {
			rate, _ = strconv.Atoi(s.SampleRate)
			channels = s.Channels
			break
		}
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", path, "-map", "0:a:0",
		"-f", "s16le", "-c:a", "pcm_s16le", "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("decoding %s: %v %s", path, err, stderr.String())
	}
	if rate == 0 || channels == 0 {
		t.Fatalf("%s: no audio stream", path)
	}
	return float64(out.Len()) / float64(2*channels*rate)
}

var (
	ebuI    = regexp.MustCompile(`(?m)^\s*I:\s+(-?[0-9.]+|-inf) LUFS`)
	ebuPeak = regexp.MustCompile(`(?m)^\s*Peak:\s+(-?[0-9.]+|-inf) dBFS`)
)

// ebur128 measures a file with ffmpeg's ebur128 filter: integrated loudness
// (LUFS) and true peak (dBTP).
func ebur128(t *testing.T, path string) (integrated, truePeak float64) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path, "-map", "0:a:0",
		"-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ebur128 %s: %v\n%s", path, err, out)
	}
	i, p := ebuI.FindAllSubmatch(out, -1), ebuPeak.FindAllSubmatch(out, -1)
	if i == nil || p == nil {
		t.Fatalf("no ebur128 summary for %s:\n%s", path, out)
	}
	parse := func(b []byte) float64 {
		if string(b) == "-inf" {
			return math.Inf(-1)
		}
		v, _ := strconv.ParseFloat(string(b), 64)
		return v
	}
	return parse(i[len(i)-1][1]), parse(p[len(p)-1][1])
}
