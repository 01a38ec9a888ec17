package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/functions/analyze/key"
	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// Rows that split the analyze function's time in two: ffmpeg's part (mostly
// starting it) and the analysis of the decoded samples, on one core.
const (
	decodeTool  = "  of which: ffmpeg decode"
	computeTool = "  of which: tempo+key+waveform, 1 core"
)

// split times the two parts of an analysis separately: the decode, with the same
// runner and options as the analyze function, and then tempo, key and the waveform
// files computed one after the other on the decoded samples.
func (ev *evaluation) split(ctx context.Context, getenv func(string) string) ([]row, error) {
	cfg, err := analyze.LoadConfig(config.NewEnv(getenv))
	if err != nil {
		return nil, err
	}
	runner, err := ffmpeg.New(cfg.FFmpeg)
	if err != nil {
		return nil, err
	}
	dec, comp := row{tool: decodeTool}, row{tool: computeTool}
	for _, clip := range ev.set.clips {
		start := time.Now()
		pcm, rate, err := decode(ctx, runner, ev.set.path(clip))
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", clip, err)
		}
		dec.seconds = append(dec.seconds, time.Since(start).Seconds())
		start = time.Now()
		if err := compute(pcm, rate); err != nil {
			return nil, fmt.Errorf("analyse %s: %w", clip, err)
		}
		comp.seconds = append(comp.seconds, time.Since(start).Seconds())
	}
	return []row{dec, comp}, nil
}

// decode decodes a file as the analyze function does and returns its samples.
func decode(ctx context.Context, runner *ffmpeg.Runner, path string) ([]byte, int, error) {
	job, err := runner.NewJob()
	if err != nil {
		return nil, 0, err
	}
	defer job.Close()
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if _, err := job.WriteInput(f); err != nil {
		return nil, 0, err
	}
	var pcm collector
	opts := ffmpeg.DecodeOptions{Format: "f32le", Channels: 1, Lenient: true} // as the analysis decodes
	stats, err := runner.Decode(ctx, job, opts, &pcm)
	return pcm, stats.SampleRate, err
}

// collector keeps what is written. It is not an io.ReaderFrom, so the pipe is read
// in the same pieces as the analysis reads it.
type collector []byte

func (c *collector) Write(p []byte) (int, error) {
	*c = append(*c, p...)
	return len(p), nil
}

// compute runs what the analyze function runs after the decode, with the default
// options, one step after the other.
func compute(pcm []byte, rate int) error {
	x := make([]float32, len(pcm)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(pcm[4*i:]))
	}
	if _, err := tempo.Estimate(x, rate, tempo.Options{}); err != nil {
		return err
	}
	if _, err := key.Estimate(x, rate, key.Options{}); err != nil {
		return err
	}
	p, err := waveform.Compute(waveform.Config{SampleRate: rate, Bits: analyze.DefaultBits}, x)
	if err != nil {
		return err
	}
	if err := p.WriteJSON(io.Discard); err != nil {
		return err
	}
	if err := p.WriteDat(io.Discard); err != nil {
		return err
	}
	return p.RenderPNG(io.Discard, waveform.PNGOptions{})
}
