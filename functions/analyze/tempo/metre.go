package tempo

import "math"

// Metrical-level selection. The periodicity functions peak at every level of
// the metre (tatum, beat, bar, and multiples of each), so picking "the" peak
// is not enough: the beat is chosen in three steps.
//
//  1. An anchor period on the metrical grid: the peak of the product of the
//     autocorrelation and the Fourier magnitude of the envelope (Peeters
//     2007), under a broad tempo weighting. The autocorrelation peaks at the
//     multiples of each true period and the spectrum at its harmonics; only
//     true periods peak in both, so the anchor is a level of the metre and
//     not a 2/3 or 3/2 artefact of one.
//  2. The chain of metrical levels through the anchor, built a factor of two
//     or three at a time. A level is grouped in threes only when the
//     autocorrelation recurs clearly more at 3, 6 and 12 times the level
//     than at 2, 4 and 8 times (the duple/triple test of Gouyon & Herrera
//     2003; Ellis 2007's TPS2/TPS3), and divided in three only when it
//     recurs clearly more at a third than at a half of the level. Duple wins
//     ties: compound metre needs positive evidence. This is what puts a 6/8
//     jig's beat on the dotted quarter, three tatums, and never on the
//     quarter, which is no level of a 6/8 bar, while a reel's beat falls on
//     two tatums.
//  3. The beat is the level of the chain, inside the allowed range and
//     marked by the music (see marked), that maximises the log of its
//     comb-filtered autocorrelation (how regularly its first four multiples
//     recur, Davies & Plumbley 2007) plus a log-normal tempo prior
//     (Parncutt 1994; van Noorden & Moelants 1999; Klapuri et al. 2006).
//     Bar levels recur as well as beats do and lose on the prior; beat
//     subdivisions recur less (their odd multiples fall between the
//     accents) unless the music marks them as strongly as the beat, and then
//     the prior decides. With the prior centred at beatPriorBPM and equal
//     evidence, a level wins over its double below beatPriorBPM·√2 ≈ 188 BPM
//     and over its half above 94 BPM: 170 BPM metal stays at 170, a 95 BPM
//     ballad with steady eighths stays at 95.
//
// beatPriorBPM and beatPriorOctave were set on the development set of the
// evaluation kit (53 clips: MIDI-rendered folk and game music, band
// recordings, electronic demos; tempo labels are the notated tempo): every
// centre from 132 to 136 BPM with σ from 0.6 to 0.8 octave gives the same
// answers there; outside that range one clip at each end changes level
// (180 BPM reggaeton towards 90, a 95 BPM ballad towards 190).

const (
	anchorPriorBPM    = 120.0 // centre of the anchor's weighting
	anchorPriorOctave = 0.5   // its standard deviation in octaves
	beatPriorBPM      = 133.0 // centre of the beat prior
	beatPriorOctave   = 0.7   // its standard deviation in octaves
	tripleMargin      = 0.1   // per compared lag, autocorrelation excess that makes a grouping triple
	minTatumS         = 0.1   // fastest level in the chain (600 per minute)
	refineWidth       = 0.03  // relative search width when refining a level's period
	lagStep           = 1.01  // ratio between successive lags of the anchor scan
	scanMinBPM        = 30.0  // slowest anchor
	scanMaxBPM        = 320.0 // fastest anchor
)

// metre is the outcome of metrical-level selection.
type metre struct {
	lag      float64 // beat period in frames
	strength float64 // comb-filtered autocorrelation at lag, in [-1, 1]
}

// chooseBeat selects the beat period among the levels of the metre, with
// tempi limited to [minBPM, maxBPM]. ok is false when no level qualifies.
func (p periodicity) chooseBeat(minBPM, maxBPM float64) (m metre, ok bool) {
	anchor, found := p.anchor()
	if !found {
		return metre{}, false
	}
	best := math.Inf(-1)
	for _, lag := range p.chain(anchor) {
		bpm := 60 * p.fps / lag
		if bpm < minBPM || bpm > maxBPM || !p.marked(lag) {
			continue
		}
		h := p.harmonic(lag)
		score := math.Log(max(h, 1e-3)) + logNormal(bpm, beatPriorBPM, beatPriorOctave)
		if score > best {
			best, m, ok = score, metre{lag: lag, strength: h}, true
		}
	}
	return m, ok
}

