package tempo_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
)

func TestEstimateClickTracks(t *testing.T) {
	tests := []struct {
		name        string
		bpm         float64
		beatsPerBar int
		sub         int // clicks per beat
	}{
		{"70 BPM 4/4", 70, 4, 1},
		{"90 BPM 4/4", 90, 4, 1},
		{"120 BPM 4/4 eighths", 120, 4, 2},
		{"128 BPM 4/4 sixteenths", 128, 4, 4},
		{"150 BPM 4/4 eighths", 150, 4, 2},
		{"174 BPM 4/4 eighths", 174, 4, 2},
		{"85 BPM 6/8", 85, 2, 3},
		{"100 BPM 6/8", 100, 2, 3},
		{"125 BPM 6/8", 125, 2, 3},
		{"104 BPM 3/4", 104, 3, 1},
		{"100 BPM 3/4 eighths", 100, 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := clickTrack(44100, 20, tt.bpm, tt.beatsPerBar, tt.sub, 1)
			res, err := tempo.Estimate(x, 44100, tempo.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := res.Tempo()
			if !ok {
				t.Fatalf("no tempo (reason %q), want %g BPM", res.Reason, tt.bpm)
			}
			if math.Abs(got/tt.bpm-1) > 0.01 {
				t.Errorf("BPM = %g, want %g", got, tt.bpm)
			}
			if res.Confidence < 0.5 || res.Confidence > 1 {
				t.Errorf("Confidence = %.3f, want in [0.5, 1] for a click track", res.Confidence)
			}
			if len(res.Curve) != 0 {
				t.Errorf("Curve = %v, want empty for a steady tempo", res.Curve)
			}
			checkBeats(t, res.Beats, 0.1, 60/tt.bpm, 20)
		})
	}
}

// checkBeats asserts that beats fall on the clicks of a metronome starting at
// first with the given period, and that they cover the input.
func checkBeats(t *testing.T, beats []float64, first, period, seconds float64) {
	t.Helper()
	if want := int(seconds/period) - 2; len(beats) < want {
		t.Fatalf("%d beats, want at least %d", len(beats), want)
	}
	for _, b := range beats {
		k := math.Round((b - first) / period)
		if off := b - (first + k*period); math.Abs(off) > 0.03 {
			t.Errorf("beat at %.3f s is %.0f ms from the nearest click", b, off*1000)
		}
	}
	if !sort.Float64sAreSorted(beats) {
		t.Errorf("beats not in order: %v", beats)
	}
}

