package transcode

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Request, Options, Target and Result are the transcode function's payloads.
type (
	Request = contract.TranscodeRequest
	Options = contract.TranscodeOptions
	Target  = contract.TranscodeTarget
	Result  = contract.TranscodeResult
	Output  = contract.TranscodeOutput
)

// Transcoder makes renditions of objects in a blob store.
type Transcoder struct {
	runner   *ffmpeg.Runner
	blobs    blob.Store
	maxInput int64
	outBytes prometheus.Counter
	// earlyBytes counts what went up while the rendition was being encoded.
	earlyBytes prometheus.Counter
}

// New returns a Transcoder. maxInput caps the size of an object it will fetch;
// reg, when not nil, gets the phantom_transcode_output_bytes_total and
// phantom_transcode_early_upload_bytes_total counters.
func New(runner *ffmpeg.Runner, blobs blob.Store, maxInput int64, reg prometheus.Registerer) *Transcoder {
	t := &Transcoder{runner: runner, blobs: blobs, maxInput: maxInput}
	if reg != nil {
		t.outBytes = promauto.With(reg).NewCounter(prometheus.CounterOpts{
			Name: "phantom_transcode_output_bytes_total",
			Help: "Bytes of renditions written to the blob store.",
		})
		t.earlyBytes = promauto.With(reg).NewCounter(prometheus.CounterOpts{
			Name: "phantom_transcode_early_upload_bytes_total",
			Help: "Bytes of renditions sent to the blob store while they were being encoded (parts the encoder changed afterwards, then sent again, included).",
		})
	}
	return t
}

// Transcode fetches the request's object into a private job folder, renders
// every target and stores each rendition at the request's output prefix plus
// its file name. A rendition is stored whole or not at all (the blob store's
// Put and multipart uploads are atomic), so a failed or interrupted call leaves
// no partial object. On S3, a rendition in a format written front to back
// (all but M4A) goes up in parts while it is encoded (see [blob.FileUpload]),
// so little of the upload is left once the encoder exits.
func (t *Transcoder) Transcode(ctx context.Context, req Request) (Result, error) {
	targets, err := req.Options.Resolve()
	if err != nil {
		return Result{}, fault.Errorf(fault.Invalid, "options.%s", fault.Message(err))
	}
	early := func(ctx context.Context, r rendition, path string) *blob.FileUpload {
		return blob.StartFileUpload(ctx, t.blobs, req.OutputPrefix+r.file, path,
			blob.PutOptions{ContentType: r.info.contentType}, 0)
	}
	return funcmain.WithInput(ctx, t.runner, t.blobs, req.Input.Key, t.maxInput, func(job *ffmpeg.Job) (Result, error) {
		return run(ctx, t.runner, job, targets, early, t.store(req.OutputPrefix))
	})
}

// store returns the function that stores a rendition under prefix: it
// completes the upload that began with the encode, or uploads the file now.
func (t *Transcoder) store(prefix string) func(context.Context, rendered) (Output, error) {
	return func(ctx context.Context, r rendered) (Output, error) {
		out := r.out
		out.Key = prefix + r.out.File
		var info blob.Info
		var sum string
		var early int64
		var err error
		if r.upload != nil {
			info, sum, err = r.upload.Finish(ctx)
			early = r.upload.SentEarly()
		} else {
			info, sum, err = blob.UploadHashed(ctx, t.blobs, out.Key, r.path, blob.PutOptions{ContentType: out.ContentType})
		}
		if err != nil {
			if fault.KindOf(err) == fault.Internal {
				err = fault.Wrap(fault.Unavailable, err, "storing the rendition failed")
			}
			return Output{}, err
		}
		if t.outBytes != nil {
			t.outBytes.Add(float64(info.Size))
			t.earlyBytes.Add(float64(early))
		}
		out.SHA256 = sum
		return out, nil
	}
}

// File renders opts's targets of the input in job, already in its folder, into
// the folder outDir (created if missing), each written under a temporary name
// and renamed into place. Outputs' File is the rendition's path.
func File(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, opts Options, outDir string) (Result, error) {
	targets, err := opts.Resolve()
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Result{}, fault.Errorf(fault.Invalid, "--out: %v", err)
	}
	return run(ctx, runner, job, targets, nil, func(ctx context.Context, r rendered) (Output, error) {
		out := r.out
		out.File = filepath.Join(outDir, r.out.File)
		sum, err := copyFile(r.path, out.File)
		if err != nil {
			return Output{}, err
		}
		out.SHA256 = sum
		return out, nil
	})
}

// run inspects the job's input and renders each target in turn, handing each
// rendition to store; early, when not nil, starts storing a rendition while it
// is encoded. Progress covers the targets evenly.
func run(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, targets []Target,
	early func(context.Context, rendition, string) *blob.FileUpload,
	store func(context.Context, rendered) (Output, error)) (Result, error) {
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "probe", Percent: -1})
	src, err := inspect(ctx, runner, job)
	if err != nil {
		return Result{}, err
	}
	var pr progress
	x := newRenderer(runner, job, src, func(stage string, frac float64) { pr.report(ctx, stage, frac) })
	x.store = early
	res := Result{Outputs: make([]Output, 0, len(targets))}
	for i, t := range targets {
		pr.set(i, len(targets), t.Normalize != nil)
		r, err := x.render(ctx, newRendition(t, src))
		if err != nil {
			return Result{}, err
		}
		pr.report(ctx, "upload", 1)
		out, err := store(ctx, r)
		os.Remove(r.path) // the job folder holds one rendition at a time
		if err != nil {
			return Result{}, err
		}
		res.Outputs = append(res.Outputs, out)
	}
	return res, nil
}

// progress maps a rendition's stages to a share of the whole request: when
// normalising, measuring takes the first 30 %, encoding up to 85 %, verifying
// the rest; otherwise encoding takes it all. Describing and uploading come
// after the rendition's share is done.
type progress struct {
	mu        sync.Mutex
	i, n      int
	normalize bool
}

func (p *progress) set(i, n int, normalize bool) {
	p.mu.Lock()
	p.i, p.n, p.normalize = i, n, normalize
	p.mu.Unlock()
}

func (p *progress) report(ctx context.Context, stage string, frac float64) {
	p.mu.Lock()
	span := [2]float64{0, 1}
	switch {
	case stage == "describe" || stage == "upload":
		span = [2]float64{1, 1}
	case p.normalize:
		span = map[string][2]float64{"measure": {0, 0.3}, "encode": {0.3, 0.85}, "verify": {0.85, 1}}[stage]
	}
	pct := 100 * (float64(p.i) + span[0] + frac*(span[1]-span[0])) / float64(max(p.n, 1))
	p.mu.Unlock()
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: stage, Percent: pct})
}

// copyFile copies src to dst through a temporary file beside dst, returning the
// SHA-256 of the bytes.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("transcode: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".part-*")
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "--out: %v", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("transcode: write %s: %w", dst, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
