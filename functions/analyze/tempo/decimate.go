package tempo

import "math"

// Decimation brings any input rate down to the analysis band by a cascade of
// half-band low-pass filters, each followed by dropping every second sample
// (Crochiere & Rabiner 1983). Half of a half-band filter's taps are zero, so a
// stage costs about pairs+1 multiply-adds per output sample. Early stages only
// have to keep aliases out of the band that survives the later stages, so they
// are short; the last stage sets the final anti-aliasing quality.

const (
	// minAnalysisRate is the lowest rate the decimator goes down to: the
	// cascade halves the rate while the result stays at or above it, so the
	// analysis rate lies in [minAnalysisRate, 2*minAnalysisRate) for any input
	// rate at or above it.
	minAnalysisRate = 8000

	earlyStagePairs = 3 // 11 taps: their aliases land above the final band
	lastStagePairs  = 8 // 31 taps: transition band about 0.19–0.31 of the stage's input rate
	kaiserBeta      = 6 // about 60 dB stop-band attenuation
)

// halfBand is a linear-phase half-band low-pass filter with its cut-off at a
// quarter of the sampling rate. The taps at even non-zero offsets are zero;
// odd holds the taps at offsets ±1, ±3, ±5, ….
type halfBand struct {
	centre float64
	odd    []float64
}

// newHalfBand designs a half-band filter of 4*pairs-1 taps by the window
// method: the ideal low-pass at fs/4 times a Kaiser window, scaled to unit
// gain at DC.
func newHalfBand(pairs int, beta float64) halfBand {
	h := halfBand{centre: 0.5, odd: make([]float64, pairs)}
	edge := float64(2 * pairs) // the window reaches zero one step past the outermost tap
	sum := h.centre
	for j := range h.odd {
		k := float64(2*j + 1)
		r := k / edge
		h.odd[j] = math.Sin(math.Pi*k/2) / (math.Pi * k) * besselI0(beta*math.Sqrt(1-r*r)) / besselI0(beta)
		sum += 2 * h.odd[j]
	}
	h.centre /= sum
	for j := range h.odd {
		h.odd[j] /= sum
	}
	return h
}

// decimate2 low-pass filters x with h and keeps every second sample: out[m]
// is the filter centred on x[2m] (no delay), x being zero outside its range.
func decimate2[T float32 | float64](h halfBand, x []T) []float64 {
	n := len(x)
	out := make([]float64, (n+1)/2)
	reach := 2*len(h.odd) - 1
	for m := range out {
		i := 2 * m
		acc := h.centre * float64(x[i])
		if i >= reach && i+reach < n {
			w := x[i-reach : i+reach+1] // the taps' span, centred on reach
			for j, c := range h.odd {
				acc += c * (float64(w[reach-2*j-1]) + float64(w[reach+2*j+1]))
			}
		} else {
			for j, c := range h.odd {
				d := 2*j + 1
				var s float64
				if i-d >= 0 {
					s += float64(x[i-d])
				}
				if i+d < n {
					s += float64(x[i+d])
				}
				acc += c * s
			}
		}
		out[m] = acc
	}
	return out
}

// decimate returns x brought down by a power of two to a rate in
// [minAnalysisRate, 2*minAnalysisRate) (or left at its rate when that is
// already below 2*minAnalysisRate), converted to float64, and the new rate.
func decimate(x []float32, rate int) ([]float64, float64) {
	stages := 0
	for r := float64(rate); r/2 >= minAnalysisRate; r /= 2 {
		stages++
	}
	out := float64(rate)
	if stages == 0 {
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = float64(v)
		}
		return y, out
	}
	early := newHalfBand(earlyStagePairs, kaiserBeta)
	last := newHalfBand(lastStagePairs, kaiserBeta)
	pick := func(s int) halfBand {
		if s == stages-1 {
			return last
		}
		return early
	}
	y := decimate2(pick(0), x)
	out /= 2
	for s := 1; s < stages; s++ {
		y = decimate2(pick(s), y)
		out /= 2
	}
	return y, out
}

// besselI0 is the modified Bessel function of the first kind of order zero,
// summed from its power series (enough terms for the arguments used here).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 50 && term > 1e-12*sum; k++ {
		term *= q / float64(k*k)
		sum += term
	}
	return sum
}