func TestEstimateSampleRates(t *testing.T) {
	for _, rate := range []int{8000, 11025, 22050, 32000, 44100, 48000, 96000, 192000} {
		t.Run(strconv.Itoa(rate), func(t *testing.T) {
			x := clickTrack(rate, 12, 120, 4, 2, 2)
			res, err := tempo.Estimate(x, rate, tempo.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := res.Tempo(); !ok || math.Abs(got-120) > 1.2 {
				t.Errorf("BPM = %v (ok %v), want 120", got, ok)
			}
		})
	}
}

func TestEstimateTempoChange(t *testing.T) {
	t.Run("Ramp", func(t *testing.T) {
		// 100 → 130 BPM over 30 s.
		x := tempoClicks(44100, 30, func(s float64) float64 { return 100 + s }, 4, 2, 3)
		res, err := tempo.Estimate(x, 44100, tempo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Curve
		if len(c) < 3 {
			t.Fatalf("Curve = %v, want a tempo curve", c)
		}
		for _, p := range c {
			if want := 100 + p.TimeS; math.Abs(p.BPM/want-1) > 0.06 {
				t.Errorf("curve at %.1f s = %.1f BPM, want about %.1f", p.TimeS, p.BPM, want)
			}
		}
		if got, _ := res.Tempo(); got < 105 || got > 125 {
			t.Errorf("BPM = %g, want the middle of 100–130", got)
		}
	})
	t.Run("Step", func(t *testing.T) {
		step := func(s float64) float64 {
			if s < 15 {
				return 100
			}
			return 125
		}
		x := tempoClicks(44100, 30, step, 4, 1, 4)
		res, err := tempo.Estimate(x, 44100, tempo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Curve
		if len(c) < 3 {
			t.Fatalf("Curve = %v, want a tempo curve", c)
		}
		if first, last := c[0].BPM, c[len(c)-1].BPM; math.Abs(first-100) > 2 || math.Abs(last-125) > 2 {
			t.Errorf("curve from %.1f to %.1f BPM, want 100 to 125", first, last)
		}
	})
}

func TestEstimateNoTempo(t *testing.T) {
	noise := func(seconds float64, seed uint64) []float32 {
		r := rand.New(rand.NewPCG(seed, 5))
		x := make([]float32, int(seconds*44100))
		for i := range x {
			x[i] = float32(0.1 * r.NormFloat64())
		}
		return x
	}
	sine := make([]float32, 20*44100)
	for i := range sine {
		sine[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/44100))
	}
	tests := []struct {
		name string
		in   []float32
		want tempo.Reason
	}{
		{"Silence", make([]float32, 10*44100), tempo.ReasonSilent},
		{"WhiteNoise1", noise(10, 1), tempo.ReasonArrhythmic},
		{"WhiteNoise2", noise(20, 2), tempo.ReasonArrhythmic},
		{"WhiteNoise3", noise(30, 3), tempo.ReasonArrhythmic},
		{"Sine", sine, tempo.ReasonNoOnsets},
		{"Short", clickTrack(44100, 2, 120, 4, 1, 1), tempo.ReasonTooShort},
		{"Empty", nil, tempo.ReasonTooShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tempo.Estimate(tt.in, 44100, tempo.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if bpm, ok := res.Tempo(); ok {
				t.Errorf("BPM = %g, want none", bpm)
			}
			if res.Reason != tt.want {
				t.Errorf("Reason = %q, want %q", res.Reason, tt.want)
			}
			if len(res.Beats) != 0 || len(res.Curve) != 0 {
				t.Errorf("%d beats and %d curve points, want none", len(res.Beats), len(res.Curve))
			}
		})
	}
}

func TestEstimateErrors(t *testing.T) {
	x := clickTrack(44100, 5, 120, 4, 1, 1)
	nan := append([]float32(nil), x...)
	nan[100] = float32(math.NaN())
	tests := []struct {
		name string
		in   []float32
		rate int
		opts tempo.Options
		want error
	}{
		{"RateTooLow", x, 4000, tempo.Options{}, tempo.ErrSampleRate},
		{"RateTooHigh", x, 384000, tempo.Options{}, tempo.ErrSampleRate},
		{"NaN", nan, 44100, tempo.Options{}, tempo.ErrNonFinite},
		{"NarrowRange", x, 44100, tempo.Options{MinBPM: 100, MaxBPM: 150}, tempo.ErrOptions},
		{"NegativeMin", x, 44100, tempo.Options{MinBPM: -1}, tempo.ErrOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tempo.Estimate(tt.in, tt.rate, tt.opts); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestEstimateOptionsRange(t *testing.T) {
	x := clickTrack(44100, 20, 150, 4, 1, 1)
	res, err := tempo.Estimate(x, 44100, tempo.Options{MinBPM: 40, MaxBPM: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := res.Tempo(); !ok || math.Abs(got-75) > 1 {
		t.Errorf("BPM = %v (ok %v), want 75: the half of 150 inside 40–100", got, ok)
	}
}

func TestEstimateDeterministicAndLevelInvariant(t *testing.T) {
	x := musicLike(44100, 15, 97)
	a, err := tempo.Estimate(x, 44100, tempo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tempo.Estimate(x, 44100, tempo.Options{})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs differ:\n%+v\n%+v", a, b)
	}
	quiet := make([]float32, len(x))
	for i, v := range x {
		quiet[i] = v / 100 // -40 dB
	}
	c, _ := tempo.Estimate(quiet, 44100, tempo.Options{})
	want, _ := a.Tempo()
	if got, ok := c.Tempo(); !ok || math.Abs(got-want) > 0.2 {
		t.Errorf("at -40 dB BPM = %v (ok %v), want %v", got, ok, want)
	}
}

func TestResultJSON(t *testing.T) {
	res, err := tempo.Estimate(clickTrack(44100, 10, 120, 4, 1, 1), 44100, tempo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fields := jsonFields(t, res)
	for _, k := range []string{"bpm", "confidence", "beats_s"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON %v lacks %q", fields, k)
		}
	}
	none, _ := tempo.Estimate(make([]float32, 44100*5), 44100, tempo.Options{})
	fields = jsonFields(t, none)
	if _, ok := fields["bpm"]; ok {
		t.Errorf("JSON %v has a bpm for silence", fields)
	}
	if fields["reason"] != string(tempo.ReasonSilent) {
		t.Errorf("JSON reason = %v, want %q", fields["reason"], tempo.ReasonSilent)
	}
}

func jsonFields(t *testing.T, r tempo.Result) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEstimateShortInput(t *testing.T) {
	for _, seconds := range []float64{tempo.MinDuration, 4, 6} {
		t.Run(strconv.FormatFloat(seconds, 'g', -1, 64)+"s", func(t *testing.T) {
			x := clickTrack(44100, seconds, 120, 4, 2, 5)
			res, err := tempo.Estimate(x, 44100, tempo.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := res.Tempo(); !ok || math.Abs(got-120) > 1.2 {
				t.Errorf("BPM = %v (ok %v, reason %q), want 120", got, ok, res.Reason)
			}
		})
	}
}
