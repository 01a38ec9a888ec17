package analyze

import (
	"encoding/binary"
	"io"
	"math"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

const (
	// chunkSamples is the size of the conversion buffer: pipe writes are at most
	// this big in practice, and larger ones are converted in pieces.
	chunkSamples = 16 << 10
	// firstBlock is the size of the first block of kept samples, 4 MiB: 23.8 s at
	// 44.1 kHz, so that a clip is kept in one block and never copied. Each further
	// block is twice the size of the one before.
	firstBlock = 1 << 20
)

// pcmSink receives the decoder's output, mono 32-bit float little-endian PCM, in
// writes of any size. It passes every sample to the waveform builder, which keeps
// only peaks, and keeps the first samples, up to a limit, for tempo and key. It
// holds nothing else, so memory stays bounded whatever the input's length.
type pcmSink struct {
	wave   *waveform.Builder // nil when the waveform is not wanted
	limit  int               // samples to keep for tempo and key
	blocks [][]float32       // the kept samples: full blocks, then the one filling
	n      int               // number of kept samples
	buf    []float32
	part   [4]byte // a sample split between two writes
	npart  int
}

func newPCMSink(wave *waveform.Builder, limit int) *pcmSink {
	return &pcmSink{wave: wave, limit: limit, buf: make([]float32, chunkSamples)}
}

// Write converts p to samples and hands them on.
func (s *pcmSink) Write(p []byte) (int, error) {
	n := len(p)
	if s.npart > 0 {
		c := copy(s.part[s.npart:], p)
		s.npart += c
		p = p[c:]
		if s.npart < len(s.part) {
			return n, nil
		}
		s.buf[0] = sampleAt(s.part[:])
		s.take(s.buf[:1])
		s.npart = 0
	}
	for len(p) >= 4 {
		m := min(len(p)/4, len(s.buf))
		out := s.buf[:m]
		for i := range out {
			out[i] = sampleAt(p[4*i:])
		}
		s.take(out)
		p = p[4*m:]
	}
	s.npart = copy(s.part[:], p)
	return n, nil
}

// take hands converted samples on.
func (s *pcmSink) take(x []float32) {
	if s.wave != nil {
		s.wave.Write(x)
	}
	// Blocks, rather than one growing slice, copy each sample once at most,
	// whatever the input's length.
	for len(x) > 0 && s.n < s.limit {
		last := len(s.blocks) - 1
		if last < 0 || len(s.blocks[last]) == cap(s.blocks[last]) {
			size := min(firstBlock<<len(s.blocks), s.limit-s.n)
			s.blocks = append(s.blocks, make([]float32, 0, size))
			last++
		}
		b := s.blocks[last]
		c := min(len(x), cap(b)-len(b))
		s.blocks[last] = append(b, x[:c]...)
		x = x[c:]
		s.n += c
	}
}

// samples returns the kept samples as one slice, copying them only when they fill
// more than one block.
func (s *pcmSink) samples() []float32 {
	switch len(s.blocks) {
	case 0:
		return nil
	case 1:
		return s.blocks[0]
	}
	all := make([]float32, 0, s.n)
	for i, b := range s.blocks {
		all = append(all, b...)
		s.blocks[i] = nil
	}
	s.blocks = s.blocks[:0]
	return all
}

// sampleAt decodes the little-endian float32 at the start of b. NaN and
// infinities, which only a float PCM file can hold, count as silence: the
// estimators refuse them, and one bad sample should not cost the whole analysis.
func sampleAt(b []byte) float32 {
	v := math.Float32frombits(binary.LittleEndian.Uint32(b))
	if v-v != 0 { // NaN or ±Inf
		return 0
	}
	return v
}

var _ io.Writer = (*pcmSink)(nil)
