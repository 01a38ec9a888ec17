package r128_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

// f32le encodes samples as ffmpeg's -f f32le does.
func f32le(x []float32) []byte {
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// raggedReader returns reads of random length, splitting samples and frames.
type raggedReader struct {
	r   io.Reader
	rng *rand.Rand
}

func (r raggedReader) Read(p []byte) (int, error) {
	return r.r.Read(p[:min(len(p), 1+r.rng.IntN(9000))])
}

func TestReadFrom(t *testing.T) {
	cfg := r128.Config{SampleRate: 48000, Channels: 2, TruePeak: true}
	x := noise(4.2, 2)
	want := measure(t, cfg, x)
	raw := f32le(x)

	t.Run("Ragged", func(t *testing.T) {
		m, err := r128.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		n, err := m.ReadFrom(raggedReader{bytes.NewReader(raw), rand.New(rand.NewPCG(1, 1))})
		if err != nil || n != int64(len(raw)) {
			t.Fatalf("ReadFrom = %d, %v; want %d, nil", n, err, len(raw))
		}
		if diff := cmp.Diff(want, m.Result()); diff != "" {
			t.Errorf("ReadFrom result differs from Write (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrUnexpectedEOF", func(t *testing.T) {
		m, err := r128.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		n, err := m.ReadFrom(bytes.NewReader(append(raw, 0, 0)))
		if !errors.Is(err, io.ErrUnexpectedEOF) || n != int64(len(raw)+2) {
			t.Errorf("ReadFrom = %d, %v; want %d, io.ErrUnexpectedEOF", n, err, len(raw)+2)
		}
		if diff := cmp.Diff(want, m.Result()); diff != "" {
			t.Errorf("result of the complete samples differs (-want +got):\n%s", diff)
		}
	})
	t.Run("ReaderError", func(t *testing.T) {
		m, err := r128.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		r := io.MultiReader(bytes.NewReader(raw[:4000]), iotest.ErrReader(boom))
		if n, err := m.ReadFrom(r); !errors.Is(err, boom) || n != 4000 {
			t.Errorf("ReadFrom = %d, %v; want 4000, %v", n, err, boom)
		}
		if got := m.Result().Frames; got != 500 {
			t.Errorf("Frames = %d, want 500", got)
		}
	})
}
