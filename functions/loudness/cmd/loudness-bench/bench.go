package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// bench is one benchmark run's settings.
type bench struct {
	shared  string
	dir     string // scratch folder
	reps    int
	seconds float64
	rate    int
	format  string
}

func (b *bench) run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	ffmpegPath, err := exec.LookPath("ffmpeg")
	if err != nil {
		return err
	}
	shared, err := sharedDir(b.shared)
	if err != nil {
		return err
	}
	file, err := b.makeFile(ctx, ffmpegPath, filepath.Join(shared, "testdata", "eval-dev"))
	if err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}

	// (a) as the service and `loudness run` do: the runner configured from the
	// environment, the input in a job folder.
	cfg, err := loudness.LoadConfig(config.NewEnv(getenv))
	if err != nil {
		return err
	}
	runner, err := ffmpeg.New(cfg.FFmpeg)
	if err != nil {
		return err
	}
	job, err := runner.NewJob()
	if err != nil {
		return err
	}
	defer job.Close()
	if err := copyInput(job, file); err != nil {
		return err
	}

	var fn, ff []time.Duration
	var ours loudness.Result
	var theirs summary
	for range b.reps {
		start := time.Now()
		if ours, err = loudness.File(ctx, runner, job, loudness.Options{}); err != nil {
			return err
		}
		fn = append(fn, time.Since(start))
		start = time.Now()
		if theirs, err = ebur128(ctx, ffmpegPath, file); err != nil {
			return err
		}
		ff = append(ff, time.Since(start))
	}
	meter, meterNoTP, err := b.meterAlone(ctx, ffmpegPath, file)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "file: %.0f s of shared music, %d Hz stereo %s, %.1f MB; %d runs each, alternating; %d CPUs (%s)\n\n",
		ours.DurationS, b.rate, b.format, float64(fi.Size())/1e6, b.reps, runtime.NumCPU(), runtime.GOARCH)
	fmt.Fprintf(out, "%-52s %9s %9s %9s %11s\n", "", "median", "min", "max", "x realtime")
	row := func(name string, d []time.Duration) {
		fmt.Fprintf(out, "%-52s %8.3fs %8.3fs %8.3fs %10.0f×\n", name, median(d).Seconds(), slices.Min(d).Seconds(),
			slices.Max(d).Seconds(), ours.DurationS/median(d).Seconds())
	}
	row("(a) loudness.File: probe, decode, measure (TP on)", fn)
	row("(b) ffmpeg -af ebur128=peak=true -f null -", ff)
	fmt.Fprintf(out, "%-52s %8.2f×\n", "ratio (b)/(a), medians", median(ff).Seconds()/median(fn).Seconds())
	row("(c) r128 meter alone, TP on, GOMAXPROCS=1", meter)
	row("(d) r128 meter alone, TP off, GOMAXPROCS=1", meterNoTP)
	fmt.Fprintf(out, "\nreadings          %12s %12s\n", "loudness", "ffmpeg")
	fmt.Fprintf(out, "integrated LUFS   %12.2f %12.1f\n", deref(ours.IntegratedLUFS), theirs.i)
	fmt.Fprintf(out, "range LU          %12.2f %12.1f\n", deref(ours.RangeLU), theirs.lra)
	fmt.Fprintf(out, "true peak dBTP    %12.2f %12.1f\n", deref(ours.TruePeakDBTP), theirs.tp)
	return nil
}

