package loudness

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/contract"
)

func TestCurveStep(t *testing.T) {
	const maxPoints = contract.LoudnessCurveMaxPoints
	tests := []struct {
		name   string
		stepS  float64
		header time.Duration
		want   time.Duration
	}{
		{"NoCurve", 0, time.Hour, 0},
		{"Short", 1, time.Minute, time.Second},
		{"RoundedToMillisecond", 0.1234, time.Minute, 123 * time.Millisecond},
		{"UnknownDuration", 0.1, 0, 100 * time.Millisecond},
		{"JustFits", 0.1, maxPoints * 100 * time.Millisecond, 100 * time.Millisecond},
		{"OnePointTooMany", 0.1, (maxPoints + 1) * 100 * time.Millisecond, 200 * time.Millisecond},
		{"TenHours", 0.1, 10 * time.Hour, 900 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := curveStep(tt.stepS, tt.header)
			if got != tt.want {
				t.Fatalf("curveStep(%g, %v) = %v, want %v", tt.stepS, tt.header, got, tt.want)
			}
			if got > 0 && tt.header/got > maxPoints {
				t.Errorf("%v of audio at %v gives %d points, more than %d", tt.header, got, tt.header/got, maxPoints)
			}
		})
	}
}

// TestCurveDecimated checks the curve of an input longer than its header said: it
// is thinned to fit, keeping the points that end on multiples of the wider step.
func TestCurveDecimated(t *testing.T) {
	n := 2*contract.LoudnessCurveMaxPoints + 5
	points := make([]float64, n)
	for i := range points {
		points[i] = -float64(i) / 100 // point i ends at (i+1) steps
		if i%2 == 0 {
			points[i] = math.Inf(-1)
		}
	}
	c := curve(points, 250*time.Millisecond)
	if c.StepS != 0.75 || len(c.LUFS) != n/3 {
		t.Fatalf("curve step %g s with %d points, want 0.75 s and %d", c.StepS, len(c.LUFS), n/3)
	}
	for j, v := range c.LUFS {
		i := 3*j + 2 // ends at 3(j+1) steps
		switch {
		case math.IsInf(points[i], -1) && v != nil:
			t.Fatalf("point %d = %g, want null", j, *v)
		case !math.IsInf(points[i], -1) && (v == nil || *v != round(points[i])):
			t.Fatalf("point %d = %v, want %g", j, v, points[i])
		}
	}
}

// TestResultJSON checks that undefined values marshal as null with a reason, never
// as NaN or infinity (which JSON cannot carry), and that no value reads -0.
func TestResultJSON(t *testing.T) {
	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true, CurveStep: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	m.Write(make([]float32, 2*48000*4)) // 4 s of digital silence
	res := result(m.Result(), Options{})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"integrated", "range", "max_momentary", "max_short_term", "true_peak", "sample_peak"} {
		if got[name+"_reason"] != "silence" {
			t.Errorf("%s_reason = %v, want silence", name, got[name+"_reason"])
		}
	}
	for _, name := range []string{"integrated_lufs", "integrated_gate_lufs", "range_lu", "range_low_lufs", "true_peak_dbtp"} {
		if v, ok := got[name]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", name, v, ok)
		}
	}
	if lufs := got["short_term_curve"].(map[string]any)["lufs"].([]any); len(lufs) != 4 || lufs[3] != nil {
		t.Errorf("curve = %v, want 4 nulls", lufs)
	}
	if r := round(-0.001); math.Signbit(r) {
		t.Errorf("round(-0.001) = -0, want 0")
	}
}
