package test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestLoudness uploads music with the loudness step and checks its result against
// ffmpeg's ebur128 filter run here on the same file; and checks that the loudness
// function changes nothing for jobs that do not ask for it.
func TestLoudness(t *testing.T) {
	env := testEnv(t)
	ffmpeg := testenv.Tool(t, "ffmpeg")
	startProbe(t, env)
	startFunction(t, "loudness", env)
	startFunction(t, "analyze", env)
	gw := startGateway(t, env)

	for _, name := range []string{"nott_jigs_captainwhite_x38.flac", "fof_sectoid_feelings_040.mp3"} {
		t.Run(name, func(t *testing.T) {
			path := sharedAudio(t, name)
			accepted := gw.uploadFile(t, path, `{"steps":["loudness"]}`)
			job := gw.waitJob(t, accepted.ID, 2*time.Minute)
			if job.State != "succeeded" {
				t.Fatalf("job state = %s (error %v), want succeeded", job.State, job.Error)
			}
			if len(job.Steps) != 2 || job.step(t, "probe").State != "succeeded" {
				t.Errorf("steps = %+v, want probe then loudness", job.Steps)
			}
			var res contract.LoudnessResult
			if err := json.Unmarshal(job.step(t, "loudness").Result, &res); err != nil {
				t.Fatal(err)
			}
			want := ebur128Summary(t, ffmpeg, path)
			t.Logf("integrated %.2f LUFS (ffmpeg %.1f), true peak %.2f dBTP (ffmpeg %.1f)",
				orNaN(res.IntegratedLUFS), want.integrated, orNaN(res.TruePeakDBTP), want.truePeak)
			if res.IntegratedLUFS == nil || math.Abs(*res.IntegratedLUFS-want.integrated) > 0.1 {
				t.Errorf("integrated_lufs = %v (%s), ffmpeg ebur128 says %.1f: want within 0.1 LU",
					orNaN(res.IntegratedLUFS), res.IntegratedReason, want.integrated)
			}
			if res.TruePeakDBTP == nil || math.Abs(*res.TruePeakDBTP-want.truePeak) > 0.3 {
				t.Errorf("true_peak_dbtp = %v (%s), ffmpeg ebur128 says %.1f: want within 0.3 dB",
					orNaN(res.TruePeakDBTP), res.TruePeakReason, want.truePeak)
			}
			if res.SampleRateHz != 44100 || res.Channels != 2 || res.DurationS < 10 || len(res.Compliance) != 4 {
				t.Errorf("result = %d Hz, %d channels, %.2f s, %d verdicts; want 44100 Hz stereo music with 4 verdicts",
					res.SampleRateHz, res.Channels, res.DurationS, len(res.Compliance))
			}
		})
	}

	t.Run("Options", func(t *testing.T) {
		accepted := gw.uploadFile(t, sharedAudio(t, "msx_harp_harmony.mp3"),
			`{"steps":["loudness"],"loudness":{"curve_step_s":2,"targets":["podcast"],"true_peak":false}}`)
		job := gw.waitJob(t, accepted.ID, 2*time.Minute)
		if job.State != "succeeded" {
			t.Fatalf("job state = %s (error %v), want succeeded", job.State, job.Error)
		}
		var res contract.LoudnessResult
		if err := json.Unmarshal(job.step(t, "loudness").Result, &res); err != nil {
			t.Fatal(err)
		}
		c := res.ShortTermCurve
		if c == nil || c.StepS != 2 || len(c.LUFS) != int(res.DurationS/2) {
			t.Errorf("short_term_curve = %+v, want a point every 2 s of %.2f s", c, res.DurationS)
		}
		if len(res.Compliance) != 1 || res.Compliance[0].Target != "podcast" || res.TruePeakReason != "not_measured" {
			t.Errorf("compliance %+v, true peak %q: want the podcast verdict only, true peak not measured", res.Compliance, res.TruePeakReason)
		}
	})

	t.Run("InvalidOptions", func(t *testing.T) {
		f, err := os.Open(sharedAudio(t, "msx_harp_harmony.mp3"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		resp := gw.upload(t, "harp.mp3", f, `{"loudness":{"curve_step_s":0.01}}`)
		var p problemJSON
		decodeJSON(t, resp.Body, &p)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(p.Detail, "curve_step_s") {
			t.Errorf("upload = %d %+v, want 400 naming curve_step_s", resp.StatusCode, p)
		}
	})

	t.Run("DefaultSteps", func(t *testing.T) {
		accepted := gw.uploadFile(t, sharedAudio(t, "msx_harp_harmony.mp3"), "")
		job := gw.waitJob(t, accepted.ID, 2*time.Minute)
		if job.State != "succeeded" {
			t.Fatalf("job state = %s (error %v), want succeeded", job.State, job.Error)
		}
		var names []string
		for _, s := range job.Steps {
			names = append(names, s.Name)
			if s.State != "succeeded" {
				t.Errorf("step %s is %s (%v), want succeeded", s.Name, s.State, s.Error)
			}
		}
		if strings.Join(names, ",") != "probe,analyze,loudness" {
			t.Errorf("default steps = %v, want probe, then analyze and loudness", names)
		}
	})
}

// ebur128Reading is the reference measurement: the summary of ffmpeg's ebur128 filter.
type ebur128Reading struct{ integrated, truePeak float64 }

var (
	ebur128I    = regexp.MustCompile(`(?m)^\s+I:\s+(\S+) LUFS`)
	ebur128Peak = regexp.MustCompile(`(?m)^\s+Peak:\s+(\S+) dBFS`)
)

func ebur128Summary(t *testing.T, ffmpeg, path string) ebur128Reading {
	t.Helper()
	out, err := exec.Command(ffmpeg, "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128 %s: %v\n%s", path, err, out)
	}
	_, sum, ok := bytes.Cut(out, []byte("Summary:"))
	if !ok {
		t.Fatalf("ffmpeg ebur128 %s: no summary in\n%s", path, out)
	}
	field := func(re *regexp.Regexp) float64 {
		m := re.FindSubmatch(sum)
		if m == nil {
			t.Fatalf("ffmpeg ebur128 %s: %v not in\n%s", path, re, sum)
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return ebur128Reading{integrated: field(ebur128I), truePeak: field(ebur128Peak)}
}

func orNaN(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}
