package key

import "math"

// Analysis constants. The front end is deliberately plain: the dev set scores the
// same within a clip or two for frames of 0.19–0.74 s, 40–100 peaks, 2–4.5 kHz and
// floors of −40 to −80 dB; what matters is the profiles and their harmonics.
const (
	minAnalysisRate  = 10000 // Hz; decimate to the lowest integer fraction of the rate above this
	frameSeconds     = 0.37  // frame length, rounded to a power of two (4096 at 11025 Hz)
	minPitchHz       = 50    // lowest peak counted (G1 is 49 Hz)
	maxPartialHz     = 4000  // highest peak counted (B7 is 3951 Hz)
	maxPeaksPerFrame = 60
	peakFloorDB      = -60 // relative to the frame's strongest peak

	// Profiles of notes get 4 harmonics decaying by 0.6, the defaults of Gómez's
	// HPCP key estimation as shipped in Essentia's KeyExtractor.
	profileHarmonics = 4
	harmonicDecay    = 0.6

	confidenceScale = 0.05 // correlation margin giving confidence 1−1/e
)

// Thresholds of the no-key decisions; see [analysis.reason]. They are heuristic.
// On the 53 dev clips (folk tunes and MIDI pieces rendered with a sound font, metal
// band recordings, electronic demos) the share of partials is at least 0.065 (0.049
// with white noise added at 0 dB SNR), contrast 0.20–1.15 and score 0.47–0.96.
// White, pink and brown noise, noise-burst drums and a pitch-gliding kick of 1–20 s
// stay at a share of 0.015 or less; a chromatic cluster has contrast 0.02, a pure
// tone 3.3.
const (
	silenceDB   = -70  // RMS level below which the input is silence
	minPartials = 0.03 // share of the power in partials below which the input is unpitched
	minContrast = 0.15 // below: pitch classes too even for a tonal centre
	maxContrast = 1.6  // above: fewer than about three pitch classes
	minScore    = 0.4  // below: no key fits
)

// analysis is what an estimate is made from.
type analysis struct {
	levelDB  float64 // RMS level of the decimated signal, dBFS (a full-scale sine is −3)
	partials float64 // share of the band's power in partials, 0..1
	tuning   float64 // cents from A4 = 440 Hz
	chroma   chroma
	contrast float64 // coefficient of variation of chroma
	scores   keyScores
	best     int // index of the best key in scores
	second   int // index of the runner-up
}

func analyse(samples []float32, sampleRate int, sets []profileSet) (analysis, error) {
	rate := float64(sampleRate)
	factor := max(1, int(rate/minAnalysisRate))
	x := newDecimator(rate, factor, maxPartialHz).apply(samples)
	rate /= float64(factor)
	var power float64
	for _, v := range x {
		power += float64(v) * float64(v)
	}
	if math.IsNaN(power) || math.IsInf(power, 0) {
		return analysis{}, ErrNonFinite
	}
	a := analysis{levelDB: 10 * math.Log10(power/float64(len(x))+1e-30)}

	size := 1 << int(math.Round(math.Log2(frameSeconds*rate)))
	st := newPeakPicker(rate, size, size/2).run(x)
	if st.bandPower > 0 {
		a.partials = st.partialPower / st.bandPower
	}
	a.tuning = st.tuning()
	a.chroma = st.chroma(a.tuning)
	a.contrast = variation(a.chroma[:])
	for _, ps := range sets {
		s := ps.withHarmonics(profileHarmonics, harmonicDecay).correlate(&a.chroma)
		for i := range a.scores {
			a.scores[i] += s[i] / float64(len(sets))
		}
	}
	a.best, a.second = a.scores.top2()
	return a, nil
}

// reason returns why the clip has no key, or "" if it has one: the level, the share
// of partials, the contrast of the chroma and the best key's score are checked in
// turn against the thresholds above.
func (a *analysis) reason() Reason {
	switch {
	case a.levelDB < silenceDB:
		return ReasonSilence
	case a.partials < minPartials:
		return ReasonUnpitched
	case a.contrast < minContrast, a.contrast > maxContrast, a.scores[a.best] < minScore:
		return ReasonNoTonalCentre
	}
	return ""
}

// top2 returns the indices of the best and second-best scores; ties go to the lower
// index, so the result is deterministic.
func (s *keyScores) top2() (best, second int) {
	best, second = 0, 1
	if s[1] > s[0] {
		best, second = 1, 0
	}
	for i := 2; i < len(s); i++ {
		switch {
		case s[i] > s[best]:
			best, second = i, best
		case s[i] > s[second]:
			second = i
		}
	}
	return best, second
}

// variation returns the coefficient of variation (standard deviation over mean).
func variation(x []float64) float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if mean <= 0 {
		return 0
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss/float64(len(x))) / mean
}
