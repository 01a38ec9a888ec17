package r128

import (
	"fmt"
	"math"
)

// Target is a loudness delivery specification: integrated loudness within
// Tolerance of Integrated, and true peak at most MaxTruePeak.
type Target struct {
	Name        string
	Integrated  float64 // LUFS (LKFS)
	Tolerance   float64 // ± LU
	MaxTruePeak float64 // dBTP
	Source      string  // the document the figures come from
}

// Common targets. Where a specification offers a choice, the stricter figure is used.
var (
	// EBUR128 is EBU R 128 broadcast delivery: programme loudness −23.0 LUFS within
	// ±0.5 LU, maximum true peak −1 dBTP. ±0.5 LU is the tolerance of R 128 v3.0
	// (2014); v4.0 (2020) keeps the target and ceiling but states ±1 LU for
	// production and ±0.2 LU for the measurement itself, so ±0.5 LU is a common
	// delivery figure between the two.
	EBUR128 = Target{Name: "EBU R 128", Integrated: -23, Tolerance: 0.5, MaxTruePeak: -1,
		Source: "EBU R 128 v3.0 (2014), v4.0 (2020)"}

	// Streaming is music streaming playback normalisation: Spotify, YouTube, Tidal
	// and Amazon Music normalise to about −14 LUFS, and Spotify asks for true peaks
	// below −1 dBTP. There is no formal tolerance; ±1 LU is used here.
	Streaming = Target{Name: "Streaming", Integrated: -14, Tolerance: 1, MaxTruePeak: -1,
		Source: "Spotify for Artists, Loudness normalization (−14 LUFS, −1 dBTP)"}

	// Podcast is Apple Podcasts' audio requirement: −16 LKFS ± 1 dB, true peak not
	// above −1 dBFS.
	Podcast = Target{Name: "Podcast", Integrated: -16, Tolerance: 1, MaxTruePeak: -1,
		Source: "Apple Podcasts for Creators, Audio requirements (−16 LKFS ±1 dB, −1 dBTP)"}

	// ATSCA85 is ATSC A/85:2013 (US digital television, the CALM Act's reference):
	// target −24 LKFS with ±2 dB tolerance, true peak at most −2 dBTP.
	ATSCA85 = Target{Name: "ATSC A/85", Integrated: -24, Tolerance: 2, MaxTruePeak: -2,
		Source: "ATSC A/85:2013 Recommended Practice"}
)

// Targets returns the common targets, in the order EBU R 128, streaming, podcast,
// ATSC A/85.
func Targets() []Target { return []Target{EBUR128, Streaming, Podcast, ATSCA85} }

// Verdict is the outcome of checking a [Result] against a [Target].
type Verdict struct {
	Target     Target
	Integrated float64 // measured LUFS, −Inf when undefined
	TruePeak   float64 // measured dBTP, −Inf when undefined
	Pass       bool
	Reason     string // why it passes or fails, in a short sentence
}

// Verdicts checks r against each of [Targets].
func Verdicts(r Result) []Verdict {
	ts := Targets()
	v := make([]Verdict, len(ts))
	for i, t := range ts {
		v[i] = t.Check(r)
	}
	return v
}

// Check reports whether r meets t. The measurements are compared as meters display
// them, rounded to 0.1 LU and 0.1 dB (the resolution EBU Tech 3341 asks meters to
// show), so a reading of −23.54 LUFS (shown −23.5) passes a −23 ± 0.5 target and
// −23.56 (shown −23.6) fails. A
// result without a defined integrated loudness or true peak fails: compliance cannot
// be shown. A true peak of −Inf (digital silence) is within any ceiling, but silence
// has no integrated loudness and so fails anyway.
func (t Target) Check(r Result) Verdict {
	v := Verdict{Target: t, Integrated: r.Integrated.Value, TruePeak: r.TruePeak.Value}
	switch {
	case !r.Integrated.Defined():
		v.Reason = fmt.Sprintf("integrated loudness undefined (%s)", r.Integrated.Reason)
		return v
	case !r.TruePeak.Defined() && r.TruePeak.Reason != ReasonSilence:
		v.Reason = fmt.Sprintf("true peak undefined (%s)", r.TruePeak.Reason)
		return v
	}
	i, tp := round1(r.Integrated.Value), round1(r.TruePeak.Value)
	dev := round1(i - t.Integrated)
	loudOK := math.Abs(dev) <= t.Tolerance+1e-9
	peakOK := tp <= t.MaxTruePeak+1e-9
	v.Pass = loudOK && peakOK
	var loud, peak string
	switch {
	case loudOK:
		loud = fmt.Sprintf("%.1f LUFS is within %g ± %g LU", i, t.Integrated, t.Tolerance)
	case dev > 0:
		loud = fmt.Sprintf("%.1f LUFS is %.1f LU above %g ± %g LU", i, dev, t.Integrated, t.Tolerance)
	default:
		loud = fmt.Sprintf("%.1f LUFS is %.1f LU below %g ± %g LU", i, -dev, t.Integrated, t.Tolerance)
	}
	if peakOK {
		peak = fmt.Sprintf("true peak %.1f dBTP is within %g dBTP", tp, t.MaxTruePeak)
	} else {
		peak = fmt.Sprintf("true peak %.1f dBTP exceeds %g dBTP", tp, t.MaxTruePeak)
	}
	v.Reason = loud + "; " + peak
	return v
}

// round1 rounds x to one decimal, leaving ±Inf as they are.
func round1(x float64) float64 {
	if math.IsInf(x, 0) {
		return x
	}
	return math.Round(x*10) / 10
}
