package r128

import "math"

// Gating works on a histogram of block loudness instead of a list of blocks, so
// memory stays fixed however long the programme is (libebur128's histogram mode does
// the same). Each bin keeps the count and the exact sum of the mean-square energies
// of its blocks, so the gated means are exact: only the decision for blocks in the
// one bin that holds a gate threshold is quantised, to 0.01 LU.
const (
	absoluteGate   = -70.0 // LUFS (BS.1770-4 §2.8; Tech 3342 §3.2)
	histBinsPerLU  = 100
	histTop        = 30.0 // LUFS; louder blocks share the top bin
	histBins       = int((histTop - absoluteGate) * histBinsPerLU)
	loudnessOffset = -0.691 // dB, BS.1770-4 eq. (2)
)

// histogram collects the blocks above the absolute gate.
type histogram struct {
	count [histBins]uint64
	sum   [histBins]float64 // Σ of the blocks' weighted mean-square energies
}

// loudness converts a weighted mean-square energy to LUFS (−Inf for zero).
func loudness(ms float64) float64 { return loudnessOffset + 10*math.Log10(ms) }

// energy converts LUFS to a weighted mean-square energy.
func energy(lufs float64) float64 { return math.Pow(10, (lufs-loudnessOffset)/10) }

// bin returns the bin of a block of loudness l > absoluteGate.
func bin(l float64) int {
	return min(int((l-absoluteGate)*histBinsPerLU), histBins-1)
}

// add records a block of weighted mean-square energy ms, if it passes the absolute gate.
func (h *histogram) add(ms float64) {
	l := loudness(ms)
	if !(l > absoluteGate) {
		return
	}
	i := bin(l)
	h.count[i]++
	h.sum[i] += ms
}

// gate applies the relative gate rel (LU, negative) to the absolutely gated blocks.
// It returns the first bin above the gate, the gate in LUFS, and false when no block
// passed the absolute gate.
func (h *histogram) gate(rel float64) (first int, threshold float64, ok bool) {
	var n uint64
	var s float64
	for i := range h.count {
		n += h.count[i]
		s += h.sum[i]
	}
	if n == 0 {
		return 0, math.Inf(-1), false
	}
	threshold = loudness(s/float64(n)) + rel
	if threshold <= absoluteGate {
		return 0, threshold, true
	}
	first = bin(threshold)
	// Blocks in the threshold's own bin pass when their mean does.
	if h.count[first] > 0 && loudness(h.sum[first]/float64(h.count[first])) <= threshold {
		first++
	}
	return first, threshold, true
}

// mean returns the loudness of the mean energy of the blocks in bins first and above.
func (h *histogram) mean(first int) float64 {
	var n uint64
	var s float64
	for i := first; i < histBins; i++ {
		n += h.count[i]
		s += h.sum[i]
	}
	return loudness(s / float64(n))
}

// rank returns the loudness of the block of the given rank (0-based, in
// ascending order) among bins first and above: the mean of its bin, which is within
// 0.01 LU of the block's own loudness.
func (h *histogram) rank(first int, r uint64) float64 {
	for i := first; i < histBins; i++ {
		if c := h.count[i]; r < c {
			return loudness(h.sum[i] / float64(c))
		} else {
			r -= c
		}
	}
	return math.Inf(-1) // unreachable for r below the count
}

// total counts the blocks in bins first and above.
func (h *histogram) total(first int) uint64 {
	var n uint64
	for i := first; i < histBins; i++ {
		n += h.count[i]
	}
	return n
}
