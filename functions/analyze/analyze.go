package analyze

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Request, Result and Options are the analyze function's payloads.
type (
	Request = contract.AnalyzeRequest
	Result  = contract.AnalyzeResult
	Options = contract.AnalyzeOptions
)

// Defaults of [Limits].
const (
	DefaultMaxInputBytes = 4 << 30
	// DefaultMaxPCMBytes keeps 16 Mi samples for tempo and key: 6 min 20 s at
	// 44.1 kHz, 5 min 49 s at 48 kHz.
	DefaultMaxPCMBytes = 64 << 20
)

// Limits bound what one analysis may use.
type Limits struct {
	// MaxInputBytes caps the size of the objects fetched from the blob store; 0
	// means DefaultMaxInputBytes.
	MaxInputBytes int64
	// MaxPCMBytes caps the decoded samples (mono, 4 bytes each) kept for tempo
	// and key: longer input is analysed on its start (see Result.AnalyzedS). The
	// waveform always covers the whole input. 0 means DefaultMaxPCMBytes.
	MaxPCMBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxInputBytes <= 0 {
		l.MaxInputBytes = DefaultMaxInputBytes
	}
	if l.MaxPCMBytes <= 0 {
		l.MaxPCMBytes = DefaultMaxPCMBytes
	}
	return l
}

// Analyzer analyses objects in a blob store and stores the waveform files beside
// them.
type Analyzer struct {
	runner *ffmpeg.Runner
	blobs  blob.Store
	limits Limits
}

// New returns an Analyzer.
func New(runner *ffmpeg.Runner, blobs blob.Store, limits Limits) *Analyzer {
	return &Analyzer{runner: runner, blobs: blobs, limits: limits.withDefaults()}
}

// Analyze fetches the request's object into a private job folder, analyses it and
// stores the waveform files under the request's output prefix.
func (a *Analyzer) Analyze(ctx context.Context, req Request) (Result, error) {
	p, err := newPlan(req.Options) // before the download: bad options cost nothing
	if err != nil {
		return Result{}, err
	}
	return funcmain.WithInput(ctx, a.runner, a.blobs, req.Input.Key, a.limits.MaxInputBytes, func(job *ffmpeg.Job) (Result, error) {
		return run(ctx, a.runner, job, p, a.limits, BlobOutput(a.blobs, req.OutputPrefix))
	})
}

// File analyses the input of job, already in its folder, as opts ask. The
// waveform files go to out; with a nil out the result describes the waveform
// without writing it.
func File(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, opts Options, limits Limits, out Output) (Result, error) {
	p, err := newPlan(opts)
	if err != nil {
		return Result{}, err
	}
	return run(ctx, runner, job, p, limits.withDefaults(), out)
}

// run decodes the input once and computes what p asks for from that one decode:
// the waveform while decoding, then tempo, key and the waveform files at once.
func run(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, p plan, limits Limits, out Output) (Result, error) {
	var wave *waveform.Builder
	if p.waveform {
		var err error
		if wave, err = waveform.NewBuilder(p.wave); err != nil {
			return Result{}, optionError(err)
		}
	}
	keep := 0
	if p.tempo || p.key {
		keep = int(limits.MaxPCMBytes / 4)
	}
	sink := newPCMSink(wave, keep)
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "decode", Percent: -1})
	// Lenient: a damaged frame is concealed rather than fatal, as players do; the
	// analysis of the rest stays meaningful.
	stats, err := runner.Decode(ctx, job, ffmpeg.DecodeOptions{Format: "f32le", Channels: 1, Lenient: true}, sink)
	if err != nil {
		return Result{}, err
	}
	rate := stats.SampleRate
	res := Result{DurationS: seconds(stats.Duration), SampleRateHz: rate}
	samples := sink.samples()
	if p.tempo || p.key {
		if rate < tempo.MinSampleRate || rate > tempo.MaxSampleRate || rate < key.MinSampleRate || rate > key.MaxSampleRate {
			return Result{}, fault.Errorf(fault.Unsupported, "sample rate %d Hz: tempo and key need %d to %d Hz",
				rate, max(tempo.MinSampleRate, key.MinSampleRate), min(tempo.MaxSampleRate, key.MaxSampleRate))
		}
		res.AnalyzedS = roundTo(float64(len(samples))/float64(rate), 1e6)
	}
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "analyze", Percent: -1})
	var wg sync.WaitGroup
	var tempoErr, keyErr, waveErr error
	if p.tempo {
		wg.Go(func() {
			var r tempo.Result
			if r, tempoErr = tempo.Estimate(samples, rate, p.tempoOpts); tempoErr == nil {
				res.Tempo = tempoResult(r)
			}
		})
	}
	if p.key {
		wg.Go(func() {
			var r key.Result
			if r, keyErr = key.Estimate(samples, rate, p.keyOpts); keyErr == nil {
				res.Key = keyResult(r)
			}
		})
	}
	if p.waveform {
		wg.Go(func() { res.Waveform, waveErr = writeWaveform(ctx, wave, rate, p.png, out) })
	}
	wg.Wait()
	if err := cmp.Or(tempoErr, keyErr, waveErr); err != nil {
		return Result{}, err
	}
	return res, nil
}

func seconds(d time.Duration) float64 { return roundTo(d.Seconds(), 1e6) }
