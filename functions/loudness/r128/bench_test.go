package r128_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

const (
	benchRate    = 48000
	benchSeconds = 300
)

// benchSignal is 5 minutes of 48 kHz stereo: pink-ish noise under two tones, with a
// loudness envelope that swings about 20 dB every few seconds and a few loud
// transients, generated once.
var benchSignal = sync.OnceValue(func() []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	n := benchRate * benchSeconds
	x := make([]float32, 2*n)
	var lpL, lpR float64
	for i := range n {
		t := float64(i) / benchRate
		env := 0.05 + 0.3*(1+math.Sin(2*math.Pi*t/7.3))*(1+math.Sin(2*math.Pi*t/1.1))/4
		lpL = 0.9*lpL + 0.1*rng.NormFloat64()
		lpR = 0.9*lpR + 0.1*rng.NormFloat64()
		tone := 0.3*math.Sin(2*math.Pi*220*t) + 0.1*math.Sin(2*math.Pi*3150*t)
		l, r := env*(tone+lpL), env*(0.8*tone+lpR)
		if i%(benchRate*13) < 64 { // a click every 13 s
			l, r = 0.9, -0.85
		}
		x[2*i], x[2*i+1] = float32(l), float32(r)
	}
	return x
})

// BenchmarkMeter measures 5 minutes of 48 kHz stereo with true peak on, written in
// 4096-frame chunks, and reports how many times faster than real time that is.
func BenchmarkMeter(b *testing.B) {
	benchWrite(b, r128.Config{SampleRate: benchRate, Channels: 2, Layout: "stereo", TruePeak: true})
}

// BenchmarkMeterLoudnessOnly is BenchmarkMeter without true peak.
func BenchmarkMeterLoudnessOnly(b *testing.B) {
	benchWrite(b, r128.Config{SampleRate: benchRate, Channels: 2, Layout: "stereo"})
}

func benchWrite(b *testing.B, cfg r128.Config) {
	x := benchSignal()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := r128.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for off := 0; off < len(x); off += 4096 * 2 {
			m.Write(x[off:min(off+4096*2, len(x))])
		}
		if r := m.Result(); !r.Integrated.Defined() {
			b.Fatal(r.Integrated.Reason)
		}
	}
	b.ReportMetric(float64(benchSeconds)*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}

// BenchmarkMeterReadFrom is BenchmarkMeter through ReadFrom, as the service pipes
// ffmpeg's f32le output.
func BenchmarkMeterReadFrom(b *testing.B) {
	x := benchSignal()
	raw := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := r128.New(r128.Config{SampleRate: benchRate, Channels: 2, Layout: "stereo", TruePeak: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.ReadFrom(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchSeconds)*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
}
