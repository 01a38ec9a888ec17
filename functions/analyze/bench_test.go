package analyze_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// BenchmarkFile measures the whole local-invoke path on a 20-second dev clip (MP3,
// 44.1 kHz stereo): copy into a job folder, decode with ffmpeg, tempo, key, and the
// waveform's three files.
func BenchmarkFile(b *testing.B) {
	testenv.Tool(b, "ffmpeg")
	clip := filepath.Join(testenv.SharedDir(b), "testdata", "eval-dev", "msx_harp_harmony.mp3")
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	out := analyze.DirOutput(b.TempDir())
	b.ReportAllocs()
	for b.Loop() {
		job, err := runner.NewJob()
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(clip)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := job.WriteInput(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if _, err := analyze.File(context.Background(), runner, job, analyze.Options{}, analyze.Limits{}, out); err != nil {
			b.Fatal(err)
		}
		job.Close()
	}
}

// BenchmarkDecode is BenchmarkFile's floor: the same decode, its samples thrown
// away.
func BenchmarkDecode(b *testing.B) {
	testenv.Tool(b, "ffmpeg")
	clip := filepath.Join(testenv.SharedDir(b), "testdata", "eval-dev", "msx_harp_harmony.mp3")
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		job, err := runner.NewJob()
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(clip)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := job.WriteInput(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
		opts := ffmpeg.DecodeOptions{Format: "f32le", Channels: 1, Lenient: true}
		// Not io.Discard itself, whose ReadFrom reads the pipe in smaller pieces.
		if _, err := runner.Decode(context.Background(), job, opts, struct{ io.Writer }{io.Discard}); err != nil {
			b.Fatal(err)
		}
		job.Close()
	}
}
