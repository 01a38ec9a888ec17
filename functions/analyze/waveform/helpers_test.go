package waveform_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

const testRate = 44100

// directPeaks computes peaks the plain way: every sample quantised to 16
// bits on its own, then min and max per window of spp samples, then the
// 8-bit division of audiowaveform.
func directPeaks(samples []float32, spp, bits int) []int16 {
	data := []int16{}
	for start := 0; start < len(samples); start += spp {
		lo, hi := math.MaxInt32, math.MinInt32
		for _, x := range samples[start:min(start+spp, len(samples))] {
			q := toS16(x)
			lo, hi = min(lo, q), max(hi, q)
		}
		if bits == 8 {
			lo, hi = lo/256, hi/256
		}
		data = append(data, int16(lo), int16(hi))
	}
	return data
}

// toS16 converts one sample as ffmpeg's float to s16 conversion does
// (lrintf(x * 32768), clipped), with NaN as 0.
func toS16(x float32) int {
	if math.IsNaN(float64(x)) {
		return 0
	}
	v := math.RoundToEven(float64(x) * 32768)
	return int(max(-32768, min(32767, v)))
}

// sineRamp returns n samples of a 441 Hz sine whose amplitude rises
// linearly from 0 to peak.
func sineRamp(n int, peak float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		amp := peak * float64(i) / float64(n)
		s[i] = float32(amp * math.Sin(2*math.Pi*441*float64(i)/testRate))
	}
	return s
}

// square returns n samples of a square wave of the given amplitude and
// period in samples.
func square(n, period int, amp float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		if i%period < period/2 {
			s[i] = amp
		} else {
			s[i] = -amp
		}
	}
	return s
}

// noise returns n uniform samples in [-amp, amp) from a fixed seed.
func noise(n int, amp float32, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	s := make([]float32, n)
	for i := range s {
		s[i] = amp * (2*r.Float32() - 1)
	}
	return s
}

// writeChunked feeds samples to a new Builder in chunks of the given sizes,
// cycling through them, and returns the peaks.
func writeChunked(tb testing.TB, cfg waveform.Config, samples []float32, sizes []int) *waveform.Peaks {
	tb.Helper()
	b, err := waveform.NewBuilder(cfg)
	if err != nil {
		tb.Fatalf("NewBuilder(%+v): %v", cfg, err)
	}
	for i := 0; len(samples) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(samples))
		b.Write(samples[:n])
		samples = samples[n:]
	}
	p, err := b.Finish()
	if err != nil {
		tb.Fatalf("Finish: %v", err)
	}
	return p
}

// mustCompute returns the peaks of samples or fails the test.
func mustCompute(tb testing.TB, cfg waveform.Config, samples []float32) *waveform.Peaks {
	tb.Helper()
	p, err := waveform.Compute(cfg, samples)
	if err != nil {
		tb.Fatalf("Compute(%+v): %v", cfg, err)
	}
	return p
}
