package contract

import (
	"slices"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// LoudnessSubject is the subject of the loudness function's measure endpoint.
const LoudnessSubject = "phantom.loudness.measure"

// Compliance targets a request may name in [LoudnessOptions].Targets.
const (
	// LoudnessTargetEBUR128 is EBU R 128 broadcast delivery: −23 LUFS ± 0.5 LU,
	// true peak at most −1 dBTP.
	LoudnessTargetEBUR128 = "ebu_r128"
	// LoudnessTargetStreaming is music streaming normalisation: −14 LUFS ± 1 LU,
	// true peak at most −1 dBTP.
	LoudnessTargetStreaming = "streaming"
	// LoudnessTargetPodcast is Apple Podcasts' requirement: −16 LUFS ± 1 LU, true
	// peak at most −1 dBTP.
	LoudnessTargetPodcast = "podcast"
	// LoudnessTargetATSCA85 is ATSC A/85 (US television): −24 LKFS ± 2 LU, true
	// peak at most −2 dBTP.
	LoudnessTargetATSCA85 = "atsc_a85"
)

// LoudnessTargets returns the names of the compliance targets, in the order a
// result lists their verdicts.
func LoudnessTargets() []string {
	return []string{LoudnessTargetEBUR128, LoudnessTargetStreaming, LoudnessTargetPodcast, LoudnessTargetATSCA85}
}

// Limits of the short-term loudness curve.
const (
	// LoudnessCurveMinStepS and LoudnessCurveMaxStepS bound
	// [LoudnessOptions].CurveStepS, in seconds.
	LoudnessCurveMinStepS = 0.1
	LoudnessCurveMaxStepS = 600
	// LoudnessCurveMaxPoints bounds the curve's length, so that a result stays well
	// under NATS's 1 MB message limit: longer inputs get a coarser step.
	LoudnessCurveMaxPoints = 40000
)

// LoudnessRequest asks the loudness function to measure an object.
type LoudnessRequest struct {
	Input   ObjectRef       `json:"input"`
	Options LoudnessOptions `json:"options,omitzero"`
}

// Validate checks the request.
func (r LoudnessRequest) Validate() error {
	if err := r.Input.Validate("input"); err != nil {
		return err
	}
	if err := r.Options.Validate(); err != nil {
		return fault.Errorf(fault.Invalid, "options.%s", fault.Message(err))
	}
	return nil
}

// LoudnessOptions tune a loudness measurement. The zero value measures
// everything but the curve and checks every target.
type LoudnessOptions struct {
	// CurveStepS, when set, adds the short-term loudness curve to the result: one
	// value every CurveStepS seconds, from LoudnessCurveMinStepS to
	// LoudnessCurveMaxStepS. A curve longer than LoudnessCurveMaxPoints gets the
	// smallest multiple of the step that fits (see [LoudnessCurve].StepS).
	CurveStepS float64 `json:"curve_step_s,omitempty"`
	// TruePeak measures the true peak (4× oversampled, ITU-R BS.1770-4 Annex 2).
	// On unless set to false, which saves about half of the measuring time.
	TruePeak *bool `json:"true_peak,omitempty"`
	// Targets names the compliance targets to check ([LoudnessTargets]). Absent:
	// all of them; an empty list: none.
	Targets []string `json:"targets,omitzero"`
}

// Validate checks the options; its message starts with the name of the option
// at fault.
func (o LoudnessOptions) Validate() error {
	if s := o.CurveStepS; s != 0 && !(s >= LoudnessCurveMinStepS && s <= LoudnessCurveMaxStepS) {
		return fault.Errorf(fault.Invalid, "curve_step_s: %g s is not between %g and %g s",
			s, LoudnessCurveMinStepS, float64(LoudnessCurveMaxStepS))
	}
	for i, t := range o.Targets {
		if !slices.Contains(LoudnessTargets(), t) {
			return fault.Errorf(fault.Invalid, "targets: unknown target %q (want one of %q)", t, LoudnessTargets())
		}
		if slices.Contains(o.Targets[:i], t) {
			return fault.Errorf(fault.Invalid, "targets: %q listed twice", t)
		}
	}
	return nil
}

// MeasureTruePeak reports whether the true peak is to be measured.
func (o LoudnessOptions) MeasureTruePeak() bool { return o.TruePeak == nil || *o.TruePeak }

// LoudnessResult is the loudness of an audio file per ITU-R BS.1770-4 and
// EBU R 128 (Tech 3341, Tech 3342). Loudness values are rounded to 0.01 LU,
// levels to 0.01 dB.
//
// A value that cannot be measured is null, and the reason field beside it says
// why: "silence" (every sample that counts is zero), "too_short" (the input is
// shorter than the window: 400 ms for integrated and momentary loudness, 3 s for
// short-term loudness and the range), "below_gate" (there is signal, but none
// above the −70 LUFS absolute gate) or "not_measured" (the true peak was not
// asked for).
type LoudnessResult struct {
	// IntegratedLUFS is the programme loudness over the whole file, gated
	// (BS.1770-4 §2.8).
	IntegratedLUFS   *float64 `json:"integrated_lufs"`
	IntegratedReason string   `json:"integrated_reason,omitempty"`
	// IntegratedGateLUFS is the relative gate applied: blocks at or below it,
	// 10 LU under the mean of the blocks above −70 LUFS, are left out.
	IntegratedGateLUFS *float64 `json:"integrated_gate_lufs"`

	// RangeLU is the loudness range, LRA (EBU Tech 3342): RangeHighLUFS −
	// RangeLowLUFS, the 95th and 10th percentiles of the 3 s short-term loudness
	// above RangeGateLUFS (20 LU under their mean).
	RangeLU       *float64 `json:"range_lu"`
	RangeReason   string   `json:"range_reason,omitempty"`
	RangeLowLUFS  *float64 `json:"range_low_lufs"`
	RangeHighLUFS *float64 `json:"range_high_lufs"`
	RangeGateLUFS *float64 `json:"range_gate_lufs"`

	// MaxMomentaryLUFS is the largest momentary (400 ms) loudness, evaluated
	// every millisecond.
	MaxMomentaryLUFS   *float64 `json:"max_momentary_lufs"`
	MaxMomentaryReason string   `json:"max_momentary_reason,omitempty"`
	// MaxShortTermLUFS is the largest short-term (3 s) loudness, evaluated every
	// millisecond.
	MaxShortTermLUFS   *float64 `json:"max_short_term_lufs"`
	MaxShortTermReason string   `json:"max_short_term_reason,omitempty"`

	// TruePeakDBTP is the largest magnitude of the signal oversampled 4×, over
	// every channel (LFE included).
	TruePeakDBTP   *float64 `json:"true_peak_dbtp"`
	TruePeakReason string   `json:"true_peak_reason,omitempty"`
	// SamplePeakDBFS is the largest sample magnitude over every channel.
	SamplePeakDBFS   *float64 `json:"sample_peak_dbfs"`
	SamplePeakReason string   `json:"sample_peak_reason,omitempty"`

	// DurationS is the decoded duration in seconds.
	DurationS float64 `json:"duration_s"`
	// SampleRateHz and Channels are those of the decoded audio, measured as is
	// (never resampled or downmixed).
	SampleRateHz int `json:"sample_rate_hz"`
	Channels     int `json:"channels"`
	// ChannelLayout is ffmpeg's name of the layout ("stereo", "5.1(side)", …), or
	// "unknown".
	ChannelLayout string `json:"channel_layout"`
	// ChannelWeights are the BS.1770-4 weights applied to each channel, in stream
	// order: 1 for front channels, 1.41 (+1.5 dB) for surrounds, 0 for LFE.
	ChannelWeights []float64 `json:"channel_weights"`
	// NonFiniteSamples counts NaN or infinite decoded samples, measured as 0.
	NonFiniteSamples int64 `json:"non_finite_samples,omitempty"`

	// ShortTermCurve is present when the request asked for it (CurveStepS).
	ShortTermCurve *LoudnessCurve `json:"short_term_curve,omitempty"`

	// Compliance has a verdict for each target checked, in the order the request
	// listed them, or in [LoudnessTargets] order when Targets is absent.
	Compliance []LoudnessVerdict `json:"compliance"`
}

// LoudnessCurve is the short-term loudness over time.
type LoudnessCurve struct {
	// StepS is the time between values, in seconds: the requested step, or a
	// multiple of it for inputs too long for LoudnessCurveMaxPoints values.
	StepS float64 `json:"step_s"`
	// LUFS[i] is the loudness of the 3 s ending (i+1)·StepS after the start; the
	// time before the start counts as silence, as on a meter started with the
	// programme. Null where the window holds only silence.
	LUFS []*float64 `json:"lufs"`
}

// LoudnessVerdict says whether a file meets a delivery target. Loudness and true
// peak are compared as a meter shows them, rounded to 0.1 LU and 0.1 dB; a file
// without a measurable integrated loudness or true peak fails.
type LoudnessVerdict struct {
	// Target is the target's name in [LoudnessTargets], e.g. "ebu_r128".
	Target string `json:"target"`
	// Title is its human name, e.g. "EBU R 128", and Source the document its
	// figures come from.
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
	// TargetLUFS ± ToleranceLU is the integrated loudness required.
	TargetLUFS  float64 `json:"target_lufs"`
	ToleranceLU float64 `json:"tolerance_lu"`
	// MaxTruePeakDBTP is the highest true peak allowed.
	MaxTruePeakDBTP float64 `json:"max_true_peak_dbtp"`
	Pass            bool    `json:"pass"`
	// Reason explains the verdict in a sentence, e.g. "-16.0 LUFS is within -16 ±
	// 1 LU; true peak -1.4 dBTP is within -1 dBTP".
	Reason string `json:"reason"`
}
