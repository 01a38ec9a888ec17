// Command transcode-bench compares the transcode function's wall time with the
// plain ffmpeg command line doing the same encode of the same file, for each
// format, in one run.
//
// It builds a 5-minute source from the shared test music (15 MP3 clips joined
// and encoded at 192 kbit/s, as uploads typically are), serves the function on
// an embedded NATS server with the blob store the environment configures (S3
// when S3_ENDPOINT is set, e.g. a local MinIO; otherwise the local-folder
// driver), and calls it as the gateway does. Each function call downloads the
// source, probes it, encodes, reads the rendition's facts from its headers,
// hashes it and uploads it: blob I/O included. The plain command is `ffmpeg -i source.mp3 <encoder options> out`
// on local files. Runs alternate between the two, several repetitions, and the
// table reports medians, the overhead ratio and the share of each rendition
// that went up to the blob store while ffmpeg was still writing it.
//
//	transcode-bench [-reps 5] [-seconds 300] [-presets mp3-320,aac-256,…] [-shared DIR]
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/storage"
)

// plainArgs are the encoder options a user would give ffmpeg for each preset:
// the same encoder and muxer settings the function uses, without its hardening,
// tag and cover-art options.
var plainArgs = map[string][]string{
	"mp3-320":    {"-c:a", "libmp3lame", "-b:a", "320k", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
	"mp3-v0":     {"-c:a", "libmp3lame", "-q:a", "0", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
	"aac-256":    {"-c:a", "aac", "-b:a", "256k", "-movflags", "+faststart", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
	"opus-96":    {"-c:a", "libopus", "-b:a", "96k", "-vbr", "on", "-compression_level", "10", "-ar", "48000", "-ac", "2", "-fflags", "+bitexact"},
	"vorbis-q6":  {"-c:a", "libvorbis", "-q:a", "6", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
	"flac":       {"-c:a", "flac", "-sample_fmt", "s16", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
	"wav-16-44k": {"-c:a", "pcm_s16le", "-ar", "44100", "-ac", "2", "-fflags", "+bitexact"},
}

var extensions = map[string]string{"mp3-320": ".mp3", "mp3-v0": ".mp3", "aac-256": ".m4a", "opus-96": ".opus",
	"vorbis-q6": ".ogg", "flac": ".flac", "wav-16-44k": ".wav"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "transcode-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("transcode-bench", flag.ContinueOnError)
	reps := fs.Int("reps", 5, "repetitions of each measurement")
	seconds := fs.Int("seconds", 300, "length of the source in seconds")
	presets := fs.String("presets", "mp3-320,mp3-v0,aac-256,opus-96,vorbis-q6,flac,wav-16-44k", "presets to time")
	shared := fs.String("shared", "", "the shared data folder (default $PHANTOM_SHARED_DIR, or ../shared beside the repository)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	names := strings.Split(*presets, ",")
	for _, n := range names {
		if plainArgs[n] == nil {
			return fmt.Errorf("-presets: no plain ffmpeg command for %q", n)
		}
	}
	dir, err := os.MkdirTemp("", "transcode-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src, err := buildSource(ctx, cmp.Or(*shared, getenv("PHANTOM_SHARED_DIR")), dir, *seconds)
	if err != nil {
		return err
	}
	e := config.NewEnv(getenv)
	scfg := storage.LoadConfig(e)
	if scfg.Driver == "file" {
		scfg.Dir = filepath.Join(dir, "blobs")
	}
	if err := e.Err(); err != nil {
		return err
	}
	fn, err := startFunction(ctx, getenv, scfg, filepath.Join(dir, "work"))
	if err != nil {
		return err
	}
	defer fn.close()
	key, err := fn.put(ctx, src)
	if err != nil {
		return err
	}

	fi, _ := os.Stat(src)
	fmt.Fprintf(stdout, "source: %d s of shared test music, MP3 192 kbit/s 44.1 kHz stereo, %.1f MB\n", *seconds, float64(fi.Size())/1e6)
	fmt.Fprintf(stdout, "blob store: %s; %d repetitions, alternating; ffmpeg %s\n\n", describe(scfg), *reps, ffmpegVersion(ctx))
	// Repetitions are the outer loop, so that a change in the machine's load
	// during the run touches every preset alike; within a repetition the two
	// take turns going first.
	plain := make([][]time.Duration, len(names))
	function := make([][]time.Duration, len(names))
	sizes := make([]int64, len(names))
	early := make([][]int64, len(names))
	for rep := range *reps {
		for i, name := range names {
			steps := []func() error{
				func() error {
					d, err := timePlain(ctx, src, filepath.Join(dir, "plain"+extensions[name]), plainArgs[name])
					plain[i] = append(plain[i], d)
					return err
				},
				func() error {
					d, n, e, err := fn.time(ctx, key, name)
					function[i], sizes[i], early[i] = append(function[i], d), n, append(early[i], e)
					return err
				},
			}
			if (rep+i)%2 == 1 {
				slices.Reverse(steps)
			}
			for _, step := range steps {
				if err := step(); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
		}
	}
	fmt.Fprintf(stdout, "%-11s %12s %12s %10s %11s %13s\n", "preset", "ffmpeg (s)", "function (s)", "overhead", "output (MB)", "sent early")
	var sumPlain, sumFunction time.Duration
	for i, name := range names {
		p, f := median(plain[i]), median(function[i])
		sumPlain, sumFunction = sumPlain+p, sumFunction+f
		fmt.Fprintf(stdout, "%-11s %12.3f %12.3f %+9.1f%% %11.2f %12.0f%%\n", name, p.Seconds(), f.Seconds(),
			100*(f.Seconds()/p.Seconds()-1), float64(sizes[i])/1e6, 100*float64(medianInt(early[i]))/float64(max(sizes[i], 1)))
	}
	fmt.Fprintf(stdout, "%-11s %12.3f %12.3f %+9.1f%%\n", "all", sumPlain.Seconds(), sumFunction.Seconds(),
		100*(sumFunction.Seconds()/sumPlain.Seconds()-1))
	return nil
}

// buildSource joins shared MP3 clips into one file of the given length.
func buildSource(ctx context.Context, shared, dir string, seconds int) (string, error) {
	if shared == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		shared = filepath.Join(filepath.Dir(root), "shared")
	}
	clips, err := filepath.Glob(filepath.Join(shared, "testdata", "eval-dev", "*.mp3"))
	if err != nil || len(clips) == 0 {
		return "", fmt.Errorf("no shared MP3 clips under %s (use -shared or PHANTOM_SHARED_DIR)", shared)
	}
	slices.Sort(clips)
	n := min(len(clips), seconds/15+1)
	var args []string
	for _, c := range clips[:n] {
		args = append(args, "-i", c)
	}
	out := filepath.Join(dir, "source.mp3")
	args = append(args, "-filter_complex", fmt.Sprintf("concat=n=%d:v=0:a=1", n), "-t", fmt.Sprint(seconds),
		"-c:a", "libmp3lame", "-b:a", "192k", "-ar", "44100", "-ac", "2", out)
	cmd := exec.CommandContext(ctx, "ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the source: %v: %s", err, msg)
	}
	return out, nil
}

// timePlain times the plain ffmpeg command line.
func timePlain(ctx context.Context, src, out string, encode []string) (time.Duration, error) {
	args := append(append([]string{"-nostdin", "-hide_banner", "-loglevel", "error", "-i", src, "-map", "0:a:0"}, encode...), "-y", out)
	start := time.Now()
	msg, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("ffmpeg %v: %v: %s", args, err, msg)
	}
	return d, os.Remove(out)
}

func medianInt(ns []int64) int64 {
	s := slices.Clone(ns)
	slices.Sort(s)
	return s[len(s)/2]
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func describe(c storage.Config) string {
	if c.Driver == "file" {
		return "local folder (file driver)"
	}
	return fmt.Sprintf("S3 at %s, bucket %s", c.S3.Endpoint, c.S3.Bucket)
}

func ffmpegVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "ffmpeg", "-version").Output()
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(out))
	if len(f) < 3 {
		return "?"
	}
	return f[2]
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no .git above the working directory: use -shared")
		}
		dir = parent
	}
}
