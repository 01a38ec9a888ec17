package r128

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Limits of [Config].
const (
	MinSampleRate = 4000   // Hz; the K-weighting shelf at 1.68 kHz must lie below Nyquist
	MaxSampleRate = 768000 // Hz
	MaxChannels   = 64
)

var (
	// ErrInvalidConfig is returned by [New] for a sample rate, channel count or
	// curve step out of range, or a layout whose channel count differs.
	ErrInvalidConfig = errors.New("r128: invalid config")
	// ErrUnknownLayout is returned by [New] and [Weights] for a channel layout or
	// channel name they do not know.
	ErrUnknownLayout = errors.New("r128: unknown channel layout")
)

// Config describes the stream a [Meter] measures.
type Config struct {
	SampleRate int    // Hz, MinSampleRate to MaxSampleRate
	Channels   int    // 1 to MaxChannels
	Layout     string // ffmpeg channel layout ("stereo", "5.1(side)", …); see [Weights]
	TruePeak   bool   // measure the true peak (4× oversampled); roughly doubles the cost

	// CurveStep is the spacing of the momentary and short-term loudness curve in
	// [Result.Curve], at least a millisecond; 0 records no curve. The curve is the
	// only part of the meter whose memory grows with the input: 16 bytes a point.
	CurveStep time.Duration
}

// Meter is a streaming EBU R 128 / BS.1770-4 loudness meter. Feed it interleaved
// float32 PCM with [Meter.Write] or [Meter.ReadFrom] and read the measurements with
// [Meter.Result] at any time. Its memory is fixed, about 380 KB plus 12 KB a channel
// (and 128 KB once ReadFrom is used), apart from the optional curve. A Meter is not
// safe for concurrent use.
type Meter struct {
	cfg      Config
	weights  []float64
	filters  []kFilter
	peaks    []float64 // sample peak per channel, linear
	tp       *tpFilter // nil without true peak
	tpHist   [][]float64
	tpPeak   float64 // interpolated peak over all channels, linear
	win      windows
	frames   int64
	nextTick int64 // first sample of the next tick (absolute)

	nonFinite int64
	carry     []float32 // the incomplete frame at the end of the last Write
	tickSums  []float64 // energy of each tick that ends in the current block
	tickEnds  []int     // frame offsets in the current block where ticks end
	clean     []float32 // the current block with non-finite samples zeroed
	raw       []byte    // ReadFrom buffers
	pcm       []float32
}

// blockFrames is how many frames are processed per channel at a time: enough to
// amortise per-block work, small enough to stay in L1 cache.
const blockFrames = 1024

// New returns a Meter for the stream cfg describes.
func New(cfg Config) (*Meter, error) {
	switch {
	case cfg.SampleRate < MinSampleRate || cfg.SampleRate > MaxSampleRate:
		return nil, fmt.Errorf("r128: sample rate %d Hz out of range [%d, %d]: %w", cfg.SampleRate, MinSampleRate, MaxSampleRate, ErrInvalidConfig)
	case cfg.Channels < 1 || cfg.Channels > MaxChannels:
		return nil, fmt.Errorf("r128: %d channels out of range [1, %d]: %w", cfg.Channels, MaxChannels, ErrInvalidConfig)
	case cfg.CurveStep < 0 || cfg.CurveStep > 0 && cfg.CurveStep < time.Millisecond:
		return nil, fmt.Errorf("r128: curve step %v below 1ms: %w", cfg.CurveStep, ErrInvalidConfig)
	}
	w, err := Weights(cfg.Layout, cfg.Channels)
	if err != nil {
		return nil, err
	}
	m := &Meter{
		cfg:      cfg,
		weights:  w,
		filters:  make([]kFilter, cfg.Channels),
		peaks:    make([]float64, cfg.Channels),
		carry:    make([]float32, 0, cfg.Channels),
		tickEnds: make([]int, 0, blockFrames/(cfg.SampleRate/ticksPerSecond)+2), // ticks are ≥ ⌊fs/1000⌋ samples
		clean:    make([]float32, blockFrames*cfg.Channels),
	}
	m.tickSums = make([]float64, cap(m.tickEnds))
	shelf, rlb := kWeighting(float64(cfg.SampleRate))
	for i := range m.filters {
		m.filters[i].shelf, m.filters[i].rlb = shelf, rlb
	}
	if cfg.TruePeak {
		m.tp = newTPFilter()
		m.tpHist = make([][]float64, cfg.Channels)
		for i := range m.tpHist {
			m.tpHist[i] = make([]float64, tpTaps-1+blockFrames)
		}
	}
	m.win.init(int64(cfg.SampleRate), int64(cfg.CurveStep))
	m.nextTick = m.win.bound(1)
	return m, nil
}

