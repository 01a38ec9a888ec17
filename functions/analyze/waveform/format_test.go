package waveform_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

// peaksJS has exactly the fields peaks.js (waveform-data.js) reads from
// audiowaveform's JSON.
type peaksJS struct {
	Version         int   `json:"version"`
	Channels        int   `json:"channels"`
	SampleRate      int   `json:"sample_rate"`
	SamplesPerPixel int   `json:"samples_per_pixel"`
	Bits            int   `json:"bits"`
	Length          int   `json:"length"`
	Data            []int `json:"data"`
}

func TestWriteJSON(t *testing.T) {
	samples := append(sineRamp(20000, 1.2), square(3001, 50, 1)...)
	for _, bits := range []int{8, 16} {
		t.Run(map[int]string{8: "8-bit", 16: "16-bit"}[bits], func(t *testing.T) {
			p := mustCompute(t, waveform.Config{SampleRate: 48000, SamplesPerPixel: 512, Bits: bits}, samples)
			var buf bytes.Buffer
			if err := p.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()

			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			var got peaksJS
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("decode %s: %v", out, err)
			}
			want := peaksJS{Version: 2, Channels: 1, SampleRate: 48000, SamplesPerPixel: 512, Bits: bits, Length: (len(samples) + 511) / 512}
			if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Data" }, cmp.Ignore())); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if len(got.Data) != 2*got.Length*got.Channels {
				t.Errorf("len(data) = %d, want 2 * length %d * channels %d", len(got.Data), got.Length, got.Channels)
			}
			lo, hi := -1<<(bits-1), 1<<(bits-1)-1
			for i, v := range got.Data {
				if v < lo || v > hi {
					t.Fatalf("data[%d] = %d, outside [%d, %d]", i, v, lo, hi)
				}
			}
			wantData := []int{}
			for _, v := range directPeaks(samples, 512, bits) {
				wantData = append(wantData, int(v))
			}
			if diff := cmp.Diff(wantData, got.Data); diff != "" {
				t.Errorf("data mismatch (-want +got):\n%s", diff)
			}

			keys := jsonKeys(t, out)
			wantKeys := []string{"version", "channels", "sample_rate", "samples_per_pixel", "bits", "length", "data"}
			if diff := cmp.Diff(wantKeys, keys); diff != "" {
				t.Errorf("field order (-want +got):\n%s", diff)
			}
			// audiowaveform writes compact JSON and a final newline, which is
			// what encoding/json gives for Peaks plus the newline.
			marshalled, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(marshalled, '\n'), out) {
				t.Errorf("WriteJSON = %.200s…, want encoding/json's %.200s… and a newline", out, marshalled)
			}
		})
	}
}

