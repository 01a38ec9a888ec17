package ffmpeg

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Config configures a [Runner]. The zero value is usable: every zero field takes
// the default named on it.
type Config struct {
	// FFmpegPath and FFprobePath name the programs; a name without a slash is
	// looked up on PATH once, in New. Defaults "ffmpeg" and "ffprobe".
	FFmpegPath  string
	FFprobePath string
	// DecoderPath names an ffmpeg used only by Decode: typically the static,
	// audio-only build that scripts/build-ffmpeg-decoder.sh makes from Debian's
	// source, which starts in milliseconds where a distribution ffmpeg spends
	// ~0.16 s loading its shared libraries. It must include every demuxer of
	// the whitelist; an input whose decoder it lacks (Speex, which needs
	// libspeex) is decoded with FFmpegPath instead. Default: FFmpegPath.
	DecoderPath string
	// PrlimitPath names util-linux prlimit, which sets the memory limit; looked up
	// like the others, and only when MemoryLimitBytes is positive. Default
	// "prlimit".
	PrlimitPath string
	// WorkDir is the parent of the per-job folders; created (mode 0700) when
	// missing. Default os.TempDir().
	WorkDir string
	// Timeout is the wall-clock limit of one ffmpeg or ffprobe process; when it
	// passes, the whole process group is killed. Default 10 minutes.
	Timeout time.Duration
	// MaxStderrBytes bounds the stderr kept per process (its tail). Default 64 KiB.
	MaxStderrBytes int
	// MaxOutputBytes bounds each output file and each decoded stream. Default 4 GiB.
	MaxOutputBytes int64
	// MemoryLimitBytes is the address-space limit (RLIMIT_AS) of every process.
	// Default 2 GiB; a negative value means no limit.
	MemoryLimitBytes int64
	// Threads is passed to ffmpeg's -threads (decoder and encoder) and
	// -filter_threads. Default 1.
	Threads int
}

// Defaults of [Config].
const (
	DefaultTimeout          = 10 * time.Minute
	DefaultMaxStderrBytes   = 64 << 10
	DefaultMaxOutputBytes   = 4 << 30
	DefaultMemoryLimitBytes = 2 << 30
)

// Runner runs ffmpeg and ffprobe on untrusted input with the hardening described
// in the package documentation. It is safe for concurrent use.
type Runner struct {
	cfg     Config
	ffmpeg  string
	ffprobe string
	decoder string // ffmpeg for Decode
	prlimit string // empty when there is no memory limit
}

// New checks cfg, fills in its defaults and resolves the programs to absolute
// paths.
func New(cfg Config) (*Runner, error) {
	switch {
	case cfg.Timeout < 0:
		return nil, errors.New("ffmpeg: negative Timeout")
	case cfg.MaxStderrBytes < 0:
		return nil, errors.New("ffmpeg: negative MaxStderrBytes")
	case cfg.MaxOutputBytes < 0:
		return nil, errors.New("ffmpeg: negative MaxOutputBytes")
	case cfg.Threads < 0:
		return nil, errors.New("ffmpeg: negative Threads")
	}
	cfg.FFmpegPath = cmp.Or(cfg.FFmpegPath, "ffmpeg")
	cfg.FFprobePath = cmp.Or(cfg.FFprobePath, "ffprobe")
	cfg.PrlimitPath = cmp.Or(cfg.PrlimitPath, "prlimit")
	cfg.WorkDir = cmp.Or(cfg.WorkDir, os.TempDir())
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.MaxStderrBytes = cmp.Or(cfg.MaxStderrBytes, DefaultMaxStderrBytes)
	cfg.MaxOutputBytes = cmp.Or(cfg.MaxOutputBytes, DefaultMaxOutputBytes)
	cfg.MemoryLimitBytes = cmp.Or(cfg.MemoryLimitBytes, DefaultMemoryLimitBytes)
	cfg.Threads = cmp.Or(cfg.Threads, 1)

	r := &Runner{cfg: cfg}
	var err error
	if r.ffmpeg, err = lookPath(cfg.FFmpegPath); err != nil {
		return nil, err
	}
	if r.ffprobe, err = lookPath(cfg.FFprobePath); err != nil {
		return nil, err
	}
	r.decoder = r.ffmpeg
	if cfg.DecoderPath != "" {
		if r.decoder, err = lookPath(cfg.DecoderPath); err != nil {
			return nil, err
		}
	}
	if cfg.MemoryLimitBytes > 0 {
		if r.prlimit, err = lookPath(cfg.PrlimitPath); err != nil {
			return nil, fmt.Errorf("%w (set MemoryLimitBytes to -1 to run without a memory limit)", err)
		}
	}
	if r.cfg.WorkDir, err = filepath.Abs(cfg.WorkDir); err != nil {
		return nil, fmt.Errorf("ffmpeg: work dir: %w", err)
	}
	if err := os.MkdirAll(r.cfg.WorkDir, 0o700); err != nil {
		return nil, fmt.Errorf("ffmpeg: work dir: %w", err)
	}
	return r, nil
}

