package analyze_test

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// Synthetic signals with known answers, written as 32-bit float WAV files so that
// the decoded samples are exactly the generated ones.

// writeWAV writes mono float samples at rate Hz as a WAV file in dir and returns
// its path.
func writeWAV(tb testing.TB, dir, name string, rate int, samples []float32) string {
	tb.Helper()
	le := binary.LittleEndian
	b := make([]byte, 0, 44+4*len(samples))
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(36+4*len(samples)))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 3) // IEEE float
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(4*rate))
	b = le.AppendUint16(b, 4)
	b = le.AppendUint16(b, 32)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(4*len(samples)))
	for _, v := range samples {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// clickTrack returns sec seconds of clicks at bpm: 15 ms bursts of a decaying
// 1.5 kHz tone, the first of every four beats louder.
func clickTrack(rate int, bpm, sec float64) []float32 {
	out := make([]float32, int(sec*float64(rate)))
	period := 60 / bpm
	for beat := 0; float64(beat)*period < sec; beat++ {
		amp := 0.4
		if beat%4 == 0 {
			amp = 0.8
		}
		start := int(float64(beat) * period * float64(rate))
		for i := 0; i < int(0.015*float64(rate)) && start+i < len(out); i++ {
			t := float64(i) / float64(rate)
			out[start+i] += float32(amp * math.Exp(-t/0.004) * math.Sin(2*math.Pi*1500*t))
		}
	}
	return out
}

// triad is a chord: its root as a MIDI note number and its third in semitones.
type triad struct {
	root  int
	third int
}

// chords plays the chords one second each, over and over for sec seconds: the
// triad in the fourth octave and the root two octaves lower, each note six
// harmonics of amplitude 1/h with 20 ms fades.
func chords(rate int, sec float64, progression []triad) []float32 {
	out := make([]float32, int(sec*float64(rate)))
	for s := 0; float64(s+1) <= sec; s++ {
		c := progression[s%len(progression)]
		for _, midi := range []int{c.root, c.root + c.third, c.root + 7, c.root - 24} {
			f0 := 440 * math.Pow(2, float64(midi-69)/12)
			first := s * rate
			n := int(0.95 * float64(rate))
			for i := range n {
				t := float64(i) / float64(rate)
				env := math.Min(1, math.Min(t, 0.95-t)/0.02)
				var v float64
				for h := 1; h <= 6; h++ {
					v += math.Sin(2*math.Pi*float64(h)*f0*t) / float64(h)
				}
				out[first+i] += float32(0.06 * env * v)
			}
		}
	}
	return out
}

// noise returns sec seconds of white noise of RMS level 0.1, the same every time.
func noise(rate int, sec float64) []float32 {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]float32, int(sec*float64(rate)))
	for i := range out {
		out[i] = float32(0.1 * r.NormFloat64())
	}
	return out
}

// mix adds the signals sample by sample; the result is as long as the shortest.
func mix(signals ...[]float32) []float32 {
	n := len(signals[0])
	for _, s := range signals {
		n = min(n, len(s))
	}
	out := make([]float32, n)
	for _, s := range signals {
		for i := range out {
			out[i] += s[i]
		}
	}
	return out
}
