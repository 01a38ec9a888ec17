package key

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"
)

// TestDecimatorResponse checks the designed filters' frequency response: flat to
// 0.1 dB up to the highest frequency analysed, and at least decimatorStopDB − 1 dB
// down from the lowest frequency that aliases below it.
func TestDecimatorResponse(t *testing.T) {
	for _, rate := range []float64{22050, 32000, 44100, 48000, 88200, 96000, 192000} {
		factor := int(rate / minAnalysisRate)
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			d := newDecimator(rate, factor, maxPartialHz)
			if d.factor != factor || len(d.taps)%2 != 1 {
				t.Fatalf("factor %d with %d taps, want factor %d and an odd length", d.factor, len(d.taps), factor)
			}
			for i := range len(d.taps) / 2 {
				if d.taps[i] != d.taps[len(d.taps)-1-i] {
					t.Fatalf("taps not symmetric at %d", i)
				}
			}
			gainDB := func(hz float64) float64 {
				var h complex128
				for i, c := range d.taps {
					h += complex(c, 0) * cmplx.Exp(complex(0, -2*math.Pi*hz/rate*float64(i)))
				}
				return 20 * math.Log10(cmplx.Abs(h))
			}
			for hz := 0.0; hz <= maxPartialHz; hz += 50 {
				if g := gainDB(hz); math.Abs(g) > 0.1 {
					t.Errorf("gain at %.0f Hz = %.2f dB, want within ±0.1 dB", hz, g)
				}
			}
			stop := rate/float64(factor) - maxPartialHz
			for hz := stop; hz <= rate/2; hz += 25 {
				if g := gainDB(hz); g > -(decimatorStopDB - 1) {
					t.Errorf("gain at %.0f Hz = %.1f dB, want below %d dB", hz, g, -(decimatorStopDB - 1))
				}
			}
		})
	}
}

func TestDecimatorApply(t *testing.T) {
	// A 1 kHz tone keeps its amplitude through 44.1 kHz → 11.025 kHz.
	const rate = 44100
	src := make([]float32, rate)
	for i := range src {
		src[i] = float32(0.5 * math.Sin(2*math.Pi*1000*float64(i)/rate))
	}
	d := newDecimator(rate, 4, maxPartialHz)
	out := d.apply(src)
	if len(out) != rate/4 {
		t.Fatalf("len = %d, want %d", len(out), rate/4)
	}
	for j := 100; j < len(out)-100; j++ {
		want := 0.5 * math.Sin(2*math.Pi*1000*float64(4*j)/rate)
		if diff := math.Abs(float64(out[j]) - want); diff > 0.01 {
			t.Fatalf("out[%d] = %.4f, want %.4f", j, out[j], want)
		}
	}
	if same := newDecimator(rate, 1, maxPartialHz).apply(src); &same[0] != &src[0] {
		t.Error("factor 1 copied the input, want it returned as is")
	}
}
