// Package funcmain is the main program every function command shares. A function
// command has two modes:
//
//	<function>                                  serve the function over NATS (a micro service)
//	<function> run [--options JSON] [--out DIR] FILE   run it once on a local file
//
// Serving reads the configuration from the environment (see [LoadCommon]), exposes
// /metrics and /healthz on METRICS_ADDR, and drains gracefully on SIGTERM.
//
// `<function> healthcheck` asks a serving process's /healthz (for container health
// checks).
//
// Running once is like a serverless "local invoke": no NATS, no blob store. The
// file is copied into a private job folder like any input, the result JSON is
// printed on stdout, and the exit status is 0 on success, 2 when the input or the
// options are at fault (a 4xx error), and 1 otherwise; the error goes to stderr.
package funcmain

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/healthcheck"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/metrics"
	"github.com/phantomchain/phantomchain/platform/natsconn"
	"github.com/phantomchain/phantomchain/platform/storage"
)

// Common is the configuration every function process shares.
type Common struct {
	Log     logging.Config
	NATS    natsconn.Config
	Storage storage.Config
	FFmpeg  ffmpeg.Config
	// MetricsAddr serves /metrics and /healthz (METRICS_ADDR, default ":9100"; "off"
	// disables it).
	MetricsAddr string
	// Concurrency is how many requests the process runs at once
	// (<FUNCTION>_CONCURRENCY, default 1).
	Concurrency int
	// ShutdownGrace is how long in-flight requests may finish on SIGTERM
	// (SHUTDOWN_GRACE, default 25 s).
	ShutdownGrace time.Duration
}

// LoadCommon reads the shared variables for the named function.
func LoadCommon(e *config.Env, name string) Common {
	prefix := strings.ToUpper(name) + "_"
	return Common{
		Log:     logging.LoadConfig(e),
		NATS:    natsconn.LoadConfig(e, "phantom-"+name),
		Storage: storage.LoadConfig(e),
		FFmpeg: ffmpeg.Config{
			FFmpegPath:       e.String("FFMPEG_PATH", "ffmpeg"),
			FFprobePath:      e.String("FFPROBE_PATH", "ffprobe"),
			DecoderPath:      e.String("FFMPEG_DECODER_PATH", ""),
			WorkDir:          e.String(prefix+"WORKDIR", ""),
			Timeout:          e.Duration(prefix+"TIMEOUT", 30*time.Minute),
			MemoryLimitBytes: e.Bytes("FFMPEG_MEMORY_LIMIT", ffmpeg.DefaultMemoryLimitBytes),
			MaxOutputBytes:   e.Bytes("FFMPEG_MAX_OUTPUT", ffmpeg.DefaultMaxOutputBytes),
			Threads:          e.Int("FFMPEG_THREADS", 1, 1, 64),
		},
		MetricsAddr:   e.Addr("METRICS_ADDR", ":9100", true),
		Concurrency:   e.Int(prefix+"CONCURRENCY", 1, 1, 256),
		ShutdownGrace: e.Duration("SHUTDOWN_GRACE", 25*time.Second),
	}
}

// Deps are what a function's endpoints are built from when serving.
type Deps struct {
	Runner *ffmpeg.Runner
	Blobs  blob.Store
	Log    *slog.Logger
	Reg    prometheus.Registerer
}

// Spec describes a function command.
type Spec struct {
	Name        string
	Version     string
	Description string
	// Metadata is advertised by the micro service (supported formats, …).
	Metadata map[string]string
	// Load reads the function's own configuration (its common part included).
	Load func(e *config.Env) (Common, error)
	// Endpoints returns the function's endpoints when serving.
	Endpoints func(d Deps) ([]endpoint.Endpoint, error)
	// Run runs the function once on the input in job (already copied there).
	// options is the --options JSON (nil when absent); outDir is --out ("" when
	// absent).
	Run func(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, options json.RawMessage, outDir string) (any, error)
	// NeedsOut makes --out required for run.
	NeedsOut bool
}