// marked reports whether the music marks the level of period lag at all:
// whether the high-passed envelope correlates positively with itself one
// period on. A click on every beat and nothing between the clicks does not
// mark the half-beat level: shifted by half a beat, clicks meet silence and
// the correlation is negative. Such a level is never the beat, however well
// its even multiples recur.
func (p periodicity) marked(lag float64) bool {
	return p.acfPeak(lag, 1) > 0
}

// anchor returns the period that maximises autocorrelation × spectrum ×
// a broad tempo weighting.
func (p periodicity) anchor() (float64, bool) {
	lo, hi := 60*p.fps/scanMaxBPM, 60*p.fps/scanMinBPM
	best, bestLag := 0.0, 0.0
	for lag := lo; lag <= hi; lag *= lagStep {
		a := p.acfAt(lag)
		if a <= 0 {
			continue
		}
		v := a * p.spectrum(lag) * math.Exp(logNormal(60*p.fps/lag, anchorPriorBPM, anchorPriorOctave))
		if v > best {
			best, bestLag = v, lag
		}
	}
	if bestLag == 0 {
		return 0, false
	}
	return p.refine(bestLag), true
}

// chain returns the metrical levels through anchor, from the fastest (not
// under minTatumS) to the slowest (not over maxPeriodS).
func (p periodicity) chain(anchor float64) []float64 {
	levels := []float64{anchor}
	minLag, maxLag := minTatumS*p.fps, maxPeriodS*p.fps
	for l := anchor; l/2 >= minLag; {
		d := 2.0
		if p.acfPeak(l/3, 1) > p.acfPeak(l/2, 1)+tripleMargin {
			d = 3
		}
		if l/d < minLag {
			break
		}
		l = p.refine(l / d)
		levels = append(levels, l)
	}
	for l := anchor; l*2 <= maxLag; {
		g := 2.0
		if p.groupsInThrees(l) {
			g = 3
		}
		if l*g > maxLag {
			break
		}
		l = p.refine(l * g)
		levels = append(levels, l)
	}
	return levels
}

// groupsInThrees reports whether the envelope recurs clearly more at 3 and 6
// times lag than at 2 and 4 times (and at 12 than at 8 where the analysis
// reaches that far).
func (p periodicity) groupsInThrees(lag float64) bool {
	var duple, triple float64
	n := 0
	for _, k := range [][2]float64{{2, 3}, {4, 6}, {8, 12}} {
		if k[1]*lag >= float64(len(p.acf)-2) {
			break
		}
		w := k[0] / 2 // allow for drift over longer lags
		duple += p.acfPeak(k[0]*lag, w)
		triple += p.acfPeak(k[1]*lag, w)
		n++
	}
	return n > 0 && triple > duple+tripleMargin*float64(n)
}

// refine moves lag to the maximum, within ±refineWidth of it, of the
// autocorrelation summed over its first multiples: the multiples sharpen the
// estimate and carry it over split peaks, as swung subdivisions produce at
// the beat lag.
func (p periodicity) refine(lag float64) float64 {
	const steps = 24 // scan points each side
	best, bestLag := math.Inf(-1), lag
	for i := -steps; i <= steps; i++ {
		l := lag * (1 + refineWidth*float64(i)/steps)
		s := 0.0
		for k := 1.0; k <= harmonics && k*l < float64(len(p.acf)-1); k++ {
			s += p.acfAt(k * l)
		}
		if s > best {
			best, bestLag = s, l
		}
	}
	return bestLag
}

// logNormal is the log of a Gaussian weighting of log2(bpm) centred on
// centre with the given standard deviation in octaves (unnormalised).
func logNormal(bpm, centre, octaves float64) float64 {
	z := math.Log2(bpm/centre) / octaves
	return -z * z / 2
}
