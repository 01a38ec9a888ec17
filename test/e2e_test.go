package test

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/testenv"
	"github.com/phantomchain/phantomchain/schema/schematest"
)

// testEnv gives a test its environment: its own database and bucket on the shared
// servers.
func testEnv(t *testing.T) map[string]string {
	t.Helper()
	s := stack(t)
	t.Setenv("TEST_DATABASE_URL", s.DatabaseURL)
	env := baseEnv(s, schematest.NewDatabase(t))
	env["S3_BUCKET"] = newBucket(t, s)
	return env
}

// sharedAudio returns a file of the shared evaluation set.
func sharedAudio(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev", name)
}

// ffprobeFacts is what ffprobe itself says of a file: the independent reference.
type ffprobeFacts struct {
	Streams []struct {
		CodecName     string `json:"codec_name"`
		CodecType     string `json:"codec_type"`
		SampleRate    string `json:"sample_rate"`
		Channels      int    `json:"channels"`
		ChannelLayout string `json:"channel_layout"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
		Size     string `json:"size"`
	} `json:"format"`
}

func runFFprobe(t *testing.T, path string) ffprobeFacts {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, "ffprobe"), "-v", "error", "-show_streams", "-show_format", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var f ffprobeFacts
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestUploadProbe uploads real audio files and reads the probe result back over HTTP.
func TestUploadProbe(t *testing.T) {
	env := testEnv(t)
	startProbe(t, env)
	gw := startGateway(t, env)

	for _, name := range []string{"nott_jigs_athollhighlanders_x8.flac", "msx_harp_harmony.mp3"} {
		t.Run(name, func(t *testing.T) {
			path := sharedAudio(t, name)
			accepted := gw.uploadFile(t, path, `{"steps":["probe"]}`)
			if accepted.State != "queued" || accepted.Input.Name != name || accepted.Input.SHA256 == "" {
				t.Errorf("accepted job = %+v, want queued with the file's name and digest", accepted)
			}
			job := gw.waitJob(t, accepted.ID, 60*time.Second)
			if job.State != "succeeded" {
				t.Fatalf("job state = %s (error %v), want succeeded", job.State, job.Error)
			}
			step := job.step(t, "probe")
			var res contract.ProbeResult
			if err := json.Unmarshal(step.Result, &res); err != nil {
				t.Fatal(err)
			}
			want := runFFprobe(t, path)
			a := want.Streams[0]
			wantRate, _ := strconv.Atoi(a.SampleRate)
			wantDur, _ := strconv.ParseFloat(want.Format.Duration, 64)
			wantSize, _ := strconv.ParseInt(want.Format.Size, 10, 64)
			if len(res.Streams) != 1 {
				t.Fatalf("streams = %+v, want one", res.Streams)
			}
			got := res.Streams[0]
			if got.Codec != a.CodecName || got.SampleRate != wantRate || got.Channels != a.Channels || got.ChannelLayout != a.ChannelLayout {
				t.Errorf("stream = %s %d Hz %d ch %s, want %s %d Hz %d ch %s", got.Codec, got.SampleRate, got.Channels,
					got.ChannelLayout, a.CodecName, wantRate, a.Channels, a.ChannelLayout)
			}
			if math.Abs(res.Duration-wantDur) > 0.1 || res.DurationSource != "decode" {
				t.Errorf("duration = %.3f s (%s), ffprobe says %.3f s", res.Duration, res.DurationSource, wantDur)
			}
			if res.Size != wantSize || job.Input.Size != wantSize {
				t.Errorf("size = %d (input %d), want %d", res.Size, job.Input.Size, wantSize)
			}
			if a.CodecName == "flac" && (got.BitsPerSample == nil || *got.BitsPerSample != 16) {
				t.Errorf("flac bits_per_sample = %v, want 16", got.BitsPerSample)
			}
			if a.CodecName == "mp3" && got.BitsPerSample != nil {
				t.Errorf("mp3 bits_per_sample = %d, want null", *got.BitsPerSample)
			}
			if res.BitRate <= 0 || res.Format == "" || res.Tags == nil {
				t.Errorf("result = %+v, want format, bit rate and tags", res)
			}
			if step.Attempts != 1 {
				t.Errorf("attempts = %d, want 1", step.Attempts)
			}
		})
	}
}

// TestGatewayCrashBeforeProbe kills the gateway (SIGKILL) after it accepted an upload
// and before the probe ran, restarts it, and checks the job still finishes: an
// accepted upload is never lost.
func TestGatewayCrashBeforeProbe(t *testing.T) {
	env := testEnv(t)
	env["DISPATCH_NO_INSTANCE_WAIT"] = "1s"
	gw := startGateway(t, env)

	// No probe runs yet, so the step cannot run: it waits in the queue.
	accepted := gw.uploadFile(t, sharedAudio(t, "msx_harp_harmony.mp3"), `{"steps":["probe"]}`)
	waitFor(t, 30*time.Second, "the step to wait for a probe instance", func() bool {
		s := gw.job(t, accepted.ID).step(t, "probe")
		return s.State == "queued" && s.Error != nil && s.Error.Kind == "unavailable"
	})
	gw.Kill()

	startProbe(t, env)
	gw = gw.restart(t)
	job := gw.waitJob(t, accepted.ID, 60*time.Second)
	if job.State != "succeeded" {
		t.Fatalf("after the crash the job is %s (%v), want succeeded", job.State, job.Error)
	}
}
