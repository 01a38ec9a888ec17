package waveform_test

import (
	"io"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

// benchSamples is 20 s of audio at 44.1 kHz.
var benchSamples = append(sineRamp(10*testRate, 1), noise(10*testRate, 0.5, 1)...)

// BenchmarkBuilder streams 20 s at 44.1 kHz in chunks of 4096 samples, as the
// service feeds ffmpeg's output, and finishes the peaks.
func BenchmarkBuilder(b *testing.B) {
	configs := []struct {
		name string
		cfg  waveform.Config
	}{
		{"samples_per_pixel=256", waveform.Config{SampleRate: testRate, SamplesPerPixel: 256, Bits: 8}},
		{"width=1800", waveform.Config{SampleRate: testRate, Width: 1800, Bits: 8}},
	}
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(benchSamples)))
			b.ReportAllocs()
			for b.Loop() {
				writeChunked(b, c.cfg, benchSamples, []int{4096})
			}
		})
	}
}

func BenchmarkWriteJSON(b *testing.B) {
	p := mustCompute(b, waveform.Config{SampleRate: testRate, SamplesPerPixel: 256, Bits: 8}, benchSamples)
	b.ReportAllocs()
	for b.Loop() {
		if err := p.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderPNG(b *testing.B) {
	p := mustCompute(b, waveform.Config{SampleRate: testRate, SamplesPerPixel: 256, Bits: 8}, benchSamples)
	b.ReportAllocs()
	for b.Loop() {
		if err := p.RenderPNG(io.Discard, waveform.PNGOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
