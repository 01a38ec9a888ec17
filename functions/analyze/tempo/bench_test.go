package tempo_test

import (
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
)

// BenchmarkEstimate measures a 20 s clip at 44.1 kHz, the size the analyze
// function budgets for.
func BenchmarkEstimate(b *testing.B) {
	x := musicLike(44100, 20, 123)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tempo.Estimate(x, 44100, tempo.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
