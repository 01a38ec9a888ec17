package ffmpeg_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// lossyTolerance is how many frames a lossy codec's decode may differ from the
// encoded length: encoder priming and the padding of the last frame, which
// ffmpeg 5.1 trims only for some codecs (see TestDecode's log).
const lossyTolerance = 2048

func TestProbeAndDecode(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	dir := t.TempDir()
	for _, tf := range testFormats {
		t.Run(tf.file, func(t *testing.T) {
			job := newJobFile(t, r, makeSine(t, dir, tf.file, tf.args...))
			ctx := context.Background()

			p, err := r.Probe(ctx, job)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			a, ok := p.Audio()
			if !ok {
				t.Fatalf("Probe found no audio stream in %+v", p.Streams)
			}
			if a.CodecName != tf.codec || a.SampleRate != tf.rate || a.Channels != 2 {
				t.Errorf("audio stream = %s %d Hz %d ch, want %s %d Hz 2 ch", a.CodecName, a.SampleRate, a.Channels, tf.codec, tf.rate)
			}
			if p.HasCoverArt() || p.HasVideo() {
				t.Errorf("HasCoverArt = %v, HasVideo = %v, want false", p.HasCoverArt(), p.HasVideo())
			}

			st, err := r.Decode(ctx, job, ffmpeg.DecodeOptions{}, io.Discard)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := int64(sineSeconds * tf.rate)
			t.Logf("%-14s %-10s decoded %6d frames, want %6d (%+d); probe duration %v", tf.file, tf.codec, st.Frames, want, st.Frames-want, p.Format.Duration)
			diff := st.Frames - want
			switch {
			case tf.exact && diff != 0:
				t.Errorf("Frames = %d, want exactly %d", st.Frames, want)
			case diff < -lossyTolerance || diff > lossyTolerance:
				t.Errorf("Frames = %d, want %d ± %d", st.Frames, want, lossyTolerance)
			}
			if st.SampleRate != tf.rate || st.Channels != 2 || st.Bytes != st.Frames*2*4 {
				t.Errorf("stats = %+v, want %d Hz, 2 channels, 8 bytes per frame", st, tf.rate)
			}
			if wantDur := time.Duration(st.Frames) * time.Second / time.Duration(st.SampleRate); st.Duration-wantDur > time.Microsecond || wantDur-st.Duration > time.Microsecond {
				t.Errorf("Duration = %v, want %v", st.Duration, wantDur)
			}
		})
	}
}

func TestDecodeConvert(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	job := newJobFile(t, r, makeSine(t, t.TempDir(), "sine.flac"))
	var n countWriter
	st, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{SampleRate: 16000, Channels: 1, Format: "s16le"}, &n)
	if err != nil {
		t.Fatal(err)
	}
	if st.SampleRate != 16000 || st.Channels != 1 {
		t.Errorf("got %d Hz %d ch, want 16000 Hz 1 ch", st.SampleRate, st.Channels)
	}
	if want := int64(sineSeconds * 16000); st.Frames < want-32 || st.Frames > want+32 {
		t.Errorf("Frames = %d, want %d ± 32 (resampler delay)", st.Frames, want)
	}
	if st.Bytes != st.Frames*2 || n.n != st.Bytes {
		t.Errorf("Bytes = %d, written %d, want %d", st.Bytes, n.n, st.Frames*2)
	}
}

