package key

import "math"

// decimator lowers the sample rate by an integer factor with a linear-phase FIR
// low-pass (a Kaiser-windowed sinc), computing only the samples it keeps (the
// polyphase form of filter-then-discard).
//
// The filter need not be flat to the new Nyquist frequency: the analysis reads the
// spectrum only up to passHz, so the transition band runs from passHz to
// outRate−passHz, the lowest frequency that folds back below passHz. This keeps the
// filter short: 45 taps for 44.1 kHz → 11.025 kHz.
type decimator struct {
	factor int
	taps   []float64
}

// decimatorStopDB is the stop-band attenuation: aliases 50 dB down are far below what
// moves a pitch-class profile.
const decimatorStopDB = 50

// newDecimator designs a decimator by factor for input at rate Hz that keeps
// frequencies below passHz.
func newDecimator(rate float64, factor int, passHz float64) decimator {
	if factor <= 1 {
		return decimator{factor: 1}
	}
	out := rate / float64(factor)
	stopHz := out - passHz
	cutoff := (passHz + stopHz) / 2 / rate          // cycles per input sample
	width := 2 * math.Pi * (stopHz - passHz) / rate // radians per sample
	// Kaiser's estimates of the order and shape for the attenuation wanted.
	order := int(math.Ceil((decimatorStopDB - 7.95) / (2.285 * width)))
	if order%2 == 1 {
		order++
	}
	beta := 0.1102 * (decimatorStopDB - 8.7)
	taps := make([]float64, order+1)
	var sum float64
	for i := range taps {
		x := float64(i - order/2)
		w := besselI0(beta*math.Sqrt(1-(x/float64(order/2))*(x/float64(order/2)))) / besselI0(beta)
		taps[i] = w * sinc(2*cutoff*x)
		sum += taps[i]
	}
	for i := range taps {
		taps[i] /= sum // unity gain at DC
	}
	return decimator{factor: factor, taps: taps}
}

// apply filters and decimates src. The output sample j is centred on input sample
// j·factor; beyond the ends the input is taken as zero. With factor 1 it returns src.
func (d decimator) apply(src []float32) []float32 {
	if d.factor == 1 {
		return src
	}
	dst := make([]float32, (len(src)+d.factor-1)/d.factor)
	half := len(d.taps) / 2
	for j := range dst {
		c := j * d.factor
		if c-half < 0 || c+half >= len(src) {
			dst[j] = float32(d.edge(src, c))
			continue
		}
		dst[j] = float32(d.fold(src[c-half : c+half+1]))
	}
	return dst
}

// fold returns the filter's output for the window seg of len(d.taps) samples. The
// taps are symmetric, so the two halves of the window are added first, halving the
// multiplies; four accumulators keep the additions from waiting on each other.
func (d decimator) fold(seg []float32) float64 {
	half := len(d.taps) / 2
	lo, hi := seg[:half], seg[half+1:]
	hi = hi[:len(lo)]
	taps := d.taps[:len(lo)]
	var a0, a1, a2, a3 float64
	i := 0
	for ; i+4 <= len(taps); i += 4 {
		n := len(hi) - 1 - i
		a0 += taps[i] * (float64(lo[i]) + float64(hi[n]))
		a1 += taps[i+1] * (float64(lo[i+1]) + float64(hi[n-1]))
		a2 += taps[i+2] * (float64(lo[i+2]) + float64(hi[n-2]))
		a3 += taps[i+3] * (float64(lo[i+3]) + float64(hi[n-3]))
	}
	for ; i < len(taps); i++ {
		a0 += taps[i] * (float64(lo[i]) + float64(hi[len(hi)-1-i]))
	}
	return d.taps[half]*float64(seg[half]) + (a0 + a1) + (a2 + a3)
}

// edge computes the output centred on input sample c near either end of src.
func (d decimator) edge(src []float32, c int) float64 {
	half := len(d.taps) / 2
	var acc float64
	for i, t := range d.taps {
		if k := c - half + i; k >= 0 && k < len(src) {
			acc += t * float64(src[k])
		}
	}
	return acc
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the modified Bessel function of the first kind, order zero, by its
// power series (which converges fast for the arguments a Kaiser window uses).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 50; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return sum
}
