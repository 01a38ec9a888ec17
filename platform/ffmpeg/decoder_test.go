package ffmpeg_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

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
