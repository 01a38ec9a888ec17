package key

import "math"

// Profile names the key profiles an estimate matches the clip against.
type Profile string

// The profiles [Estimate] knows. Symbolic profiles (all but EDMA) count notes, so
// the estimate first adds to them the harmonics a sounding note brings (see the
// package documentation); EDMA was measured on audio and has its harmonics.
const (
	// ProfileCorpus, the default, averages the correlations with three profiles
	// measured on corpora of notated music: Temperley's (2007, Kostka–Payne
	// classical excerpts), Aarden's (2003, the Essen folksong collection) and
	// Albrecht & Shanahan's (2013, common-practice pieces). Each alone mistakes
	// some keys the others get right; the mean depends on no single repertoire.
	ProfileCorpus    Profile = "corpus"
	ProfileKrumhansl Profile = "krumhansl" // Krumhansl & Kessler 1982, probe-tone ratings
	ProfileTemperley Profile = "temperley" // Temperley 2007, Kostka–Payne corpus
	ProfileAarden    Profile = "aarden"    // Aarden 2003, Essen folksong collection
	ProfileAlbrecht  Profile = "albrecht"  // Albrecht & Shanahan 2013
	ProfileShaath    Profile = "shaath"    // Sha'ath 2011 (KeyFinder), popular music
	ProfileEDMA      Profile = "edma"      // Faraldo et al. 2016, electronic dance music
)

// profileSet is a pair of key profiles: the expected weight of each pitch class,
// counted in semitones above the tonic, in a major and in a minor key.
type profileSet struct {
	major, minor [12]float64
	audio        bool // measured on audio: harmonics included
}

// profileSets lists the sets each Profile averages.
var profileSets = map[Profile][]profileSet{
	ProfileCorpus:    {temperley2007, aarden2003, albrecht2013},
	ProfileKrumhansl: {krumhansl1982},
	ProfileTemperley: {temperley2007},
	ProfileAarden:    {aarden2003},
	ProfileAlbrecht:  {albrecht2013},
	ProfileShaath:    {shaath2011},
	ProfileEDMA:      {edma2016},
}

var (
	krumhansl1982 = profileSet{
		major: [12]float64{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88},
		minor: [12]float64{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17},
	}
	temperley2007 = profileSet{
		major: [12]float64{0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400},
		minor: [12]float64{0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330},
	}
	aarden2003 = profileSet{
		major: [12]float64{17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122},
		minor: [12]float64{18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623},
	}
	albrecht2013 = profileSet{
		major: [12]float64{0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081},
		minor: [12]float64{0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052},
	}
	shaath2011 = profileSet{
		major: [12]float64{6.6, 2.0, 3.5, 2.3, 4.6, 4.0, 2.5, 5.2, 2.4, 3.7, 2.3, 3.4},
		minor: [12]float64{6.5, 2.7, 3.5, 5.4, 2.6, 3.5, 2.5, 5.2, 4.0, 2.7, 4.3, 3.2},
	}
	edma2016 = profileSet{
		major: [12]float64{0.16519551, 0.04749026, 0.08293076, 0.06687112, 0.09994645, 0.09274123, 0.05294487, 0.13159476, 0.05218986, 0.07443653, 0.06940723, 0.0642515},
		minor: [12]float64{0.17235348, 0.05336489, 0.0761009, 0.10043649, 0.05621498, 0.08527853, 0.0497915, 0.13451001, 0.07458916, 0.05003023, 0.09187879, 0.05545106},
		audio: true,
	}
)

// withHarmonics turns a profile of notes into the profile their sound shows: every
// pitch class sounds with its first n harmonics, harmonic h weighted decay^(h−1) and
// folded onto the pitch class nearest to h times the fundamental (the second and
// fourth onto the note itself, the third onto its fifth), as Gómez (2006) does to
// compare symbolic profiles with HPCP.
func (ps profileSet) withHarmonics(n int, decay float64) profileSet {
	if n <= 1 || ps.audio {
		return ps
	}
	out := profileSet{audio: true}
	for h := 1; h <= n; h++ {
		shift := int(math.Round(12*math.Log2(float64(h)))) % 12
		w := math.Pow(decay, float64(h-1))
		for pc := range 12 {
			out.major[(pc+shift)%12] += w * ps.major[pc]
			out.minor[(pc+shift)%12] += w * ps.minor[pc]
		}
	}
	return out
}

// keyScores holds the score of each key: index tonic for major, 12+tonic for minor.
type keyScores [24]float64

func keyOf(i int) Key {
	if i < 12 {
		return Key{Tonic: PitchClass(i), Mode: Major}
	}
	return Key{Tonic: PitchClass(i - 12), Mode: Minor}
}

// correlate returns the Pearson correlation of c with each of the 24 rotations of
// the profiles (the Krumhansl–Schmuckler algorithm).
func (ps profileSet) correlate(c *chroma) keyScores {
	var out keyScores
	for tonic := range 12 {
		var maj, mnr [12]float64
		for i := range 12 {
			maj[(tonic+i)%12] = ps.major[i]
			mnr[(tonic+i)%12] = ps.minor[i]
		}
		out[tonic] = pearson(c[:], maj[:])
		out[12+tonic] = pearson(c[:], mnr[:])
	}
	return out
}

func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
