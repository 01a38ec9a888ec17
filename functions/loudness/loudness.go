package loudness

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Request, Result and Options are the loudness function's payloads.
type (
	Request = contract.LoudnessRequest
	Result  = contract.LoudnessResult
	Options = contract.LoudnessOptions
)

// Measurer measures the loudness of objects in a blob store.
type Measurer struct {
	runner   *ffmpeg.Runner
	blobs    blob.Store
	maxInput int64
}

// New returns a Measurer. maxInput caps the size of an object it will fetch.
func New(runner *ffmpeg.Runner, blobs blob.Store, maxInput int64) *Measurer {
	return &Measurer{runner: runner, blobs: blobs, maxInput: maxInput}
}

// Measure fetches the request's object into a private job folder and measures it.
func (m *Measurer) Measure(ctx context.Context, req Request) (Result, error) {
	return funcmain.WithInput(ctx, m.runner, m.blobs, req.Input.Key, m.maxInput, func(job *ffmpeg.Job) (Result, error) {
		return File(ctx, m.runner, job, req.Options)
	})
}

// File measures the input of job, already in its folder: ffprobe gives its sample
// rate, channels and layout, then one decode to float PCM at that rate and channel
// count streams into an [r128.Meter]. Input that is not audio, or that the
// measurement cannot take, is a 4xx error saying why.
func File(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, opts Options) (Result, error) {
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "probe", Percent: -1})
	data, err := runner.Probe(ctx, job)
	if err != nil {
		return Result{}, err
	}
	audio, ok := data.Audio()
	if !ok {
		return Result{}, fault.Errorf(fault.Unsupported, "no audio stream")
	}
	header := data.Format.Duration
	if header <= 0 {
		header = audio.Duration
	}
	cfg, weights, err := meterConfig(audio, opts, header)
	if err != nil {
		return Result{}, err
	}
	meter, err := r128.New(cfg)
	if err != nil {
		return Result{}, fmt.Errorf("loudness: %w", err)
	}
	stats, err := decode(ctx, runner, job, meter, cfg, header)
	if err != nil {
		return Result{}, err
	}
	layout := audio.ChannelLayout
	if layout == "" {
		layout = "unknown"
	}
	res := result(meter.Result(), opts)
	res.DurationS = math.Round(stats.Duration.Seconds()*1e6) / 1e6
	res.SampleRateHz, res.Channels, res.ChannelLayout, res.ChannelWeights = stats.SampleRate, stats.Channels, layout, weights
	return res, nil
}

// meterConfig describes the stream ffprobe found to the meter, and returns the
// channel weights that apply. An unknown or inconsistent channel layout falls back
// to the default layout for the channel count (see [r128.Weights]); the result's
// channel weights show which applied.
func meterConfig(audio ffmpeg.Stream, opts Options, header time.Duration) (r128.Config, []float64, error) {
	cfg := r128.Config{
		SampleRate: audio.SampleRate,
		Channels:   audio.Channels,
		Layout:     audio.ChannelLayout,
		TruePeak:   opts.MeasureTruePeak(),
		CurveStep:  curveStep(opts.CurveStepS, header),
	}
	switch {
	case cfg.SampleRate <= 0 || cfg.Channels <= 0:
		return cfg, nil, fault.Errorf(fault.Unsupported, "audio stream without a sample rate or channel count")
	case cfg.SampleRate < r128.MinSampleRate || cfg.SampleRate > r128.MaxSampleRate:
		return cfg, nil, fault.Errorf(fault.Unsupported, "sample rate %d Hz not supported (%d to %d Hz)",
			cfg.SampleRate, r128.MinSampleRate, r128.MaxSampleRate)
	case cfg.Channels > r128.MaxChannels:
		return cfg, nil, fault.Errorf(fault.Unsupported, "%d channels not supported (at most %d)", cfg.Channels, r128.MaxChannels)
	}
	weights, err := r128.Weights(cfg.Layout, cfg.Channels)
	if err != nil {
		cfg.Layout = ""
		if weights, err = r128.Weights("", cfg.Channels); err != nil {
			return cfg, nil, fmt.Errorf("loudness: %w", err)
		}
	}
	return cfg, weights, nil
}

// curveStep returns the curve's step for a request of stepS seconds (0: no
// curve), rounded to the millisecond and widened to a multiple of itself when the
// header's duration would give more than LoudnessCurveMaxPoints points.
func curveStep(stepS float64, header time.Duration) time.Duration {
	if stepS <= 0 {
		return 0
	}
	step := max(time.Duration(math.Round(stepS*1000))*time.Millisecond, time.Millisecond)
	return step * time.Duration(stride(int64(header/step)))
}

// stride returns the smallest k such that n points taken every k-th fit in
// LoudnessCurveMaxPoints.
func stride(n int64) int64 {
	return max(1, (n+contract.LoudnessCurveMaxPoints-1)/contract.LoudnessCurveMaxPoints)
}

// decode decodes the job's input once to float PCM at its own rate and channel
// count and streams it through a pipe into the meter, then checks that the decode
// had the format the meter was set up for. The rate is also passed to ffmpeg
// (where its decoder accepts it, 8–384 kHz), which costs nothing when it is the
// stream's own and keeps a lying header from skewing the measurement. The channel
// count is not: `-ac N` remixes any layout other than ffmpeg's default for N
// channels (7.1(wide), quad(side), hexagonal, …) into that default.
func decode(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, meter *r128.Meter, cfg r128.Config, header time.Duration) (ffmpeg.DecodeStats, error) {
	// Lenient, as ffmpeg itself is: a damaged frame is concealed and its few
	// milliseconds barely move a programme's loudness, where failing would lose it.
	opts := ffmpeg.DecodeOptions{Format: "f32le", Lenient: true}
	if cfg.SampleRate >= 8000 && cfg.SampleRate <= 384000 {
		opts.SampleRate = cfg.SampleRate
	}
	pr, pw := io.Pipe()
	read := make(chan error, 1)
	go func() {
		expected := int64(header.Seconds() * float64(cfg.SampleRate*cfg.Channels*4))
		_, err := meter.ReadFrom(&progressReader{r: pr, ctx: ctx, expected: expected})
		pr.CloseWithError(err) // a failed read stops the decode
		read <- err
	}()
	stats, err := runner.Decode(ctx, job, opts, pw)
	pw.CloseWithError(err) // nil: the reader sees EOF
	rerr := <-read
	switch {
	case err != nil:
		return stats, err
	case rerr != nil:
		return stats, fmt.Errorf("loudness: read decoded PCM: %w", rerr)
	case stats.SampleRate != cfg.SampleRate || stats.Channels != cfg.Channels:
		return stats, fault.Errorf(fault.Invalid, "decoded audio is %d Hz × %d channels, its header says %d Hz × %d",
			stats.SampleRate, stats.Channels, cfg.SampleRate, cfg.Channels)
	}
	return stats, nil
}

// progressReader passes decoded PCM on, reporting how much has arrived.
type progressReader struct {
	r        io.Reader
	ctx      context.Context
	expected int64
	n        int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.expected > 0 {
		endpoint.ReportProgress(p.ctx, endpoint.Progress{Stage: "measure", Percent: min(100, 100*float64(p.n)/float64(p.expected))})
	}
	return n, err
}
