package analyze_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"slices"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/contract"
)

// TestServiceWaveform checks the stored files: the JSON has peaks.js's fields and
// the peaks of a direct computation, the .dat the same header, the PNG the
// requested size and colours.
func TestServiceWaveform(t *testing.T) {
	b := setup(t)
	// A 441 Hz tone rising from silence to 1.25 (clipping) over 3 s.
	x := make([]float32, 3*rate)
	for i := range x {
		x[i] = float32(1.25 * float64(i) / float64(len(x)) * math.Sin(2*math.Pi*441*float64(i)/rate))
	}
	b.putSamples(t, "ramp", x)
	for _, bits := range []int{8, 16} {
		t.Run(fmt.Sprintf("%dBits", bits), func(t *testing.T) {
			o := analyze.Options{Features: []string{"waveform"}, Waveform: contract.AnalyzeWaveformOptions{
				SamplesPerPixel: 300, Bits: bits,
				PNG: contract.AnalyzePNGOptions{WidthPx: 320, HeightPx: 90, BackgroundColor: "#ffffff", WaveformColor: "#102030"},
			}}
			res, err := b.analyze(t, "ramp", o)
			if err != nil {
				t.Fatal(err)
			}
			w := res.Waveform
			var data peaksJS
			if err := json.Unmarshal(b.read(t, w.JSON.Key), &data); err != nil {
				t.Fatalf("waveform.json: %v", err)
			}
			want := directPeaks(x, 300, bits)
			if data.Version != 2 || data.Channels != 1 || data.SampleRate != rate || data.SamplesPerPixel != 300 ||
				data.Bits != bits || data.Length != len(want)/2 || len(data.Data) != 2*data.Length {
				t.Errorf("header %+v, want version 2, 1 channel, %d Hz, 300 samples per pixel, %d bits, %d pixels",
					data.header(), rate, bits, len(want)/2)
			}
			if !slices.Equal(data.Data, want) {
				t.Errorf("peaks differ from the direct computation:\n got %v\nwant %v", head(data.Data), head(want))
			}
			if w.SamplesPerPixel != 300 || w.Bits != bits || w.LengthPx != data.Length || w.SampleRateHz != rate ||
				w.JSON.ContentType != "application/json" || w.JSON.SizeBytes != int64(len(b.read(t, w.JSON.Key))) {
				t.Errorf("summary %+v disagrees with the file", w)
			}
			checkDat(t, b.read(t, w.Dat.Key), bits, data.Length)
			checkPNG(t, b.read(t, w.PNG.Key), 320, 90, [3]uint8{0xff, 0xff, 0xff}, [3]uint8{0x10, 0x20, 0x30})
		})
	}
}

// peaksJS is the JSON waveform data that peaks.js (waveform-data.js) loads.
type peaksJS struct {
	Version         int   `json:"version"`
	Channels        int   `json:"channels"`
	SampleRate      int   `json:"sample_rate"`
	SamplesPerPixel int   `json:"samples_per_pixel"`
	Bits            int   `json:"bits"`
	Length          int   `json:"length"`
	Data            []int `json:"data"`
}

func (p peaksJS) header() peaksJS { p.Data = nil; return p }

// directPeaks computes min/max pairs the way audiowaveform defines them: windows of
// spp samples, each sample as 16-bit PCM (round half to even, clipped), 8-bit
// values by C integer division by 256.
func directPeaks(x []float32, spp, bits int) []int {
	var out []int
	for start := 0; start < len(x); start += spp {
		lo, hi := math.MaxInt, math.MinInt
		for _, v := range x[start:min(start+spp, len(x))] {
			q := int(math.Max(-32768, math.Min(32767, math.RoundToEven(float64(v)*32768))))
			lo, hi = min(lo, q), max(hi, q)
		}
		if bits == 8 {
			lo, hi = lo/256, hi/256
		}
		out = append(out, lo, hi)
	}
	return out
}

func checkDat(t *testing.T, dat []byte, bits, length int) {
	t.Helper()
	size := bits / 8
	if len(dat) != 24+2*size*length {
		t.Fatalf("waveform.dat is %d bytes, want %d", len(dat), 24+2*size*length)
	}
	le := func(i int) int {
		return int(int32(uint32(dat[i]) | uint32(dat[i+1])<<8 | uint32(dat[i+2])<<16 | uint32(dat[i+3])<<24))
	}
	flags := 0
	if bits == 8 {
		flags = 1
	}
	if le(0) != 2 || le(4) != flags || le(8) != rate || le(12) != 300 || le(16) != length || le(20) != 1 {
		t.Errorf("waveform.dat header %v, want version 2, flags %d, %d Hz, 300, %d pixels, 1 channel",
			[]int{le(0), le(4), le(8), le(12), le(16), le(20)}, flags, rate, length)
	}
}

func checkPNG(t *testing.T, data []byte, width, height int, bg, fg [3]uint8) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("waveform.png: %v", err)
	}
	if r := img.Bounds(); r.Dx() != width || r.Dy() != height {
		t.Fatalf("waveform.png is %dx%d, want %dx%d", r.Dx(), r.Dy(), width, height)
	}
	counts := map[[3]uint8]int{}
	for y := range height {
		for x := range width {
			r, g, b, _ := img.At(x, y).RGBA()
			counts[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}]++
		}
	}
	if counts[bg] == 0 || counts[fg] == 0 || counts[bg]+counts[fg] != width*height {
		t.Errorf("waveform.png colours %v, want only background %v and waveform %v", counts, bg, fg)
	}
}

func head(v []int) []int { return v[:min(len(v), 16)] }