// Write measures interleaved samples, full scale ±1.0. Chunks may have any length
// and may split a frame; the results do not depend on how the stream is chunked.
// Non-finite samples (NaN, ±Inf) are measured as 0 and counted in
// [Result.NonFinite].
func (m *Meter) Write(samples []float32) {
	ch := m.cfg.Channels
	if len(m.carry) > 0 {
		n := copy(m.carry[len(m.carry):ch], samples)
		m.carry = m.carry[:len(m.carry)+n]
		samples = samples[n:]
		if len(m.carry) < ch {
			return
		}
		m.process(m.carry)
		m.carry = m.carry[:0]
	}
	whole := len(samples) / ch * ch
	for off := 0; off < whole; off += blockFrames * ch {
		m.process(samples[off:min(off+blockFrames*ch, whole)])
	}
	m.carry = append(m.carry, samples[whole:]...)
}

// ReadFrom measures little-endian float32 interleaved PCM (ffmpeg's -f f32le) from
// r until EOF and returns the number of bytes read. A stream that ends inside a
// sample returns an error wrapping [io.ErrUnexpectedEOF]; a trailing partial frame is
// ignored, as by [Meter.Write].
func (m *Meter) ReadFrom(r io.Reader) (int64, error) {
	const bufSize = 64 << 10
	if m.raw == nil {
		m.raw, m.pcm = make([]byte, bufSize), make([]float32, bufSize/4)
	}
	var total int64
	have := 0 // bytes of an incomplete sample left at the start of m.raw
	for {
		n, err := r.Read(m.raw[have:])
		total += int64(n)
		have += n
		pcm := m.pcm[:have/4]
		for i := range pcm {
			pcm[i] = math.Float32frombits(binary.LittleEndian.Uint32(m.raw[4*i:]))
		}
		m.Write(pcm)
		have = copy(m.raw, m.raw[4*len(pcm):have])
		switch {
		case err == io.EOF && have > 0:
			return total, fmt.Errorf("r128: stream ends %d bytes into a sample: %w", have, io.ErrUnexpectedEOF)
		case err == io.EOF:
			return total, nil
		case err != nil:
			return total, err
		}
	}
}

// process measures whole frames, at most blockFrames of them.
func (m *Meter) process(p []float32) {
	ch := m.cfg.Channels
	nf := len(p) / ch
	p = m.sanitize(p)

	// Frame offsets within p at which ticks end.
	m.tickEnds = m.tickEnds[:0]
	next := m.nextTick
	for next-m.frames <= int64(nf) {
		m.tickEnds = append(m.tickEnds, int(next-m.frames))
		next = m.win.bound(m.win.ticks + int64(len(m.tickEnds)) + 1)
	}
	m.nextTick = next

	for c := range ch {
		if w := m.weights[c]; w != 0 {
			f := &m.filters[c]
			start := 0
			for j, end := range m.tickEnds {
				f.run(p[start*ch+c:end*ch], ch)
				m.tickSums[j] += w * f.acc
				f.acc = 0
				f.flushDenormals()
				start = end
			}
			if start < nf {
				f.run(p[start*ch+c:], ch)
			}
		}
		if m.tp != nil {
			m.truePeak(c, p[c:], nf)
		} else {
			m.peaks[c] = samplePeak(p[c:], ch, m.peaks[c])
		}
	}
	for j := range m.tickEnds {
		m.win.tick(m.tickSums[j])
		m.tickSums[j] = 0
	}
	m.frames += int64(nf)
}

// truePeak deinterleaves nf samples of one channel (every Channels-th of x) behind
// the channel's history, updates its sample peak and the interpolated peak, and
// keeps the newest tpTaps−1 samples as history.
func (m *Meter) truePeak(c int, x []float32, nf int) {
	buf := m.tpHist[c][:tpTaps-1+nf]
	in := buf[tpTaps-1:]
	sp := m.peaks[c]
	ch := m.cfg.Channels
	for i := range in {
		v := float64(x[i*ch])
		in[i] = v
		if a := math.Abs(v); a > sp {
			sp = a
		}
	}
	m.peaks[c] = sp
	m.tpPeak = m.tp.peak(buf, m.tpPeak)
	copy(buf, buf[nf:])
}

// samplePeak returns the largest magnitude among every stride-th sample of x, at least p.
func samplePeak(x []float32, stride int, p float64) float64 {
	for i := 0; i < len(x); i += stride {
		if a := math.Abs(float64(x[i])); a > p {
			p = a
		}
	}
	return p
}

// sanitize returns p, or a copy of it with NaN and ±Inf replaced by 0.
func (m *Meter) sanitize(p []float32) []float32 {
	for i, v := range p {
		if v-v != 0 { // NaN or ±Inf
			return m.sanitizeFrom(p, i)
		}
	}
	return p
}

func (m *Meter) sanitizeFrom(p []float32, i int) []float32 {
	c := m.clean[:len(p)]
	copy(c, p)
	for ; i < len(c); i++ {
		if v := c[i]; v-v != 0 {
			c[i] = 0
			m.nonFinite++
		}
	}
	return c
}
