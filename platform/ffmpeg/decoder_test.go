package ffmpeg_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// decoderPath returns FFMPEG_DECODER_PATH, the lean decoder build, or calls
// testenv.Missing.
func decoderPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("FFMPEG_DECODER_PATH")
	if p == "" {
		testenv.Missing(t, "FFMPEG_DECODER_PATH is not set: build it with scripts/build-ffmpeg-decoder.sh")
	}
	return p
}

// TestDecoderBuildCoversWhitelists checks that the lean decoder has every
// demuxer, decoder and filter the runner may ask for (speex needs libspeex, which
// the static build leaves out; Sniff never accepts a container only it reads).
func TestDecoderBuildCoversWhitelists(t *testing.T) {
	bin := decoderPath(t)
	list := func(what string) string {
		out, err := exec.Command(bin, "-hide_banner", "-"+what).Output()
		if err != nil {
			t.Fatalf("%s -%s: %v", bin, what, err)
		}
		return string(out)
	}
	has := func(listing, name string) bool {
		for _, line := range strings.Split(listing, "\n") {
			if f := strings.Fields(line); len(f) >= 2 && slices.Contains(strings.Split(f[1], ","), name) {
				return true
			}
		}
		return false
	}
	decoders, demuxers, filters := list("decoders"), list("demuxers"), list("filters")
	for _, d := range ffmpeg.AudioDecoders() {
		if d != "speex" && !has(decoders, d) {
			t.Errorf("decoder %s missing", d)
		}
	}
	for _, d := range ffmpeg.Demuxers() {
		if !has(demuxers, d) {
			t.Errorf("demuxer %s missing", d)
		}
	}
	for _, f := range ffmpeg.Filters() {
		if !has(filters, f) {
			t.Errorf("filter %s missing", f)
		}
	}
}

// TestDecoderBuildDecodesIdentically decodes files with the distribution ffmpeg and
// with the lean build: the PCM must be the same to the bit.
func TestDecoderBuildDecodesIdentically(t *testing.T) {
	bin := decoderPath(t)
	full := newRunner(t, ffmpeg.Config{})
	lean := newRunner(t, ffmpeg.Config{DecoderPath: bin})
	dir := t.TempDir()
	for _, tf := range testFormats {
		t.Run(tf.file, func(t *testing.T) {
			path := makeSine(t, dir, tf.file, tf.args...)
			decode := func(r *ffmpeg.Runner, opts ffmpeg.DecodeOptions) []byte {
				var pcm bytes.Buffer
				if _, err := r.Decode(context.Background(), newJobFile(t, r, path), opts, &pcm); err != nil {
					t.Fatal(err)
				}
				return pcm.Bytes()
			}
			for _, opts := range []ffmpeg.DecodeOptions{{Format: "f32le"}, {Format: "s16le", SampleRate: 22050, Channels: 1}} {
				a, b := decode(full, opts), decode(lean, opts)
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%+v: distribution ffmpeg gave %d bytes, the decoder build %d, not identical", opts, len(a), len(b))
				}
			}
		})
	}
}

// probeBuildPath returns FFPROBE_PATH when it names a file (the static
// ffprobe of the decoder build, in CI), or calls testenv.Missing.
func probeBuildPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("FFPROBE_PATH")
	if !strings.Contains(p, "/") {
		testenv.Missing(t, "FFPROBE_PATH does not name the static ffprobe: build it with scripts/build-ffmpeg-decoder.sh")
	}
	return p
}

// TestProbeBuildReportsTheSame probes every container the runner accepts, files
// with cover art, video and subtitles, and shared music, with the distribution
// ffprobe and with the static one of the decoder build: the results must be
// equal.
func TestProbeBuildReportsTheSame(t *testing.T) {
	bin := probeBuildPath(t)
	full := newRunner(t, ffmpeg.Config{})
	lean := newRunner(t, ffmpeg.Config{FFprobePath: bin})
	dir := t.TempDir()
	files := map[string]string{}
	for _, tf := range testFormats {
		files[tf.file] = makeSine(t, dir, tf.file, tf.args...)
	}
	jpg := coverImage(t, dir)
	wav := files["sine.wav"]
	for name, args := range map[string][]string{
		"cover.mp3":  {"-c:a", "libmp3lame", "-id3v2_version", "3", "-metadata", "title=Song", "-metadata", "artist=Band"},
		"cover.m4a":  {"-c:a", "aac", "-metadata", "album=Record"},
		"cover.flac": {"-c:a", "flac", "-metadata", "title=Song"},
	} {
		files[name] = runFFmpeg(t, dir, name, append([]string{"-i", wav, "-i", jpg, "-map", "0", "-map", "1",
			"-c:v", "copy", "-disposition:v", "attached_pic"}, args...)...)
	}
	files["video.mp4"] = runFFmpeg(t, dir, "video.mp4", "-f", "lavfi", "-i", "testsrc=size=64x64:duration=2",
		"-i", wav, "-c:v", "mpeg4", "-c:a", "aac", "-shortest")
	files["subtitled.mkv"] = runFFmpeg(t, dir, "subtitled.mkv", "-i", wav, "-i", writeSRT(t, dir),
		"-c:a", "flac", "-c:s", "srt")
	shared, _ := filepath.Glob(filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev", "*.flac"))
	mp3s, _ := filepath.Glob(filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev", "*.mp3"))
	for _, p := range append(shared, mp3s[:min(len(mp3s), 8)]...) {
		files["shared/"+filepath.Base(p)] = p
	}
	for name, path := range files {
		t.Run(name, func(t *testing.T) {
			a, err := full.Probe(context.Background(), newJobFile(t, full, path))
			if err != nil {
				t.Fatalf("distribution ffprobe: %v", err)
			}
			b, err := lean.Probe(context.Background(), newJobFile(t, lean, path))
			if err != nil {
				t.Fatalf("static ffprobe: %v", err)
			}
			// Without video decoders, the static ffprobe reports a video
			// stream's size from the container where the distribution's, which
			// opens the decoder but gives it no packet, reports 0.
			for i, s := range a.Streams {
				if s.CodecType == "video" && s.Width == 0 && i < len(b.Streams) {
					b.Streams[i].Width, b.Streams[i].Height = 0, 0
				}
			}
			if d := cmp.Diff(a, b); d != "" {
				t.Errorf("probe results differ (-distribution +static):\n%s", d)
			}
		})
	}
}

func writeSRT(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "subs.srt")
	if err := os.WriteFile(p, []byte("1\n00:00:00,000 --> 00:00:01,000\nHello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDecoderBuildFallsBack decodes Speex, which the static build leaves out
// (it needs libspeex): the runner falls back to the distribution's ffmpeg and
// gets the same PCM.
func TestDecoderBuildFallsBack(t *testing.T) {
	bin := decoderPath(t)
	full := newRunner(t, ffmpeg.Config{})
	lean := newRunner(t, ffmpeg.Config{DecoderPath: bin})
	path := runFFmpeg(t, t.TempDir(), "voice.spx", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=2",
		"-c:a", "libspeex")
	decode := func(r *ffmpeg.Runner) []byte {
		var pcm bytes.Buffer
		if _, err := r.Decode(context.Background(), newJobFile(t, r, path), ffmpeg.DecodeOptions{Format: "s16le"}, &pcm); err != nil {
			t.Fatal(err)
		}
		return pcm.Bytes()
	}
	a, b := decode(full), decode(lean)
	if len(a) < 2*16000 || !bytes.Equal(a, b) {
		t.Errorf("distribution ffmpeg gave %d bytes, the decoder build with its fallback %d, not identical", len(a), len(b))
	}
}
