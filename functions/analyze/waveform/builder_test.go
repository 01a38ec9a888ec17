package waveform_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

func TestQuantisation(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	tests := []struct {
		name   string
		x      float32
		want16 int16
		want8  int16
	}{
		{"zero", 0, 0, 0},
		{"full scale positive clips", 1, 32767, 127},
		{"full scale negative", -1, -32768, -128},
		{"above full scale", 2.5, 32767, 127},
		{"below full scale", -7, -32768, -128},
		{"plus infinity", inf, 32767, 127},
		{"minus infinity", -inf, -32768, -128},
		{"NaN is silence", nan, 0, 0},
		{"half LSB rounds to even 0", 0.5 / 32768, 0, 0},
		{"one and a half LSB rounds to even 2", 1.5 / 32768, 2, 0},
		{"minus one LSB truncates to 0 in 8 bits", -1.0 / 32768, -1, 0},
		{"-255 truncates to 0 in 8 bits", -255.0 / 32768, -255, 0},
		{"-256 is -1 in 8 bits", -256.0 / 32768, -256, -1},
		{"-257 truncates to -1 in 8 bits", -257.0 / 32768, -257, -1},
		{"255 truncates to 0 in 8 bits", 255.0 / 32768, 255, 0},
		{"largest positive", 32767.0 / 32768, 32767, 127},
		{"half", 0.5, 16384, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				bits int
				want int16
			}{{16, tt.want16}, {8, tt.want8}} {
				p := mustCompute(t, waveform.Config{SampleRate: testRate, SamplesPerPixel: 2, Bits: c.bits}, []float32{tt.x, tt.x})
				if diff := cmp.Diff([]int16{c.want, c.want}, p.Data); diff != "" {
					t.Errorf("%d-bit data mismatch (-want +got):\n%s", c.bits, diff)
				}
			}
		})
	}
}

func TestPeaksMatchDirectComputation(t *testing.T) {
	impulse := make([]float32, 20000)
	impulse[5000] = 1
	withSpecials := noise(5000, 1.5, 7)
	withSpecials[10] = float32(math.NaN())
	withSpecials[11] = float32(math.Inf(-1))
	for i := 600; i < 700; i++ { // a window of NaN only
		withSpecials[i] = float32(math.NaN())
	}
	signals := []struct {
		name    string
		samples []float32
	}{
		{"sine ramp to 0.8", sineRamp(10007, 0.8)},
		{"sine ramp to 1.3 clipping", sineRamp(30011, 1.3)},
		{"square 0.8", square(25600, 100, 0.8)},
		{"square full scale", square(1000, 64, 1)},
		{"impulse", impulse},
		{"noise with NaN and infinities", withSpecials},
		{"one sample", []float32{-0.25}},
		{"empty", nil},
	}
	for _, sig := range signals {
		for _, spp := range []int{2, 100, 256, 1000} {
			for _, bits := range []int{8, 16} {
				cfg := waveform.Config{SampleRate: testRate, SamplesPerPixel: spp, Bits: bits}
				p := mustCompute(t, cfg, sig.samples)
				want := &waveform.Peaks{
					Version: 2, Channels: 1, SampleRate: testRate, SamplesPerPixel: spp, Bits: bits,
					Length: (len(sig.samples) + spp - 1) / spp,
					Data:   directPeaks(sig.samples, spp, bits),
				}
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("%s, spp %d, %d bits: mismatch (-want +got):\n%s", sig.name, spp, bits, diff)
				}
			}
		}
	}
}

func TestImpulseLandsInItsPixel(t *testing.T) {
	samples := make([]float32, 44100)
	samples[5000] = 1
	p := mustCompute(t, waveform.Config{SampleRate: testRate, SamplesPerPixel: 256}, samples)
	if p.Length != 173 { // ceil(44100 / 256)
		t.Fatalf("Length = %d, want 173", p.Length)
	}
	for i := range p.Length {
		want := [2]int16{0, 0}
		if i == 5000/256 {
			want = [2]int16{0, 32767}
		}
		if got := [2]int16{p.Data[2*i], p.Data[2*i+1]}; got != want {
			t.Errorf("pixel %d = %v, want %v", i, got, want)
		}
	}
}

func TestChunkingIndependence(t *testing.T) {
	samples := append(sineRamp(50000, 1.1), noise(37123, 0.5, 3)...)
	chunkings := [][]int{{1}, {7, 0, 13}, {255, 256, 257}, {4096}, {1 << 20}, {3, 1000, 1, 0, 99999}}
	configs := []struct {
		name string
		cfg  waveform.Config
	}{
		{"spp 256 8-bit", waveform.Config{SampleRate: testRate, SamplesPerPixel: 256, Bits: 8}},
		{"spp 3 16-bit", waveform.Config{SampleRate: testRate, SamplesPerPixel: 3}},
		{"width 100", waveform.Config{SampleRate: testRate, Width: 100}},
		{"width 7", waveform.Config{SampleRate: testRate, Width: 7}},
		{"width 5000", waveform.Config{SampleRate: testRate, Width: 5000}},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			want := mustCompute(t, c.cfg, samples)
			for _, sizes := range chunkings {
				got := writeChunked(t, c.cfg, samples, sizes)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("chunks %v: mismatch with one chunk (-want +got):\n%s", sizes, diff)
				}
			}
		})
	}
}

