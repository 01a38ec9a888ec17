package key_test

import (
	"fmt"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
)

// BenchmarkEstimate measures a 20 s clip of a minor cadence, chords with six
// harmonics each, at the common sample rates (44.1 kHz is the reference).
func BenchmarkEstimate(b *testing.B) {
	for _, rate := range []int{44100, 48000, 96000} {
		clip := render(progression(cadenceMinor, 20, 0), 20, rate, 0)
		b.Run(fmt.Sprintf("%dHz", rate), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := key.Estimate(clip, rate, key.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
