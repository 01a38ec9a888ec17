package tempo

import (
	"math"
	"sort"
)

// Beat tracking by dynamic programming (Ellis 2007): the beat sequence
// maximises the onset strength at the beats minus a penalty, tightness ×
// log²(interval/period), for each inter-beat interval that departs from the
// local beat period. One forward pass computes the best score of a sequence
// ending at every frame; the sequence is read back from the best end.

const tightness = 100.0 // Ellis 2007's weight of the interval penalty

// trackBeats returns beat times in seconds (rounded to milliseconds) for an
// onset envelope, given the beat period in frames at each frame.
func trackBeats(env envelope, period func(frame int) float64) []float64 {
	o := env.values
	n := len(o)
	if n == 0 {
		return nil
	}
	// Normalise by the standard deviation, as Ellis does, so that tightness
	// means the same for loud and quiet, dense and sparse envelopes.
	m := mean(o)
	var v float64
	for _, x := range o {
		v += (x - m) * (x - m)
	}
	sd := math.Sqrt(v / float64(n))
	if sd == 0 {
		return nil
	}
	local := make([]float64, n)
	for i, x := range o {
		local[i] = x / sd
	}
	score := make([]float64, n)
	back := make([]int, n)
	var logInterval []float64 // log(d) for intervals of d frames
	for t := range n {
		tau := period(t)
		lo, hi := t-int(math.Round(2*tau)), t-int(math.Round(tau/2))
		for d := len(logInterval); d <= t-max(lo, 0); d++ {
			logInterval = append(logInterval, math.Log(float64(d)))
		}
		logTau := math.Log(tau)
		best, from := 0.0, -1
		for p := max(lo, 0); p <= hi; p++ {
			r := logInterval[t-p] - logTau
			if s := score[p] - tightness*r*r; from < 0 || s > best {
				best, from = s, p
			}
		}
		if from >= 0 && best > 0 {
			score[t], back[t] = local[t]+best, from
		} else {
			score[t], back[t] = local[t], -1
		}
	}
	// The sequence ends on the best-scoring frame within the last period.
	tau := period(n - 1)
	end := n - 1
	for t := n - 1; t >= max(0, n-1-int(math.Round(tau))); t-- {
		if score[t] > score[end] {
			end = t
		}
	}
	var frames []int
	for t := end; t >= 0; t = back[t] {
		frames = append(frames, t)
	}
	sort.Ints(frames)
	beats := make([]float64, len(frames))
	for i, f := range frames {
		beats[i] = math.Round(float64(f)/env.rate*1000) / 1000
	}
	return beats
}
