// Command analyze-eval measures the analyze function on the labelled development
// clips of the shared evaluation set and compares it with Essentia.
//
// From the repository root:
//
//	go run ./functions/analyze/cmd/analyze-eval [-out DIR] [-anchors auto|on|off] [-clips N]
//
// In one run it analyses every clip of <shared>/testdata/eval-dev with the code
// `analyze run` uses (hardened decode included), one clip at a time and timing each;
// writes the predictions as CSV files; scores them with <shared>/eval/score.py
// (tempo Accuracy1 and Accuracy2, MIREX weighted key score); when node is on PATH,
// runs the Essentia anchors on the same clips (RhythmExtractor2013 for tempo,
// KeyExtractor with the edma and bgate profiles for key), timing them too; and
// prints a table side by side with the speed ratio to RhythmExtractor2013. Two more
// rows split the analyze function's time: the decode alone (the same runner and
// options) and tempo, key and the waveform files computed on the decoded samples,
// one after the other on one core.
//
// The shared folder is PHANTOM_SHARED_DIR, or else ../shared beside the repository
// (the first directory above the working directory holding .git). The exit status
// is 1 when an accuracy target is missed (tempo Accuracy1 ≥ 0.95, Accuracy2 ≥ 0.96,
// MIREX ≥ 0.90); the speed target (20 times RhythmExtractor2013) is reported only,
// since timings depend on the machine and its load.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "analyze-eval:", err)
		os.Exit(1)
	}
}

// withDecoder makes FFMPEG_DECODER_PATH default to path when that file exists: the
// static decoder build (scripts/build-ffmpeg-decoder.sh) starts in milliseconds,
// where the distribution's ffmpeg spends ~0.16 s loading shared libraries, which
// would dominate a 20-second clip's analysis.
func withDecoder(getenv func(string) string, path string) func(string) string {
	if getenv("FFMPEG_DECODER_PATH") != "" {
		return getenv
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return getenv
	}
	return func(k string) string {
		if k == "FFMPEG_DECODER_PATH" {
			return path
		}
		return getenv(k)
	}
}

// repoDir returns the repository's top directory (the first directory above the
// working directory holding .git), or the working directory.
func repoDir() string {
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze-eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder for predictions, timings and waveform files (default: a new temporary folder)")
	anchors := fs.String("anchors", "auto", "run the Essentia anchors: auto (when node is on PATH), on or off")
	limit := fs.Int("clips", 0, "evaluate only the first N clips (0: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	shared, err := sharedDir(getenv)
	if err != nil {
		return err
	}
	getenv = withDecoder(getenv, filepath.Join(repoDir(), "bin", "ffmpeg-decoder"))
	decoder := getenv("FFMPEG_DECODER_PATH")
	if decoder == "" {
		decoder = "the distribution ffmpeg (build bin/ffmpeg-decoder with `make ffmpeg-decoder` for ~0.12 s less per clip)"
	}
	fmt.Fprintf(stderr, "decoding with %s\n", decoder)
	if *out == "" {
		if *out, err = os.MkdirTemp("", "analyze-eval-"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	set, err := loadSet(filepath.Join(shared, "testdata", "eval-dev"), *limit, *out)
	if err != nil {
		return err
	}
	ev := &evaluation{set: set, score: filepath.Join(shared, "eval", "score.py"), out: *out, log: stderr}
	rows, err := ev.analyze(ctx, getenv)
	if err != nil {
		return err
	}
	parts, err := ev.split(ctx, getenv)
	if err != nil {
		return err
	}
	rows = append(rows, parts...)
	withAnchors, err := wantAnchors(*anchors)
	if err != nil {
		return err
	}
	if withAnchors {
		more, err := ev.essentia(ctx, filepath.Join(shared, "eval", "anchors"))
		if err != nil {
			return err
		}
		rows = append(rows, more...)
	}
	printTable(stdout, rows, len(set.clips), set.meanSeconds())
	fmt.Fprintf(stdout, "\npredictions, timings and waveforms: %s\n", *out)
	if missed := checkTargets(stdout, rows[0], rowFor(rows, rhythmTool)); missed {
		return errors.New("accuracy target missed")
	}
	return nil
}
