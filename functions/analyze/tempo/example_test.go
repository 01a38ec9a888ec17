package tempo_test

import (
	"fmt"
	"math"

	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
)

func ExampleEstimate() {
	// Ten seconds of a metronome at 120 BPM, 44.1 kHz mono.
	const rate = 44100
	samples := make([]float32, 10*rate)
	for beat := 0.25; beat < 10; beat += 0.5 {
		start := int(beat * rate)
		for i := 0; i < 2000 && start+i < len(samples); i++ {
			t := float64(i) / rate
			samples[start+i] = float32(0.5 * math.Exp(-t/0.01) * math.Sin(2*math.Pi*1000*t))
		}
	}
	res, err := tempo.Estimate(samples, rate, tempo.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if bpm, ok := res.Tempo(); ok {
		fmt.Printf("%.1f BPM, %d beats from %.2f s\n", bpm, len(res.Beats), res.Beats[0])
	}

	// Silence has no tempo, and says why.
	res, _ = tempo.Estimate(make([]float32, 5*rate), rate, tempo.Options{})
	fmt.Println(res.BPM == nil, res.Reason)
	// Output:
	// 120.0 BPM, 20 beats from 0.25 s
	// true silent
}
