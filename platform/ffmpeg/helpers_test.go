package ffmpeg_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// sineSeconds, sineRate: every generated file is a 440 Hz stereo sine of this
// length and rate (Opus is resampled to 48 kHz by its encoder).
const (
	sineSeconds = 2
	sineRate    = 44100
)

// testFormat is one accepted container made by ffmpeg in the test, with what
// Sniff and Probe must say about it.
type testFormat struct {
	file    string   // output name; its extension picks ffmpeg's muxer
	args    []string // encoder options
	demuxer string   // Format.Name
	codec   string   // codec_name of the audio stream
	rate    int
	exact   bool // lossless or PCM: decodes to exactly the frames encoded
}

var testFormats = []testFormat{
	{"sine.wav", nil, "wav", "pcm_s16le", 44100, true},
	{"sine-rf64.wav", []string{"-rf64", "always"}, "wav", "pcm_s16le", 44100, true},
	{"sine.w64", nil, "w64", "pcm_s16le", 44100, true},
	{"sine.aiff", nil, "aiff", "pcm_s16be", 44100, true},
	{"sine.flac", nil, "flac", "flac", 44100, true},
	{"sine.mp3", []string{"-c:a", "libmp3lame", "-b:a", "128k"}, "mp3", "mp3", 44100, false},
	{"sine.mp2", []string{"-c:a", "mp2"}, "mp3", "mp2", 44100, false},
	{"sine.ogg", []string{"-c:a", "libvorbis"}, "ogg", "vorbis", 44100, false},
	{"sine.opus", []string{"-c:a", "libopus"}, "ogg", "opus", 48000, false},
	{"sine.oga", []string{"-c:a", "flac"}, "ogg", "flac", 44100, true},
	{"sine.m4a", []string{"-c:a", "aac"}, "mov", "aac", 44100, false},
	{"sine-alac.m4a", []string{"-c:a", "alac"}, "mov", "alac", 44100, true},
	{"sine.3gp", []string{"-c:a", "aac"}, "mov", "aac", 44100, false},
	{"sine.mov", []string{"-c:a", "pcm_s24le"}, "mov", "pcm_s24le", 44100, true},
	{"sine.mka", []string{"-c:a", "flac"}, "matroska", "flac", 44100, true},
	{"sine.webm", []string{"-c:a", "libopus"}, "matroska", "opus", 48000, false},
	{"sine.aac", []string{"-c:a", "aac"}, "aac", "aac", 44100, false},
	{"sine.ac3", []string{"-c:a", "ac3"}, "ac3", "ac3", 44100, false},
	{"sine.eac3", []string{"-c:a", "eac3"}, "eac3", "eac3", 44100, false},
	{"sine.wv", nil, "wv", "wavpack", 44100, true},
	{"sine.caf", []string{"-c:a", "alac"}, "caf", "alac", 44100, true},
	{"sine.au", nil, "au", "pcm_s16be", 44100, true},
	{"sine.wma", []string{"-c:a", "wmav2"}, "asf", "wmav2", 44100, false},
}

// tools returns the paths of the real ffmpeg and ffprobe, or skips.
func tools(tb testing.TB) (ffmpegPath, ffprobePath string) {
	tb.Helper()
	return testenv.Tool(tb, "ffmpeg"), testenv.Tool(tb, "ffprobe")
}

// newRunner returns a Runner on the real ffmpeg whose job folders live in a
// temporary directory.
func newRunner(tb testing.TB, cfg ffmpeg.Config) *ffmpeg.Runner {
	tb.Helper()
	tools(tb)
	if cfg.WorkDir == "" {
		cfg.WorkDir = tb.TempDir()
	}
	r, err := ffmpeg.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// makeSine writes a sineSeconds stereo sine into dir/name with the real ffmpeg
// (the test's own, trusted use) encoded with args, and returns its path.
func makeSine(tb testing.TB, dir, name string, args ...string) string {
	tb.Helper()
	return runFFmpeg(tb, dir, name, append([]string{"-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate=44100:duration=2", "-ac", "2"}, args...)...)
}

// runFFmpeg runs the real ffmpeg with args and the output dir/name.
func runFFmpeg(tb testing.TB, dir, name string, args ...string) string {
	tb.Helper()
	bin, _ := tools(tb)
	out := filepath.Join(dir, name)
	cmd := exec.Command(bin, append(append([]string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y"}, args...), out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("ffmpeg %v: %v\n%s", args, err, msg)
	}
	return out
}

// newJob returns a job whose input holds data; it is closed when the test ends.
func newJob(tb testing.TB, r *ffmpeg.Runner, data []byte) *ffmpeg.Job {
	tb.Helper()
	job, err := r.NewJob()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := job.Close(); err != nil {
			tb.Error(err)
		}
	})
	if _, err := job.WriteInput(bytes.NewReader(data)); err != nil {
		tb.Fatal(err)
	}
	return job
}

// newJobFile is newJob with the contents of a file.
func newJobFile(tb testing.TB, r *ffmpeg.Runner, path string) *ffmpeg.Job {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return newJob(tb, r, data)
}

// coverImage writes a small JPEG for cover-art tests.
func coverImage(tb testing.TB, dir string) string {
	tb.Helper()
	return runFFmpeg(tb, dir, "cover.jpg", "-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-frames:v", "1")
}
