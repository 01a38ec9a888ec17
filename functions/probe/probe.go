// Package probe describes audio files: container, duration (validated by decoding),
// size, bit rate, audio streams (codec, profile, sample rate, channels, layout, bit
// depth), tags, cover art and video. It is PhantomChain's first step for every job:
// input it cannot describe as audio is rejected with a 4xx error that says why.
package probe

import (
	"context"
	"io"
	"math"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Request and Result are the probe function's payloads.
type (
	Request = contract.ProbeRequest
	Result  = contract.ProbeResult
	Options = contract.ProbeOptions
)

// durationTolerance is how far the header's duration may be from the decoded one
// before the result reports it beside it.
const durationTolerance = 50 * time.Millisecond

// Prober probes objects in a blob store.
type Prober struct {
	runner   *ffmpeg.Runner
	blobs    blob.Store
	maxInput int64
}

// New returns a Prober. maxInput caps the size of an object it will fetch.
func New(runner *ffmpeg.Runner, blobs blob.Store, maxInput int64) *Prober {
	return &Prober{runner: runner, blobs: blobs, maxInput: maxInput}
}

// Probe fetches the request's object into a private job folder and describes it.
func (p *Prober) Probe(ctx context.Context, req Request) (Result, error) {
	return funcmain.WithInput(ctx, p.runner, p.blobs, req.Input.Key, p.maxInput, func(job *ffmpeg.Job) (Result, error) {
		return File(ctx, p.runner, job, req.Options)
	})
}

// File describes the input of job, already in its folder.
func File(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, opts Options) (Result, error) {
	format, err := job.Sniff()
	if err != nil {
		return Result{}, err
	}
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "probe", Percent: -1})
	data, err := runner.Probe(ctx, job)
	if err != nil {
		return Result{}, err
	}
	audio, ok := data.Audio()
	if !ok {
		what := "no audio stream"
		if data.HasVideo() {
			what = "no audio stream (the file has video only)"
		}
		return Result{}, fault.Errorf(fault.Unsupported, "%s", what)
	}
	res := Result{
		Format:         containerName(format, data),
		FormatLong:     data.Format.FormatLongName,
		Size:           data.Format.Size,
		Tags:           tags(data, audio),
		CoverArt:       data.HasCoverArt(),
		Video:          data.HasVideo(),
		DurationSource: "header",
	}
	for _, s := range data.Streams {
		if s.CodecType == "audio" {
			res.Streams = append(res.Streams, stream(s))
		}
	}
	header := data.Format.Duration
	if header <= 0 {
		header = audio.Duration
	}
	duration := header
	if !opts.SkipDecode {
		stats, err := decode(ctx, runner, job, audio, header)
		if err != nil {
			return Result{}, err
		}
		duration = stats.Duration
		res.DurationSource = "decode"
		// The decoder is the truth about channels and rate (headers can lie).
		res.Streams[0].Channels, res.Streams[0].SampleRate = stats.Channels, stats.SampleRate
		if header <= 0 || absDuration(header-duration) > durationTolerance {
			h := seconds(header)
			res.HeaderDuration = &h
		}
	}
	if duration <= 0 {
		return Result{}, fault.Errorf(fault.Invalid, "no audio could be decoded")
	}
	res.Duration = seconds(duration)
	res.BitRate = int64(math.Round(float64(res.Size) * 8 / duration.Seconds()))
	return res, nil
}

// decode decodes the first audio stream to count its samples, reporting progress
// against the header's duration.
func decode(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, audio ffmpeg.Stream, header time.Duration) (ffmpeg.DecodeStats, error) {
	expected := int64(header.Seconds() * float64(audio.SampleRate) * float64(audio.Channels) * 2)
	w := &progressWriter{ctx: ctx, expected: expected}
	// Lenient: a file with a damaged frame or trailing junk still has a duration to
	// report; the header value beside it shows the difference.
	return runner.Decode(ctx, job, ffmpeg.DecodeOptions{Format: "s16le", Lenient: true}, w)
}

// progressWriter discards decoded PCM, reporting how much has arrived.
type progressWriter struct {
	ctx      context.Context
	expected int64
	n        int64
}

func (w *progressWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.expected > 0 {
		endpoint.ReportProgress(w.ctx, endpoint.Progress{Stage: "decode", Percent: min(100, 100*float64(w.n)/float64(w.expected))})
	}
	return len(p), nil
}

var _ io.Writer = (*progressWriter)(nil)

func stream(s ffmpeg.Stream) contract.ProbeStream {
	ps := contract.ProbeStream{
		Index: s.Index, Codec: s.CodecName, CodecLong: s.CodecLongName, Profile: s.Profile,
		SampleRate: s.SampleRate, Channels: s.Channels, ChannelLayout: s.ChannelLayout,
		SampleFormat: s.SampleFmt, BitRate: s.BitRate, Duration: seconds(s.Duration),
	}
	if lossless(s.CodecName) {
		bits := s.BitsPerRawSample
		if bits == 0 {
			bits = s.BitsPerSample
		}
		if bits > 0 {
			ps.BitsPerSample = &bits
		}
	}
	return ps
}

// lossless reports whether the codec stores samples at a bit depth (PCM and lossless
// codecs); lossy codecs have no bit depth.
func lossless(codec string) bool {
	if strings.HasPrefix(codec, "pcm_") {
		return true
	}
	switch codec {
	case "flac", "alac", "wavpack", "ape", "tta", "truehd", "mlp":
		return true
	}
	return false
}

// containerName gives the container a user's name: the demuxer's, except for the
// ISO family (m4a, mp4, mov, 3gp) which one demuxer reads, told apart by brand.
func containerName(f ffmpeg.Format, data *ffmpeg.ProbeData) string {
	if f.Name != "mov" {
		return f.Name
	}
	brand := strings.ToLower(strings.TrimSpace(data.Format.Tags["major_brand"]))
	switch {
	case strings.HasPrefix(brand, "m4a"), strings.HasPrefix(brand, "m4b"), strings.HasPrefix(brand, "m4p"):
		return "m4a"
	case brand == "qt":
		return "mov"
	case strings.HasPrefix(brand, "3g"):
		return "3gp"
	}
	return "mp4"
}

// tags merges the container's and the audio stream's tags (Ogg, FLAC and Opus keep
// theirs in the stream), keys lowercased; technical ISO tags are left out.
func tags(data *ffmpeg.ProbeData, audio ffmpeg.Stream) map[string]string {
	out := map[string]string{}
	for _, src := range []map[string]string{audio.Tags, data.Format.Tags} {
		for k, v := range src {
			k = strings.ToLower(k)
			switch k {
			case "major_brand", "minor_version", "compatible_brands", "handler_name", "vendor_id":
				continue
			}
			out[k] = v
		}
	}
	return out
}

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1e6) / 1e6 }

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
