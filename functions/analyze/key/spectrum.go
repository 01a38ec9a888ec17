package key

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// peak is a spectral peak: its frequency in Hz (refined between bins) and its
// magnitude, scaled so that a full-scale sinusoid has magnitude 1.
type peak struct {
	freq, mag float64
	bin       int
}

// What makes a peak a partial.
const (
	// sustainTolerance is how far, in bins, a peak may move from one frame to the
	// next and still count as the same partial. Noise has a peak every three bins
	// or so, so a wider tolerance would let it pass for sustained.
	sustainTolerance = 0.5
	// minProminence is how many times the mean power of the bins around it
	// (floorBins either side, outside its main lobe) a partial's power must be:
	// 10 dB. The power of a noise bin is exponentially distributed, so a noise
	// bin reaches it with a probability of about e^−10 ≈ 5·10⁻⁵.
	minProminence = 10
	floorBins     = 10
)

// peakPicker turns frames of a signal into spectral peaks. It keeps its buffers so
// that an analysis allocates them once.
type peakPicker struct {
	rate      float64
	size, hop int
	lo, hi    int // bins of minPitchHz and maxPartialHz

	fft    *fourier.FFT
	window []float64
	frame  []float64
	coef   []complex128
	mag    []float64
	cand   []candidate
	peaks  []peak    // of the current frame
	prev   []float64 // frequency of the previous frame's peak at each bin, or 0
	cur    []float64
	lobe   []bool // bins under the main lobe of a partial
}

func newPeakPicker(rate float64, size, hop int) *peakPicker {
	pp := &peakPicker{
		rate: rate, size: size, hop: hop,
		fft:    fourier.NewFFT(size),
		window: make([]float64, size),
		frame:  make([]float64, size),
		coef:   make([]complex128, size/2+1),
		mag:    make([]float64, size/2+1),
		prev:   make([]float64, size/2+1),
		cur:    make([]float64, size/2+1),
		lobe:   make([]bool, size/2+1),
	}
	pp.lo = max(pp.bin(minPitchHz), 2)
	pp.hi = min(pp.bin(math.Min(maxPartialHz, 0.45*rate)), size/2-2)
	var sum float64
	for i := range pp.window {
		pp.window[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(size)) // periodic Hann
		sum += pp.window[i]
	}
	for i := range pp.window {
		pp.window[i] *= 2 / sum // a full-scale sinusoid peaks at magnitude 1
	}
	return pp
}

func (pp *peakPicker) bin(hz float64) int {
	return int(math.Round(hz * float64(pp.size) / pp.rate))
}

// run reduces the frames of x, overlapping by size−hop samples, to pitch statistics.
// A signal shorter than one frame is zero-padded to one frame.
func (pp *peakPicker) run(x []float32) *pitchStats {
	n := 1
	if len(x) > pp.size {
		n = 1 + (len(x)-pp.size)/pp.hop
	}
	st := new(pitchStats)
	for i := range n {
		start := i * pp.hop
		pp.spectrum(x[start:min(start+pp.size, len(x))])
		pp.peaks = pp.pick(pp.peaks[:0])
		for _, p := range pp.peaks {
			st.add(p)
		}
		band, partial := pp.partials(pp.peaks)
		st.bandPower += band
		st.partialPower += partial
	}
	return st
}

// spectrum computes the magnitude spectrum of one windowed frame into pp.mag.
func (pp *peakPicker) spectrum(seg []float32) {
	for i, v := range seg {
		pp.frame[i] = float64(v) * pp.window[i]
	}
	clear(pp.frame[len(seg):])
	pp.fft.Coefficients(pp.coef, pp.frame)
	for k, c := range pp.coef {
		pp.mag[k] = math.Sqrt(real(c)*real(c) + imag(c)*imag(c))
	}
}

