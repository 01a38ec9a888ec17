package test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestTranscodeJob uploads music with transcode targets, downloads every
// rendition over HTTP (whole, by range and through a presigned redirect) and
// checks it with ffprobe and an ffmpeg decode of its own.
func TestTranscodeJob(t *testing.T) {
	env := testEnv(t)
	startProbe(t, env)
	startFunction(t, "transcode", env)
	gw := startGateway(t, env)
	src := sharedAudio(t, "msx_harp_harmony.mp3")
	srcSeconds := tcDecodedSeconds(t, src)

	accepted := gw.uploadFile(t, src, `{"steps":["transcode"],"transcode":{"targets":[{"preset":"mp3-320"},{"preset":"aac-256"},`+
		`{"preset":"opus-96"},{"preset":"flac"},{"preset":"podcast"}]}}`)
	job := gw.waitJob(t, accepted.ID, 3*time.Minute)
	if job.State != "succeeded" {
		t.Fatalf("job %s (%v), want succeeded", job.State, job.Error)
	}
	want := map[string]string{"mp3-320": "mp3", "aac-256": "aac", "opus-96": "opus", "flac": "flac", "podcast": "mp3"}
	if len(job.Steps) != 1+len(want) {
		t.Errorf("steps %+v, want probe and one transcode step per target", job.Steps)
	}
	for name, codec := range want {
		t.Run(name, func(t *testing.T) {
			out := tcOutput(t, job, name)
			url := gw.URL + "/v1/jobs/" + job.ID + "/artifacts/" + name
			resp, body := tcGet(t, url, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s %s", url, resp.Status, body)
			}
			sum := sha256.Sum256(body)
			if hex.EncodeToString(sum[:]) != out.SHA256 || int64(len(body)) != out.Size {
				t.Errorf("downloaded %d bytes, sha256 %x; result says %d, %s", len(body), sum, out.Size, out.SHA256)
			}
			if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != out.ContentType ||
				cd != `attachment; filename=`+out.File {
				t.Errorf("Content-Type %q, Content-Disposition %q; want %q and the file name %s", ct, cd, out.ContentType, out.File)
			}
			path := filepath.Join(t.TempDir(), out.File)
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			facts := runFFprobe(t, path)
			if a := facts.Streams[0]; a.CodecName != codec || strconv.Itoa(out.SampleRate) != a.SampleRate || a.Channels != out.Channels {
				t.Errorf("ffprobe: %s %s Hz %d ch; result %s %d Hz %d ch", a.CodecName, a.SampleRate, a.Channels, out.Codec, out.SampleRate, out.Channels)
			}
			if d := tcDecodedSeconds(t, path); math.Abs(d-srcSeconds) > 0.05 || math.Abs(out.Duration-srcSeconds) > 0.05 {
				t.Errorf("decoded %.4f s, result %.4f s, source %.4f s: want within 50 ms", d, out.Duration, srcSeconds)
			}
			if name == "podcast" && (out.Loudness == nil || !out.Loudness.Within || out.Channels != 1) {
				t.Errorf("podcast: %d channels, loudness %+v; want mono within −16 LUFS", out.Channels, out.Loudness)
			}

			// A range, then the same bytes through a presigned redirect.
			resp, part := tcGet(t, url, map[string]string{"Range": "bytes=100-1099"})
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, body[100:1100]) ||
				resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-1099/%d", len(body)) {
				t.Errorf("range: %s %q, %d bytes, want 206 with bytes 100–1099", resp.Status, resp.Header.Get("Content-Range"), len(part))
			}
			resp, _ = tcGet(t, url, map[string]string{"Range": "bytes=100-1099", "If-Range": resp.Header.Get("ETag")})
			if resp.StatusCode != http.StatusPartialContent {
				t.Errorf("range with If-Range of the current ETag: %s, want 206", resp.Status)
			}
			resp, _ = tcGet(t, url+"?redirect=1", nil)
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(loc, "X-Amz-Signature") {
				t.Fatalf("?redirect=1: %s to %q, want 307 to a presigned URL", resp.Status, loc)
			}
			if resp, signed := tcGet(t, loc, nil); resp.StatusCode != http.StatusOK || !bytes.Equal(signed, body) {
				t.Errorf("presigned URL: %s, %d bytes, want the artifact", resp.Status, len(signed))
			}
		})
	}

	t.Run("UnknownArtifact", func(t *testing.T) {
		resp, body := tcGet(t, gw.URL+"/v1/jobs/"+job.ID+"/artifacts/wav-24-48k", nil)
		var p problemJSON
		if err := json.Unmarshal(body, &p); err != nil || resp.StatusCode != http.StatusNotFound || p.Code != "not_found" ||
			resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(p.Detail, "wav-24-48k") {
			t.Errorf("%s %s: %+v, want a 404 problem naming the artifact", resp.Status, resp.Header.Get("Content-Type"), p)
		}
	})
	t.Run("DefaultTarget", func(t *testing.T) {
		job := gw.waitJob(t, gw.uploadFile(t, src, `{"steps":["transcode"]}`).ID, 2*time.Minute)
		if job.State != "succeeded" || len(job.Steps) != 2 || tcOutput(t, job, "mp3-320").Codec != "mp3" {
			t.Errorf("job %s %+v, want probe and one mp3-320 rendition", job.State, job.Steps)
		}
	})
	t.Run("NotByDefault", func(t *testing.T) {
		job := gw.uploadFile(t, src, "")
		for _, s := range job.Steps {
			if s.Function == "transcode" {
				t.Errorf("steps %+v: a job without steps makes no rendition", job.Steps)
			}
		}
	})
	t.Run("InvalidOptions", func(t *testing.T) {
		f, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		resp := gw.upload(t, "x.mp3", f, `{"transcode":{"targets":[{"preset":"opus-96","sample_rate":44100}]}}`)
		var p problemJSON
		decodeJSON(t, resp.Body, &p)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(p.Detail, "options: transcode: targets[0].sample_rate") {
			t.Errorf("%d %q, want 400 naming targets[0].sample_rate", resp.StatusCode, p.Detail)
		}
	})
}