// Main runs the command with args (without the program name) and returns the exit
// status.
func Main(ctx context.Context, spec Spec, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "run" {
		return runOnce(ctx, spec, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 1 && args[0] == "healthcheck" {
		addr := config.NewEnv(getenv).Addr("METRICS_ADDR", ":9100", false)
		return healthcheck.Run(ctx, addr, "/healthz", stderr)
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "usage: %[1]s                  serve over NATS\n       %[1]s run [--options JSON] [--out DIR] FILE\n       %[1]s healthcheck      exit 0 when the served function is healthy\n", spec.Name)
		return 2
	}
	if err := serve(ctx, spec, getenv, stderr); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", spec.Name, err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, spec Spec, getenv func(string) string, stderr io.Writer) error {
	cfg, err := spec.Load(config.NewEnv(getenv))
	if err != nil {
		return err
	}
	log := logging.New(stderr, cfg.Log).With("service", spec.Name, "version", spec.Version)
	reg := metrics.NewRegistry(spec.Version)
	runner, err := ffmpeg.New(cfg.FFmpeg)
	if err != nil {
		return err
	}
	blobs, err := storage.Open(ctx, cfg.Storage)
	if err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	nc, err := natsconn.Connect(ctx, cfg.NATS, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	if cfg.MetricsAddr != "" {
		ms, err := metrics.Listen(cfg.MetricsAddr, reg, natsHealth(nc), log)
		if err != nil {
			return fmt.Errorf("METRICS_ADDR: %w", err)
		}
		defer ms.Shutdown(context.Background())
	}
	eps, err := spec.Endpoints(Deps{Runner: runner, Blobs: blobs, Log: log, Reg: reg})
	if err != nil {
		return err
	}
	err = endpoint.Serve(ctx, nc, endpoint.Config{
		Name: spec.Name, Version: spec.Version, Description: spec.Description, Metadata: spec.Metadata,
		Concurrency: cfg.Concurrency, ShutdownGrace: cfg.ShutdownGrace, Endpoints: eps,
	}, log, reg)
	if derr := nc.Drain(); derr != nil && !errors.Is(derr, nats.ErrConnectionClosed) {
		err = errors.Join(err, derr)
	}
	return err
}

func natsHealth(nc *nats.Conn) func(context.Context) error {
	return func(context.Context) error {
		if st := nc.Status(); st != nats.CONNECTED {
			return fmt.Errorf("nats %s", st)
		}
		return nil
	}
}

func runOnce(ctx context.Context, spec Spec, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(spec.Name+" run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	options := fs.String("options", "", "the function's options as JSON (or @FILE to read them from a file)")
	out := fs.String("out", "", "folder for output files")
	file, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "usage: %s run [--options JSON] [--out DIR] FILE\n", spec.Name)
		return 2
	}
	if spec.NeedsOut && *out == "" {
		fmt.Fprintf(stderr, "%s run: --out DIR is required\n", spec.Name)
		return 2
	}
	res, err := invoke(ctx, spec, getenv, file, *options, *out)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", spec.Name, fault.Message(err))
		if fault.KindOf(err) == fault.Internal {
			fmt.Fprintf(stderr, "%s: cause: %v\n", spec.Name, err)
		}
		if code := fault.KindOf(err).Code(); code >= 400 && code < 500 {
			return 2
		}
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", spec.Name, err)
		return 1
	}
	return 0
}

func invoke(ctx context.Context, spec Spec, getenv func(string) string, file, options, out string) (any, error) {
	cfg, err := spec.Load(config.NewEnv(getenv))
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if options != "" {
		if strings.HasPrefix(options, "@") {
			b, err := os.ReadFile(options[1:])
			if err != nil {
				return nil, fault.Errorf(fault.Invalid, "--options: %v", err)
			}
			options = string(b)
		}
		if !json.Valid([]byte(options)) {
			return nil, fault.Errorf(fault.Invalid, "--options: not valid JSON")
		}
		raw = json.RawMessage(options)
	}
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, fault.Errorf(fault.Invalid, "--out: %v", err)
		}
	}
	runner, err := ffmpeg.New(cfg.FFmpeg)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fault.Errorf(fault.NotFound, "%s: %v", file, errors.Unwrap(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fault.Errorf(fault.Invalid, "%s: not a regular file", file)
	}
	job, err := runner.NewJob()
	if err != nil {
		return nil, err
	}
	defer job.Close()
	if _, err := job.WriteInput(f); err != nil {
		return nil, err
	}
	return spec.Run(ctx, runner, job, raw, out)
}

// parseInterspersed parses flags that may come before or after the one positional
// argument, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != 1 {
		return "", errors.New("want exactly one FILE")
	}
	return pos[0], nil
}