// makeFile concatenates the evaluation clips, in name order, into one file of
// b.seconds at b.rate, stereo.
func (b *bench) makeFile(ctx context.Context, ffmpegPath, clips string) (string, error) {
	var inputs []string
	for _, pattern := range []string{"*.mp3", "*.flac"} {
		m, err := filepath.Glob(filepath.Join(clips, pattern))
		if err != nil {
			return "", err
		}
		inputs = append(inputs, m...)
	}
	slices.Sort(inputs)
	if len(inputs) == 0 {
		return "", fmt.Errorf("no clips in %s", clips)
	}
	// The clips last 13 to 25 s: take enough of them, looping the list if need be.
	n := int(math.Ceil(b.seconds/13)) + 1
	args := []string{"-v", "error", "-y"}
	var graph strings.Builder
	for i := range n {
		args = append(args, "-i", inputs[i%len(inputs)])
		fmt.Fprintf(&graph, "[%d:a]aresample=%d,aformat=sample_fmts=fltp:channel_layouts=stereo[a%d];", i, b.rate, i)
	}
	for i := range n {
		fmt.Fprintf(&graph, "[a%d]", i)
	}
	fmt.Fprintf(&graph, "concat=n=%d:v=0:a=1[out]", n)
	var codec []string
	switch b.format {
	case "flac":
		codec = []string{"-c:a", "flac", "-sample_fmt", "s16"}
	case "mp3":
		codec = []string{"-c:a", "libmp3lame", "-b:a", "192k"}
	case "wav":
		codec = []string{"-c:a", "pcm_s16le"}
	default:
		return "", fmt.Errorf("-format %q: want flac, mp3 or wav", b.format)
	}
	out := filepath.Join(b.dir, "bench."+b.format)
	args = append(args, "-filter_complex", graph.String(), "-map", "[out]", "-t", strconv.FormatFloat(b.seconds, 'f', -1, 64))
	args = append(append(args, codec...), out)
	if msg, err := exec.CommandContext(ctx, ffmpegPath, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg: make test file: %v\n%s", err, msg)
	}
	return out, nil
}

// meterAlone decodes the file to memory once and times the r128 meter on it, with
// and without true peak, alternating, with one core for Go.
func (b *bench) meterAlone(ctx context.Context, ffmpegPath, file string) (tp, noTP []time.Duration, err error) {
	raw, err := exec.CommandContext(ctx, ffmpegPath, "-v", "error", "-i", file, "-f", "f32le", "-c:a", "pcm_f32le", "-").Output()
	if err != nil {
		return nil, nil, fmt.Errorf("ffmpeg: decode: %w", err)
	}
	pcm := make([]float32, len(raw)/4)
	for i := range pcm {
		pcm[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for range b.reps {
		for _, truePeak := range []bool{true, false} {
			start := time.Now()
			m, err := r128.New(r128.Config{SampleRate: b.rate, Channels: 2, Layout: "stereo", TruePeak: truePeak})
			if err != nil {
				return nil, nil, err
			}
			for off := 0; off < len(pcm); off += 16384 {
				m.Write(pcm[off:min(off+16384, len(pcm))])
			}
			if r := m.Result(); !r.Integrated.Defined() {
				return nil, nil, fmt.Errorf("meter: integrated loudness %s", r.Integrated.Reason)
			}
			if truePeak {
				tp = append(tp, time.Since(start))
			} else {
				noTP = append(noTP, time.Since(start))
			}
		}
	}
	return tp, noTP, nil
}

func copyInput(job *ffmpeg.Job, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = job.WriteInput(f)
	return err
}

// summary is what ffmpeg's ebur128 filter prints at the end.
type summary struct{ i, lra, tp float64 }

var summaryFields = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^\s+I:\s+(\S+) LUFS`),
	regexp.MustCompile(`(?m)^\s+LRA:\s+(\S+) LU`),
	regexp.MustCompile(`(?m)^\s+Peak:\s+(\S+) dBFS`),
}

// ebur128 runs the reference command and parses its summary.
func ebur128(ctx context.Context, ffmpegPath, file string) (summary, error) {
	out, err := exec.CommandContext(ctx, ffmpegPath, "-nostats", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		return summary{}, fmt.Errorf("ffmpeg ebur128: %v\n%s", err, out)
	}
	_, sum, ok := bytes.Cut(out, []byte("Summary:"))
	if !ok {
		return summary{}, errors.New("ffmpeg ebur128: no summary")
	}
	var v [3]float64
	for i, re := range summaryFields {
		m := re.FindSubmatch(sum)
		if m == nil {
			return summary{}, fmt.Errorf("ffmpeg ebur128: %v not in summary", re)
		}
		if v[i], err = strconv.ParseFloat(string(m[1]), 64); err != nil {
			return summary{}, fmt.Errorf("ffmpeg ebur128: %w", err)
		}
	}
	return summary{i: v[0], lra: v[1], tp: v[2]}, nil
}

// sharedDir returns dir, or ../shared beside the repository holding the working
// directory.
func sharedDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(wd, ".git")); err == nil {
			return filepath.Join(filepath.Dir(wd), "shared"), nil
		}
		parent := filepath.Dir(wd)
		if parent == wd {
			return "", errors.New("no shared folder: set -shared or PHANTOM_SHARED_DIR")
		}
		wd = parent
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(d))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func deref(v *float64) float64 {
	if v == nil {
		return math.Inf(-1)
	}
	return *v
}
