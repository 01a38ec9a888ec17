package loudness_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// TestMeasureSignals measures generated signals of known loudness through NATS.
func TestMeasureSignals(t *testing.T) {
	b := setup(t)

	t.Run("StereoSine-23dBFS", func(t *testing.T) {
		// EBU Tech 3341 case 1: a 1 kHz sine at −23 dBFS in both channels reads −23 LUFS.
		path := b.synth(t, "sine.flac", sines(20, 48000, []float64{1000, 1000}, []float64{-23, -23})...)
		res, err := b.measure(t, path, contract.LoudnessOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			name string
			got  *float64
			want float64
		}{
			{"integrated_lufs", res.IntegratedLUFS, -23},
			{"max_momentary_lufs", res.MaxMomentaryLUFS, -23},
			{"max_short_term_lufs", res.MaxShortTermLUFS, -23},
			{"range_lu", res.RangeLU, 0},
			{"sample_peak_dbfs", res.SamplePeakDBFS, -23},
			{"true_peak_dbtp", res.TruePeakDBTP, -23},
			{"integrated_gate_lufs", res.IntegratedGateLUFS, -33},
		} {
			if !near(v.got, v.want, 0.1) {
				t.Errorf("%s = %s, want %g ± 0.1", v.name, show(v.got), v.want)
			}
		}
		if res.SampleRateHz != 48000 || res.Channels != 2 || res.ChannelLayout != "stereo" || math.Abs(res.DurationS-20) > 1e-6 {
			t.Errorf("format = %d Hz %d ch %q %g s, want 48000 Hz 2 ch stereo 20 s", res.SampleRateHz, res.Channels, res.ChannelLayout, res.DurationS)
		}
		wantPass := map[string]bool{"ebu_r128": true, "streaming": false, "podcast": false, "atsc_a85": true}
		if len(res.Compliance) != len(wantPass) {
			t.Fatalf("compliance = %+v, want a verdict for each of %v", res.Compliance, contract.LoudnessTargets())
		}
		for i, v := range res.Compliance {
			if v.Target != contract.LoudnessTargets()[i] || v.Pass != wantPass[v.Target] || v.Reason == "" {
				t.Errorf("verdict %d = %+v, want target %s pass %v with a reason", i, v, contract.LoudnessTargets()[i], wantPass[v.Target])
			}
		}
	})

	// Multichannel layouts: the LFE, the loudest channel, must not count; surround
	// channels weigh 1.41; and no layout may be remixed on the way to the meter.
	surround := []struct {
		layout  string
		levels  []float64 // dBFS, in stream order
		freqs   []float64 // Hz
		weights []float64
	}{
		{"5.1", // FL FR FC LFE BL BR
			[]float64{-26, -26, -20, -3, -30, -30}, []float64{1000, 1000, 1000, 50, 1000, 1000}, []float64{1, 1, 1, 0, 1.41, 1.41}},
		{"7.1(wide)", // FL FR FC LFE BL BR FLC FRC
			[]float64{-26, -27, -22, -3, -30, -31, -24, -25}, []float64{1000, 1000, 1000, 50, 1000, 1000, 1000, 1000},
			[]float64{1, 1, 1, 0, 1.41, 1.41, 1, 1}},
		{"quad(side)", // FL FR SL SR
			[]float64{-20, -21, -26, -28}, []float64{1000, 1000, 1000, 1000}, []float64{1, 1, 1.41, 1.41}},
	}
	for _, tt := range surround {
		t.Run(tt.layout, func(t *testing.T) {
			args := sines(10, 48000, tt.freqs, tt.levels)
			args[len(args)-1] += ":c=" + tt.layout
			path := b.synth(t, "surround.wav", append(args, "-c:a", "pcm_s24le")...)
			res, err := b.measure(t, path, contract.LoudnessOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// A 1 kHz sine of peak amplitude a has mean square a²/2, and the
			// K-weighting gain at 1 kHz cancels BS.1770's −0.691 dB offset.
			var sum float64
			for i, l := range tt.levels {
				sum += tt.weights[i] * amplitude(l) * amplitude(l) / 2
			}
			want := 10 * math.Log10(sum)
			if !near(res.IntegratedLUFS, want, 0.1) {
				t.Errorf("integrated_lufs = %s, want %.2f ± 0.1", show(res.IntegratedLUFS), want)
			}
			if diff := cmp.Diff(tt.weights, res.ChannelWeights); diff != "" || res.ChannelLayout != tt.layout || res.Channels != len(tt.levels) {
				t.Errorf("layout %q, %d channels, weights (-want +got):\n%s", res.ChannelLayout, res.Channels, diff)
			}
			// Peaks cover every channel, the LFE included.
			peak := slices.Max(tt.levels)
			if !near(res.SamplePeakDBFS, peak, 0.05) || !near(res.TruePeakDBTP, peak, 0.1) {
				t.Errorf("sample peak %s dBFS, true peak %s dBTP, want the loudest channel's %g", show(res.SamplePeakDBFS), show(res.TruePeakDBTP), peak)
			}
		})
	}

	undefined := []struct {
		name string
		args []string
		// reasons of integrated, max momentary, max short-term, range, sample peak,
		// true peak ("" when defined)
		want [6]string
	}{
		{"Silence", []string{"-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "5"},
			[6]string{"silence", "silence", "silence", "silence", "silence", "silence"}},
		{"300ms", sines(0.3, 48000, []float64{1000, 1000}, []float64{-20, -20}),
			[6]string{"too_short", "too_short", "too_short", "too_short", "", ""}},
		{"BelowGate", sines(5, 48000, []float64{1000, 1000}, []float64{-75, -75}),
			[6]string{"below_gate", "", "", "below_gate", "", ""}},
	}
	for _, tt := range undefined {
		t.Run(tt.name, func(t *testing.T) {
			path := b.synth(t, tt.name+".wav", append(tt.args, "-c:a", "pcm_f32le")...)
			res, err := b.measure(t, path, contract.LoudnessOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := []struct {
				name   string
				v      *float64
				reason string
			}{
				{"integrated_lufs", res.IntegratedLUFS, res.IntegratedReason},
				{"max_momentary_lufs", res.MaxMomentaryLUFS, res.MaxMomentaryReason},
				{"max_short_term_lufs", res.MaxShortTermLUFS, res.MaxShortTermReason},
				{"range_lu", res.RangeLU, res.RangeReason},
				{"sample_peak_dbfs", res.SamplePeakDBFS, res.SamplePeakReason},
				{"true_peak_dbtp", res.TruePeakDBTP, res.TruePeakReason},
			}
			for i, g := range got {
				if g.reason != tt.want[i] || (g.v == nil) != (tt.want[i] != "") {
					t.Errorf("%s = %s with reason %q, want reason %q (null when it has one)", g.name, show(g.v), g.reason, tt.want[i])
				}
			}
			for _, v := range res.Compliance {
				if v.Pass || !strings.Contains(v.Reason, "integrated loudness undefined") {
					t.Errorf("verdict %+v, want a failure for want of integrated loudness", v)
				}
			}
		})
	}
}

// TestMeasureCurve checks the short-term curve option: 2 s of silence, then 4 s of
// a −20 LUFS tone.
func TestMeasureCurve(t *testing.T) {
	b := setup(t)
	path := b.synth(t, "late.wav", "-f", "lavfi", "-i",
		"aevalsrc=if(gte(t\\,2)\\,0.1*sin(2*PI*1000*t)\\,0)|if(gte(t\\,2)\\,0.1*sin(2*PI*1000*t)\\,0):s=48000:d=6", "-c:a", "pcm_f32le")
	tone := 20 * math.Log10(0.1) // LUFS of a stereo 1 kHz sine of that peak amplitude

	res, err := b.measure(t, path, contract.LoudnessOptions{CurveStepS: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := res.ShortTermCurve
	if c == nil || c.StepS != 1 || len(c.LUFS) != 6 {
		t.Fatalf("short_term_curve = %+v, want 6 points 1 s apart", c)
	}
	// Point i is the 3 s window ending at i+1 s, silence before the start included.
	for i, share := range []float64{0, 0, 1.0 / 3, 2.0 / 3, 1, 1} {
		switch {
		case share == 0 && c.LUFS[i] != nil:
			t.Errorf("point %d = %s, want null: its window is silent", i, show(c.LUFS[i]))
		case share > 0 && !near(c.LUFS[i], tone+10*math.Log10(share), 0.1):
			t.Errorf("point %d = %s, want %.2f", i, show(c.LUFS[i]), tone+10*math.Log10(share))
		}
	}

	res, err = b.measure(t, path, contract.LoudnessOptions{CurveStepS: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.ShortTermCurve; c == nil || c.StepS != 0.25 || len(c.LUFS) != 24 {
		t.Errorf("short_term_curve = %+v, want 24 points 0.25 s apart", c)
	}

	res, err = b.measure(t, path, contract.LoudnessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ShortTermCurve != nil {
		t.Errorf("short_term_curve = %+v without curve_step_s, want none", res.ShortTermCurve)
	}
}

// TestMeasureOptions checks the true_peak and targets options.
func TestMeasureOptions(t *testing.T) {
	b := setup(t)
	path := filepath.Join(b.dir, "podcast.wav")
	if err := writeWAV(path, 44100, 2, stereoSine(8, 44100, 1000, -16)); err != nil {
		t.Fatal(err)
	}
	off := false
	tests := []struct {
		name        string
		opts        contract.LoudnessOptions
		wantTargets []string
		wantTP      bool
	}{
		{"Defaults", contract.LoudnessOptions{}, contract.LoudnessTargets(), true},
		{"NoTruePeak", contract.LoudnessOptions{TruePeak: &off}, contract.LoudnessTargets(), false},
		{"TwoTargets", contract.LoudnessOptions{Targets: []string{"podcast", "ebu_r128"}}, []string{"podcast", "ebu_r128"}, true},
		{"NoTargets", contract.LoudnessOptions{Targets: []string{}}, []string{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := b.measure(t, path, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !near(res.IntegratedLUFS, -16, 0.1) {
				t.Errorf("integrated_lufs = %s, want -16", show(res.IntegratedLUFS))
			}
			if got := res.TruePeakDBTP != nil; got != tt.wantTP || !tt.wantTP && res.TruePeakReason != "not_measured" {
				t.Errorf("true_peak_dbtp = %s (%q), want measured: %v", show(res.TruePeakDBTP), res.TruePeakReason, tt.wantTP)
			}
			got := []string{}
			for _, v := range res.Compliance {
				got = append(got, v.Target)
				// Without a true peak, compliance cannot be shown.
				if wantPass := tt.wantTP && v.Target == "podcast"; v.Pass != wantPass {
					t.Errorf("%s: pass = %v (%s), want %v", v.Target, v.Pass, v.Reason, wantPass)
				}
			}
			if diff := cmp.Diff(tt.wantTargets, got); diff != "" {
				t.Errorf("verdict targets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMeasureRejects checks the 4xx answers: bad input, bad options, no object.
func TestMeasureRejects(t *testing.T) {
	b := setup(t)
	text := filepath.Join(b.dir, "notes.mp3")
	if err := os.WriteFile(text, []byte("these are my notes, not a song\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.put(t, "notes.mp3", text)
	wav := filepath.Join(b.dir, "tone.wav")
	if err := writeWAV(wav, 48000, 2, stereoSine(1, 48000, 1000, -20)); err != nil {
		t.Fatal(err)
	}
	b.put(t, "tone.wav", wav)
	request := func(key, options string) map[string]any {
		return map[string]any{"input": map[string]string{"key": key}, "options": json.RawMessage(options)}
	}
	tests := []struct {
		name    string
		req     any
		kind    fault.Kind
		wantMsg string
	}{
		{"TextFile", request("notes.mp3", `{}`), fault.Unsupported, "text file, not audio"},
		{"MissingObject", request("no/such/object", `{}`), fault.NotFound, `"no/such/object" not found`},
		{"NoKey", map[string]any{"input": map[string]string{}}, fault.Invalid, "input.key"},
		{"CurveStepTooSmall", request("tone.wav", `{"curve_step_s":0.01}`), fault.Invalid, "curve_step_s"},
		{"CurveStepNegative", request("tone.wav", `{"curve_step_s":-1}`), fault.Invalid, "curve_step_s"},
		{"UnknownTarget", request("tone.wav", `{"targets":["bbc"]}`), fault.Invalid, `targets: unknown target "bbc"`},
		{"TargetTwice", request("tone.wav", `{"targets":["podcast","podcast"]}`), fault.Invalid, "targets"},
		{"UnknownOption", request("tone.wav", `{"curve":1}`), fault.Invalid, `"curve"`},
		{"WrongType", request("tone.wav", `{"true_peak":"yes"}`), fault.Invalid, "true_peak"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.call(t, tt.req)
			if got := fault.KindOf(err); got != tt.kind {
				t.Fatalf("err = %v (kind %v), want kind %v", err, got, tt.kind)
			}
			if msg := fault.Message(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMsg)
			}
		})
	}
}

// TestMeasureProgress checks that a caller asking for progress hears each stage of
// the work.
func TestMeasureProgress(t *testing.T) {
	b := setup(t)
	path := filepath.Join(b.dir, "long.wav")
	if err := writeWAV(path, 48000, 2, stereoSine(30, 48000, 1000, -20)); err != nil {
		t.Fatal(err)
	}
	b.put(t, "long.wav", path)
	var stages []string
	var res contract.LoudnessResult
	err := endpoint.Call(context.Background(), b.nc, contract.LoudnessSubject,
		contract.LoudnessRequest{Input: contract.ObjectRef{Key: "long.wav"}}, &res,
		endpoint.CallOptions{Heartbeat: time.Second, OnEvent: func(ev endpoint.Event) {
			if ev.Type == "progress" && (len(stages) == 0 || stages[len(stages)-1] != ev.Stage) {
				stages = append(stages, ev.Stage)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"download", "probe", "measure"}, stages); diff != "" {
		t.Errorf("progress stages (-want +got):\n%s", diff)
	}
	if !near(res.IntegratedLUFS, -20, 0.1) {
		t.Errorf("integrated_lufs = %s, want -20", show(res.IntegratedLUFS))
	}
}
