// Command loudness-bench times the loudness function against ffmpeg's ebur128
// filter on one music file of a few minutes, made from the shared evaluation
// clips:
//
//	go run ./cmd/loudness-bench [-reps 7] [-seconds 300] [-rate 48000] [-format flac]
//
// In one run it times, alternating and several times each, (a) the function's
// decode-and-measure, [loudness.File] (ffprobe, one ffmpeg decode to float PCM,
// the r128 meter with true peak), and (b) `ffmpeg -nostats -i FILE -af
// ebur128=peak=true -f null -`, and prints their medians and ratio. It also times
// (c) the r128 meter alone on the decoded samples, true peak on, on one core, and
// prints both programs' readings of the file.
//
// The shared folder is -shared, else PHANTOM_SHARED_DIR, else ../shared beside the
// repository holding the working directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loudness-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("loudness-bench", flag.ContinueOnError)
	var b bench
	fs.StringVar(&b.shared, "shared", getenv("PHANTOM_SHARED_DIR"), "shared evaluation folder (default: PHANTOM_SHARED_DIR, else ../shared beside the repository)")
	fs.IntVar(&b.reps, "reps", 7, "repetitions of each timed run")
	fs.Float64Var(&b.seconds, "seconds", 300, "length of the test file in seconds")
	fs.IntVar(&b.rate, "rate", 48000, "sample rate of the test file in Hz")
	fs.StringVar(&b.format, "format", "flac", "test file format: flac, mp3 (192 kb/s) or wav")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.reps < 1 || b.seconds <= 0 {
		return fmt.Errorf("-reps and -seconds must be positive")
	}
	dir, err := os.MkdirTemp("", "loudness-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b.dir = dir
	return b.run(ctx, getenv, stdout)
}
