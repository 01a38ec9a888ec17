package r128_test

import (
	"math"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

func TestTargetCheck(t *testing.T) {
	level := func(v float64) r128.Level { return r128.Level{Value: v} }
	inf := math.Inf(-1)
	tests := []struct {
		name       string
		target     r128.Target
		result     r128.Result
		wantPass   bool
		wantReason string // a substring of the reason
	}{
		{"OnTarget", r128.EBUR128, r128.Result{Integrated: level(-23.0), TruePeak: level(-3)}, true, "within -23 ± 0.5 LU"},
		{"EdgeRoundsIn", r128.EBUR128, r128.Result{Integrated: level(-23.54), TruePeak: level(-3)}, true, "-23.5 LUFS is within"},
		{"EdgeRoundsOut", r128.EBUR128, r128.Result{Integrated: level(-23.56), TruePeak: level(-3)}, false, "0.6 LU below"},
		{"TooLoud", r128.EBUR128, r128.Result{Integrated: level(-18), TruePeak: level(-3)}, false, "5.0 LU above"},
		{"PeakAtCeiling", r128.EBUR128, r128.Result{Integrated: level(-23), TruePeak: level(-0.96)}, true, "within -1 dBTP"},
		{"PeakOver", r128.EBUR128, r128.Result{Integrated: level(-23), TruePeak: level(-0.94)}, false, "true peak -0.9 dBTP exceeds -1 dBTP"},
		{"Streaming", r128.Streaming, r128.Result{Integrated: level(-14.9), TruePeak: level(-1.2)}, true, "within -14 ± 1 LU"},
		{"Podcast", r128.Podcast, r128.Result{Integrated: level(-17.2), TruePeak: level(-1.2)}, false, "1.2 LU below"},
		{"ATSC", r128.ATSCA85, r128.Result{Integrated: level(-22.1), TruePeak: level(-1.5)}, false, "exceeds -2 dBTP"},
		{"Silence", r128.EBUR128, r128.Result{Integrated: r128.Level{Value: inf, Reason: r128.ReasonSilence},
			TruePeak: r128.Level{Value: inf, Reason: r128.ReasonSilence}}, false, "integrated loudness undefined (silence)"},
		{"NoTruePeak", r128.EBUR128, r128.Result{Integrated: level(-23),
			TruePeak: r128.Level{Value: inf, Reason: r128.ReasonNotMeasured}}, false, "true peak undefined (not_measured)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.target.Check(tt.result)
			if v.Pass != tt.wantPass || !strings.Contains(v.Reason, tt.wantReason) {
				t.Errorf("Check = %v %q, want %v and a reason containing %q", v.Pass, v.Reason, tt.wantPass, tt.wantReason)
			}
			if v.Target != tt.target || v.Integrated != tt.result.Integrated.Value || v.TruePeak != tt.result.TruePeak.Value {
				t.Errorf("Check = %+v, want the target and the measured values", v)
			}
		})
	}
}

func TestVerdicts(t *testing.T) {
	r := measure(t, r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true}, tone(48000, 2, 10, 1000, -23, 0, false))
	vs := r128.Verdicts(r)
	want := map[string]bool{"EBU R 128": true, "Streaming": false, "Podcast": false, "ATSC A/85": true}
	if len(vs) != len(want) {
		t.Fatalf("Verdicts returned %d verdicts, want %d", len(vs), len(want))
	}
	for _, v := range vs {
		if pass, ok := want[v.Target.Name]; !ok || v.Pass != pass {
			t.Errorf("%s: Pass = %v (%s), want %v", v.Target.Name, v.Pass, v.Reason, pass)
		}
		if v.Target.Source == "" {
			t.Errorf("%s: no source", v.Target.Name)
		}
	}
}
