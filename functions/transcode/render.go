package transcode

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// renderer encodes the renditions of one input, already in its job folder.
type renderer struct {
	runner *ffmpeg.Runner
	job    *ffmpeg.Job
	src    source
	levels map[string]level
	// report receives the progress of the current rendition's stage, 0 to 1.
	report func(stage string, frac float64)
	// store, when set, starts storing a rendition while it is encoded (see
	// blob.FileUpload); upload is the current encode's.
	store  func(ctx context.Context, r rendition, path string) *blob.FileUpload
	upload *blob.FileUpload
}

func newRenderer(runner *ffmpeg.Runner, job *ffmpeg.Job, src source, report func(string, float64)) *renderer {
	return &renderer{runner: runner, job: job, src: src, levels: map[string]level{}, report: report}
}

// rendered is a rendition encoded into the job folder.
type rendered struct {
	path string
	out  contract.TranscodeOutput // without Key and SHA256
	// upload is storing the file since its encode began, when the renderer
	// has a store and the format allows it; Finish completes it.
	upload *blob.FileUpload
}

// render encodes r, normalising it when asked, and describes the file.
func (x *renderer) render(ctx context.Context, r rendition) (_ rendered, err error) {
	start := time.Now()
	defer func() {
		if err != nil {
			x.abortUpload(ctx)
		}
	}()
	path, err := x.job.Path(r.file)
	if err != nil {
		return rendered{}, err
	}
	var loud *contract.TranscodeLoudness
	var decoded *level
	if !r.normalized() {
		if err := x.encode(ctx, r, ""); err != nil {
			return rendered{}, err
		}
	} else {
		lv, res, err := x.renderNormalized(ctx, r)
		if err != nil {
			return rendered{}, err
		}
		decoded, loud = &lv, res
	}
	x.report("describe", 0)
	out, err := describe(r, path, decoded)
	if err != nil {
		return rendered{}, err
	}
	out.Loudness = loud
	out.ElapsedS = math.Round(time.Since(start).Seconds()*1000) / 1000
	up := x.upload
	x.upload = nil
	return rendered{path: path, out: out, upload: up}, nil
}

// abortUpload discards the current encode's early upload, if any.
func (x *renderer) abortUpload(ctx context.Context) {
	if x.upload != nil {
		x.upload.Abort(context.WithoutCancel(ctx))
		x.upload = nil
	}
}

// renderNormalized plans the gain, encodes and measures the encoded file, and
// encodes again with more headroom (or a corrected aim) when a lossy codec's
// peaks passed the ceiling or its loudness moved. It returns the last
// measurement of the file.
func (x *renderer) renderNormalized(ctx context.Context, r rendition) (level, *contract.TranscodeLoudness, error) {
	n := *r.target.Normalize
	headroom, offset := losslessHeadroom, 0.0
	if r.info.lossy {
		headroom = lossyHeadroom
	}
	for encodes := 1; ; encodes++ {
		p, err := x.planGain(ctx, r, offset, headroom)
		if err != nil {
			return level{}, nil, err
		}
		if err := x.encode(ctx, r, p.filter); err != nil {
			return level{}, nil, err
		}
		x.report("verify", 0)
		out, err := x.measureOutput(ctx, r)
		if err != nil {
			return level{}, nil, err
		}
		got, ok := out.integrated()
		overshoot := out.truePeak() - n.Ceiling()
		miss := n.IntegratedLUFS - got
		if p.method == contract.NormalizeNone || !ok || encodes == maxEncodes ||
			(overshoot <= 0 && math.Abs(miss) <= tolerance/2) {
			return out, loudnessResult(n, p, out, encodes), nil
		}
		if overshoot > 0 {
			headroom += overshoot + 0.2
		}
		if math.Abs(miss) > tolerance/2 {
			offset += miss
		}
	}
}

