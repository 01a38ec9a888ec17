package waveform_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

var (
	defaultBackground = color.NRGBA{0xd6, 0xd6, 0xd6, 0xff}
	defaultWave       = color.NRGBA{0x3f, 0x4d, 0x9b, 0xff}
)

// renderDecode renders p as a PNG and decodes it again.
func renderDecode(tb testing.TB, p *waveform.Peaks, opts waveform.PNGOptions) image.Image {
	tb.Helper()
	var buf bytes.Buffer
	if err := p.RenderPNG(&buf, opts); err != nil {
		tb.Fatalf("RenderPNG(%+v): %v", opts, err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		tb.Fatalf("decode rendered PNG: %v", err)
	}
	return img
}

func colorAt(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// waveRows returns the first and last row of column x in colour c, or -1, -1.
func waveRows(img image.Image, x int, c color.NRGBA) (first, last int) {
	first, last = -1, -1
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		if colorAt(img, x, y) == c {
			if first < 0 {
				first = y
			}
			last = y
		}
	}
	return first, last
}

// rowOf is audiowaveform's mapping of a 16-bit value to a row of an image
// height pixels high.
func rowOf(v, height int) int { return height - 1 - (v+32768)*height/65536 }

// pixelPeaks returns 16-bit Peaks holding the given min, max pairs.
func pixelPeaks(pairs ...int16) *waveform.Peaks {
	return &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 44100, SamplesPerPixel: 256, Bits: 16, Length: len(pairs) / 2, Data: pairs}
}

func TestRenderPNGSquareAfterSilence(t *testing.T) {
	samples := append(make([]float32, 22050), square(22050, 100, 1)...)
	p := mustCompute(t, waveform.Config{SampleRate: testRate, SamplesPerPixel: 441, Bits: 8}, samples)
	const w, h = 200, 100
	img := renderDecode(t, p, waveform.PNGOptions{Width: w, Height: h})
	if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
		t.Fatalf("Bounds = %v, want %dx%d", got, w, h)
	}
	tests := []struct {
		name string
		x, y int
		want color.NRGBA
	}{
		{"top left corner", 0, 0, defaultBackground},
		{"bottom left corner", 0, h - 1, defaultBackground},
		{"silence above the zero line", 50, rowOf(0, h) - 1, defaultBackground},
		{"silence on the zero line", 50, rowOf(0, h), defaultWave},
		{"square wave centre", 150, h / 2, defaultWave},
		{"square wave top", 150, 0, defaultWave},
		{"square wave bottom", 199, h - 1, defaultWave},
	}
	for _, tt := range tests {
		if got := colorAt(img, tt.x, tt.y); got != tt.want {
			t.Errorf("%s: pixel (%d, %d) = %v, want %v", tt.name, tt.x, tt.y, got, tt.want)
		}
	}
}

func TestRenderResamplesPeaks(t *testing.T) {
	const h = 101
	t.Run("more peaks than columns", func(t *testing.T) {
		data := make([]int16, 2000)
		data[2*555], data[2*555+1] = -16384, 16384 // in column 5 of 10
		data[2*999+1] = 8000                       // last pixel, column 9
		img := renderDecode(t, pixelPeaks(data...), waveform.PNGOptions{Width: 10, Height: h})
		for x := range 10 {
			lo, hi := 0, 0
			switch x {
			case 5:
				lo, hi = -16384, 16384
			case 9:
				hi = 8000
			}
			first, last := waveRows(img, x, defaultWave)
			if first != rowOf(hi, h) || last != rowOf(lo, h) {
				t.Errorf("column %d spans rows %d..%d, want %d..%d", x, first, last, rowOf(hi, h), rowOf(lo, h))
			}
		}
	})
	t.Run("fewer peaks than columns", func(t *testing.T) {
		values := []int16{1000, -2000, 3000}
		img := renderDecode(t, pixelPeaks(values[0], values[0], values[1], values[1], values[2], values[2]),
			waveform.PNGOptions{Width: 6, Height: h})
		for x := range 6 {
			v := int(values[x/2])
			if first, last := waveRows(img, x, defaultWave); first != rowOf(v, h) || last != rowOf(v, h) {
				t.Errorf("column %d spans rows %d..%d, want row %d", x, first, last, rowOf(v, h))
			}
		}
	})
	t.Run("8-bit draws as 16-bit times 256", func(t *testing.T) {
		p16 := pixelPeaks(-256*100, 256*7, -256*128, 256*127, 0, 256)
		p8 := pixelPeaks(-100, 7, -128, 127, 0, 1)
		p8.Bits = 8
		opts := waveform.PNGOptions{Width: 30, Height: 77}
		a, err := p16.Image(opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := p8.Image(opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Error("8-bit and 16-bit peaks of equal amplitude render differently")
		}
	})
}

func TestRenderAmplitudeScale(t *testing.T) {
	const h = 64
	p := pixelPeaks(0, 3277, 0, 0, -1, 1) // 3277 is -20 dBFS; 1 is below -60 dBFS
	tests := []struct {
		name string
		opts waveform.PNGOptions
		rows [3]int // top row of the three columns
	}{
		{"linear", waveform.PNGOptions{}, [3]int{28, 31, 31}},
		{"gain 2", waveform.PNGOptions{Gain: 2}, [3]int{25, 31, 31}},
		{"auto gain", waveform.PNGOptions{AutoGain: true}, [3]int{0, 31, 31}},
		{"log", waveform.PNGOptions{Scale: waveform.ScaleLog}, [3]int{10, 31, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Width, tt.opts.Height = 3, h
			img := renderDecode(t, p, tt.opts)
			for x, want := range tt.rows {
				if first, _ := waveRows(img, x, defaultWave); first != want {
					t.Errorf("column %d starts at row %d, want %d", x, first, want)
				}
			}
		})
	}
}

func TestRenderOptions(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		img := renderDecode(t, pixelPeaks(), waveform.PNGOptions{})
		if got := img.Bounds().Size(); got != image.Pt(waveform.DefaultImageWidth, waveform.DefaultImageHeight) {
			t.Errorf("size = %v, want %dx%d", got, waveform.DefaultImageWidth, waveform.DefaultImageHeight)
		}
		if got := colorAt(img, 900, 140); got != defaultBackground {
			t.Errorf("empty peaks: pixel = %v, want background %v", got, defaultBackground)
		}
	})
	t.Run("axis, border and alpha", func(t *testing.T) {
		const w, h = 40, 30
		p := pixelPeaks(16384, 16384) // a positive DC offset leaves the zero line free
		img := renderDecode(t, p, waveform.PNGOptions{
			Width: w, Height: h,
			BackgroundColor: "#FF000080", WaveformColor: "#00ff00",
			AxisColor: "#0000ff", BorderColor: "#123456",
		})
		bg, wave := color.NRGBA{0xff, 0, 0, 0x80}, color.NRGBA{0, 0xff, 0, 0xff}
		axis, border := color.NRGBA{0, 0, 0xff, 0xff}, color.NRGBA{0x12, 0x34, 0x56, 0xff}
		plotH := h - 2
		tests := []struct {
			name string
			x, y int
			want color.NRGBA
		}{
			{"corner", 0, 0, border},
			{"right edge", w - 1, 15, border},
			{"bottom edge", 20, h - 1, border},
			{"background", 20, 2, bg},
			{"axis", 20, 1 + rowOf(0, plotH), axis},
			{"axis at the left of the plot", 1, 1 + rowOf(0, plotH), axis},
			{"waveform", 20, 1 + rowOf(16384, plotH), wave},
			{"waveform at the right of the plot", w - 2, 1 + rowOf(16384, plotH), wave},
		}
		for _, tt := range tests {
			if got := colorAt(img, tt.x, tt.y); got != tt.want {
				t.Errorf("%s: pixel (%d, %d) = %v, want %v", tt.name, tt.x, tt.y, got, tt.want)
			}
		}
	})
}

