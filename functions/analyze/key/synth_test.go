package key_test

import (
	"math"
	"math/rand/v2"
)

// Synthetic test signals: additive harmonic tones with known pitches, and noise.

// note is a tone of MIDI pitch midi from start for dur seconds.
type note struct {
	midi       float64
	start, dur float64
}

// render sums notes into a clip of sec seconds at rate Hz. Every note has six
// harmonics of amplitude 1/h, 10 ms attack and release, and sounds detune cents off
// equal temperament at A4 = 440 Hz.
func render(notes []note, sec float64, rate int, detune float64) []float32 {
	out := make([]float32, int(sec*float64(rate)))
	for _, n := range notes {
		f0 := 440 * math.Pow(2, (n.midi-69)/12+detune/1200)
		first := int(n.start * float64(rate))
		last := min(len(out), int((n.start+n.dur)*float64(rate)))
		for i := first; i < last; i++ {
			t := float64(i-first) / float64(rate)
			env := math.Min(1, math.Min(t, n.dur-t)/0.01)
			var v float64
			for h := 1; h <= 6 && float64(h)*f0 < 0.45*float64(rate); h++ {
				v += math.Sin(2*math.Pi*float64(h)*f0*t) / float64(h)
			}
			out[i] += float32(0.08 * env * v)
		}
	}
	return out
}

// chord is a triad given by its root's MIDI pitch and its quality.
type chord struct {
	root  float64
	minor bool
}

// progression voices chords of one second each, repeated to fill sec seconds: the
// triad in the fourth octave and the root two octaves lower, transposed by shift
// semitones.
func progression(chords []chord, sec float64, shift float64) []note {
	var notes []note
	for t := 0.0; t+1 <= sec; t++ {
		c := chords[int(t)%len(chords)]
		third := 4.0
		if c.minor {
			third = 3
		}
		root := c.root + shift
		for _, m := range []float64{root, root + third, root + 7, root - 24} {
			notes = append(notes, note{midi: m, start: t, dur: 0.95})
		}
	}
	return notes
}

// scale plays the major scale up and down from tonic, each step lasting step seconds.
func scale(tonic float64, step float64) ([]note, float64) {
	steps := []float64{0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2, 0}
	notes := make([]note, len(steps))
	for i, s := range steps {
		notes[i] = note{midi: tonic + s, start: float64(i) * step, dur: step * 0.95}
	}
	return notes, float64(len(steps)) * step
}

// whiteNoise returns sec seconds of uniform white noise at −13 dBFS RMS.
func whiteNoise(sec float64, rate int) []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]float32, int(sec*float64(rate)))
	for i := range out {
		out[i] = float32(0.4 * (2*rng.Float64() - 1))
	}
	return out
}

// colouredNoise returns sec seconds of white noise through a one-pole low-pass with
// pole a: a = 0.9 tilts the spectrum like pink noise over the analysed band, 0.98
// makes it brown (−6 dB/octave above 140 Hz).
func colouredNoise(sec float64, rate int, a float64) []float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([]float32, int(sec*float64(rate)))
	var y float64
	for i := range out {
		y = a*y + (1-a)*(2*rng.Float64()-1)
		out[i] = float32(y)
	}
	return out
}

// drums returns sec seconds of a drum pattern: a noise burst decaying in 50 ms on
// every eighth note at 120 BPM, and on every beat a kick whose pitch glides from
// 150 Hz down to 50 Hz.
func drums(sec float64, rate int) []float32 {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]float32, int(sec*float64(rate)))
	for i := range out {
		t := float64(i) / float64(rate)
		tb := math.Mod(t, 0.25)
		hit := 0.5 * math.Exp(-tb/0.05) * (2*rng.Float64() - 1)
		tk := math.Mod(t, 0.5)
		phase := 2 * math.Pi * (50*tk + 100*0.03*(1-math.Exp(-tk/0.03)))
		kick := 0.7 * math.Exp(-tk/0.15) * math.Sin(phase)
		out[i] = float32(hit + kick)
	}
	return out
}
