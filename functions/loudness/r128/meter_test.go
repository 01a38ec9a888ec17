package r128_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

// tone returns seconds of a sine of freq Hz and peak level dBFS on the channels
// listed in on (all channels when on is empty), with 10 ms raised-cosine fades
// when fade is set.
func tone(rate, channels int, seconds, freq, dBFS, phase float64, fade bool, on ...int) []float32 {
	n := int(math.Round(seconds * float64(rate)))
	x := make([]float32, n*channels)
	a := math.Pow(10, dBFS/20)
	fl := rate / 100
	if len(on) == 0 {
		for c := range channels {
			on = append(on, c)
		}
	}
	for i := range n {
		g := a
		if fade && i < fl {
			g *= 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(fl))
		} else if fade && n-1-i < fl {
			g *= 0.5 - 0.5*math.Cos(math.Pi*float64(n-1-i)/float64(fl))
		}
		v := float32(g * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)+phase))
		for _, c := range on {
			x[i*channels+c] = v
		}
	}
	return x
}

func measure(tb testing.TB, cfg r128.Config, chunks ...[]float32) r128.Result {
	tb.Helper()
	m, err := r128.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range chunks {
		m.Write(c)
	}
	return m.Result()
}

func TestUndefined(t *testing.T) {
	stereo := r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true}
	type reasons struct{ I, LRA, M, S, TP, SP r128.Reason }
	const (
		none     = r128.Reason("")
		short    = r128.ReasonTooShort
		silence  = r128.ReasonSilence
		belowGat = r128.ReasonBelowGate
	)
	tests := []struct {
		name  string
		cfg   r128.Config
		input []float32
		want  reasons
	}{
		{"Empty", stereo, nil, reasons{short, short, short, short, short, short}},
		{"Silence", stereo, make([]float32, 2*48000*5), reasons{silence, silence, silence, silence, silence, silence}},
		{"ShortSilence", stereo, make([]float32, 2*4800), reasons{short, short, short, short, silence, silence}},
		{"Tone300ms", stereo, tone(48000, 2, 0.3, 1000, -23, 0, false), reasons{short, short, short, short, none, none}},
		{"Tone2s", stereo, tone(48000, 2, 2, 1000, -23, 0, false), reasons{none, short, none, short, none, none}},
		{"BelowGate", stereo, tone(48000, 2, 5, 1000, -85, 0, false), reasons{belowGat, belowGat, none, none, none, none}},
		{"OnlyLFE", r128.Config{SampleRate: 48000, Channels: 6, Layout: "5.1", TruePeak: true},
			tone(48000, 6, 5, 60, -10, 0, false, 3), reasons{silence, silence, silence, silence, none, none}},
		{"NoTruePeak", r128.Config{SampleRate: 48000, Channels: 2}, tone(48000, 2, 5, 1000, -23, 0, false),
			reasons{none, none, none, none, r128.ReasonNotMeasured, none}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := measure(t, tt.cfg, tt.input)
			got := reasons{r.Integrated.Reason, r.LRA.Reason, r.MomentaryMax.Reason, r.ShortTermMax.Reason, r.TruePeak.Reason, r.SamplePeak.Reason}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			for name, l := range map[string]r128.Level{"I": r.Integrated, "LRA": r.LRA, "M": r.MomentaryMax,
				"S": r.ShortTermMax, "TP": r.TruePeak, "SP": r.SamplePeak} {
				if math.IsNaN(l.Value) {
					t.Errorf("%s is NaN", name)
				}
				if !l.Defined() && !math.IsInf(l.Value, -1) {
					t.Errorf("undefined %s = %v, want -Inf", name, l.Value)
				}
			}
			for name, v := range map[string]float64{"IntegratedThreshold": r.IntegratedThreshold,
				"LRALow": r.LRALow, "LRAHigh": r.LRAHigh, "LRAThreshold": r.LRAThreshold} {
				if math.IsNaN(v) {
					t.Errorf("%s is NaN", name)
				}
			}
		})
	}
}

