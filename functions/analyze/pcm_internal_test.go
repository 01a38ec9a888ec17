package analyze

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

// TestPCMSink writes the same PCM in pieces of random sizes, splitting samples
// between writes: the kept samples and the peaks are those of the whole.
func TestPCMSink(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, 3*firstBlock+12345)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 0.3)
	}
	pcm := encode(x)
	want, err := waveform.Compute(waveform.Config{SampleRate: 1, SamplesPerPixel: 512}, x)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		limit int
		max   int // largest write in bytes
	}{
		{"KeepAllOneBlock", len(x), 1 << 22},
		{"KeepAllSmallWrites", len(x), 7},
		{"KeepAllPipeWrites", len(x), 65536},
		{"LimitInFirstBlock", 1000, 4099},
		{"LimitInThirdBlock", 3*firstBlock + 1, 65533},
		{"KeepNone", 0, 65536},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := waveform.NewBuilder(waveform.Config{SampleRate: 1, SamplesPerPixel: 512})
			if err != nil {
				t.Fatal(err)
			}
			s := newPCMSink(b, tt.limit)
			for p := pcm; len(p) > 0; {
				n := min(len(p), 1+r.IntN(tt.max))
				if w, err := s.Write(p[:n]); w != n || err != nil {
					t.Fatalf("Write = %d, %v; want %d, nil", w, err, n)
				}
				p = p[n:]
			}
			if got := s.samples(); !slices.Equal(got, x[:tt.limit]) {
				t.Errorf("kept %d samples, want the first %d of the input", len(got), tt.limit)
			}
			got, err := b.Finish()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("peaks (-whole +pieces):\n%s", diff)
			}
		})
	}
}

// TestPCMSinkNonFinite checks that NaN and infinities arrive as silence.
func TestPCMSinkNonFinite(t *testing.T) {
	x := []float32{0.5, float32(math.NaN()), float32(math.Inf(1)), -0.25, float32(math.Inf(-1))}
	s := newPCMSink(nil, len(x))
	if _, err := s.Write(encode(x)); err != nil {
		t.Fatal(err)
	}
	if got, want := s.samples(), []float32{0.5, 0, 0, -0.25, 0}; !slices.Equal(got, want) {
		t.Errorf("samples = %v, want %v", got, want)
	}
}

func encode(x []float32) []byte {
	b := make([]byte, 0, 4*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}
