package loudness_test

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

const benchSeconds = 60

// BenchmarkFile measures a minute of 48 kHz stereo 16-bit WAV through File:
// ffprobe, the decode to float PCM by ffmpeg, the pipe and the meter with true
// peak. WAV costs ffmpeg almost nothing to decode, so this is the function's own
// overhead; cmd/loudness-bench compares whole runs with ffmpeg's ebur128 filter on
// compressed music.
func BenchmarkFile(b *testing.B) {
	benchFile(b, contract.LoudnessOptions{})
}

// BenchmarkFileNoTruePeak is BenchmarkFile with true_peak false.
func BenchmarkFileNoTruePeak(b *testing.B) {
	off := false
	benchFile(b, contract.LoudnessOptions{TruePeak: &off})
}

func benchFile(b *testing.B, opts contract.LoudnessOptions) {
	testenv.Tool(b, "ffmpeg")
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	job, err := runner.NewJob()
	if err != nil {
		b.Fatal(err)
	}
	defer job.Close()
	if err := writeWAV(job.Input(), 48000, 2, noise(benchSeconds, 48000)); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(job.Input())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := loudness.File(context.Background(), runner, job, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.IntegratedLUFS == nil {
			b.Fatal(res.IntegratedReason)
		}
	}
	b.ReportMetric(benchSeconds*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}

// noise returns seconds of stereo noise with a loudness that swings every few
// seconds.
func noise(seconds, rate int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 2*seconds*rate)
	for i := range seconds * rate {
		env := 0.05 + 0.2*(1+math.Sin(2*math.Pi*float64(i)/float64(7*rate)))
		x[2*i], x[2*i+1] = env*rng.NormFloat64()/3, env*rng.NormFloat64()/3
	}
	return x
}
