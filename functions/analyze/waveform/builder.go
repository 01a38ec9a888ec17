package waveform

import (
	"fmt"
	"math"
)

// Builder computes [Peaks] from mono float32 samples written in chunks. It
// holds peaks only, never the samples. A Builder is not safe for concurrent
// use.
type Builder struct {
	cfg Config
	// base is the number of samples per pixel in data.
	base int
	// limit is the number of base pixels that makes the builder double base,
	// or 0 when base is fixed.
	limit int
	// data holds the completed base pixels as sample keys: min, max, min, ….
	data []int32

	// lo and hi are the keys of the extremes of the open pixel's n samples.
	lo, hi int32
	n      int
}

// NewBuilder returns a Builder for cfg, or an [*OptionError] when cfg is
// invalid.
func NewBuilder(cfg Config) (*Builder, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Builder{cfg: cfg, base: cfg.SamplesPerPixel}
	if cfg.SamplesPerPixel == 0 {
		b.base = 1
		b.limit = widthHeadroom * cfg.Width
		b.data = make([]int32, 0, 2*b.limit)
	}
	b.resetOpen()
	return b, nil
}

// Compute returns the peaks of samples, a whole input.
func Compute(cfg Config, samples []float32) (*Peaks, error) {
	b, err := NewBuilder(cfg)
	if err != nil {
		return nil, err
	}
	b.Write(samples)
	return b.Finish()
}

// Write adds samples, the next chunk of the input. Chunks may have any length,
// including 0.
func (b *Builder) Write(samples []float32) {
	if b.n > 0 { // complete the open pixel
		run := samples[:min(b.base-b.n, len(samples))]
		samples = samples[len(run):]
		b.lo, b.hi = extremes(run, b.lo, b.hi)
		if b.n += len(run); b.n < b.base {
			return
		}
		b.appendPixel(b.lo, b.hi)
		b.resetOpen()
	}
	for len(samples) >= b.base {
		lo, hi := extremes(samples[:b.base], math.MaxInt32, math.MinInt32)
		samples = samples[b.base:]
		b.appendPixel(lo, hi) // may change b.base
	}
	if len(samples) > 0 {
		b.lo, b.hi = extremes(samples, b.lo, b.hi)
		b.n = len(samples)
	}
}

// appendPixel adds a completed base pixel, coarsening when the limit is
// reached.
func (b *Builder) appendPixel(lo, hi int32) {
	b.data = append(b.data, lo, hi)
	if b.limit > 0 && len(b.data) >= 2*b.limit {
		b.coarsen()
	}
}

// Finish returns the peaks of all the samples written so far, the last
// pixel possibly covering fewer samples than the others. It does not change
// the Builder. It fails only when samples_per_pixel or the length do not fit
// the formats' 32-bit fields.
func (b *Builder) Finish() (*Peaks, error) {
	pixels := int64(len(b.data) / 2)
	if b.n > 0 {
		pixels++
	}
	spp, k := int64(b.base), int64(1)
	if b.cfg.Width > 0 {
		// The smallest k that fits the pixels in Width, and a window of at
		// least MinSamplesPerPixel samples.
		k = max(ceilDiv(pixels, int64(b.cfg.Width)), ceilDiv(MinSamplesPerPixel, spp))
		spp *= k
	}
	length := ceilDiv(pixels, k)
	if spp > math.MaxInt32 {
		return nil, fmt.Errorf("waveform: %d samples per pixel exceed the format's limit", spp)
	}
	if length > math.MaxUint32 {
		return nil, fmt.Errorf("waveform: %d pixels exceed the format's limit", length)
	}
	data := make([]int16, 0, 2*length)
	for i := int64(0); i < pixels; i += k {
		lo, hi := b.pixel(i)
		for j := i + 1; j < min(i+k, pixels); j++ {
			jlo, jhi := b.pixel(j)
			lo, hi = min(lo, jlo), max(hi, jhi)
		}
		mn, mx := quantize(fromKey(lo)), quantize(fromKey(hi))
		if b.cfg.Bits == 8 {
			mn, mx = to8Bit(mn), to8Bit(mx)
		}
		data = append(data, mn, mx)
	}
	return &Peaks{
		Version:         Version,
		Channels:        Channels,
		SampleRate:      b.cfg.SampleRate,
		SamplesPerPixel: int(spp),
		Bits:            b.cfg.Bits,
		Length:          len(data) / 2,
		Data:            data,
	}, nil
}

// pixel returns the keys of base pixel i, the open pixel after the
// completed ones.
func (b *Builder) pixel(i int64) (lo, hi int32) {
	if 2*i == int64(len(b.data)) {
		return b.lo, b.hi
	}
	return b.data[2*i], b.data[2*i+1]
}

func (b *Builder) resetOpen() {
	b.lo, b.hi, b.n = math.MaxInt32, math.MinInt32, 0
}

// coarsen doubles the base window by merging pairs of base pixels. It runs
// right after a pixel is completed, when the number of pixels, limit, is
// even, so no pixel is left half merged.
func (b *Builder) coarsen() {
	n := len(b.data) / 4
	for i := range n {
		b.data[2*i] = min(b.data[4*i], b.data[4*i+2])
		b.data[2*i+1] = max(b.data[4*i+1], b.data[4*i+3])
	}
	b.data = b.data[:2*n]
	b.base *= 2
}

// extremes returns the smallest and the largest of lo, hi and the keys of
// samples. It works on keys because integer min and max compile to
// conditional moves, which a waveform's trends do not slow down as they do
// the branches of float comparisons; two lanes hide their latency.
func extremes(samples []float32, lo, hi int32) (int32, int32) {
	lo1, hi1 := lo, hi
	for len(samples) >= 2 {
		k0, k1 := key(samples[0]), key(samples[1])
		lo, hi = min(lo, k0), max(hi, k0)
		lo1, hi1 = min(lo1, k1), max(hi1, k1)
		samples = samples[2:]
	}
	if len(samples) == 1 {
		k := key(samples[0])
		lo, hi = min(lo, k), max(hi, k)
	}
	return min(lo, lo1), max(hi, hi1)
}

// key maps a sample to an int32 that orders as the samples do: the IEEE 754
// bits, with the magnitude bits of negative numbers inverted. NaN maps to the
// key of 0, so it counts as silence.
func key(x float32) int32 {
	bits := int32(math.Float32bits(x))
	k := bits ^ (bits >> 31 & math.MaxInt32)
	if bits&math.MaxInt32 > 0x7f800000 { // NaN: exponent all ones, mantissa not 0
		k = 0
	}
	return k
}

// fromKey is the inverse of key.
func fromKey(k int32) float32 {
	return math.Float32frombits(uint32(k ^ (k >> 31 & math.MaxInt32)))
}

// quantize converts a sample to 16 bits as ffmpeg converts float to s16:
// rounding half to even, clipping to [-32768, 32767].
func quantize(x float32) int16 {
	v := float64(x) * 32768
	switch {
	case v >= math.MaxInt16:
		return math.MaxInt16
	case v <= math.MinInt16:
		return math.MinInt16
	}
	return int16(math.RoundToEven(v))
}

// to8Bit converts a 16-bit value to 8 bits as audiowaveform does: a C++
// integer division by 256, which truncates toward zero.
func to8Bit(v int16) int16 { return v / 256 }

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