// TestSine checks a −23 dBFS 1 kHz sine at several rates: −23.0 LUFS in stereo (by
// construction of BS.1770), 3.01 LU less in mono.
func TestSine(t *testing.T) {
	for _, rate := range []int{22050, 32000, 44100, 48000, 88200, 96000, 192000} {
		for _, ch := range []int{1, 2} {
			want := -23.0
			if ch == 1 {
				want -= 10 * math.Log10(2)
			}
			t.Run(fmt.Sprintf("%d/%s", rate, map[int]string{1: "mono", 2: "stereo"}[ch]), func(t *testing.T) {
				r := measure(t, r128.Config{SampleRate: rate, Channels: ch, TruePeak: true}, tone(rate, ch, 10, 1000, -23, 0, false))
				for name, got := range map[string]float64{"Integrated": r.Integrated.Value, "MomentaryMax": r.MomentaryMax.Value,
					"ShortTermMax": r.ShortTermMax.Value, "LRALow": r.LRALow, "LRAHigh": r.LRAHigh} {
					if math.Abs(got-want) > 0.05 {
						t.Errorf("%s = %.3f LUFS, want %.2f ± 0.05", name, got, want)
					}
				}
				if math.Abs(r.LRA.Value) > 0.05 {
					t.Errorf("LRA = %.3f LU, want 0", r.LRA.Value)
				}
				if math.Abs(r.SamplePeak.Value+23) > 0.01 {
					t.Errorf("SamplePeak = %.3f dBFS, want -23", r.SamplePeak.Value)
				}
				if tp := r.TruePeak.Value; tp < -23.01 || tp > -22.95 {
					t.Errorf("TruePeak = %.3f dBTP, want -23 (+0.05/−0.01)", tp)
				}
				if r.Frames != int64(10*rate) || r.Duration != 10*time.Second {
					t.Errorf("Frames, Duration = %d, %v, want %d, 10s", r.Frames, r.Duration, 10*rate)
				}
			})
		}
	}
}

// TestChannelWeights plays a tone in one channel at a time and checks its loudness
// against the same tone in the front left channel.
func TestChannelWeights(t *testing.T) {
	const s = 1.41 // BS.1770-4 surround weight
	tests := []struct {
		layout string
		want   []float64
	}{
		{"5.1", []float64{1, 1, 1, 0, s, s}},
		{"5.1(side)", []float64{1, 1, 1, 0, s, s}},
		{"", []float64{1, 1, 1, 0, s, s}},
		{"7.1", []float64{1, 1, 1, 0, 1, 1, s, s}},
		{"quad", []float64{1, 1, s, s}},
	}
	for _, tt := range tests {
		t.Run(tt.layout, func(t *testing.T) {
			n := len(tt.want)
			cfg := r128.Config{SampleRate: 48000, Channels: n, Layout: tt.layout}
			ref := measure(t, cfg, tone(48000, n, 5, 1000, -20, 0, false, 0)).Integrated.Value
			for c, w := range tt.want {
				r := measure(t, cfg, tone(48000, n, 5, 1000, -20, 0, false, c))
				if w == 0 {
					if r.Integrated.Reason != r128.ReasonSilence {
						t.Errorf("channel %d: Integrated = %v, want undefined (silence)", c, r.Integrated)
					}
					continue
				}
				if got, want := r.Integrated.Value-ref, 10*math.Log10(w); math.Abs(got-want) > 1e-3 {
					t.Errorf("channel %d: %+.4f LU relative to channel 0, want %+.4f", c, got, want)
				}
			}
		})
	}
}

// noise returns seconds of stereo noise whose level steps every half second, with
// silent stretches, at 48 kHz.
func noise(seconds float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	n := int(seconds * 48000)
	x := make([]float32, 2*n)
	g := 0.0
	for i := range n {
		if i%24000 == 0 {
			g = []float64{0, 0.01, 0.1, 0.5, 0.9}[rng.IntN(5)]
		}
		x[2*i] = float32(g * rng.NormFloat64() / 3)
		x[2*i+1] = float32(g * rng.NormFloat64() / 3)
	}
	return x
}

// chunked splits x into chunks whose sizes next returns.
func chunked(x []float32, next func() int) [][]float32 {
	var cs [][]float32
	for len(x) > 0 {
		n := min(next(), len(x))
		cs = append(cs, x[:n])
		x = x[n:]
	}
	return cs
}

