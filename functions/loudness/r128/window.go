package r128

// The K-weighted, channel-weighted energy is summed over ticks of 1 ms: tick k
// covers samples [k·fs/1000, (k+1)·fs/1000). Every sliding window is a whole number
// of ticks, so the momentary (400 ms) and short-term (3 s) windows are evaluated
// at every tick, from sliding sums of the tick energies. Gating blocks
// (BS.1770-4: 400 ms, 75 % overlap) and the short-term values for the loudness range
// (Tech 3342: 3 s, at least 2.9 s overlap) are the windows that end on multiples of
// 100 ms from the start of the stream.
//
// Why 1 ms: BS.1770 fixes the windows but not how often they are evaluated, and the
// maximum momentary loudness depends on it. A 400 ms tone that starts δ after the
// nearest window boundary reads 10·log10(1 − δ/400 ms) dB low; with a hop h the worst
// case is δ = h/2. ffmpeg's 100 ms hop under-reads by up to 0.58 dB (it fails three
// of Tech 3341's case 13 signals, which need ±0.1 LU); a 10 ms hop would still lose
// 0.055 dB, 1 ms loses at most 0.0054 dB. Per tick the cost is a few additions and
// one division, against about 48 samples of filtering.
const (
	ticksPerSecond = 1000
	momentaryTicks = 400  // 400 ms
	shortTermTicks = 3000 // 3 s
	blockHopTicks  = 100  // 100 ms between gating blocks and between LRA values
)

// windows turns tick energies into momentary and short-term loudness, feeds the
// gating histograms and records the loudness curve.
type windows struct {
	rate  int64 // samples per second
	ticks int64 // ticks completed

	momentary, shortTerm slider

	mMax, sMax float64 // largest mean-square energy of a full window; −1 before one

	blocks histogram // 400 ms gating blocks, for integrated loudness
	shorts histogram // 3 s values every 100 ms, for the loudness range

	curveStep int64 // time between curve points, in ns; 0 for no curve
	curveNext int64 // tick at which the next curve point is due
	curveM    []float64
	curveS    []float64
}

// init prepares w, in place: its histograms are too large to copy around.
func (w *windows) init(rate int64, curveStep int64) {
	w.rate = rate
	w.momentary, w.shortTerm = newSlider(momentaryTicks), newSlider(shortTermTicks)
	w.mMax, w.sMax = -1, -1
	w.curveStep = curveStep
	if curveStep > 0 {
		w.curveNext = w.curveTick(1)
	}
}

// bound returns the first sample of tick k.
func (w *windows) bound(k int64) int64 { return k * w.rate / ticksPerSecond }

// samples returns how many samples the window of n ticks ending at tick end
// (exclusive) spans.
func (w *windows) samples(end, n int64) int64 { return w.bound(end) - w.bound(end-n) }

// tick consumes the weighted energy e of the next tick.
func (w *windows) tick(e float64) {
	mSum, sSum := w.momentary.push(e), w.shortTerm.push(e)
	w.ticks++
	t := w.ticks
	if t >= momentaryTicks {
		ms := mSum / float64(w.samples(t, momentaryTicks))
		w.mMax = max(w.mMax, ms)
		if t%blockHopTicks == 0 {
			w.blocks.add(ms)
		}
	}
	if t >= shortTermTicks {
		ss := sSum / float64(w.samples(t, shortTermTicks))
		w.sMax = max(w.sMax, ss)
		if t%blockHopTicks == 0 {
			w.shorts.add(ss)
		}
	}
	if w.curveStep > 0 && t == w.curveNext {
		w.curveM = append(w.curveM, w.level(mSum, t, momentaryTicks))
		w.curveS = append(w.curveS, w.level(sSum, t, shortTermTicks))
		w.curveNext = w.curveTick(len(w.curveM) + 1)
	}
}

// level returns the loudness of the window of n ticks ending at tick t with energy
// sum s; a window reaching back before the stream counts the missing part as silence.
func (w *windows) level(s float64, t, n int64) float64 {
	return loudness(s / float64(w.samples(max(t, n), n)))
}

// curveTick returns the tick of the i-th curve point (1-based), at i·step rounded to
// the nearest millisecond.
func (w *windows) curveTick(i int) int64 {
	const nsPerTick = 1e9 / ticksPerSecond
	return (int64(i)*w.curveStep + nsPerTick/2) / nsPerTick
}

// slider sums the last n values pushed, without subtracting: a running sum that
// adds the newest value and subtracts the oldest loses everything below its rounding
// error (1e-16 of the loudest recent value) and can even turn negative, so silence
// after loud passages would read as noise or NaN. Instead the stream is cut into
// blocks of n values: the window is a suffix of the previous block plus the prefix
// of the current one, and the previous block's suffix sums are computed once, when
// it completes. Every sum is of non-negative terms, so it is exact to a relative
// 1e-13 and exactly zero for silence, at three additions per value.
type slider struct {
	block  []float64 // values of the current block
	suffix []float64 // suffix[i]: sum of the previous block's values i… (zero before the stream)
	prefix float64   // sum of the current block's values
	pos    int       // values in the current block
}

func newSlider(n int) slider {
	return slider{block: make([]float64, n), suffix: make([]float64, n)}
}

// push adds v and returns the sum of the last n values, counting values before the
// first as zero.
func (s *slider) push(v float64) float64 {
	s.block[s.pos] = v
	s.pos++
	s.prefix += v
	if s.pos < len(s.block) {
		return s.suffix[s.pos] + s.prefix
	}
	sum := s.prefix
	acc := 0.0
	for i := len(s.block) - 1; i >= 0; i-- {
		acc += s.block[i]
		s.suffix[i] = acc
	}
	s.pos, s.prefix = 0, 0
	return sum
}
