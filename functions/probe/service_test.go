package probe_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phantomchain/phantomchain/functions/probe"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/functest"
)

type testBundle struct {
	nc    *nats.Conn
	blobs blob.Store
	dir   string // scratch folder for generated inputs
}

// setup serves the probe function on an in-process NATS server with a local-folder
// blob store and the real ffmpeg.
func setup(t *testing.T) *testBundle {
	t.Helper()
	blobs := functest.FileStore(t)
	nc := functest.Serve(t, "probe", func(runner *ffmpeg.Runner) []endpoint.Endpoint {
		return probe.Endpoints(probe.New(runner, blobs, 64<<20))
	})
	return &testBundle{nc: nc, blobs: blobs, dir: t.TempDir()}
}

// put stores a file under key.
func (b *testBundle) put(t *testing.T, key, path string) {
	t.Helper()
	functest.Put(t, b.blobs, key, path)
}

// synth makes an audio file with ffmpeg's lavfi sources.
func (b *testBundle) synth(t *testing.T, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(b.dir, name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, b)
	}
	return out
}

func (b *testBundle) probe(t *testing.T, key string) (contract.ProbeResult, error) {
	t.Helper()
	var res contract.ProbeResult
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := endpoint.Call(ctx, b.nc, contract.ProbeSubject, contract.ProbeRequest{Input: contract.ObjectRef{Key: key}}, &res, endpoint.CallOptions{})
	return res, err
}

