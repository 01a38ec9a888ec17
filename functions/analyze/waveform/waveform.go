package waveform

import (
	"errors"
	"fmt"
	"math"
)

// Limits and defaults of [Config].
const (
	// DefaultSamplesPerPixel is used when neither SamplesPerPixel nor Width
	// is set; it is audiowaveform's default zoom.
	DefaultSamplesPerPixel = 256
	// MinSamplesPerPixel is the smallest window audiowaveform accepts.
	MinSamplesPerPixel = 2
	// MaxWidth bounds [Config.Width].
	MaxWidth = 1 << 14
	// DefaultBits is the resolution used when [Config.Bits] is 0, as in
	// audiowaveform.
	DefaultBits = 16
)

// Format constants of audiowaveform's data formats.
const (
	// Version is the data format version this package writes.
	Version = 2
	// Channels is the number of channels this package writes: the samples
	// are mono.
	Channels = 1
)

// widthHeadroom is how many base pixels per pixel of Config.Width a Builder
// keeps before it doubles its base window. See the package documentation.
const widthHeadroom = 32

// ErrInvalidOption is wrapped by every error about a bad [Config] or
// [PNGOptions] value; the error is an [*OptionError] naming the option.
var ErrInvalidOption = errors.New("waveform: invalid option")

// ErrInvalidPeaks is wrapped by the errors of [Peaks.Validate] and of the
// encoders when a Peaks value is inconsistent.
var ErrInvalidPeaks = errors.New("waveform: invalid peaks")

// ErrInvalidDat is wrapped by the errors of [ReadDat] when the input is not a
// waveform data file it can read.
var ErrInvalidDat = errors.New("waveform: invalid dat")

// OptionError reports a bad option value. It wraps [ErrInvalidOption].
type OptionError struct {
	// Option is the option's name in snake case, e.g. "bits" or
	// "image_width".
	Option string
	// Reason says what the option must be and what it was.
	Reason string
}

func (e *OptionError) Error() string { return "waveform: " + e.Option + " " + e.Reason }

// Unwrap returns [ErrInvalidOption].
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

func optionErrorf(option, format string, args ...any) error {
	return &OptionError{Option: option, Reason: fmt.Sprintf(format, args...)}
}

// Config describes the peaks a [Builder] computes.
type Config struct {
	// SampleRate is the sample rate of the input in Hz (at least 1). It is
	// recorded in the output; it does not change the computation.
	SampleRate int
	// SamplesPerPixel is the number of samples per min/max pair (at least 2).
	// Leave it 0 to choose it from Width; when both are 0,
	// DefaultSamplesPerPixel is used.
	SamplesPerPixel int
	// Width, when SamplesPerPixel is 0, is the largest number of pixels the
	// whole input may take (1 to MaxWidth): samples_per_pixel is chosen at
	// the end to fit it, close to max(2, ceil(samples / Width)). See the
	// package documentation.
	Width int
	// Bits is the output resolution: 8 or 16, or 0 for DefaultBits.
	Bits int
}

// withDefaults validates c and returns it with its zero fields filled in.
func (c Config) withDefaults() (Config, error) {
	if c.SampleRate < 1 || c.SampleRate > math.MaxInt32 {
		return c, optionErrorf("sample_rate", "must be between 1 and %d Hz, got %d", math.MaxInt32, c.SampleRate)
	}
	switch c.Bits {
	case 0:
		c.Bits = DefaultBits
	case 8, 16:
	default:
		return c, optionErrorf("bits", "must be 8 or 16, got %d", c.Bits)
	}
	if c.Width < 0 || c.Width > MaxWidth {
		return c, optionErrorf("width", "must be between 1 and %d pixels, got %d", MaxWidth, c.Width)
	}
	switch {
	case c.SamplesPerPixel == 0 && c.Width == 0:
		c.SamplesPerPixel = DefaultSamplesPerPixel
	case c.SamplesPerPixel == 0:
	case c.Width != 0:
		return c, optionErrorf("width", "must be 0 when samples_per_pixel is set, got %d", c.Width)
	case c.SamplesPerPixel < MinSamplesPerPixel || c.SamplesPerPixel > math.MaxInt32:
		return c, optionErrorf("samples_per_pixel", "must be ≥ %d and ≤ %d, got %d",
			MinSamplesPerPixel, math.MaxInt32, c.SamplesPerPixel)
	}
	return c, nil
}

// Peaks is waveform data in audiowaveform's model. Its encoding/json
// encoding has the fields of audiowaveform's JSON format in their order;
// [Peaks.WriteJSON] writes the format exactly.
type Peaks struct {
	// Version is the data format version, always 2.
	Version int `json:"version"`
	// Channels is the number of channels, always 1.
	Channels int `json:"channels"`
	// SampleRate is the input's sample rate in Hz.
	SampleRate int `json:"sample_rate"`
	// SamplesPerPixel is the number of input samples per min/max pair.
	SamplesPerPixel int `json:"samples_per_pixel"`
	// Bits is the resolution of Data: 8 (values in [-128, 127]) or 16
	// (values in [-32768, 32767]).
	Bits int `json:"bits"`
	// Length is the number of min/max pairs per channel.
	Length int `json:"length"`
	// Data holds Length min, max pairs, interleaved: min0, max0, min1, ….
	Data []int16 `json:"data"`
}

// Validate reports whether p can be encoded: version 2, one channel, a
// positive sample rate, at least 2 samples per pixel, 8 or 16 bits, Length
// pairs in Data, each value within the bit range and each min ≤ its max.
// The errors wrap [ErrInvalidPeaks].
func (p *Peaks) Validate() error {
	switch {
	case p.Version != Version:
		return fmt.Errorf("%w: version %d, want %d", ErrInvalidPeaks, p.Version, Version)
	case p.Channels != Channels:
		return fmt.Errorf("%w: %d channels, want %d", ErrInvalidPeaks, p.Channels, Channels)
	case p.SampleRate < 1 || p.SampleRate > math.MaxInt32:
		return fmt.Errorf("%w: sample rate %d", ErrInvalidPeaks, p.SampleRate)
	case p.SamplesPerPixel < MinSamplesPerPixel || p.SamplesPerPixel > math.MaxInt32:
		return fmt.Errorf("%w: samples per pixel %d", ErrInvalidPeaks, p.SamplesPerPixel)
	case p.Bits != 8 && p.Bits != 16:
		return fmt.Errorf("%w: bits %d", ErrInvalidPeaks, p.Bits)
	case p.Length < 0 || int64(p.Length) > math.MaxUint32 || len(p.Data) != 2*p.Length*p.Channels:
		return fmt.Errorf("%w: length %d with %d data values", ErrInvalidPeaks, p.Length, len(p.Data))
	}
	lo, hi := bitRange(p.Bits)
	for i := 0; i < len(p.Data); i += 2 {
		mn, mx := p.Data[i], p.Data[i+1]
		if mn < lo || mx > hi || mn > mx {
			return fmt.Errorf("%w: pixel %d is (%d, %d), outside [%d, %d] or min > max",
				ErrInvalidPeaks, i/2, mn, mx, lo, hi)
		}
	}
	return nil
}

// bitRange returns the value range of a resolution.
func bitRange(bits int) (lo, hi int16) {
	if bits == 8 {
		return math.MinInt8, math.MaxInt8
	}
	return math.MinInt16, math.MaxInt16
}
