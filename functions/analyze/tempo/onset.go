package tempo

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The onset-strength envelope is the log-compressed spectral flux of a
// mel-band spectrogram (Ellis 2007; Böck et al. 2012): it rises wherever
// energy appears in a band, whether from a drum hit or a new note, and stays
// near zero through sustained sounds. SuperFlux's maximum filter across bands
// (Böck & Widmer 2013) was left out on purpose: it suppresses vibrato, but
// also the onsets of legato melodies (organ, fiddle), whose note changes
// move energy only to a neighbouring band.

const (
	fftSize   = 256   // STFT window and transform length in samples
	frameRate = 100.0 // target envelope rate in frames per second
	melBands  = 40    // bands of the filterbank
	minBandHz = 30.0  // lower edge of the filterbank
	maxBandHz = 8000  // upper edge, or the Nyquist frequency if lower
	logGain   = 1.0   // γ of log(1+γ·E/mean E): logarithmic above the mean band energy, linear below
)

// envelope is an onset-strength signal sampled at rate frames per second;
// frame i describes the audio around i/rate seconds.
type envelope struct {
	values []float64
	rate   float64
}

// onsetEnvelope computes the onset strength of x, sampled at rate Hz.
func onsetEnvelope(x []float64, rate float64) envelope {
	hop := int(math.Round(rate / frameRate))
	frames := 0
	if len(x) > 0 {
		frames = (len(x)-1)/hop + 1
	}
	bank := newMelBank(rate)
	window := hann(fftSize)
	fft := fourier.NewFFT(fftSize)
	buf := make([]float64, fftSize)
	spec := make([]complex128, fftSize/2+1)
	mag := make([]float64, fftSize/2+1)
	energy := make([]float64, frames*melBands)
	total := 0.0
	for f := 0; f < frames; f++ {
		start := f*hop - fftSize/2
		for i := range buf {
			j := start + i
			if j >= 0 && j < len(x) {
				buf[i] = x[j] * window[i]
			} else {
				buf[i] = 0
			}
		}
		fft.Coefficients(spec, buf)
		for k, c := range spec {
			mag[k] = math.Sqrt(real(c)*real(c) + imag(c)*imag(c))
		}
		row := energy[f*melBands : (f+1)*melBands]
		bank.apply(row, mag)
		for _, e := range row {
			total += e
		}
	}
	env := envelope{values: make([]float64, frames), rate: rate / float64(hop)}
	if total == 0 {
		return env
	}
	gain := logGain * float64(len(energy)) / total
	for i, e := range energy {
		energy[i] = math.Log1p(gain * e)
	}
	for f := 1; f < frames; f++ {
		cur := energy[f*melBands : (f+1)*melBands]
		prev := energy[(f-1)*melBands : f*melBands]
		sum := 0.0
		for b, v := range cur {
			if d := v - prev[b]; d > 0 {
				sum += d
			}
		}
		env.values[f] = sum
	}
	return env
}

// melBank is a bank of triangular filters equally spaced on the mel scale,
// stored sparsely: band b weighs bins first[b], first[b]+1, … by weights[b].
type melBank struct {
	first   []int
	weights [][]float64
}

func newMelBank(rate float64) melBank {
	hi := min(maxBandHz, rate/2)
	lo, top := hzToMel(minBandHz), hzToMel(hi)
	edges := make([]float64, melBands+2) // in bins
	for i := range edges {
		edges[i] = melToHz(lo+(top-lo)*float64(i)/float64(melBands+1)) * fftSize / rate
	}
	bank := melBank{first: make([]int, melBands), weights: make([][]float64, melBands)}
	for b := range melBands {
		l, c, r := edges[b], edges[b+1], edges[b+2]
		k0, k1 := int(math.Floor(l))+1, int(math.Ceil(r))-1
		if k0 > k1 { // a low band narrower than a bin: take the nearest bin
			k0 = int(math.Round(c))
			bank.first[b], bank.weights[b] = k0, []float64{1}
			continue
		}
		w := make([]float64, 0, k1-k0+1)
		for k := k0; k <= k1; k++ {
			fk := float64(k)
			if fk <= c {
				w = append(w, (fk-l)/(c-l))
			} else {
				w = append(w, (r-fk)/(r-c))
			}
		}
		bank.first[b], bank.weights[b] = k0, w
	}
	return bank
}

// apply writes each band's weighted sum of mag into dst.
func (m melBank) apply(dst, mag []float64) {
	for b, w := range m.weights {
		s := 0.0
		for i, v := range w {
			s += v * mag[m.first[b]+i]
		}
		dst[b] = s
	}
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// hann returns the periodic Hann window of n samples.
func hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}