// TestChunkingIndependence checks that results are identical, bit for bit, however
// the stream is cut, including cuts inside frames.
func TestChunkingIndependence(t *testing.T) {
	x := noise(7.3, 1)
	cfg := r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true, CurveStep: 10 * time.Millisecond}
	want := measure(t, cfg, x)
	if !want.Integrated.Defined() || len(want.Curve.ShortTerm) != 730 {
		t.Fatalf("reference: Integrated %v, %d curve points, want defined and 730", want.Integrated, len(want.Curve.ShortTerm))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name string
		size func() int
	}{
		{"1", func() int { return 1 }},
		{"3", func() int { return 3 }},
		{"4096", func() int { return 4096 }},
		{"Random", func() int { return 1 + rng.IntN(10000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := measure(t, cfg, chunked(x, tt.size)...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result differs from a single Write (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNonFinite checks that NaN and ±Inf samples are measured as zeros and counted.
func TestNonFinite(t *testing.T) {
	cfg := r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true}
	zeroed := tone(48000, 2, 5, 1000, -23, 0, false)
	bad := slices.Clone(zeroed)
	for i, v := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		zeroed[100000*i+1], bad[100000*i+1] = 0, v
	}
	want := measure(t, cfg, zeroed)
	want.NonFinite = 3
	got := measure(t, cfg, bad)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result with NaN/Inf differs from zeros there (-want +got):\n%s", diff)
	}
}

func TestNewInvalid(t *testing.T) {
	tests := []struct {
		name string
		cfg  r128.Config
		want error
	}{
		{"RateLow", r128.Config{SampleRate: 3999, Channels: 2}, r128.ErrInvalidConfig},
		{"RateHigh", r128.Config{SampleRate: 768001, Channels: 2}, r128.ErrInvalidConfig},
		{"NoChannels", r128.Config{SampleRate: 48000}, r128.ErrInvalidConfig},
		{"TooManyChannels", r128.Config{SampleRate: 48000, Channels: r128.MaxChannels + 1}, r128.ErrInvalidConfig},
		{"CurveStepTiny", r128.Config{SampleRate: 48000, Channels: 2, CurveStep: time.Microsecond}, r128.ErrInvalidConfig},
		{"CurveStepNegative", r128.Config{SampleRate: 48000, Channels: 2, CurveStep: -time.Second}, r128.ErrInvalidConfig},
		{"LayoutMismatch", r128.Config{SampleRate: 48000, Channels: 2, Layout: "5.1"}, r128.ErrInvalidConfig},
		{"LayoutUnknown", r128.Config{SampleRate: 48000, Channels: 2, Layout: "ambisonic 1"}, r128.ErrUnknownLayout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := r128.New(tt.cfg)
			if !errors.Is(err, tt.want) || m != nil {
				t.Errorf("New(%+v) = %v, %v; want nil, %v", tt.cfg, m, err, tt.want)
			}
		})
	}
}

// TestCurve checks curve points against the windows' analytic loudness for a tone
// that starts with the stream: partial windows count the time before the start as
// silence.
func TestCurve(t *testing.T) {
	r := measure(t, r128.Config{SampleRate: 44100, Channels: 2, CurveStep: 100 * time.Millisecond},
		tone(44100, 2, 5, 1000, -23, 0, false))
	if len(r.Curve.Momentary) != 50 || len(r.Curve.ShortTerm) != 50 || r.Curve.Step != 100*time.Millisecond {
		t.Fatalf("curve: %d, %d points, step %v; want 50, 50, 100ms", len(r.Curve.Momentary), len(r.Curve.ShortTerm), r.Curve.Step)
	}
	tests := []struct {
		name  string
		curve []float64
		i     int
		want  float64
	}{
		{"Momentary0.1s", r.Curve.Momentary, 0, -23 + 10*math.Log10(0.1/0.4)},
		{"Momentary0.4s", r.Curve.Momentary, 3, -23},
		{"Momentary5s", r.Curve.Momentary, 49, -23},
		{"ShortTerm1s", r.Curve.ShortTerm, 9, -23 + 10*math.Log10(1.0/3)},
		{"ShortTerm3s", r.Curve.ShortTerm, 29, -23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.curve[tt.i]; math.Abs(got-tt.want) > 0.05 {
				t.Errorf("point %d = %.3f LUFS, want %.3f", tt.i, got, tt.want)
			}
		})
	}
}

// TestCurveSilenceAfterLoud checks that windows of digital silence read −Inf after
// loud programme, with no residue of the loud part once the K-weighting filter's own
// decay (below −600 dBFS within a second) is over.
func TestCurveSilenceAfterLoud(t *testing.T) {
	x := append(tone(48000, 2, 2, 1000, -1, 0, false), make([]float32, 2*48000*5)...)
	r := measure(t, r128.Config{SampleRate: 48000, Channels: 2, CurveStep: time.Millisecond}, x)
	for _, c := range []struct {
		name  string
		curve []float64
		from  int // first point whose window starts 1 s after the tone
	}{{"Momentary", r.Curve.Momentary, 3400}, {"ShortTerm", r.Curve.ShortTerm, 6000}} {
		for i, v := range c.curve[c.from:] {
			if !math.IsInf(v, -1) {
				t.Errorf("%s at %v = %v LUFS, want -Inf", c.name, time.Duration(c.from+i+1)*time.Millisecond, v)
				break
			}
		}
	}
}

// TestMomentaryMaxAnyOffset places a 400 ms tone at arbitrary sample offsets: the
// maximum momentary loudness must catch it wherever it starts (EBU Tech 3341 case
// 13 tests multiples of 20 ms only), here to ±0.02 LU.
func TestMomentaryMaxAnyOffset(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 12 {
		off := rng.IntN(48000)
		t.Run(time.Duration(off*int(time.Second)/48000).String(), func(t *testing.T) {
			x := append(make([]float32, 2*off), tone(48000, 2, 0.4, 1000, -23, 0, false)...)
			x = append(x, make([]float32, 2*48000)...)
			r := measure(t, r128.Config{SampleRate: 48000, Channels: 2}, x)
			if got := r.MomentaryMax.Value; math.Abs(got+23) > 0.02 {
				t.Errorf("MomentaryMax = %.4f LUFS, want -23 ± 0.02", got)
			}
		})
	}
}

// TestTruePeakSines checks the true peak of faded sines up to 0.4·fs: never above
// the sine's peak by more than the interpolator's ripple, and never below it by more
// than 4× oversampling can miss, cos(π·f/(4·fs)).
func TestTruePeakSines(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, f := range []float64{997, 4999, 9973, 12000, 15013, 19001} {
		for range 4 {
			phase := rng.Float64() * 2 * math.Pi
			r := measure(t, r128.Config{SampleRate: 48000, Channels: 1, TruePeak: true}, tone(48000, 1, 0.5, f, -6, phase, true))
			miss := 20 * math.Log10(math.Cos(math.Pi*f/48000/4))
			if got := r.TruePeak.Value; got > -6+0.06 || got < -6+miss-0.06 {
				t.Errorf("%.0f Hz, phase %.2f: TruePeak = %.3f dBTP, want [%.3f, %.3f]", f, phase, got, -6+miss-0.06, -6+0.06)
			}
			if r.TruePeak.Value < r.SamplePeak.Value {
				t.Errorf("%.0f Hz: TruePeak %.3f below SamplePeak %.3f", f, r.TruePeak.Value, r.SamplePeak.Value)
			}
		}
	}
}

// TestWriteDoesNotAllocate checks that memory stays flat however long the input:
// without a curve, Write allocates nothing.
func TestWriteDoesNotAllocate(t *testing.T) {
	m, err := r128.New(r128.Config{SampleRate: 44100, Channels: 6, Layout: "5.1", TruePeak: true})
	if err != nil {
		t.Fatal(err)
	}
	chunk := noise(1, 3)[:6*7001] // a chunk that splits frames
	if n := testing.AllocsPerRun(20, func() { m.Write(chunk) }); n != 0 {
		t.Errorf("Write allocates %v times per call, want 0", n)
	}
}