// TestTranscodeBurst runs 20 jobs on two transcode instances and checks with
// `nats micro stats transcode` that both served.
func TestTranscodeBurst(t *testing.T) {
	natsCLI := testenv.Tool(t, "nats")
	env := testEnv(t)
	env["PROBE_CONCURRENCY"] = "2"
	startProbe(t, env)
	instances := []*proc{startFunction(t, "transcode", env), startFunction(t, "transcode", env)}
	gw := startGateway(t, env)
	src := sharedAudio(t, "nott_jigs_captainwhite_x38.flac")
	var ids []string
	for range 20 {
		ids = append(ids, gw.uploadFile(t, src, `{"steps":["transcode"],"transcode":{"targets":[{"preset":"opus-64"}]}}`).ID)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for _, id := range ids {
		for job := gw.job(t, id); job.State != "succeeded"; job = gw.job(t, id) {
			if job.State == "failed" || job.State == "canceled" || time.Now().After(deadline) {
				steps, _ := json.MarshalIndent(job.Steps, "", "  ")
				t.Fatalf("job %s is %s (%v), want succeeded; steps:\n%s", id, job.State, job.Error, steps)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	out, err := exec.Command(natsCLI, "--server", env["NATS_URL"], "micro", "stats", "transcode", "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("nats micro stats: %v\n%s", err, out)
	}
	var stats []struct {
		ID        string `json:"id"`
		Endpoints []struct {
			NumRequests int `json:"num_requests"`
			NumErrors   int `json:"num_errors"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal(out, &stats); err != nil {
		t.Fatalf("nats micro stats --json: %v\n%s", err, out)
	}
	total := 0
	for _, s := range stats {
		n := s.Endpoints[0].NumRequests
		total += n
		t.Logf("instance %s: %d requests, %d errors", s.ID, n, s.Endpoints[0].NumErrors)
		if n == 0 || s.Endpoints[0].NumErrors != 0 {
			t.Errorf("instance %s served %d requests with %d errors, want some and none", s.ID, n, s.Endpoints[0].NumErrors)
		}
	}
	if len(stats) != 2 || total < 20 {
		t.Errorf("%d instances served %d requests, want 2 sharing at least 20:\n%s", len(stats), total, out)
	}
	// Stale copies a busy instance drops count as requests too: the instances'
	// own logs say who did the work.
	for i, p := range instances {
		if done := strings.Count(p.out.String(), `"request done"`); done == 0 {
			t.Errorf("transcode instance %d finished no request", i)
		}
	}
}

// TestTranscodeKill kills (SIGKILL) the transcode instance in the middle of a
// long encode: the gateway notices the silence within 15 s, the step runs again
// on the other instance and succeeds, and no partial rendition is ever stored
// or served.
func TestTranscodeKill(t *testing.T) {
	env := testEnv(t)
	startProbe(t, env)
	var instances []*proc
	var metrics []string
	for range 2 {
		e := clone(env)
		e["METRICS_ADDR"] = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		instances = append(instances, startFunction(t, "transcode", e))
		metrics = append(metrics, "http://"+e["METRICS_ADDR"]+"/metrics")
	}
	gw := startGateway(t, env)
	long := tcLongSource(t)
	id := gw.uploadFile(t, long, `{"steps":["transcode"],"transcode":{"targets":[{"preset":"mp3-320"}]}}`).ID
	const step = "transcode:mp3-320"

	var victim int
	waitFor(t, 3*time.Minute, "the encode to be under way", func() bool {
		p := tcStep(t, gw, id, step).Progress
		if p == nil || p.Stage != "encode" || p.Percent == nil || *p.Percent < 5 {
			return false
		}
		victim = -1
		for i, u := range metrics {
			if tcActive(t, u) {
				victim = i
			}
		}
		return victim >= 0
	})
	instances[victim].Kill()
	killed := time.Now()

	// The gateway notices by the missing heartbeats and queues the step again.
	var lost *tcStepJSON
	waitFor(t, 30*time.Second, "the lost call to be noticed", func() bool {
		s := tcStep(t, gw, id, step)
		if s.Attempts >= 2 || s.Error != nil {
			lost = &s
			return true
		}
		return false
	})
	noticed := time.Since(killed)
	if lost.Error != nil {
		noticed = lost.Error.At.Sub(killed)
	}
	t.Logf("noticed after %v: attempts %d, error %+v", noticed.Round(10*time.Millisecond), lost.Attempts, lost.Error)
	if noticed > 15*time.Second {
		t.Errorf("the gateway noticed the killed instance after %v, want within 15 s", noticed)
	}
	if lost.Error == nil || lost.Error.Kind != "unavailable" || !strings.Contains(lost.Error.Message, "heartbeat") {
		t.Errorf("step error %+v, want unavailable: no heartbeat", lost.Error)
	}
	resp, _ := tcGet(t, gw.URL+"/v1/jobs/"+id+"/artifacts/mp3-320", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("artifact while the step runs again: %s, want 404", resp.Status)
	}

	job := gw.waitJob(t, id, 5*time.Minute)
	s := tcStep(t, gw, id, step)
	if job.State != "succeeded" || s.Attempts != 2 {
		t.Fatalf("job %s (%v), step attempts %d; want succeeded at the second attempt", job.State, job.Error, s.Attempts)
	}
	// The bucket holds the input and the one whole rendition, nothing else.
	store, err := s3blob.New(context.Background(), s3blob.Config{Endpoint: env["S3_ENDPOINT"],
		AccessKey: env["S3_ACCESS_KEY"], SecretKey: env["S3_SECRET_KEY"], Bucket: env["S3_BUCKET"]})
	if err != nil {
		t.Fatal(err)
	}
	out := tcOutput(t, job, "mp3-320")
	var keys []string
	for info, err := range store.List(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	if want := []string{job.Input.Key, out.Key}; !slices.Equal(keys, slices.Sorted(slices.Values(want))) {
		t.Errorf("bucket holds %v, want the input and %s only", keys, out.Key)
	}
	resp, body := tcGet(t, gw.URL+"/v1/jobs/"+id+"/artifacts/mp3-320", nil)
	sum := sha256.Sum256(body)
	if resp.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != out.SHA256 {
		t.Fatalf("artifact: %s, sha256 %x, want 200 with %s", resp.Status, sum, out.SHA256)
	}
	path := filepath.Join(t.TempDir(), "mp3-320.mp3")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if d, want := tcDecodedSeconds(t, path), tcDecodedSeconds(t, long); math.Abs(d-want) > 0.05 {
		t.Errorf("the rendition decodes to %.3f s, want the whole %.3f s", d, want)
	}
}

// TestTranscodeCancel cancels a job in the middle of a long encode: the
// transcode instance stops encoding within seconds (the gateway passes the
// cancellation on), and nothing is stored.
func TestTranscodeCancel(t *testing.T) {
	env := testEnv(t)
	startProbe(t, env)
	e := clone(env)
	e["METRICS_ADDR"] = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	startFunction(t, "transcode", e)
	metrics := "http://" + e["METRICS_ADDR"] + "/metrics"
	gw := startGateway(t, env)
	id := gw.uploadFile(t, tcLongSource(t), `{"steps":["transcode"],"transcode":{"targets":[{"preset":"mp3-320"}]}}`).ID
	waitFor(t, 3*time.Minute, "the encode to be under way", func() bool {
		p := tcStep(t, gw, id, "transcode:mp3-320").Progress
		return p != nil && p.Stage == "encode" && p.Percent != nil && *p.Percent >= 5 && tcActive(t, metrics)
	})
	req, _ := http.NewRequest(http.MethodPost, gw.URL+"/v1/jobs/"+id+"/cancel", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("cancel: %s", resp.Status)
	}
	canceled := time.Now()
	waitFor(t, 15*time.Second, "the transcode instance to stop encoding", func() bool { return !tcActive(t, metrics) })
	t.Logf("the instance stopped %v after the cancel", time.Since(canceled).Round(10*time.Millisecond))
	_, body := tcGet(t, metrics, nil)
	if !strings.Contains(string(body), `phantom_function_requests_total{code="499",endpoint="run",function="transcode"} 1`) {
		t.Errorf("metrics: want one request ended as canceled (499)")
	}
	if j := gw.job(t, id); j.State != "canceled" {
		t.Errorf("job %s, want canceled", j.State)
	}
	store, err := s3blob.New(context.Background(), s3blob.Config{Endpoint: env["S3_ENDPOINT"],
		AccessKey: env["S3_ACCESS_KEY"], SecretKey: env["S3_SECRET_KEY"], Bucket: env["S3_BUCKET"]})
	if err != nil {
		t.Fatal(err)
	}
	for info, err := range store.List(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info.Key, "/artifacts/") {
			t.Errorf("canceled job stored %s", info.Key)
		}
	}
}

// tcLongSource makes 20 minutes of music (the MP3 frames of one clip, copied
// 60 times): a 320 kbit/s encode of it takes tens of seconds.
func tcLongSource(t *testing.T) string {
	t.Helper()
	long := filepath.Join(t.TempDir(), "long.mp3")
	cmd := exec.Command(testenv.Tool(t, "ffmpeg"), "-nostdin", "-v", "error", "-stream_loop", "59",
		"-i", sharedAudio(t, "msx_harp_harmony.mp3"), "-c", "copy", long)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	return long
}

// tcStepJSON is a step with the fields the transcode tests read.
type tcStepJSON struct {
	Name     string `json:"name"`
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	Error    *struct {
		Kind    string    `json:"kind"`
		Message string    `json:"message"`
		At      time.Time `json:"at"`
	} `json:"error"`
	Progress *struct {
		Percent *float64 `json:"percent"`
		Stage   string   `json:"stage"`
	} `json:"progress"`
}

func tcStep(t *testing.T, gw *gateway, id, name string) tcStepJSON {
	t.Helper()
	var j struct {
		Steps []tcStepJSON `json:"steps"`
	}
	if code := gw.get(t, "/v1/jobs/"+id, &j); code != http.StatusOK {
		t.Fatalf("GET job %s: %d", id, code)
	}
	for _, s := range j.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("job %s has no step %s", id, name)
	return tcStepJSON{}
}

// tcOutput returns the rendition of the job's step for the named target.
func tcOutput(t *testing.T, job jobJSON, name string) contract.TranscodeOutput {
	t.Helper()
	var res contract.TranscodeResult
	if err := json.Unmarshal(job.step(t, "transcode:"+name).Result, &res); err != nil || len(res.Outputs) != 1 {
		t.Fatalf("transcode:%s result %s: %v", name, job.step(t, "transcode:"+name).Result, err)
	}
	return res.Outputs[0]
}

// tcActive reports whether a function process is handling a request now, from
// its phantom_worker_active gauge.
func tcActive(t *testing.T, metricsURL string) bool {
	t.Helper()
	resp, body := tcGet(t, metricsURL, nil)
	if resp.StatusCode != http.StatusOK {
		return false
	}
	return strings.Contains(string(body), `phantom_worker_active{function="transcode"} 1`)
}

// tcGet GETs url with headers, without following redirects.
func tcGet(t *testing.T, url string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp, body
}

// tcDecodedSeconds decodes a file's first audio stream with ffmpeg, failing at
// the first decoding error, and returns its length counted in samples.
func tcDecodedSeconds(t *testing.T, path string) float64 {
	t.Helper()
	var out, stderr bytes.Buffer
	cmd := exec.Command(testenv.Tool(t, "ffmpeg"), "-nostdin", "-v", "error", "-xerror", "-i", path, "-map", "0:a:0",
		"-ac", "1", "-ar", "48000", "-f", "s16le", "-c:a", "pcm_s16le", "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("decoding %s: %v %s", path, err, stderr.String())
	}
	return float64(out.Len()) / 2 / 48000
}
