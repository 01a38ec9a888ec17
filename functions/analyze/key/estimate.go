package key

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by [Estimate] for arguments it cannot analyse.
var (
	ErrSampleRate     = errors.New("key: sample rate out of range")
	ErrUnknownProfile = errors.New("key: unknown profile")
	ErrNonFinite      = errors.New("key: samples are not finite")
)

// Sample rates [Estimate] accepts, in Hz.
const (
	MinSampleRate = 8000
	MaxSampleRate = 192000
)

// Options tunes an estimate. The zero value gives the defaults.
type Options struct {
	// Profile selects the key profiles; empty means ProfileCorpus.
	Profile Profile
}

// Reason says why an estimate names no key.
type Reason string

// The reasons for no key.
const (
	// ReasonTooShort: less than MinSeconds of audio.
	ReasonTooShort Reason = "too_short"
	// ReasonSilence: the RMS level is under −70 dBFS (measured below about 5 kHz).
	ReasonSilence Reason = "silence"
	// ReasonUnpitched: too little of the power is in partials that persist from
	// one frame to the next (noise, unpitched percussion).
	ReasonUnpitched Reason = "unpitched"
	// ReasonNoTonalCentre: pitched, but the pitch-class profile is nearly flat
	// (a chromatic cluster), holds fewer than about three pitch classes (a lone
	// note) or fits no key.
	ReasonNoTonalCentre Reason = "no_tonal_centre"
)

// MinSeconds is the shortest input that [Estimate] names a key for.
const MinSeconds = 1.0

// Candidate is a key and its score.
type Candidate struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// Result is a key estimate. When no key can be named, Tonic, Mode, Label, Camelot,
// OpenKey and RunnerUp are empty and Reason says why.
type Result struct {
	Tonic   string `json:"tonic,omitempty"`    // "F#", spelled as by [Key.TonicName]
	Mode    Mode   `json:"mode,omitempty"`     // "major" or "minor"
	Label   string `json:"label,omitempty"`    // "F# minor"
	Camelot string `json:"camelot,omitempty"`  // "11A"
	OpenKey string `json:"open_key,omitempty"` // "4m"

	// Score is the key's correlation with the clip's pitch-class profile, in
	// [−1, 1]: 0.7–0.96 for clearly tonal music, 0.4–0.7 for music whose key is
	// hard to hear (distorted guitars, drum-heavy mixes).
	Score float64 `json:"score"`
	// Confidence, in [0, 1], says how clearly the key beats the runner-up:
	// 1 − exp(−margin/0.05), margin being the difference of their scores. A
	// margin of 0.035 gives 0.5, 0.1 gives 0.86; near 0, two keys (usually
	// relative, parallel or a fifth apart) fit almost equally. It is not a
	// calibrated probability of being right.
	Confidence float64 `json:"confidence"`
	// RunnerUp is the next best key, often the relative or a neighbour on the
	// circle of fifths.
	RunnerUp *Candidate `json:"runner_up,omitempty"`

	// TuningCents is the offset of the clip's equal-tempered grid from
	// A4 = 440 Hz, in [−50, 50): +30 means A4 ≈ 447.7 Hz.
	TuningCents float64 `json:"tuning_cents"`

	// Reason is set, and the key fields are empty, when no key is named.
	Reason Reason `json:"reason,omitempty"`
}

// Key returns the estimated key, or false when the result names none.
func (r Result) Key() (Key, bool) {
	if r.Label == "" {
		return Key{}, false
	}
	k, err := ParseKey(r.Label)
	return k, err == nil
}

// Estimate estimates the musical key of mono PCM samples at sampleRate Hz (8 kHz to
// 192 kHz). It returns an error only for arguments it cannot analyse; audio without a
// key (silence, noise, unpitched percussion, too short) gives a Result with a Reason.
// Estimate is deterministic and safe for concurrent use.
func Estimate(samples []float32, sampleRate int, opts Options) (Result, error) {
	if sampleRate < MinSampleRate || sampleRate > MaxSampleRate {
		return Result{}, fmt.Errorf("%w: %d Hz (want %d to %d)", ErrSampleRate, sampleRate, MinSampleRate, MaxSampleRate)
	}
	prof := opts.Profile
	if prof == "" {
		prof = ProfileCorpus
	}
	sets, ok := profileSets[prof]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownProfile, prof)
	}
	if float64(len(samples)) < MinSeconds*float64(sampleRate) {
		return Result{Reason: ReasonTooShort}, nil
	}
	a, err := analyse(samples, sampleRate, sets)
	if err != nil {
		return Result{}, err
	}
	res := Result{TuningCents: math.Round(a.tuning*10) / 10}
	if res.Reason = a.reason(); res.Reason != "" {
		if res.Reason == ReasonSilence || res.Reason == ReasonUnpitched {
			res.TuningCents = 0 // no grid to measure
		}
		return res, nil
	}
	k := keyOf(a.best)
	res.Tonic, res.Mode, res.Label = k.TonicName(), k.Mode, k.String()
	res.Camelot, res.OpenKey = k.Camelot(), k.OpenKey()
	res.Score = round3(a.scores[a.best])
	margin := a.scores[a.best] - a.scores[a.second]
	res.Confidence = round3(1 - math.Exp(-margin/confidenceScale))
	res.RunnerUp = &Candidate{Label: keyOf(a.second).String(), Score: round3(a.scores[a.second])}
	return res, nil
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
