package key_test

import (
	"fmt"
	"math"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
)

func ExampleEstimate() {
	// Four seconds of the chords A minor, D minor, E major, A minor, as sine tones
	// with a few harmonics; a real caller passes decoded mono PCM.
	const rate = 44100
	chords := [][]float64{{57, 60, 64}, {62, 65, 69}, {64, 68, 71}, {57, 60, 64}}
	samples := make([]float32, 4*rate)
	for i := range samples {
		t := float64(i) / rate
		var v float64
		for _, midi := range chords[i/rate] {
			f := 440 * math.Pow(2, (midi-69)/12)
			for h := 1.0; h <= 4; h++ {
				v += math.Sin(2*math.Pi*h*f*t) / h
			}
		}
		samples[i] = float32(0.1 * v)
	}

	res, err := key.Estimate(samples, rate, key.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Label, res.Camelot, res.OpenKey)

	res, _ = key.Estimate(make([]float32, 2*rate), rate, key.Options{})
	fmt.Printf("silence: key %q, reason %q\n", res.Label, res.Reason)
	// Output:
	// A minor 8A 1m
	// silence: key "", reason "silence"
}

func ExampleParseKey() {
	k, err := key.ParseKey("Gb major")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(k, k.Camelot(), k.OpenKey(), k.Relative())
	// Output: F# major 2B 7d Eb minor
}

func ExampleKey_Camelot() {
	for _, name := range []string{"A minor", "E minor", "C major"} {
		k, _ := key.ParseKey(name)
		fmt.Println(name, k.Camelot())
	}
	// Output:
	// A minor 8A
	// E minor 9A
	// C major 8B
}
