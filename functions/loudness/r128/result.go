package r128

import (
	"math"
	"time"
)

// Reason says why a value in a [Result] is undefined.
type Reason string

// Reasons for undefined values.
const (
	// ReasonTooShort: the input is shorter than the quantity's window (400 ms for
	// integrated and momentary loudness, 3 s for short-term loudness and the
	// loudness range) or, for peaks, empty.
	ReasonTooShort Reason = "too_short"
	// ReasonSilence: every sample of the channels that count is zero.
	ReasonSilence Reason = "silence"
	// ReasonBelowGate: there is signal, but no block or short-term value above the
	// −70 LUFS absolute gate.
	ReasonBelowGate Reason = "below_gate"
	// ReasonNotMeasured: the true peak was not asked for ([Config.TruePeak]).
	ReasonNotMeasured Reason = "not_measured"
)

// Level is a measured value with its unit implied by the field holding it. When the
// value is undefined, Value is math.Inf(-1), never NaN, and Reason says why.
type Level struct {
	Value  float64
	Reason Reason // empty when Value is defined
}

// Defined reports whether l holds a measurement.
func (l Level) Defined() bool { return l.Reason == "" }

func undefined(r Reason) Level { return Level{Value: math.Inf(-1), Reason: r} }

// Result holds the measurements of a [Meter].
type Result struct {
	// Integrated is the programme loudness, in LUFS (BS.1770-4 §2.8), and
	// IntegratedThreshold the relative gate applied, in LUFS (−Inf when undefined).
	Integrated          Level
	IntegratedThreshold float64

	// LRA is the loudness range in LU (EBU Tech 3342): LRAHigh − LRALow, the 95th
	// and 10th percentiles in LUFS of the short-term loudness above LRAThreshold.
	// The three LUFS values are −Inf when LRA is undefined.
	LRA                           Level
	LRALow, LRAHigh, LRAThreshold float64

	MomentaryMax Level // largest momentary (400 ms) loudness, LUFS
	ShortTermMax Level // largest short-term (3 s) loudness, LUFS

	TruePeak   Level // largest 4× oversampled magnitude over all channels, dBTP
	SamplePeak Level // largest sample magnitude over all channels, dBFS

	Frames    int64         // frames measured
	Duration  time.Duration // Frames at the sample rate
	NonFinite int64         // NaN or ±Inf samples, measured as 0

	Curve Curve // empty unless Config.CurveStep is set
}

// Curve is loudness over time: point i (from 0) is the loudness of the window ending
// at (i+1)·Step from the start of the stream. Windows reaching back before the start
// count the missing part as silence, as a meter started with the programme shows.
// Values are LUFS; zero energy reads −Inf.
type Curve struct {
	Step      time.Duration
	Momentary []float64 // 400 ms windows
	ShortTerm []float64 // 3 s windows
}

// Result returns the measurements of everything written so far. It may be called at
// any time, any number of times; the meter keeps measuring afterwards. The curve's
// slices share memory with the meter but are never modified by it.
func (m *Meter) Result() Result {
	w := &m.win
	r := Result{
		Frames:              m.frames,
		Duration:            framesDuration(m.frames, m.cfg.SampleRate),
		NonFinite:           m.nonFinite,
		IntegratedThreshold: math.Inf(-1),
		LRALow:              math.Inf(-1),
		LRAHigh:             math.Inf(-1),
		LRAThreshold:        math.Inf(-1),
	}
	if m.cfg.CurveStep > 0 {
		n := len(w.curveM)
		r.Curve = Curve{Step: m.cfg.CurveStep, Momentary: w.curveM[:n:n], ShortTerm: w.curveS[:n:n]}
	}

	// why says why a loudness over windows of n ticks is undefined.
	silent := m.loudnessSilent()
	why := func(n int64) Reason {
		switch {
		case w.ticks < n:
			return ReasonTooShort
		case silent:
			return ReasonSilence
		default:
			return ReasonBelowGate
		}
	}

	r.Integrated = undefined(why(momentaryTicks))
	if first, thr, ok := w.blocks.gate(-10); ok {
		r.Integrated = Level{Value: w.blocks.mean(first)}
		r.IntegratedThreshold = thr
	}

	r.LRA = undefined(why(shortTermTicks))
	if first, thr, ok := w.shorts.gate(-20); ok && w.shorts.total(first) > 0 {
		// Nearest-rank percentiles, as libebur128 computes them.
		n := w.shorts.total(first)
		r.LRALow = w.shorts.rank(first, uint64(float64(n-1)*0.10+0.5))
		r.LRAHigh = w.shorts.rank(first, uint64(float64(n-1)*0.95+0.5))
		r.LRAThreshold = thr
		r.LRA = Level{Value: r.LRAHigh - r.LRALow}
	}

	r.MomentaryMax = maxLevel(w.mMax, why(momentaryTicks))
	r.ShortTermMax = maxLevel(w.sMax, why(shortTermTicks))

	sp := 0.0
	for _, p := range m.peaks {
		sp = max(sp, p)
	}
	r.SamplePeak = peakLevel(sp, m.frames)
	r.TruePeak = undefined(ReasonNotMeasured)
	if m.tp != nil {
		r.TruePeak = peakLevel(max(sp, m.tailPeak()), m.frames)
	}
	return r
}

// framesDuration returns the duration of n frames at rate, exactly to the nanosecond.
func framesDuration(n int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(n/r)*time.Second + time.Duration(n%r*int64(time.Second)/r)
}

// loudnessSilent reports whether every sample of every weighted channel is zero.
func (m *Meter) loudnessSilent() bool {
	for c, p := range m.peaks {
		if p != 0 && m.weights[c] != 0 {
			return false
		}
	}
	return true
}

// tailPeak returns the interpolated peak including the intervals after the last
// sample, interpolated as if the stream continued with silence.
func (m *Meter) tailPeak() float64 {
	p := m.tpPeak
	var buf [tpTaps - 1 + tpFold]float64
	for c := range m.tpHist {
		copy(buf[:], m.tpHist[c][:tpTaps-1])
		p = m.tp.span(buf[:], p)
	}
	return p
}

func maxLevel(ms float64, why Reason) Level {
	if ms <= 0 {
		return undefined(why)
	}
	return Level{Value: loudness(ms)}
}

// peakLevel converts a linear peak to dB.
func peakLevel(p float64, frames int64) Level {
	switch {
	case frames == 0:
		return undefined(ReasonTooShort)
	case p == 0:
		return undefined(ReasonSilence)
	}
	return Level{Value: 20 * math.Log10(p)}
}
