package r128

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// TestTPFilterDelays checks each interpolated phase against an ideal fractional
// delay: within 0.6 % up to 0.42·fs, as the design promises.
func TestTPFilterDelays(t *testing.T) {
	f := newTPFilter()
	// Unfold the coefficients: phase 1/4 is a+b on w[k] and a−b on w[23−k].
	var q, h [tpTaps]float64
	for k := range tpFold {
		q[k], q[tpTaps-1-k] = f.a[k]+f.b[k], f.a[k]-f.b[k]
		h[k], h[tpTaps-1-k] = f.c[k], f.c[k]
	}
	for _, ph := range []struct {
		frac float64
		h    [tpTaps]float64
	}{{0.25, q}, {0.5, h}} {
		for fi := 1; fi <= 420; fi++ {
			fr := float64(fi) / 1000 // cycles per sample
			var H complex128
			for i, c := range ph.h {
				H += complex(c, 0) * cmplx.Exp(complex(0, 2*math.Pi*fr*float64(i)))
			}
			ideal := cmplx.Exp(complex(0, 2*math.Pi*fr*(tpFold-1+ph.frac)))
			if e := cmplx.Abs(H - ideal); e > 0.006 {
				t.Fatalf("phase %.2f at %.3f·fs: error %.4f, want ≤ 0.006", ph.frac, fr, e)
			}
		}
	}
}

// TestTPSkipIsExact checks that skipping stretches by the bound finds the same peak
// as interpolating everything.
func TestTPSkipIsExact(t *testing.T) {
	f := newTPFilter()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		x := make([]float64, 5000)
		for i := range x {
			g := math.Pow(10, -3*rng.Float64()*float64(i%1000)/1000) // decaying bursts
			x[i] = g * (rng.Float64()*2 - 1)
		}
		if got, want := f.peak(x, 0), f.span(x, 0); got != want {
			t.Fatalf("trial %d: peak = %v, span = %v", trial, got, want)
		}
	}
}
