package loudness

import (
	"math"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/contract"
)

// targets maps the names of [contract.LoudnessTargets] to their specifications.
var targets = map[string]r128.Target{
	contract.LoudnessTargetEBUR128:   r128.EBUR128,
	contract.LoudnessTargetStreaming: r128.Streaming,
	contract.LoudnessTargetPodcast:   r128.Podcast,
	contract.LoudnessTargetATSCA85:   r128.ATSCA85,
}

// result maps the meter's measurements to the function's result: undefined values
// (−Inf with a reason) become null with the reason beside them, and the
// compliance verdicts of the requested targets are added. The decoded format is
// left to the caller.
func result(r r128.Result, opts Options) Result {
	var res Result
	res.IntegratedLUFS, res.IntegratedReason = level(r.Integrated)
	res.IntegratedGateLUFS = finite(r.IntegratedThreshold)
	res.RangeLU, res.RangeReason = level(r.LRA)
	res.RangeLowLUFS, res.RangeHighLUFS, res.RangeGateLUFS = finite(r.LRALow), finite(r.LRAHigh), finite(r.LRAThreshold)
	res.MaxMomentaryLUFS, res.MaxMomentaryReason = level(r.MomentaryMax)
	res.MaxShortTermLUFS, res.MaxShortTermReason = level(r.ShortTermMax)
	res.TruePeakDBTP, res.TruePeakReason = level(r.TruePeak)
	res.SamplePeakDBFS, res.SamplePeakReason = level(r.SamplePeak)
	res.NonFiniteSamples = r.NonFinite
	if r.Curve.Step > 0 {
		res.ShortTermCurve = curve(r.Curve.ShortTerm, r.Curve.Step)
	}

	names := opts.Targets
	if names == nil {
		names = contract.LoudnessTargets()
	}
	res.Compliance = make([]contract.LoudnessVerdict, 0, len(names))
	for _, name := range names {
		t := targets[name]
		v := t.Check(r)
		res.Compliance = append(res.Compliance, contract.LoudnessVerdict{
			Target: name, Title: t.Name, Source: t.Source,
			TargetLUFS: t.Integrated, ToleranceLU: t.Tolerance, MaxTruePeakDBTP: t.MaxTruePeak,
			Pass: v.Pass, Reason: v.Reason,
		})
	}
	return res
}

// curve returns the short-term loudness points, taken every k-th when there are
// more than LoudnessCurveMaxPoints of them (the header promised a shorter input
// than the decode found). Point i of the input ends at (i+1)·step, so taking points
// k−1, 2k−1, … gives the curve at k·step.
func curve(points []float64, step time.Duration) *contract.LoudnessCurve {
	k := stride(int64(len(points)))
	c := &contract.LoudnessCurve{StepS: (step * time.Duration(k)).Seconds(), LUFS: make([]*float64, 0, int64(len(points))/k)}
	for i := k - 1; i < int64(len(points)); i += k {
		c.LUFS = append(c.LUFS, finite(points[i]))
	}
	return c
}

// level returns a defined level rounded, or null and the reason it is undefined.
func level(l r128.Level) (*float64, string) {
	if !l.Defined() {
		return nil, string(l.Reason)
	}
	return finite(l.Value), ""
}

// finite returns x rounded, or nil when it is infinite or NaN.
func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	v := round(x)
	return &v
}

// round rounds to 0.01 (LU or dB), never returning −0.
func round(x float64) float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0
	}
	return r
}
