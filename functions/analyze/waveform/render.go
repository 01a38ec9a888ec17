package waveform

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
)

// Limits and defaults of [PNGOptions].
const (
	// DefaultImageWidth and DefaultImageHeight are the size of the ffmpeg
	// showwavespic images PhantomChain produced before this package.
	DefaultImageWidth  = 1800
	DefaultImageHeight = 280
	// MaxImageWidth and MaxImageHeight bound the image size.
	MaxImageWidth  = 8192
	MaxImageHeight = 2048
	// DefaultBackgroundColor and DefaultWaveformColor are audiowaveform's
	// default ("audacity") colours.
	DefaultBackgroundColor = "#d6d6d6"
	DefaultWaveformColor   = "#3f4d9b"
	// ScaleLinear draws amplitudes in proportion.
	ScaleLinear = "linear"
	// ScaleLog draws amplitudes in decibels: full scale at the top and
	// bottom edges, LogRangeDB below full scale (and quieter) on the
	// centre line.
	ScaleLog = "log"
	// LogRangeDB is the dynamic range of ScaleLog.
	LogRangeDB = 60
)

// ErrInvalidColor is wrapped by the errors of [ParseColor].
var ErrInvalidColor = errors.New("waveform: invalid color")

// PNGOptions describes the image [Peaks.RenderPNG] draws. The zero value
// draws a DefaultImageWidth x DefaultImageHeight linear waveform in the
// default colours, without axis line or border.
type PNGOptions struct {
	// Width and Height are the image size in pixels; 0 means the default.
	Width, Height int
	// BackgroundColor and WaveformColor are "#rrggbb" or "#rrggbbaa"
	// colours; "" means the default.
	BackgroundColor, WaveformColor string
	// AxisColor, when set, draws the zero line in that colour, under the
	// waveform.
	AxisColor string
	// BorderColor, when set, draws a one-pixel border in that colour and the
	// waveform inside it.
	BorderColor string
	// Scale is ScaleLinear (the default, also for "") or ScaleLog.
	Scale string
	// Gain multiplies the amplitudes before they are drawn, clipping at full
	// scale; 0 means 1.
	Gain float64
	// AutoGain, instead of Gain, scales the waveform so that its largest
	// peak reaches the edge of the image.
	AutoGain bool
}

// picture is a validated PNGOptions.
type picture struct {
	width, height     int
	palette           color.Palette
	axis, border      bool
	log               bool
	gain              float64
	autoGain          bool
	axisIdx, frameIdx uint8
}

// Palette indices of the image colours.
const (
	bgIdx   = 0
	waveIdx = 1
)

func (o PNGOptions) picture() (picture, error) {
	pic := picture{width: o.Width, height: o.Height, gain: o.Gain, autoGain: o.AutoGain}
	if pic.width == 0 {
		pic.width = DefaultImageWidth
	}
	if pic.height == 0 {
		pic.height = DefaultImageHeight
	}
	if pic.width < 1 || pic.width > MaxImageWidth {
		return pic, optionErrorf("image_width", "must be between 1 and %d pixels, got %d", MaxImageWidth, o.Width)
	}
	if pic.height < 1 || pic.height > MaxImageHeight {
		return pic, optionErrorf("image_height", "must be between 1 and %d pixels, got %d", MaxImageHeight, o.Height)
	}
	switch o.Scale {
	case "", ScaleLinear:
	case ScaleLog:
		pic.log = true
	default:
		return pic, optionErrorf("scale", "must be %q or %q, got %q", ScaleLinear, ScaleLog, o.Scale)
	}
	switch {
	case math.IsNaN(o.Gain) || math.IsInf(o.Gain, 0) || o.Gain < 0:
		return pic, optionErrorf("gain", "must be a finite number ≥ 0, got %v", o.Gain)
	case o.Gain == 0:
		pic.gain = 1
	case o.AutoGain:
		return pic, optionErrorf("gain", "must be 0 when auto_gain is set, got %v", o.Gain)
	}
	colors := []struct {
		option, value, def string
		used               *bool
		idx                *uint8
	}{
		{"background_color", o.BackgroundColor, DefaultBackgroundColor, nil, nil},
		{"waveform_color", o.WaveformColor, DefaultWaveformColor, nil, nil},
		{"axis_color", o.AxisColor, "", &pic.axis, &pic.axisIdx},
		{"border_color", o.BorderColor, "", &pic.border, &pic.frameIdx},
	}
	for _, c := range colors {
		s := c.value
		if s == "" {
			if s = c.def; s == "" {
				continue
			}
		}
		col, err := ParseColor(s)
		if err != nil {
			return pic, optionErrorf(c.option, "must be #rrggbb or #rrggbbaa, got %q", c.value)
		}
		if c.used != nil {
			*c.used, *c.idx = true, uint8(len(pic.palette))
		}
		pic.palette = append(pic.palette, col)
	}
	return pic, nil
}

