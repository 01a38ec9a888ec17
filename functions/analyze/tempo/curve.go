package tempo

import (
	"math"
	"sort"
)

// The tempo curve comes from a local tempogram: the autocorrelation of the
// high-passed onset envelope in overlapping windows (Grosche & Müller 2011),
// evaluated near the global beat period and followed from window to window
// with a bounded change, so that it stays on the chosen metrical level.

const (
	curveWindowS = 8.0  // analysis window
	curveHopS    = 2.0  // window step
	curveMaxStep = 0.12 // largest relative period change between windows
	curveSearch  = 0.1  // search range around the global period for the seed window
)

// localTempo returns the tempo in windows along the envelope, or nil when
// the envelope is too short for two windows, and the mean over the windows
// of the local comb-filtered autocorrelation at the tracked period.
func localTempo(env envelope, lag float64) ([]Point, float64) {
	win := int(math.Round(curveWindowS * env.rate))
	hop := int(math.Round(curveHopS * env.rate))
	n := len(env.values)
	if n < win+hop {
		return nil, 0
	}
	hp := highPass(binomial(env.values), int(math.Round(highPassSeconds*env.rate)))
	var starts []int
	for s := 0; s+win <= n; s += hop {
		starts = append(starts, s)
	}
	// Spread the slack at the end evenly, so that the last frames count.
	slack := n - (starts[len(starts)-1] + win)
	for i := range starts {
		starts[i] += slack * i / max(1, len(starts)-1)
	}
	lags := make([]float64, len(starts))
	strength := make([]float64, len(starts))
	seed := 0
	for i, s := range starts {
		lags[i], strength[i] = localPeak(hp[s:s+win], lag, curveSearch)
		if strength[i] > strength[seed] {
			seed = i
		}
	}
	for i := seed + 1; i < len(starts); i++ {
		lags[i], strength[i] = localPeak(hp[starts[i]:starts[i]+win], lags[i-1], curveMaxStep)
	}
	for i := seed - 1; i >= 0; i-- {
		lags[i], strength[i] = localPeak(hp[starts[i]:starts[i]+win], lags[i+1], curveMaxStep)
	}
	pts := make([]Point, len(starts))
	for i, s := range starts {
		bpm := 60 * env.rate / lags[i]
		pts[i] = Point{
			TimeS: math.Round((float64(s)+float64(win)/2)/env.rate*1000) / 1000,
			BPM:   bpm,
		}
	}
	// A three-point median removes single-window outliers.
	smoothedBPM := make([]float64, len(pts))
	for i := range pts {
		a, b := max(0, i-1), min(len(pts)-1, i+1)
		smoothedBPM[i] = median(bpmsOf(pts[a : b+1]))
	}
	for i := range pts {
		pts[i].BPM = math.Round(smoothedBPM[i]*10) / 10
	}
	return pts, mean(strength)
}

// localPeak returns the period within ±rel of lag that maximises the
// windowed autocorrelation at one and two periods, and that maximum.
func localPeak(x []float64, lag, rel float64) (float64, float64) {
	r0 := 0.0
	for _, v := range x {
		r0 += v * v
	}
	if r0 == 0 {
		return lag, 0
	}
	r := func(l int) float64 {
		if l <= 0 || l >= len(x) {
			return 0
		}
		s := 0.0
		for i := 0; i+l < len(x); i++ {
			s += x[i] * x[i+l]
		}
		return s / float64(len(x)-l) * float64(len(x)) / r0
	}
	lo := max(1, int(math.Floor(lag*(1-rel))))
	hi := int(math.Ceil(lag * (1 + rel)))
	vals := make([]float64, hi-lo+3)
	for l := lo - 1; l <= hi+1; l++ {
		// One to three periods, each multiple read at the nearest lags to
		// its fractional position, as the global comb does.
		v := 0.0
		for k := 1; k <= 3; k++ {
			m := k * l
			v += max(r(m-k+1), r(m), r(m+k-1))
		}
		vals[l-lo+1] = v / 3
	}
	best := 1
	for i := 2; i < len(vals)-1; i++ {
		if vals[i] > vals[best] {
			best = i
		}
	}
	peak := float64(best + lo - 1)
	a, b, c := vals[best-1], vals[best], vals[best+1]
	if d := a - 2*b + c; d < 0 {
		peak += 0.5 * (a - c) / d
	}
	return peak, b
}

// curveLag returns the beat period in frames at each frame, interpolated
// linearly between the points of curve and held beyond its ends.
func curveLag(curve []Point, fps float64) func(int) float64 {
	return func(frame int) float64 {
		t := float64(frame) / fps
		i := sort.Search(len(curve), func(i int) bool { return curve[i].TimeS >= t })
		var bpm float64
		switch {
		case i == 0:
			bpm = curve[0].BPM
		case i == len(curve):
			bpm = curve[len(curve)-1].BPM
		default:
			a, b := curve[i-1], curve[i]
			f := (t - a.TimeS) / (b.TimeS - a.TimeS)
			bpm = a.BPM + f*(b.BPM-a.BPM)
		}
		return 60 * fps / bpm
	}
}

// precisePeriod refines lag from the autocorrelation peaks at its first
// multiples: the mean of peak(k·lag)/k weighted by the peak heights.
func (p periodicity) precisePeriod(lag float64) float64 {
	var sum, wsum float64
	for k := 1.0; k <= harmonics && k*lag < float64(len(p.acf)-2); k++ {
		l := p.refine(k * lag)
		if w := p.acfAt(l); w > 0 {
			sum += w * l / k
			wsum += w
		}
	}
	if wsum == 0 {
		return lag
	}
	return sum / wsum
}

func bpmsOf(pts []Point) []float64 {
	v := make([]float64, len(pts))
	for i, p := range pts {
		v[i] = p.BPM
	}
	return v
}

func medianBPM(pts []Point) float64 { return median(bpmsOf(pts)) }

// median returns the median of v (which it reorders).
func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