func TestProbeFormats(t *testing.T) {
	b := setup(t)
	sine := []string{"-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000", "-ac", "2"}
	tests := []struct {
		name      string
		args      []string
		format    string
		codec     string
		rate, ch  int
		bits      int // 0: null
		tagTitle  string
		coverArt  bool
		maxOffset float64 // decoded duration vs 3 s
	}{
		{"tone.wav", append(sine, "-c:a", "pcm_s24le"), "wav", "pcm_s24le", 48000, 2, 24, "", false, 0.001},
		{"tone.flac", append(sine, "-metadata", "title=Tone", "-sample_fmt", "s16"), "flac", "flac", 48000, 2, 16, "Tone", false, 0.001},
		{"tone.mp3", append(sine, "-b:a", "128k", "-metadata", "title=Tone"), "mp3", "mp3", 48000, 2, 0, "Tone", false, 0.06},
		{"tone.ogg", append(sine, "-c:a", "libvorbis"), "ogg", "vorbis", 48000, 2, 0, "", false, 0.03},
		{"tone.opus", append(sine, "-c:a", "libopus"), "ogg", "opus", 48000, 2, 0, "", false, 0.03},
		{"tone.m4a", append(sine, "-c:a", "aac"), "m4a", "aac", 48000, 2, 0, "", false, 0.06},
		{"mono.wav", []string{"-f", "lavfi", "-i", "sine=duration=3:sample_rate=22050", "-c:a", "pcm_s16le"}, "wav", "pcm_s16le", 22050, 1, 16, "", false, 0.001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.put(t, "in/"+tt.name, b.synth(t, tt.name, tt.args...))
			res, err := b.probe(t, "in/"+tt.name)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Streams[0]
			if res.Format != tt.format || s.Codec != tt.codec || s.SampleRate != tt.rate || s.Channels != tt.ch {
				t.Errorf("got %s/%s %d Hz %d ch, want %s/%s %d Hz %d ch", res.Format, s.Codec, s.SampleRate, s.Channels,
					tt.format, tt.codec, tt.rate, tt.ch)
			}
			if d := res.Duration - 3; d > tt.maxOffset || d < -tt.maxOffset {
				t.Errorf("Duration = %.4f s, want 3 ± %v", res.Duration, tt.maxOffset)
			}
			switch {
			case tt.bits == 0 && s.BitsPerSample != nil:
				t.Errorf("BitsPerSample = %d, want null for a lossy codec", *s.BitsPerSample)
			case tt.bits != 0 && (s.BitsPerSample == nil || *s.BitsPerSample != tt.bits):
				t.Errorf("BitsPerSample = %v, want %d", s.BitsPerSample, tt.bits)
			}
			if tt.tagTitle != "" && res.Tags["title"] != tt.tagTitle {
				t.Errorf("tags = %v, want title %q", res.Tags, tt.tagTitle)
			}
			if res.DurationSource != "decode" || res.BitRate <= 0 || res.Size <= 0 {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestProbeCoverArtAndVideo(t *testing.T) {
	b := setup(t)
	pic := b.synth(t, "cover.png", "-f", "lavfi", "-i", "color=c=red:s=64x64:d=1", "-frames:v", "1")
	mp3 := b.synth(t, "art.mp3", "-f", "lavfi", "-i", "sine=duration=2", "-i", pic, "-map", "0:a", "-map", "1:v",
		"-c:v", "png", "-disposition:v", "attached_pic", "-id3v2_version", "3")
	mp4 := b.synth(t, "movie.mp4", "-f", "lavfi", "-i", "sine=duration=2", "-f", "lavfi", "-i", "testsrc=s=64x64:d=2",
		"-c:v", "mpeg4", "-c:a", "aac", "-shortest")
	b.put(t, "art.mp3", mp3)
	b.put(t, "movie.mp4", mp4)
	res, err := b.probe(t, "art.mp3")
	if err != nil {
		t.Fatal(err)
	}
	if !res.CoverArt || res.Video {
		t.Errorf("art.mp3: cover_art %v video %v, want true false", res.CoverArt, res.Video)
	}
	res, err = b.probe(t, "movie.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if res.CoverArt || !res.Video || res.Format != "mp4" {
		t.Errorf("movie.mp4: format %s cover_art %v video %v, want mp4 false true", res.Format, res.CoverArt, res.Video)
	}
}

func TestProbeRejects(t *testing.T) {
	b := setup(t)
	write := func(name, content string) string {
		p := filepath.Join(b.dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	videoOnly := b.synth(t, "video.mp4", "-f", "lavfi", "-i", "testsrc=s=64x64:d=1", "-c:v", "mpeg4")
	tests := []struct {
		name string
		path string
		kind fault.Kind
		msg  string
	}{
		{"TextRenamedMP3", write("notes.mp3", "these are my notes, not a song\n"), fault.Unsupported, "text file, not audio"},
		{"Empty", write("empty.wav", ""), fault.Invalid, "empty file"},
		{"HLS", write("list.mp3", "#EXTM3U\n#EXT-X-VERSION:3\nhttp://example.com/a.ts\n"), fault.Unsupported, "HLS playlist, not audio"},
		{"FFconcat", write("c.mp3", "ffconcat version 1.0\nfile '/etc/passwd'\n"), fault.Unsupported, ""},
		{"VideoOnly", videoOnly, fault.Unsupported, "no audio stream (the file has video only)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.put(t, tt.name, tt.path)
			_, err := b.probe(t, tt.name)
			if got := fault.KindOf(err); got != tt.kind {
				t.Fatalf("err = %v (kind %v), want kind %v", err, got, tt.kind)
			}
			if tt.msg != "" && fault.Message(err) != tt.msg {
				t.Errorf("message = %q, want %q", fault.Message(err), tt.msg)
			}
		})
	}
	t.Run("MissingObject", func(t *testing.T) {
		_, err := b.probe(t, "no/such/object")
		if fault.KindOf(err) != fault.NotFound {
			t.Errorf("err = %v, want not_found", err)
		}
	})
	t.Run("BadRequest", func(t *testing.T) {
		err := endpoint.Call(context.Background(), b.nc, contract.ProbeSubject, map[string]any{"input": map[string]string{}}, nil, endpoint.CallOptions{})
		if fault.KindOf(err) != fault.Invalid || !errors.As(err, new(*endpoint.RemoteError)) {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}