// pick appends to dst the frame's strongest local maxima of pp.mag (at most
// maxPeaksPerFrame, none more than peakFloorDB below the strongest), their frequency
// and magnitude refined by parabolic interpolation of the log magnitude (Smith &
// Serra 1987).
func (pp *peakPicker) pick(dst []peak) []peak {
	var top float64
	for k := pp.lo; k <= pp.hi; k++ {
		top = max(top, pp.mag[k])
	}
	if top == 0 {
		return dst
	}
	floor := top * math.Pow(10, peakFloorDB/20)
	cand := pp.cand[:0]
	for k := pp.lo; k <= pp.hi; k++ {
		if m := pp.mag[k]; m > floor && m > pp.mag[k-1] && m >= pp.mag[k+1] {
			cand = append(cand, candidate{mag: m, bin: k})
		}
	}
	if len(cand) > maxPeaksPerFrame {
		selectStrongest(cand, maxPeaksPerFrame)
		cand = cand[:maxPeaksPerFrame]
	}
	pp.cand = cand
	binHz := pp.rate / float64(pp.size)
	for _, c := range cand {
		k := c.bin
		a, b, g := math.Log(pp.mag[k-1]+1e-30), math.Log(c.mag), math.Log(pp.mag[k+1]+1e-30)
		d := 0.0
		if den := a - 2*b + g; den < 0 {
			d = 0.5 * (a - g) / den
		}
		dst = append(dst, peak{freq: (float64(k) + d) * binHz, mag: math.Exp(b - 0.25*(a-g)*d), bin: k})
	}
	return dst
}

// candidate is a local maximum of the magnitude spectrum.
type candidate struct {
	mag float64
	bin int
}

// stronger orders candidates by magnitude, the lower bin first among equals: a
// total order, so the strongest k are always the same k.
func stronger(x, y candidate) bool { return x.mag > y.mag || x.mag == y.mag && x.bin < y.bin }

// selectStrongest moves the k strongest candidates to the front of c, in no
// particular order: Hoare's quickselect, with a median-of-three pivot.
func selectStrongest(c []candidate, k int) {
	lo, hi := 0, len(c) // the boundary at k lies in [lo, hi)
	for hi-lo > 1 {
		mid, last := lo+(hi-lo)/2, hi-1
		// Order c[lo], c[mid], c[last]; the median becomes the pivot, kept at last.
		if stronger(c[mid], c[lo]) {
			c[mid], c[lo] = c[lo], c[mid]
		}
		if stronger(c[last], c[lo]) {
			c[last], c[lo] = c[lo], c[last]
		}
		if stronger(c[mid], c[last]) {
			c[mid], c[last] = c[last], c[mid]
		}
		pivot, p := c[last], lo
		for i := lo; i < last; i++ {
			if stronger(c[i], pivot) {
				c[i], c[p] = c[p], c[i]
				p++
			}
		}
		c[p], c[last] = c[last], c[p]
		switch {
		case p == k:
			return
		case p < k:
			lo = p + 1
		default:
			hi = p
		}
	}
}

// partials returns the frame's power in the analysed band and the part of it under
// the main lobes of its partials, and remembers the frame's peaks for the next.
func (pp *peakPicker) partials(peaks []peak) (band, partial float64) {
	tol := sustainTolerance * pp.rate / float64(pp.size)
	for _, p := range peaks {
		pp.cur[p.bin] = p.freq
		sustained := near(pp.prev[p.bin-1], p.freq, tol) || near(pp.prev[p.bin], p.freq, tol) || near(pp.prev[p.bin+1], p.freq, tol)
		if sustained && pp.prominent(p) {
			for k := max(p.bin-2, pp.lo); k <= min(p.bin+2, pp.hi); k++ {
				pp.lobe[k] = true
			}
		}
	}
	for k := pp.lo; k <= pp.hi; k++ {
		p := pp.mag[k] * pp.mag[k]
		band += p
		if pp.lobe[k] {
			partial += p
			pp.lobe[k] = false
		}
	}
	pp.prev, pp.cur = pp.cur, pp.prev
	clear(pp.cur)
	return band, partial
}

// prominent reports whether p's power is at least minProminence times the mean power
// of the bins around it (within ±floorBins, outside its ±2-bin main lobe).
func (pp *peakPicker) prominent(p peak) bool {
	var sum float64
	var n int
	for k := max(p.bin-floorBins, 0); k <= min(p.bin+floorBins, len(pp.mag)-1); k++ {
		if k < p.bin-2 || k > p.bin+2 {
			sum += pp.mag[k] * pp.mag[k]
			n++
		}
	}
	return p.mag*p.mag >= minProminence*sum/float64(n)
}

func near(f, g, tol float64) bool { return f > 0 && math.Abs(f-g) < tol }
