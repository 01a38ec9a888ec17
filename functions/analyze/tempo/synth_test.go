package tempo_test

import (
	"math"
	"math/rand/v2"
)

// clickTrack synthesises seconds of a metronome at bpm: a short decaying
// noise burst with a pitched body on every beat, the first beat of each bar
// of beatsPerBar louder and lower. sub > 1 adds softer clicks that divide
// each beat into sub parts.
func clickTrack(rate int, seconds, bpm float64, beatsPerBar, sub int, seed uint64) []float32 {
	return tempoClicks(rate, seconds, func(float64) float64 { return bpm }, beatsPerBar, sub, seed)
}

// tempoClicks is clickTrack with a tempo that varies with time (seconds).
func tempoClicks(rate int, seconds float64, bpmAt func(t float64) float64, beatsPerBar, sub int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float32, int(seconds*float64(rate)))
	t, beat := 0.1, 0
	for t < seconds {
		period := 60 / bpmAt(t)
		for s := range sub {
			gain, freq := 0.25, 1800.0
			switch {
			case s > 0:
				gain, freq = 0.1, 2600
			case beat%beatsPerBar == 0:
				gain, freq = 0.6, 700
			}
			addClick(x, rate, t+float64(s)*period/float64(sub), gain, freq, r)
		}
		t += period
		beat++
	}
	return x
}

func addClick(x []float32, rate int, at, gain, freq float64, r *rand.Rand) {
	start := int(at * float64(rate))
	n := int(0.06 * float64(rate))
	for i := 0; i < n && start+i < len(x); i++ {
		tt := float64(i) / float64(rate)
		env := math.Exp(-tt / 0.012)
		v := gain * env * (0.5*r.NormFloat64()*0.3 + math.Sin(2*math.Pi*freq*tt))
		x[start+i] += float32(v)
	}
}

// musicLike is a denser test signal: a click track at bpm with eighth-note
// subdivisions, a sustained chord and low-level noise.
func musicLike(rate int, seconds, bpm float64) []float32 {
	x := clickTrack(rate, seconds, bpm, 4, 2, 1)
	r := rand.New(rand.NewPCG(2, 3))
	for i := range x {
		tt := float64(i) / float64(rate)
		chord := 0.05 * (math.Sin(2*math.Pi*220*tt) + math.Sin(2*math.Pi*277.2*tt) + math.Sin(2*math.Pi*329.6*tt))
		x[i] += float32(chord + 0.01*r.NormFloat64())
	}
	return x
}