// ParseColor parses a "#rrggbb" or "#rrggbbaa" colour (hexadecimal digits in
// either case). Its errors wrap [ErrInvalidColor].
func ParseColor(s string) (color.NRGBA, error) {
	if (len(s) != 7 && len(s) != 9) || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("%w %q: want #rrggbb or #rrggbbaa", ErrInvalidColor, s)
	}
	c := color.NRGBA{A: 0xff}
	for i, dst := range []*uint8{&c.R, &c.G, &c.B, &c.A}[:(len(s)-1)/2] {
		v, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return color.NRGBA{}, fmt.Errorf("%w %q: want #rrggbb or #rrggbbaa", ErrInvalidColor, s)
		}
		*dst = uint8(v)
	}
	return c, nil
}

// RenderPNG draws p as described by opts and writes it as a PNG image.
func (p *Peaks) RenderPNG(w io.Writer, opts PNGOptions) error {
	img, err := p.Image(opts)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// Image draws p as described by opts: exactly opts.Width x opts.Height
// pixels, the whole of p across the width. Each column shows the lowest
// minimum and the highest maximum of the peaks it covers, mapped to rows as
// audiowaveform's image renderer maps them.
func (p *Peaks) Image(opts PNGOptions) (*image.Paletted, error) {
	pic, err := opts.picture()
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	img := image.NewPaletted(image.Rect(0, 0, pic.width, pic.height), pic.palette)
	plot := img.Rect
	if pic.border {
		plot = plot.Inset(1)
	}
	if !plot.Empty() {
		drawWaveform(img, plot, p, pic)
	}
	if pic.border {
		drawBorder(img, pic.frameIdx)
	}
	return img, nil
}

// drawWaveform draws p's peaks (and the axis line) into plot.
func drawWaveform(img *image.Paletted, plot image.Rectangle, p *Peaks, pic picture) {
	w, h := plot.Dx(), plot.Dy()
	// row maps a 16-bit value to a row, as GdImageRenderer::drawWaveform.
	row := func(v int) int { return plot.Max.Y - 1 - (v+32768)*h/65536 }
	if pic.axis {
		y := row(0)
		for x := plot.Min.X; x < plot.Max.X; x++ {
			img.Pix[img.PixOffset(x, y)] = pic.axisIdx
		}
	}
	if p.Length == 0 {
		return
	}
	unit := 1 // 16-bit units per data unit
	if p.Bits == 8 {
		unit = 256
	}
	gain := pic.gain
	if pic.autoGain {
		gain = 1
		if peak := maxAbs(p.Data) * unit; peak > 0 {
			gain = math.MaxInt16 / float64(peak)
		}
	}
	amplitude := func(v int) int { return scaleAmplitude(v*unit, gain, pic.log) }
	for x := range w {
		// Columns take the pixels [start, end), at least one.
		start := int(int64(x) * int64(p.Length) / int64(w))
		end := max(start+1, int(int64(x+1)*int64(p.Length)/int64(w)))
		mn, mx := p.Data[2*start], p.Data[2*start+1]
		for i := start + 1; i < end; i++ {
			mn, mx = min(mn, p.Data[2*i]), max(mx, p.Data[2*i+1])
		}
		top, bottom := row(amplitude(int(mx))), row(amplitude(int(mn)))
		for y := top; y <= bottom; y++ {
			img.Pix[img.PixOffset(plot.Min.X+x, y)] = waveIdx
		}
	}
}

// scaleAmplitude applies gain and the amplitude scale to a 16-bit value and
// returns a 16-bit value.
func scaleAmplitude(v int, gain float64, log bool) int {
	a := float64(v) * gain
	if log {
		mag := math.Abs(a) / 32768
		if mag <= math.Pow(10, -LogRangeDB/20.0) {
			return 0
		}
		a = math.Copysign((1+20*math.Log10(mag)/LogRangeDB)*32768, a)
	}
	return int(max(math.MinInt16, min(math.MaxInt16, a)))
}

// drawBorder draws a one-pixel frame around img.
func drawBorder(img *image.Paletted, idx uint8) {
	r := img.Rect
	for x := r.Min.X; x < r.Max.X; x++ {
		img.Pix[img.PixOffset(x, r.Min.Y)] = idx
		img.Pix[img.PixOffset(x, r.Max.Y-1)] = idx
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		img.Pix[img.PixOffset(r.Min.X, y)] = idx
		img.Pix[img.PixOffset(r.Max.X-1, y)] = idx
	}
}

// maxAbs returns the largest magnitude in data.
func maxAbs(data []int16) int {
	m := 0
	for _, v := range data {
		m = max(m, int(v), -int(v))
	}
	return m
}
