package key

import "math"

// pitchStats is what the short-time spectrum of a clip is reduced to; its size does
// not grow with the clip's length.
type pitchStats struct {
	// cents adds up the magnitude of the peaks by pitch: index c holds peaks c cents
	// (rounded) above a C of the A4 = 440 Hz grid, modulo an octave.
	cents [1200]float64
	// tuneCos and tuneSin add up, over the peaks between tuningMinHz and
	// tuningMaxHz, magnitude × cos and sin of 2π·(deviation from the nearest
	// semitone, in semitones): see [pitchStats.tuning].
	tuneCos, tuneSin float64
	// bandPower adds up the power of every frame between minPitchHz and
	// maxPartialHz; partialPower the part of it under the main lobes (±2 bins) of
	// partials: peaks that stand out of the spectrum around them and continue a
	// peak of the previous frame. The peaks of noise and of drum hits seldom do
	// both, whatever the colour of the noise.
	bandPower, partialPower float64
}

// add counts a peak in the pitch histogram and the tuning sums.
func (st *pitchStats) add(p peak) {
	if p.freq < minPitchHz {
		return
	}
	semis := 12 * math.Log2(p.freq/440)   // from A4
	c := int(math.Round(100*semis)) + 900 // from C4
	st.cents[(c%1200+1200)%1200] += p.mag
	if p.freq >= tuningMinHz && p.freq <= tuningMaxHz {
		sin, cos := math.Sincos(2 * math.Pi * (semis - math.Round(semis)))
		st.tuneCos += p.mag * cos
		st.tuneSin += p.mag * sin
	}
}

// Tuning estimation range: partials in this band are numerous and well resolved.
const (
	tuningMinHz = 80
	tuningMaxHz = 2100
)

// tuning returns the offset in cents, in [−50, 50), of the equal-tempered grid the
// peaks sit on, relative to A4 = 440 Hz. Each peak's deviation from the nearest
// semitone is a phase on a circle of 100 cents; the offset is the direction of the
// magnitude-weighted mean of those phases (circular statistics, after Dressler &
// Streich 2007), so deviations of ±49 cents average as neighbours, not as opposites.
func (st *pitchStats) tuning() float64 {
	if st.tuneCos == 0 && st.tuneSin == 0 {
		return 0
	}
	cents := 100 * math.Atan2(st.tuneSin, st.tuneCos) / (2 * math.Pi)
	if cents >= 50 {
		cents -= 100
	}
	return cents
}

// chroma is a 12-bin pitch-class profile; index 0 is C.
type chroma [12]float64

// chroma folds the pitch histogram into a pitch-class profile on the equal-tempered
// grid shifted by tuning cents. Each peak adds its magnitude to the semitone nearest
// to it, weighted by cos²(π·d) where d is its distance from that semitone (the HPCP
// weighting of Gómez 2006): a partial a quarter-tone off the grid counts half, so
// mistuned partials and noise count little. Peaks add by magnitude, so loud passages
// count more than quiet ones.
func (st *pitchStats) chroma(tuning float64) chroma {
	var c chroma
	for cent, m := range st.cents {
		if m == 0 {
			continue
		}
		semis := (float64(cent) - tuning) / 100 // from C on the shifted grid
		n := math.Round(semis)
		w := math.Cos(math.Pi * (semis - n))
		c[(int(n)%12+12)%12] += m * w * w
	}
	return c
}
