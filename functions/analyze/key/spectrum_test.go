package key

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectStrongest checks the selection against a full sort, ties included.
func TestSelectStrongest(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{2, 3, 10, 61, 100, 500} {
		for _, k := range []int{1, n / 2, n - 1} {
			if k < 1 {
				continue
			}
			c := make([]candidate, n)
			for i := range c {
				// Few distinct magnitudes, so ties are common.
				c[i] = candidate{mag: float64(rng.IntN(8)), bin: i}
			}
			rng.Shuffle(n, func(i, j int) { c[i], c[j] = c[j], c[i] })
			want := slices.Clone(c)
			slices.SortFunc(want, func(x, y candidate) int {
				switch {
				case stronger(x, y):
					return -1
				case stronger(y, x):
					return 1
				}
				return 0
			})
			selectStrongest(c, k)
			got := slices.Clone(c[:k])
			slices.SortFunc(got, func(x, y candidate) int { return cmp.Compare(x.bin, y.bin) })
			top := slices.Clone(want[:k])
			slices.SortFunc(top, func(x, y candidate) int { return cmp.Compare(x.bin, y.bin) })
			if !slices.Equal(got, top) {
				t.Errorf("n=%d k=%d: selected %v, want %v", n, k, got, top)
			}
		}
	}
}