func TestRenderOptionErrors(t *testing.T) {
	tests := []struct {
		name   string
		opts   waveform.PNGOptions
		option string
	}{
		{"huge width", waveform.PNGOptions{Width: 100000, Height: 100000}, "image_width"},
		{"negative width", waveform.PNGOptions{Width: -1}, "image_width"},
		{"huge height", waveform.PNGOptions{Height: waveform.MaxImageHeight + 1}, "image_height"},
		{"negative height", waveform.PNGOptions{Height: -3}, "image_height"},
		{"bad background", waveform.PNGOptions{BackgroundColor: "red"}, "background_color"},
		{"short waveform colour", waveform.PNGOptions{WaveformColor: "#12345"}, "waveform_color"},
		{"bad axis digits", waveform.PNGOptions{AxisColor: "#12345g"}, "axis_color"},
		{"bad border", waveform.PNGOptions{BorderColor: "#1234567"}, "border_color"},
		{"unknown scale", waveform.PNGOptions{Scale: "cubic"}, "scale"},
		{"negative gain", waveform.PNGOptions{Gain: -1}, "gain"},
		{"NaN gain", waveform.PNGOptions{Gain: math.NaN()}, "gain"},
		{"gain with auto gain", waveform.PNGOptions{Gain: 2, AutoGain: true}, "gain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := pixelPeaks(0, 1).RenderPNG(&buf, tt.opts)
			var oe *waveform.OptionError
			if !errors.As(err, &oe) || oe.Option != tt.option || !errors.Is(err, waveform.ErrInvalidOption) {
				t.Fatalf("RenderPNG(%+v) error = %v, want an OptionError for %q", tt.opts, err, tt.option)
			}
			if buf.Len() != 0 {
				t.Errorf("RenderPNG wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestParseColor(t *testing.T) {
	tests := []struct {
		in      string
		want    color.NRGBA
		wantErr bool
	}{
		{in: "#000000", want: color.NRGBA{0, 0, 0, 0xff}},
		{in: "#3f4d9b", want: color.NRGBA{0x3f, 0x4d, 0x9b, 0xff}},
		{in: "#3F4D9B", want: color.NRGBA{0x3f, 0x4d, 0x9b, 0xff}},
		{in: "#ffffff00", want: color.NRGBA{0xff, 0xff, 0xff, 0}},
		{in: "#01020304", want: color.NRGBA{1, 2, 3, 4}},
		{in: "", wantErr: true},
		{in: "#", wantErr: true},
		{in: "3f4d9b", wantErr: true},
		{in: "#3f4d9", wantErr: true},
		{in: "#3f4d9bf", wantErr: true},
		{in: "#3f4d9bff0", wantErr: true},
		{in: "#xx4d9b", wantErr: true},
		{in: "#+f4d9b", wantErr: true},
		{in: "#3f4d 9b", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := waveform.ParseColor(tt.in)
			if tt.wantErr {
				if !errors.Is(err, waveform.ErrInvalidColor) {
					t.Errorf("ParseColor(%q) error = %v, want ErrInvalidColor", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseColor(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseColor(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
