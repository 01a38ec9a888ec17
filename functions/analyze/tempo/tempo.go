package tempo

import (
	"errors"
	"fmt"
	"math"
)

// Limits of the input and defaults of [Options].
const (
	MinSampleRate = 8000   // lowest accepted sample rate in Hz
	MaxSampleRate = 192000 // highest accepted sample rate in Hz
	MinDuration   = 3.0    // shortest input, in seconds, that is analysed

	DefaultMinBPM = 40.0  // slowest tempo reported when Options.MinBPM is zero
	DefaultMaxBPM = 240.0 // fastest tempo reported when Options.MaxBPM is zero
)

// Errors returned by [Estimate] for input it cannot analyse.
var (
	ErrSampleRate = errors.New("tempo: sample rate out of range")
	ErrNonFinite  = errors.New("tempo: sample is NaN or infinite")
	ErrOptions    = errors.New("tempo: invalid options")
)

// Options adjusts [Estimate]. The zero value selects the defaults.
type Options struct {
	// MinBPM and MaxBPM bound the reported tempo (the beat level is chosen
	// within them). Zero selects DefaultMinBPM and DefaultMaxBPM.
	MinBPM, MaxBPM float64
}

// Reason says why a [Result] has no tempo.
type Reason string

// Reasons for a missing tempo.
const (
	ReasonTooShort   Reason = "too_short"  // shorter than MinDuration
	ReasonSilent     Reason = "silent"     // no signal above -70 dBFS RMS
	ReasonNoOnsets   Reason = "no_onsets"  // sustained sound with (almost) no note or drum onsets
	ReasonArrhythmic Reason = "arrhythmic" // onsets without a regular pulse (noise, free rhythm)
)

// Point is one sample of a tempo curve.
type Point struct {
	TimeS float64 `json:"time_s"` // centre of the analysis window, in seconds
	BPM   float64 `json:"bpm"`    // local tempo, rounded to 0.1
}

// Result is the outcome of [Estimate].
type Result struct {
	// BPM is the tempo of the beat in beats per minute, rounded to 0.1; nil
	// when the input has no pulse, and then Reason says why. When the tempo
	// changes it is the median of Curve.
	BPM *float64 `json:"bpm,omitempty"`
	// Confidence in [0, 1] is how strongly the onsets repeat at the beat
	// period: the mean autocorrelation of the onset-strength envelope at one
	// to four beat periods (over the whole input; over 8 s windows, averaged,
	// when the tempo changes). On the development set it ranges 0.33–0.98
	// for MIDI-rendered and electronic music (mostly above 0.6) and 0.25–0.65
	// for band recordings;
	// white noise gives under 0.1. Below 6/√frames (0.13 for 20 s, at 100
	// frames per second) the input counts as arrhythmic.
	Confidence float64 `json:"confidence"`
	// Beats are the beat times in seconds from the start of the input,
	// rounded to milliseconds.
	Beats []float64 `json:"beats_s,omitempty"`
	// Curve is the local tempo every 2 s (8 s windows) when more than a
	// quarter of it departs from the global tempo by over 4%; empty when the
	// tempo is steady or the input shorter than 10 s.
	Curve []Point `json:"tempo_curve,omitempty"`
	// Reason is set when BPM is nil.
	Reason Reason `json:"reason,omitempty"`
}

// Tempo returns the tempo and whether there is one.
func (r Result) Tempo() (bpm float64, ok bool) {
	if r.BPM == nil {
		return 0, false
	}
	return *r.BPM, true
}

const (
	silenceRMS      = 3.16e-4 // -70 dBFS
	minOnsetRate    = 0.05    // mean onset strength per frame below which the input has no onsets
	minSignificance = 6.0     // a pulse needs a comb-filtered autocorrelation this many standard errors (1/√frames) above zero
	steadyShare     = 0.75    // share of the tempo curve within steadyTolerance of the tempo for it to count as steady
	steadyTolerance = 0.04    // relative tempo deviation still called steady
)

// Estimate finds the tempo, the beats and, when the tempo changes, the tempo
// curve of mono PCM samples (any scale; typically -1…1) at sampleRate Hz.
// It returns an error only for a sample rate outside
// [MinSampleRate, MaxSampleRate], non-finite samples or invalid options;
// input too short, silent or without a pulse gives a Result without BPM and
// with a Reason. The result depends only on the input.
func Estimate(samples []float32, sampleRate int, opts Options) (Result, error) {
	if sampleRate < MinSampleRate || sampleRate > MaxSampleRate {
		return Result{}, fmt.Errorf("%w: %d Hz", ErrSampleRate, sampleRate)
	}
	minBPM, maxBPM := opts.MinBPM, opts.MaxBPM
	if minBPM == 0 {
		minBPM = DefaultMinBPM
	}
	if maxBPM == 0 {
		maxBPM = DefaultMaxBPM
	}
	if !(minBPM > 0 && maxBPM >= 2*minBPM && maxBPM <= 1000) {
		return Result{}, fmt.Errorf("%w: tempo range %g–%g BPM (need 0 < min, 2·min ≤ max ≤ 1000)", ErrOptions, minBPM, maxBPM)
	}
	var energy float64
	for i, v := range samples {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return Result{}, fmt.Errorf("%w at index %d", ErrNonFinite, i)
		}
		energy += f * f
	}
	if float64(len(samples)) < MinDuration*float64(sampleRate) {
		return Result{Reason: ReasonTooShort}, nil
	}
	if math.Sqrt(energy/float64(len(samples))) < silenceRMS {
		return Result{Reason: ReasonSilent}, nil
	}

	x, rate := decimate(samples, sampleRate)
	env := onsetEnvelope(x, rate)
	if mean(env.values) < minOnsetRate {
		return Result{Reason: ReasonNoOnsets}, nil
	}
	p := newPeriodicity(env)
	m, ok := p.chooseBeat(minBPM, maxBPM)
	if !ok {
		return Result{Reason: ReasonArrhythmic}, nil
	}
	lag := p.precisePeriod(m.lag)
	bpm := 60 * env.rate / lag
	curve, localStrength := localTempo(env, lag)
	// A steady pulse shows in the autocorrelation of the whole input; a
	// changing one smears it there, and shows only window by window.
	strength, frames := m.strength, len(env.values)
	steady := isSteady(curve, bpm)
	if !steady {
		strength, frames = localStrength, int(math.Round(curveWindowS*env.rate))
	}
	res := Result{Confidence: clamp01(strength)}
	if strength < minSignificance/math.Sqrt(float64(frames)) {
		res.Reason = ReasonArrhythmic
		return res, nil
	}
	if steady {
		res.Beats = trackBeats(env, func(int) float64 { return lag })
	} else {
		bpm = medianBPM(curve)
		res.Curve = curve
		res.Beats = trackBeats(env, curveLag(curve, env.rate))
	}
	b := math.Round(bpm*10) / 10
	res.BPM = &b
	return res, nil
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func clamp01(v float64) float64 { return min(max(v, 0), 1) }

// isSteady reports whether a tempo curve stays near bpm: whether at least
// steadyShare of its points are within steadyTolerance of it. Local
// estimates of syncopated or sparse music stray now and then; a real tempo
// change moves most of the curve.
func isSteady(curve []Point, bpm float64) bool {
	near := 0
	for _, c := range curve {
		if math.Abs(c.BPM/bpm-1) <= steadyTolerance {
			near++
		}
	}
	return float64(near) >= steadyShare*float64(len(curve))
}
