package r128

import "math"

// biquad is a second-order IIR section normalised so that a0 = 1:
//
//	y[n] = b0·x[n] + b1·x[n-1] + b2·x[n-2] − a1·y[n-1] − a2·y[n-2]
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// Analog prototype of the K-weighting filter (BS.1770-4 Annex 1), as fitted to the
// 48 kHz coefficient tables by libebur128 (ebur128.c, ebur128_init_filter).
const (
	shelfFreq  = 1681.974450955533  // Hz, stage 1 high-shelf centre frequency
	shelfGain  = 3.999843853973347  // dB, stage 1 high-frequency gain
	shelfQ     = 0.7071752369554196 // stage 1 quality factor
	shelfVbExp = 0.4996667741545416 // stage 1 band gain exponent: Vb = Vh^shelfVbExp
	rlbFreq    = 38.13547087602444  // Hz, stage 2 (RLB) high-pass corner
	rlbQ       = 0.5003270373238773 // stage 2 quality factor
)

// kWeighting designs the two K-weighting stages for sample rate fs by the bilinear
// transform of the analog prototype, prewarped at each stage's corner frequency. At
// 48 kHz it reproduces Tables 1 and 2 of BS.1770-4 to about 1e-12.
//
// The tabulated RLB stage has numerator (1, −2, 1) without normalisation, which gives
// it a pass-band gain of 1.004995 (+0.043 dB) at 48 kHz: that gain is part of the
// −0.691 dB calibration of the loudness formula. libebur128 keeps the numerator
// (1, −2, 1) at every rate, so its pass-band gain drifts with the rate (+0.004 dB at
// 44.1 kHz, −0.022 dB at 96 kHz, +0.13 dB at 8 kHz). Here the stage is normalised
// exactly and then given the 48 kHz gain, so the calibration holds at any rate.
func kWeighting(fs float64) (shelf, rlb biquad) {
	k := math.Tan(math.Pi * shelfFreq / fs)
	vh := math.Pow(10, shelfGain/20)
	vb := math.Pow(vh, shelfVbExp)
	a0 := 1 + k/shelfQ + k*k
	shelf = biquad{
		b0: (vh + vb*k/shelfQ + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/shelfQ + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/shelfQ + k*k) / a0,
	}

	k = math.Tan(math.Pi * rlbFreq / fs)
	a0 = 1 + k/rlbQ + k*k
	k48 := math.Tan(math.Pi * rlbFreq / 48000)
	g := (1 + k48/rlbQ + k48*k48) / a0
	rlb = biquad{
		b0: g,
		b1: -2 * g,
		b2: g,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/rlbQ + k*k) / a0,
	}
	return shelf, rlb
}

// kFilter is the K-weighting state of one channel: both stages in direct form I,
// which has no internal gain and stays exact in float64 even when the RLB poles sit
// within 1e-3 of z = 1 at high sample rates.
type kFilter struct {
	shelf, rlb biquad
	x1, x2     float64 // stage 1 input history
	s1, s2     float64 // stage 1 output (stage 2 input) history
	y1, y2     float64 // stage 2 output history
	acc        float64 // sum of squared outputs since the last tick boundary
}

// run filters every stride-th sample of x, starting at x[0], and adds the squares of
// the outputs to f.acc. Writing the recurrences as (feed-forward − a2·y2) − a1·y1
// keeps the loop-carried dependency to one multiply and one subtract per stage.
func (f *kFilter) run(x []float32, stride int) {
	s, r := f.shelf, f.rlb
	x1, x2, s1, s2, y1, y2, acc := f.x1, f.x2, f.s1, f.s2, f.y1, f.y2, f.acc
	for i := 0; i < len(x); i += stride {
		x0 := float64(x[i])
		s0 := (s.b0*x0 + s.b1*x1 + s.b2*x2 - s.a2*s2) - s.a1*s1
		y0 := (r.b0*s0 + r.b1*s1 + r.b2*s2 - r.a2*y2) - r.a1*y1
		acc += y0 * y0
		x2, x1 = x1, x0
		s2, s1 = s1, s0
		y2, y1 = y1, y0
	}
	f.x1, f.x2, f.s1, f.s2, f.y1, f.y2, f.acc = x1, x2, s1, s2, y1, y2, acc
}

// flushDenormals zeroes a decayed filter state. After the input falls silent the
// state decays exponentially and would otherwise spend a few seconds in the
// subnormal range (and square into it long before), where arithmetic is two orders
// of magnitude slower. Zeroing a state below 1e-30 (−600 dBFS) changes no energy by
// more than 1e-60, thirty orders below the −70 LUFS gate. It is called at tick
// boundaries, which are fixed in sample time, so results stay independent of how the
// input is chunked.
func (f *kFilter) flushDenormals() {
	const tiny = 1e-30
	if math.Abs(f.x1) < tiny && math.Abs(f.x2) < tiny && math.Abs(f.s1) < tiny &&
		math.Abs(f.s2) < tiny && math.Abs(f.y1) < tiny && math.Abs(f.y2) < tiny {
		f.x1, f.x2, f.s1, f.s2, f.y1, f.y2 = 0, 0, 0, 0, 0, 0
	}
}