// jsonKeys returns the keys of the top-level object in data, in order.
func jsonKeys(tb testing.TB, data []byte) []string {
	tb.Helper()
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return keys
		}
		if err != nil {
			tb.Fatalf("tokens of %s: %v", data, err)
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, tok)
			}
		}
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	p := mustCompute(t, waveform.Config{SampleRate: 8000, Bits: 8}, nil)
	var buf bytes.Buffer
	if err := p.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{"version":2,"channels":1,"sample_rate":8000,"samples_per_pixel":256,"bits":8,"length":0,"data":[]}` + "\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteJSON = %q, want %q", got, want)
	}
}

func TestDatHeaderLayout(t *testing.T) {
	tests := []struct {
		bits      int
		flags     uint32
		valueSize int
	}{
		{8, 1, 1},
		{16, 0, 2},
	}
	for _, tt := range tests {
		p := mustCompute(t, waveform.Config{SampleRate: 44100, SamplesPerPixel: 300, Bits: tt.bits}, sineRamp(10000, 0.9))
		var buf bytes.Buffer
		if err := p.WriteDat(&buf); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		if len(b) != 24+2*p.Length*tt.valueSize {
			t.Fatalf("%d bits: %d bytes, want 24 + %d", tt.bits, len(b), 2*p.Length*tt.valueSize)
		}
		le := binary.LittleEndian
		header := []uint32{le.Uint32(b[0:]), le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:]), le.Uint32(b[16:]), le.Uint32(b[20:])}
		want := []uint32{2, tt.flags, 44100, 300, 34, 1} // 34 = ceil(10000 / 300)
		if diff := cmp.Diff(want, header); diff != "" {
			t.Errorf("%d bits: header (version, flags, rate, spp, length, channels) (-want +got):\n%s", tt.bits, diff)
		}
		for i, v := range p.Data {
			var got int16
			if tt.valueSize == 1 {
				got = int16(int8(b[24+i]))
			} else {
				got = int16(le.Uint16(b[24+2*i:]))
			}
			if got != v {
				t.Fatalf("%d bits: value %d = %d, want %d", tt.bits, i, got, v)
			}
		}
	}
}

func TestDatRoundTrip(t *testing.T) {
	samples := append(square(5000, 30, 1), noise(7777, 1.4, 9)...)
	configs := []waveform.Config{
		{SampleRate: 44100, SamplesPerPixel: 2, Bits: 8},
		{SampleRate: 48000, SamplesPerPixel: 256, Bits: 16},
		{SampleRate: 96000, Width: 1000, Bits: 16},
		{SampleRate: 8000, Bits: 8},
	}
	for _, cfg := range configs {
		p := mustCompute(t, cfg, samples)
		var buf bytes.Buffer
		if err := p.WriteDat(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := waveform.ReadDat(&buf)
		if err != nil {
			t.Fatalf("%+v: ReadDat: %v", cfg, err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("%+v: round trip mismatch (-want +got):\n%s", cfg, diff)
		}
	}
}

// datFile builds a .dat file field by field.
func datFile(version int32, flags uint32, rate, spp int32, length uint32, channels int32, values ...byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, uint32(version))
	b = le.AppendUint32(b, flags)
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(spp))
	b = le.AppendUint32(b, length)
	if version == 2 {
		b = le.AppendUint32(b, uint32(channels))
	}
	return append(b, values...)
}

func TestReadDat(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    *waveform.Peaks
		wantErr error
	}{
		{
			name: "version 1 8-bit, as audiowaveform writes mono",
			in:   datFile(1, 1, 44100, 512, 2, 0, 0xff, 0x02, 0x80, 0x7f),
			want: &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 44100, SamplesPerPixel: 512, Bits: 8, Length: 2, Data: []int16{-1, 2, -128, 127}},
		},
		{
			name: "version 2 16-bit",
			in:   datFile(2, 0, 8000, 2, 1, 1, 0x00, 0x80, 0xff, 0x7f),
			want: &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 8000, SamplesPerPixel: 2, Bits: 16, Length: 1, Data: []int16{-32768, 32767}},
		},
		{
			name: "unused flag bits ignored, trailing bytes not read",
			in:   datFile(2, 0xfffe, 8000, 2, 0, 1, 0xaa),
			want: &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 8000, SamplesPerPixel: 2, Bits: 16, Length: 0, Data: []int16{}},
		},
		{name: "empty", in: nil, wantErr: io.ErrUnexpectedEOF},
		{name: "short header", in: datFile(2, 0, 8000, 2, 0, 1)[:22], wantErr: io.ErrUnexpectedEOF},
		{name: "short data", in: datFile(1, 0, 8000, 2, 2, 0, 1, 2, 3, 4, 5), wantErr: io.ErrUnexpectedEOF},
		{name: "forged length", in: datFile(1, 1, 8000, 2, math.MaxUint32, 0, 1, 2), wantErr: io.ErrUnexpectedEOF},
		{name: "version 3", in: datFile(3, 0, 8000, 2, 0, 1), wantErr: waveform.ErrInvalidDat},
		{name: "two channels", in: datFile(2, 0, 8000, 2, 0, 2), wantErr: waveform.ErrInvalidDat},
		{name: "zero sample rate", in: datFile(2, 0, 0, 2, 0, 1), wantErr: waveform.ErrInvalidDat},
		{name: "one sample per pixel", in: datFile(2, 0, 8000, 1, 0, 1), wantErr: waveform.ErrInvalidDat},
		{name: "min above max", in: datFile(1, 1, 8000, 2, 1, 0, 0x05, 0x01), wantErr: waveform.ErrInvalidDat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := waveform.ReadDat(bytes.NewReader(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadDat error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadDat mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodersRejectInvalidPeaks(t *testing.T) {
	valid := func() *waveform.Peaks {
		return &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 8000, SamplesPerPixel: 256, Bits: 8, Length: 1, Data: []int16{-3, 4}}
	}
	tests := []struct {
		name   string
		modify func(*waveform.Peaks)
	}{
		{"version 1", func(p *waveform.Peaks) { p.Version = 1 }},
		{"two channels", func(p *waveform.Peaks) { p.Channels = 2 }},
		{"no sample rate", func(p *waveform.Peaks) { p.SampleRate = 0 }},
		{"one sample per pixel", func(p *waveform.Peaks) { p.SamplesPerPixel = 1 }},
		{"bits 24", func(p *waveform.Peaks) { p.Bits = 24 }},
		{"length mismatch", func(p *waveform.Peaks) { p.Length = 2 }},
		{"8-bit value out of range", func(p *waveform.Peaks) { p.Data[1] = 128 }},
		{"min above max", func(p *waveform.Peaks) { p.Data[0] = 5 }},
	}
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid peaks: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.modify(p)
			for name, write := range map[string]func(io.Writer) error{"WriteJSON": p.WriteJSON, "WriteDat": p.WriteDat} {
				var buf bytes.Buffer
				if err := write(&buf); !errors.Is(err, waveform.ErrInvalidPeaks) {
					t.Errorf("%s error = %v, want ErrInvalidPeaks", name, err)
				}
				if buf.Len() != 0 {
					t.Errorf("%s wrote %d bytes of invalid peaks", name, buf.Len())
				}
			}
			if err := p.RenderPNG(io.Discard, waveform.PNGOptions{}); !errors.Is(err, waveform.ErrInvalidPeaks) {
				t.Errorf("RenderPNG error = %v, want ErrInvalidPeaks", err)
			}
		})
	}
}