func TestDecodeErrors(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	dir := t.TempDir()
	flac, err := os.ReadFile(makeSine(t, dir, "sine.flac"))
	if err != nil {
		t.Fatal(err)
	}
	m4a, err := os.ReadFile(makeSine(t, dir, "sine.m4a", "-c:a", "aac"))
	if err != nil {
		t.Fatal(err)
	}
	corrupt := append([]byte(nil), flac...)
	for i := len(corrupt) / 2; i < len(corrupt)/2+64; i++ {
		corrupt[i] = 0xFF
	}
	videoOnly, err := os.ReadFile(runFFmpeg(t, dir, "video.mp4", "-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-c:v", "libx264"))
	if err != nil {
		t.Fatal(err)
	}
	yamaha, err := os.ReadFile(makeSine(t, dir, "yamaha.wav", "-c:a", "adpcm_yamaha"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		input     []byte
		opts      ffmpeg.DecodeOptions
		wantKind  fault.Kind
		wantCause any
	}{
		{"TruncatedFLAC", flac[:len(flac)/2], ffmpeg.DecodeOptions{}, fault.Invalid, new(*ffmpeg.ExitError)},
		{"CorruptFLAC", corrupt, ffmpeg.DecodeOptions{}, fault.Invalid, new(*ffmpeg.ExitError)},
		{"TruncatedM4A", m4a[:len(m4a)/2], ffmpeg.DecodeOptions{}, fault.Invalid, new(*ffmpeg.ExitError)},
		{"NoAudioStream", videoOnly, ffmpeg.DecodeOptions{}, fault.Invalid, ffmpeg.ErrNoAudioStream},
		{"CodecNotAllowed", yamaha, ffmpeg.DecodeOptions{}, fault.Unsupported, new(*ffmpeg.ExitError)},
		{"Empty", nil, ffmpeg.DecodeOptions{}, fault.Invalid, ffmpeg.ErrEmpty},
		{"Text", []byte("just some words\n"), ffmpeg.DecodeOptions{}, fault.Unsupported, ffmpeg.ErrText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := newJob(t, r, tt.input)
			_, err := r.Decode(context.Background(), job, tt.opts, io.Discard)
			if got := fault.KindOf(err); got != tt.wantKind {
				t.Fatalf("Decode error %v: kind %v, want %v", err, got, tt.wantKind)
			}
			if !matches(err, tt.wantCause) {
				t.Errorf("Decode error %v does not match %T %v", err, tt.wantCause, tt.wantCause)
			}
			t.Logf("message: %s", fault.Message(err))
		})
	}
	t.Run("LenientTruncatedFLAC", func(t *testing.T) {
		job := newJob(t, r, flac[:len(flac)/2])
		st, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{Lenient: true}, io.Discard)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if st.Frames <= 0 || st.Frames >= sineSeconds*sineRate {
			t.Errorf("Frames = %d, want part of %d", st.Frames, sineSeconds*sineRate)
		}
	})
}

func TestDecodeLimits(t *testing.T) {
	path := makeSine(t, t.TempDir(), "sine.wav")
	t.Run("MaxOutputBytes", func(t *testing.T) {
		r := newRunner(t, ffmpeg.Config{MaxOutputBytes: 100_000})
		var n countWriter
		_, err := r.Decode(context.Background(), newJobFile(t, r, path), ffmpeg.DecodeOptions{}, &n)
		if fault.KindOf(err) != fault.TooLarge || !errors.Is(err, ffmpeg.ErrOutputTooLarge) {
			t.Fatalf("Decode error = %v, want TooLarge ErrOutputTooLarge", err)
		}
		if n.n > 100_000 {
			t.Errorf("wrote %d bytes, limit 100000", n.n)
		}
	})
	t.Run("WriterError", func(t *testing.T) {
		r := newRunner(t, ffmpeg.Config{})
		errSink := fault.Errorf(fault.Unavailable, "storage unavailable")
		_, err := r.Decode(context.Background(), newJobFile(t, r, path), ffmpeg.DecodeOptions{}, failWriter{errSink})
		if !errors.Is(err, errSink) || fault.KindOf(err) != fault.Unavailable {
			t.Fatalf("Decode error = %v, want the writer's error", err)
		}
	})
	t.Run("MemoryLimitTooLowForFFmpeg", func(t *testing.T) {
		// Debian's ffmpeg maps ~300 MiB of shared libraries before main: under
		// 64 MiB it cannot even start, which proves the limit applies to it.
		r := newRunner(t, ffmpeg.Config{MemoryLimitBytes: 64 << 20})
		_, err := r.Decode(context.Background(), newJobFile(t, r, path), ffmpeg.DecodeOptions{}, io.Discard)
		var xe *ffmpeg.ExitError
		if fault.KindOf(err) != fault.Internal || !errors.As(err, &xe) {
			t.Fatalf("Decode error = %v, want Internal with an ExitError", err)
		}
	})
}

// matches reports whether err matches target: a sentinel error (errors.Is) or a
// pointer to an error type (errors.As).
func matches(err error, target any) bool {
	if e, ok := target.(error); ok {
		return errors.Is(err, e)
	}
	return errors.As(err, target)
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
