package tempo

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// periodicity holds the whole-signal periodicity analysis of an onset
// envelope: its autocorrelation and its Fourier magnitude. Periods are in
// frames and may be fractional.
type periodicity struct {
	fps  float64
	acf  []float64 // unbiased autocorrelation of the high-passed envelope, acf[0] = 1
	mag  []float64 // magnitude spectrum of the high-passed envelope
	nfft int       // transform length behind mag
}

const (
	highPassSeconds = 1.0 // moving-average length removed from the envelope
	maxPeriodS      = 2.0 // longest beat period considered (30 BPM)
	harmonics       = 4   // multiples of a period summed by harmonic
)

// newPeriodicity analyses env up to lags of maxLag frames.
func newPeriodicity(env envelope) periodicity {
	n := len(env.values)
	hp := highPass(binomial(env.values), int(math.Round(highPassSeconds*env.rate)))
	maxLag := min(n-1, int(harmonics*maxPeriodS*env.rate)+harmonics)
	nfft := 1
	for nfft < n+maxLag+1 {
		nfft *= 2
	}
	fft := fourier.NewFFT(nfft)
	buf := make([]float64, nfft)
	copy(buf, hp)
	spec := fft.Coefficients(nil, buf)
	mag := make([]float64, len(spec))
	for i, c := range spec {
		p := real(c)*real(c) + imag(c)*imag(c)
		mag[i] = math.Sqrt(p)
		spec[i] = complex(p, 0)
	}
	fft.Sequence(buf, spec)
	p := periodicity{fps: env.rate, mag: mag, nfft: nfft, acf: make([]float64, maxLag+1)}
	if buf[0] > 0 {
		for k := range p.acf {
			p.acf[k] = buf[k] / float64(n-k) / (buf[0] / float64(n))
		}
	}
	return p
}

// acfAt returns the autocorrelation at a fractional lag, linearly
// interpolated; lags beyond the computed range give 0.
func (p periodicity) acfAt(lag float64) float64 {
	i := int(lag)
	if lag < 0 || i+1 >= len(p.acf) {
		return 0
	}
	f := lag - float64(i)
	return p.acf[i]*(1-f) + p.acf[i+1]*f
}

// acfPeak returns the largest autocorrelation within ±width frames of lag.
func (p periodicity) acfPeak(lag, width float64) float64 {
	best := math.Inf(-1)
	for l := math.Ceil(lag - width); l <= lag+width; l++ {
		best = max(best, p.acfAt(l))
	}
	return max(best, p.acfAt(lag))
}

// harmonic is the comb-filtered autocorrelation of Davies & Plumbley (2007):
// the mean over k = 1…4 of the autocorrelation peak near k·lag, the window
// widening with k to allow for tempo drift. It is high for a period whose
// multiples all recur, whatever the accents within the bar.
func (p periodicity) harmonic(lag float64) float64 {
	sum, n := 0.0, 0
	for k := 1; k <= harmonics; k++ {
		if float64(k)*lag >= float64(len(p.acf)-1) {
			break
		}
		sum += p.acfPeak(float64(k)*lag, float64(k-1))
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// spectrum returns the Fourier magnitude of the envelope at the frequency of
// period lag, linearly interpolated between bins.
func (p periodicity) spectrum(lag float64) float64 {
	x := float64(p.nfft) / lag
	i := int(x)
	if i+1 >= len(p.mag) {
		return 0
	}
	f := x - float64(i)
	return p.mag[i]*(1-f) + p.mag[i+1]*f
}

// highPass subtracts from v its centred moving average over win frames.
func highPass(v []float64, win int) []float64 {
	out := make([]float64, len(v))
	half := win / 2
	var sum float64
	lo, hi := 0, 0 // the window is v[lo:hi]
	for i := range v {
		for hi < len(v) && hi <= i+half {
			sum += v[hi]
			hi++
		}
		for lo < i-half {
			sum -= v[lo]
			lo++
		}
		out[i] = v[i] - sum/float64(hi-lo)
	}
	return out
}

// binomial smooths v with the kernel [1 4 6 4 1]/16 (a Gaussian of about one
// frame standard deviation), so that an onset whose period is not a whole
// number of frames still correlates with itself at the nearest lags.
func binomial(v []float64) []float64 {
	k := [5]float64{1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16}
	out := make([]float64, len(v))
	for i := range v {
		s := 0.0
		for j, w := range k {
			if n := i + j - 2; n >= 0 && n < len(v) {
				s += w * v[n]
			}
		}
		out[i] = s
	}
	return out
}
