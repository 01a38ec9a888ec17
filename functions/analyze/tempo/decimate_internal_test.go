package tempo

import (
	"math"
	"testing"
)

// response returns the magnitude response of h at f cycles per sample.
func (h halfBand) response(f float64) float64 {
	v := h.centre
	for j, c := range h.odd {
		v += 2 * c * math.Cos(2*math.Pi*f*float64(2*j+1))
	}
	return math.Abs(v)
}

func TestHalfBandResponse(t *testing.T) {
	tests := []struct {
		name             string
		pairs            int
		passEdge, stopAt float64 // fractions of the stage's input rate
		maxRipple        float64 // dB in the pass band
		minStop          float64 // dB of attenuation from stopAt to 0.5
	}{
		{"Last", lastStagePairs, 0.18, 0.32, 0.1, 55},
		{"Early", earlyStagePairs, 0.1, 0.4, 0.1, 45},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHalfBand(tt.pairs, kaiserBeta)
			if dc := h.response(0); math.Abs(dc-1) > 1e-12 {
				t.Errorf("gain at DC = %v, want 1", dc)
			}
			for f := 0.0; f <= tt.passEdge; f += 0.005 {
				if db := 20 * math.Log10(h.response(f)); math.Abs(db) > tt.maxRipple {
					t.Errorf("gain at %.3f fs = %.3f dB, want within ±%g dB", f, db, tt.maxRipple)
				}
			}
			for f := tt.stopAt; f <= 0.5; f += 0.005 {
				if db := 20 * math.Log10(h.response(f)); db > -tt.minStop {
					t.Errorf("gain at %.3f fs = %.1f dB, want below -%g dB", f, db, tt.minStop)
				}
			}
		})
	}
}

func TestDecimate(t *testing.T) {
	tests := []struct {
		rate     int
		wantRate float64
	}{
		{8000, 8000},
		{11025, 11025},
		{16000, 8000},
		{22050, 11025},
		{44100, 11025},
		{48000, 12000},
		{96000, 12000},
		{192000, 12000},
	}
	for _, tt := range tests {
		// A 1 kHz tone survives at full level, a tone just under the input's
		// Nyquist frequency is removed.
		const seconds = 0.5
		n := int(seconds * float64(tt.rate))
		pass, stop := make([]float32, n), make([]float32, n)
		for i := range n {
			pass[i] = float32(math.Sin(2 * math.Pi * 1000 * float64(i) / float64(tt.rate)))
			stop[i] = float32(math.Sin(2 * math.Pi * 0.45 * float64(i)))
		}
		y, rate := decimate(pass, tt.rate)
		if rate != tt.wantRate {
			t.Errorf("decimate(%d Hz) rate = %g, want %g", tt.rate, rate, tt.wantRate)
		}
		if want := int(math.Round(seconds * rate)); abs(len(y)-want) > 1 {
			t.Errorf("decimate(%d Hz) gave %d samples, want %d", tt.rate, len(y), want)
		}
		if r := rms(y[len(y)/4 : 3*len(y)/4]); math.Abs(r-math.Sqrt(0.5)) > 0.01 {
			t.Errorf("decimate(%d Hz): 1 kHz tone RMS = %.4f, want %.4f", tt.rate, r, math.Sqrt(0.5))
		}
		if tt.wantRate == float64(tt.rate) {
			continue // nothing to filter
		}
		z, _ := decimate(stop, tt.rate)
		if r := rms(z[len(z)/4 : 3*len(z)/4]); r > 0.002 {
			t.Errorf("decimate(%d Hz): tone at 0.45 fs RMS = %.4f, want < 0.002 (-54 dB)", tt.rate, r)
		}
	}
}

func rms(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s / float64(len(v)))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
