package key_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
)

var (
	// I–IV–V–I in C major and i–iv–V–i in A minor (harmonic minor's major V).
	cadenceMajor = []chord{{root: 60}, {root: 65}, {root: 67}, {root: 60}}
	cadenceMinor = []chord{{root: 57, minor: true}, {root: 62, minor: true}, {root: 64}, {root: 57, minor: true}}
)

func TestEstimateKey(t *testing.T) {
	cMajorScale, scaleSec := scale(60, 0.4)
	tests := []struct {
		name   string
		notes  []note
		sec    float64
		rate   int
		detune float64 // cents
		want   string
	}{
		{"C major cadence", progression(cadenceMajor, 8, 0), 8, 44100, 0, "C major"},
		{"A minor cadence", progression(cadenceMinor, 8, 0), 8, 44100, 0, "A minor"},
		{"F# major cadence", progression(cadenceMajor, 8, 6), 8, 44100, 0, "F# major"},
		{"Eb major cadence", progression(cadenceMajor, 8, 3), 8, 44100, 0, "Eb major"},
		{"Eb minor cadence", progression(cadenceMinor, 8, 6), 8, 44100, 0, "Eb minor"},
		{"F# minor cadence", progression(cadenceMinor, 8, -3), 8, 44100, 0, "F# minor"},
		{"F# major cadence +30 cents", progression(cadenceMajor, 8, 6), 8, 44100, 30, "F# major"},
		{"Eb minor cadence +30 cents", progression(cadenceMinor, 8, 6), 8, 44100, 30, "Eb minor"},
		{"C major cadence −45 cents", progression(cadenceMajor, 8, 0), 8, 44100, -45, "C major"},
		{"A minor cadence +45 cents", progression(cadenceMinor, 8, 0), 8, 44100, 45, "A minor"},
		{"C major scale", cMajorScale, scaleSec, 44100, 0, "C major"},
		{"A minor cadence at 8 kHz", progression(cadenceMinor, 8, 0), 8, 8000, 0, "A minor"},
		{"A minor cadence at 22.05 kHz", progression(cadenceMinor, 8, 0), 8, 22050, 0, "A minor"},
		{"Eb major cadence at 48 kHz", progression(cadenceMajor, 8, 3), 8, 48000, 0, "Eb major"},
		{"Eb major cadence at 96 kHz", progression(cadenceMajor, 8, 3), 8, 96000, 0, "Eb major"},
		{"F# minor cadence at 192 kHz", progression(cadenceMinor, 8, -3), 8, 192000, 0, "F# minor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := key.Estimate(render(tt.notes, tt.sec, tt.rate, tt.detune), tt.rate, key.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Label != tt.want {
				t.Errorf("Label = %q, want %q (result %+v)", res.Label, tt.want, res)
			}
			if res.Reason != "" {
				t.Errorf("Reason = %q, want none", res.Reason)
			}
			if math.Abs(res.TuningCents-tt.detune) > 3 {
				t.Errorf("TuningCents = %.1f, want %.0f ± 3", res.TuningCents, tt.detune)
			}
			if res.RunnerUp == nil || res.RunnerUp.Label == res.Label || res.RunnerUp.Score > res.Score {
				t.Errorf("RunnerUp = %+v, want another key scoring at most %.3f", res.RunnerUp, res.Score)
			}
			if res.Confidence <= 0 || res.Confidence > 1 {
				t.Errorf("Confidence = %v, want in (0, 1]", res.Confidence)
			}
			k, ok := res.Key()
			if !ok || k.String() != res.Label || k.Camelot() != res.Camelot || k.OpenKey() != res.OpenKey || k.TonicName() != res.Tonic || k.Mode != res.Mode {
				t.Errorf("Key() = %v, %v; inconsistent with %+v", k, ok, res)
			}
		})
	}
}

