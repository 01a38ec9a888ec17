package r128

import (
	"math"
	"math/cmplx"
	"testing"
)

// TestKWeighting48k compares the designed filters at 48 kHz with BS.1770-4 Tables 1
// and 2.
func TestKWeighting48k(t *testing.T) {
	shelf, rlb := kWeighting(48000)
	tests := []struct {
		name      string
		got, want biquad
	}{
		{"Table1", shelf, biquad{b0: 1.53512485958697, b1: -2.69169618940638, b2: 1.19839281085285,
			a1: -1.69065929318241, a2: 0.73248077421585}},
		{"Table2", rlb, biquad{b0: 1, b1: -2, b2: 1, a1: -1.99004745483398, a2: 0.99007225036621}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := []float64{tt.got.b0, tt.got.b1, tt.got.b2, tt.got.a1, tt.got.a2}
			w := []float64{tt.want.b0, tt.want.b1, tt.want.b2, tt.want.a1, tt.want.a2}
			for i := range g {
				if math.Abs(g[i]-w[i]) > 1e-12 {
					t.Errorf("coefficient %d = %.15f, want %.14f", i, g[i], w[i])
				}
			}
		})
	}
}

// response returns the gain in dB of the K-weighting at f Hz for rate fs.
func response(f, fs float64) float64 {
	shelf, rlb := kWeighting(fs)
	h := func(b biquad) complex128 {
		z := cmplx.Exp(complex(0, -2*math.Pi*f/fs))
		return (complex(b.b0, 0) + complex(b.b1, 0)*z + complex(b.b2, 0)*z*z) /
			(1 + complex(b.a1, 0)*z + complex(b.a2, 0)*z*z)
	}
	return 20 * math.Log10(cmplx.Abs(h(shelf)*h(rlb)))
}

// TestKWeightingRates checks that the response at other rates matches the 48 kHz
// reference well inside the audio band, where the bilinear warping is small.
func TestKWeightingRates(t *testing.T) {
	for _, fs := range []float64{32000, 44100, 88200, 96000, 192000} {
		for _, f := range []float64{20, 50, 100, 500, 1000, 2000, 5000} {
			// The 48 kHz design is itself warped; allow for the difference in warping,
			// which grows with f/fs.
			tol := 0.01 + 0.5*math.Pow(f/math.Min(fs, 48000), 2)
			if d := response(f, fs) - response(f, 48000); math.Abs(d) > tol {
				t.Errorf("fs %.0f, %.0f Hz: %+.4f dB from 48 kHz, want within %.4f", fs, f, d, tol)
			}
		}
	}
}