func TestWidthMode(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		width int
	}{
		{"empty", 0, 100},
		{"one sample", 1, 100},
		{"shorter than width", 150, 100},
		{"just over twice width", 202, 100},
		{"exact multiple", 25600, 100},
		{"just under first doubling", 32*50 - 1, 50},
		{"at first doubling", 32 * 50, 50},
		{"past first doubling", 7*32*50 + 13, 50},
		{"20 s at 1800", 20 * testRate, 1800},
		{"many doublings", 1_000_003, 10},
		{"width 1", 99_999, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			samples := noise(tt.n, 1, uint64(tt.n))
			p := mustCompute(t, waveform.Config{SampleRate: testRate, Width: tt.width}, samples)
			spp := p.SamplesPerPixel
			if p.Length > tt.width {
				t.Errorf("Length = %d, want ≤ %d", p.Length, tt.width)
			}
			if p.Length*spp < tt.n || (p.Length > 0 && (p.Length-1)*spp >= tt.n) {
				t.Errorf("%d pixels of %d samples do not cover exactly %d samples", p.Length, spp, tt.n)
			}
			ideal := max(2, (tt.n+tt.width-1)/tt.width)
			switch {
			case tt.n < 32*tt.width && spp != ideal:
				t.Errorf("SamplesPerPixel = %d, want %d", spp, ideal)
			case spp < ideal || 16*spp >= 17*ideal:
				t.Errorf("SamplesPerPixel = %d, want in [%d, %d + 1/16)", spp, ideal, ideal)
			}
			if diff := cmp.Diff(directPeaks(samples, spp, 16), p.Data); diff != "" {
				t.Errorf("data differs from direct computation at spp %d (-want +got):\n%s", spp, diff)
			}
		})
	}
}

func TestFinishDoesNotChangeBuilder(t *testing.T) {
	samples := sineRamp(3000, 1)
	cfg := waveform.Config{SampleRate: testRate, SamplesPerPixel: 256}
	b, err := waveform.NewBuilder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(samples[:1000])
	first, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(mustCompute(t, cfg, samples[:1000]), first); diff != "" {
		t.Errorf("Finish after 1000 samples (-want +got):\n%s", diff)
	}
	b.Write(samples[1000:])
	second, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(mustCompute(t, cfg, samples), second); diff != "" {
		t.Errorf("Finish after all samples (-want +got):\n%s", diff)
	}
}

func TestConfigDefaults(t *testing.T) {
	p := mustCompute(t, waveform.Config{SampleRate: 8000}, make([]float32, 1000))
	if p.SamplesPerPixel != waveform.DefaultSamplesPerPixel || p.Bits != waveform.DefaultBits {
		t.Errorf("SamplesPerPixel, Bits = %d, %d; want %d, %d",
			p.SamplesPerPixel, p.Bits, waveform.DefaultSamplesPerPixel, waveform.DefaultBits)
	}
	if p.Version != 2 || p.Channels != 1 || p.SampleRate != 8000 {
		t.Errorf("Version, Channels, SampleRate = %d, %d, %d; want 2, 1, 8000", p.Version, p.Channels, p.SampleRate)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		cfg    waveform.Config
		option string
	}{
		{"no sample rate", waveform.Config{}, "sample_rate"},
		{"negative sample rate", waveform.Config{SampleRate: -1}, "sample_rate"},
		{"bits 12", waveform.Config{SampleRate: 1, Bits: 12}, "bits"},
		{"samples per pixel 1", waveform.Config{SampleRate: 1, SamplesPerPixel: 1}, "samples_per_pixel"},
		{"negative samples per pixel", waveform.Config{SampleRate: 1, SamplesPerPixel: -5}, "samples_per_pixel"},
		{"huge samples per pixel", waveform.Config{SampleRate: 1, SamplesPerPixel: math.MaxInt32 + 1}, "samples_per_pixel"},
		{"negative width", waveform.Config{SampleRate: 1, Width: -1}, "width"},
		{"huge width", waveform.Config{SampleRate: 1, Width: waveform.MaxWidth + 1}, "width"},
		{"width and samples per pixel", waveform.Config{SampleRate: 1, Width: 10, SamplesPerPixel: 10}, "width"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := waveform.NewBuilder(tt.cfg)
			if !errors.Is(err, waveform.ErrInvalidOption) {
				t.Fatalf("NewBuilder(%+v) error = %v, want ErrInvalidOption", tt.cfg, err)
			}
			var oe *waveform.OptionError
			if !errors.As(err, &oe) || oe.Option != tt.option {
				t.Errorf("NewBuilder(%+v) error = %v, want an OptionError for %q", tt.cfg, err, tt.option)
			}
			if _, err := waveform.Compute(tt.cfg, nil); !errors.Is(err, waveform.ErrInvalidOption) {
				t.Errorf("Compute error = %v, want ErrInvalidOption", err)
			}
		})
	}
}