func TestEstimateNoKey(t *testing.T) {
	const rate = 44100
	tone := make([]float32, 5*rate)
	for i := range tone {
		tone[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/rate))
	}
	var cluster []note // all twelve semitones at once
	for m := 60.0; m < 72; m++ {
		cluster = append(cluster, note{midi: m, start: 0, dur: 5})
	}
	tests := []struct {
		name    string
		samples []float32
		want    key.Reason
	}{
		{"empty", nil, key.ReasonTooShort},
		{"half a second", render(progression(cadenceMajor, 1, 0), 0.5, rate, 0), key.ReasonTooShort},
		{"silence", make([]float32, 5*rate), key.ReasonSilence},
		{"quiet hiss at −90 dBFS", scaled(whiteNoise(5, rate), 1e-4), key.ReasonSilence},
		{"white noise 1.5 s", whiteNoise(1.5, rate), key.ReasonUnpitched},
		{"white noise 20 s", whiteNoise(20, rate), key.ReasonUnpitched},
		{"pinkish noise 5 s", colouredNoise(5, rate, 0.9), key.ReasonUnpitched},
		{"brown noise 2 s", colouredNoise(2, rate, 0.98), key.ReasonUnpitched},
		{"brown noise 20 s", colouredNoise(20, rate, 0.98), key.ReasonUnpitched},
		{"drums 4 s", drums(4, rate), key.ReasonUnpitched},
		{"drums 20 s", drums(20, rate), key.ReasonUnpitched},
		{"pure tone", tone, key.ReasonNoTonalCentre},
		{"chromatic cluster", render(cluster, 5, rate, 0), key.ReasonNoTonalCentre},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := key.Estimate(tt.samples, rate, key.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reason != tt.want {
				t.Errorf("Reason = %q, want %q (result %+v)", res.Reason, tt.want, res)
			}
			if res.Label != "" || res.Tonic != "" || res.Mode != "" || res.Camelot != "" || res.OpenKey != "" || res.RunnerUp != nil {
				t.Errorf("result names a key: %+v", res)
			}
			if _, ok := res.Key(); ok {
				t.Error("Key() ok = true, want false")
			}
		})
	}
}

func scaled(x []float32, g float32) []float32 {
	for i := range x {
		x[i] *= g
	}
	return x
}

func TestEstimateErrors(t *testing.T) {
	clip := render(progression(cadenceMajor, 2, 0), 2, 44100, 0)
	bad := append([]float32(nil), clip...)
	bad[len(bad)/2] = float32(math.NaN())
	tests := []struct {
		name    string
		samples []float32
		rate    int
		opts    key.Options
		wantErr error
	}{
		{"rate too low", clip, 7999, key.Options{}, key.ErrSampleRate},
		{"rate too high", clip, 192001, key.Options{}, key.ErrSampleRate},
		{"unknown profile", clip, 44100, key.Options{Profile: "bach"}, key.ErrUnknownProfile},
		{"NaN sample", bad, 44100, key.Options{}, key.ErrNonFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := key.Estimate(tt.samples, tt.rate, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestEstimateProfiles(t *testing.T) {
	clip := render(progression(cadenceMinor, 8, 0), 8, 44100, 0)
	for _, p := range []key.Profile{"", key.ProfileCorpus, key.ProfileKrumhansl, key.ProfileTemperley, key.ProfileAarden, key.ProfileAlbrecht, key.ProfileShaath, key.ProfileEDMA} {
		t.Run(string(p), func(t *testing.T) {
			res, err := key.Estimate(clip, 44100, key.Options{Profile: p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Label != "A minor" {
				t.Errorf("Label = %q, want %q", res.Label, "A minor")
			}
		})
	}
}

func TestEstimateDeterministic(t *testing.T) {
	clip := render(progression(cadenceMajor, 6, 3), 6, 48000, 12)
	first, err := key.Estimate(clip, 48000, key.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := key.Estimate(clip, 48000, key.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("second estimate %+v differs from first %+v", again, first)
		}
	}
}

func TestEstimateConcurrent(t *testing.T) {
	clip := render(progression(cadenceMinor, 4, 2), 4, 44100, -20)
	want, err := key.Estimate(clip, 44100, key.Options{})
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan key.Result, 4)
	for range cap(results) {
		go func() {
			res, _ := key.Estimate(clip, 44100, key.Options{})
			results <- res
		}()
	}
	for range cap(results) {
		if got := <-results; !reflect.DeepEqual(got, want) {
			t.Errorf("concurrent estimate %+v differs from %+v", got, want)
		}
	}
}

func TestResultJSON(t *testing.T) {
	res, err := key.Estimate(render(progression(cadenceMinor, 6, -3), 6, 44100, 0), 44100, key.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"tonic":"F#"`, `"mode":"minor"`, `"label":"F# minor"`, `"camelot":"11A"`, `"open_key":"4m"`, `"score":`, `"confidence":`, `"runner_up":{"label":`, `"tuning_cents":`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("JSON %s lacks %s", b, field)
		}
	}
	if strings.Contains(string(b), `"reason"`) {
		t.Errorf("JSON %s has a reason for a keyed result", b)
	}
	var back key.Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, res) {
		t.Errorf("round trip = %+v, want %+v", back, res)
	}

	none, err := key.Estimate(make([]float32, 44100*2), 44100, key.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(none)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"score":0,"confidence":0,"tuning_cents":0,"reason":"silence"}`; got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}
