package waveform_test

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"log"
	"math"
	"os"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

// tone returns n samples of a 441 Hz sine of the given amplitude at 44.1 kHz.
func tone(n int, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*441*float64(i)/44100))
	}
	return s
}

func ExampleNewBuilder() {
	b, err := waveform.NewBuilder(waveform.Config{SampleRate: 44100, SamplesPerPixel: 100, Bits: 8})
	if err != nil {
		log.Fatal(err)
	}
	// Chunks as they come from the decoder; any sizes give the same peaks.
	samples := tone(250, 0.5)
	b.Write(samples[:64])
	b.Write(samples[64:])
	p, err := b.Finish()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Length, p.Data)
	// Output: 3 [-64 64 -64 64 0 64]
}

func ExampleCompute() {
	// Width mode: the samples per pixel are chosen to fit 10 seconds in
	// at most 1000 pixels.
	p, err := waveform.Compute(waveform.Config{SampleRate: 44100, Width: 1000}, tone(10*44100, 1))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.SamplesPerPixel, p.Length)
	// Output: 448 985
}

func ExamplePeaks_WriteJSON() {
	p, err := waveform.Compute(waveform.Config{SampleRate: 44100, SamplesPerPixel: 50, Bits: 8}, tone(100, 0.25))
	if err != nil {
		log.Fatal(err)
	}
	if err := p.WriteJSON(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output: {"version":2,"channels":1,"sample_rate":44100,"samples_per_pixel":50,"bits":8,"length":2,"data":[0,32,-32,0]}
}

func ExamplePeaks_WriteDat() {
	p, err := waveform.Compute(waveform.Config{SampleRate: 44100, SamplesPerPixel: 50, Bits: 8}, tone(100, 0.25))
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.WriteDat(&buf); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("% x\n", buf.Bytes())
	// Output: 02 00 00 00 01 00 00 00 44 ac 00 00 32 00 00 00 02 00 00 00 01 00 00 00 00 20 e0 00
}

func ExampleReadDat() {
	p, err := waveform.Compute(waveform.Config{SampleRate: 48000, SamplesPerPixel: 512}, tone(4800, 1))
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.WriteDat(&buf); err != nil {
		log.Fatal(err)
	}
	back, err := waveform.ReadDat(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.SampleRate, back.SamplesPerPixel, back.Bits, back.Length, back.Data[:4])
	// Output: 48000 512 16 10 [-32768 32767 -32768 32767]
}

func ExamplePeaks_RenderPNG() {
	p, err := waveform.Compute(waveform.Config{SampleRate: 44100, Width: 1800}, tone(5*44100, 0.8))
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	err = p.RenderPNG(&buf, waveform.PNGOptions{
		WaveformColor: "#1e88e5",
		AxisColor:     "#00000040",
	})
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Width, cfg.Height)
	// Output: 1800 280
}

func ExampleParseColor() {
	c, err := waveform.ParseColor("#3f4d9b80")
	fmt.Println(c, err)
	_, err = waveform.ParseColor("blue")
	fmt.Println(err)
	// Output:
	// {63 77 155 128} <nil>
	// waveform: invalid color "blue": want #rrggbb or #rrggbbaa
}

func ExamplePeaks_Image() {
	p, err := waveform.Compute(waveform.Config{SampleRate: 8000, SamplesPerPixel: 80}, tone(8000, 1))
	if err != nil {
		log.Fatal(err)
	}
	img, err := p.Image(waveform.PNGOptions{Width: 50, Height: 20})
	if err != nil {
		log.Fatal(err)
	}
	// Full-scale columns are drawn from the top row to the bottom row.
	fmt.Println(img.Bounds(), img.At(25, 0) == img.Palette[1], img.At(25, 19) == img.Palette[1])
	// Output: (0,0)-(50,20) true true
}

func ExamplePeaks_Validate() {
	p := &waveform.Peaks{Version: 2, Channels: 1, SampleRate: 44100, SamplesPerPixel: 256, Bits: 8, Length: 1, Data: []int16{-3, 200}}
	fmt.Println(p.Validate())
	// Output: waveform: invalid peaks: pixel 0 is (-3, 200), outside [-128, 127] or min > max
}

func ExampleOptionError() {
	_, err := waveform.NewBuilder(waveform.Config{SampleRate: 44100, Bits: 12})
	var oe *waveform.OptionError
	if errors.As(err, &oe) {
		fmt.Println(oe.Option)
	}
	fmt.Println(err, errors.Is(err, waveform.ErrInvalidOption))
	// Output:
	// bits
	// waveform: bits must be 8 or 16, got 12 true
}