// encode runs the encode of r with filter, reporting its progress.
func (x *renderer) encode(ctx context.Context, r rendition, filter string) error {
	x.report("encode", 0)
	x.abortUpload(ctx) // an earlier encode's, when this one has more headroom
	if x.store != nil && r.info.streamable {
		path, err := x.job.Path(r.file)
		if err != nil {
			return err
		}
		// The upload must not see the bytes of an earlier encode.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("transcode: %w", err)
		}
		x.upload = x.store(ctx, r, path)
	}
	total := x.src.duration
	args := ffmpeg.EncodeArgs{Output: r.file, Options: r.options(filter, x.src), Lenient: true}
	err := x.runner.Encode(ctx, x.job, args, func(p ffmpeg.Progress) {
		if total > 0 {
			x.report("encode", min(1, p.Processed.Seconds()/total.Seconds()))
		}
	})
	if err != nil {
		x.abortUpload(ctx)
	}
	return encodeError(err)
}

// encodeError turns the runner's error for a failed encode into the function's:
// when ffmpeg could not open or run the encoder or write the container (not the
// input's fault), it is a 5xx whose message ends with ffmpeg's own line.
func encodeError(err error) error {
	var xe *ffmpeg.ExitError
	if err == nil || !errors.As(err, &xe) || fault.KindOf(err) != fault.Invalid {
		return err
	}
	tail := string(xe.Stderr)
	if strings.Contains(tail, "Error while opening decoder") || strings.Contains(tail, "Error while decoding") {
		return err // the input's fault
	}
	for _, s := range []string{"Error while opening encoder", "Error initializing output stream",
		"encoder setup failed", "Error submitting", "Error encoding", "Could not write header",
		"Error writing trailer", "Error initializing the encoder"} {
		if strings.Contains(tail, s) {
			return fault.Wrap(fault.Unavailable, err, "encoding failed: "+xe.Line())
		}
	}
	return err
}

// outputJob returns a job whose input is a hard link to (or else a copy of) the
// encoded file, so that the runner can decode it with all its checks.
func (x *renderer) outputJob(path string) (*ffmpeg.Job, error) {
	j, err := x.runner.NewJob()
	if err != nil {
		return nil, err
	}
	if err := os.Link(path, j.Input()); err != nil {
		f, oerr := os.Open(path)
		if oerr != nil {
			j.Close()
			return nil, fmt.Errorf("transcode: %w", oerr)
		}
		_, err = j.WriteInput(f)
		f.Close()
		if err != nil {
			j.Close()
			return nil, err
		}
	}
	return j, nil
}

// measureOutput decodes the encoded file into the loudness meter.
func (x *renderer) measureOutput(ctx context.Context, r rendition) (level, error) {
	path, err := x.job.Path(r.file)
	if err != nil {
		return level{}, err
	}
	j, err := x.outputJob(path)
	if err != nil {
		return level{}, err
	}
	defer j.Close()
	return measure(ctx, x.runner, j, "", r.rate, r.channels, r.layout, x.src.duration.Seconds(),
		func(f float64) { x.report("verify", f) })
}

// describe reads the encoded file's container and checks that it holds what
// was asked for. decoded, when not nil, is the file's own decode.
func describe(r rendition, path string, decoded *level) (contract.TranscodeOutput, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return contract.TranscodeOutput{}, fmt.Errorf("transcode: %w", err)
	}
	info, err := readInfo(path, r.info.container)
	if err != nil {
		return contract.TranscodeOutput{}, err
	}
	rate := r.rate
	if r.codec == "opus" {
		rate = 48000 // Opus always decodes at 48 kHz; the header keeps the input's rate as a hint
	}
	if info.codec != r.codec || info.channels != r.channels || info.rate != rate || r.bits != 0 && info.bits != r.bits {
		return contract.TranscodeOutput{}, fmt.Errorf("transcode: %s holds %s, %d Hz, %d channels, %d bits; want %s, %d Hz, %d channels, %d bits",
			r.file, info.codec, info.rate, info.channels, info.bits, r.codec, rate, r.channels, r.bits)
	}
	out := contract.TranscodeOutput{
		Name: r.target.Name, File: r.file, Format: r.info.container, Codec: info.codec,
		ContentType: r.info.contentType, Size: fi.Size(), BitRate: info.bitRate,
		SampleRate: info.rate, Channels: info.channels, BitDepth: r.bits,
		Tags: r.tags, CoverArt: r.cover,
	}
	duration := info.duration
	if decoded != nil {
		duration = decoded.stats.Duration
	}
	out.Duration = math.Round(duration.Seconds()*1e6) / 1e6
	return out, nil
}
