package analyze_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// analyzeFile runs File on samples at sampleRate Hz, written as a WAV file.
func analyzeFile(t *testing.T, sampleRate int, samples []float32, opts analyze.Options, limits analyze.Limits, out analyze.Output) analyze.Result {
	t.Helper()
	testenv.Tool(t, "ffmpeg")
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	job, err := runner.NewJob()
	if err != nil {
		t.Fatal(err)
	}
	defer job.Close()
	f, err := os.Open(writeWAV(t, t.TempDir(), "in.wav", sampleRate, samples))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := job.WriteInput(f); err != nil {
		t.Fatal(err)
	}
	res, err := analyze.File(context.Background(), runner, job, opts, limits, out)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFileLimit analyses a 40-second input keeping 1 MiB of samples: tempo and key
// describe the first 5.9 s, said in analyzed_s, while the waveform covers it all.
func TestFileLimit(t *testing.T) {
	x := clickTrack(rate, 120, 40)
	res := analyzeFile(t, rate, x, analyze.Options{}, analyze.Limits{MaxPCMBytes: 1 << 20}, nil)
	wantS := float64(1<<18) / rate
	if math.Abs(res.AnalyzedS-wantS) > 1e-6 || res.DurationS != 40 {
		t.Errorf("analyzed %g s of %g s, want %g s of 40 s", res.AnalyzedS, res.DurationS, wantS)
	}
	if b := res.Tempo.BPM; b == nil || math.Abs(*b-120) > 2.4 {
		t.Errorf("tempo = %v, want 120 BPM", fmtPtr(b))
	}
	if last := res.Tempo.BeatsS[len(res.Tempo.BeatsS)-1]; last > wantS {
		t.Errorf("last beat at %g s, after the analysed %g s", last, wantS)
	}
	if w := res.Waveform; w.LengthPx != (len(x)+255)/256 || w.JSON != nil {
		t.Errorf("waveform %+v, want %d pixels covering the whole input, no files", w, (len(x)+255)/256)
	}
}

// TestFileSampleRates checks that the decoded rate reaches the estimators and the
// waveform as it is.
func TestFileSampleRates(t *testing.T) {
	for _, sr := range []int{16000, 22050, 48000, 96000} {
		t.Run(strconv.Itoa(sr)+"Hz", func(t *testing.T) {
			res := analyzeFile(t, sr, clickTrack(sr, 100, 12), analyze.Options{}, analyze.Limits{}, nil)
			if res.SampleRateHz != sr || res.Waveform.SampleRateHz != sr {
				t.Errorf("rates %d and %d Hz, want %d", res.SampleRateHz, res.Waveform.SampleRateHz, sr)
			}
			if b := res.Tempo.BPM; b == nil || math.Abs(*b-100) > 2 {
				t.Errorf("tempo = %v, want 100 BPM", fmtPtr(b))
			}
		})
	}
}