// Config returns the configuration in effect: defaults filled in, programs not
// yet resolved.
func (r *Runner) Config() Config { return r.cfg }

func lookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("ffmpeg: %w", err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", fmt.Errorf("ffmpeg: %w", err)
	}
	return p, nil
}

// InputName is the fixed name of the input file inside every job folder; the
// name a user gave the file is never used.
const InputName = "input"

// Job is a private folder (mode 0700, random name under [Config.WorkDir]) that
// holds one input file and the outputs made from it. A Job is not safe for
// concurrent use; Close it when done.
type Job struct {
	dir string
}

// NewJob creates a job folder.
func (r *Runner) NewJob() (*Job, error) {
	dir, err := os.MkdirTemp(r.cfg.WorkDir, "ffjob-")
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: new job: %w", err)
	}
	return &Job{dir: dir}, nil
}

// Dir returns the job folder's absolute path.
func (j *Job) Dir() string { return j.dir }

// Input returns the path where the input file belongs: Dir()/[InputName].
func (j *Job) Input() string { return filepath.Join(j.dir, InputName) }

// WriteInput copies r into the input file, replacing any earlier input, and
// returns the number of bytes written.
func (j *Job) WriteInput(r io.Reader) (int64, error) {
	f, err := os.OpenFile(j.Input(), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("ffmpeg: write input: %w", err)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("ffmpeg: write input: %w", err)
	}
	return n, nil
}

var outputName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Path returns the path of the output file name inside the job folder. The name
// must be 1 to 100 characters from [A-Za-z0-9._-], must not start with '.' or
// '-', and must not be [InputName]; otherwise the error is fault.Invalid.
func (j *Job) Path(name string) (string, error) {
	if !outputName.MatchString(name) || name == InputName {
		return "", fault.Errorf(fault.Invalid, "invalid output name %q", name)
	}
	return filepath.Join(j.dir, name), nil
}

// Sniff identifies the job's input with [SniffFile]. The input must be a regular
// file, not a symbolic link. Probe, Decode, Encode and Measure call it
// themselves, so a file it rejects never reaches ffmpeg.
func (j *Job) Sniff() (Format, error) {
	fi, err := os.Lstat(j.Input())
	switch {
	case errors.Is(err, os.ErrNotExist):
		return Format{}, fmt.Errorf("ffmpeg: job has no input: %w", err)
	case err != nil:
		return Format{}, fmt.Errorf("ffmpeg: sniff: %w", err)
	case !fi.Mode().IsRegular():
		return Format{}, fmt.Errorf("ffmpeg: job input is not a regular file")
	}
	return SniffFile(j.Input())
}

// Close removes the job folder and everything in it.
func (j *Job) Close() error {
	if err := os.RemoveAll(j.dir); err != nil {
		return fmt.Errorf("ffmpeg: close job: %w", err)
	}
	return nil
}
