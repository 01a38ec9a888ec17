package ffmpeg_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

func TestProbeCoverArt(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	dir := t.TempDir()
	wav := makeSine(t, dir, "sine.wav")
	jpg := coverImage(t, dir)
	withCover := func(name string, args ...string) string {
		return runFFmpeg(t, dir, name, append([]string{"-i", wav, "-i", jpg, "-map", "0", "-map", "1",
			"-c:v", "copy", "-disposition:v", "attached_pic"}, args...)...)
	}
	tests := []struct {
		name      string
		path      string
		cover     bool
		video     bool
		wantCodec string
	}{
		{"MP3WithCover", withCover("cover.mp3", "-c:a", "libmp3lame", "-id3v2_version", "3"), true, false, "mp3"},
		{"M4AWithCover", withCover("cover.m4a", "-c:a", "aac"), true, false, "aac"},
		{"FLACWithCover", withCover("cover.flac", "-c:a", "flac"), true, false, "flac"},
		{"MP4WithVideo", runFFmpeg(t, dir, "video.mp4", "-f", "lavfi", "-i", "testsrc=size=64x64:duration=2",
			"-i", wav, "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-c:a", "aac", "-shortest"), false, true, "aac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := r.Probe(context.Background(), newJobFile(t, r, tt.path))
			if err != nil {
				t.Fatal(err)
			}
			if p.HasCoverArt() != tt.cover || p.HasVideo() != tt.video {
				t.Errorf("HasCoverArt = %v, HasVideo = %v, want %v, %v; streams %+v", p.HasCoverArt(), p.HasVideo(), tt.cover, tt.video, p.Streams)
			}
			if a, ok := p.Audio(); !ok || a.CodecName != tt.wantCodec {
				t.Errorf("Audio() = %q, %v, want %q", a.CodecName, ok, tt.wantCodec)
			}
			// The audio still decodes with the audio-only whitelist.
			if st, err := r.Decode(context.Background(), newJobFile(t, r, tt.path), ffmpeg.DecodeOptions{}, &countWriter{}); err != nil || st.Frames == 0 {
				t.Errorf("Decode = %+v, %v", st, err)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	dir := t.TempDir()
	wav := makeSine(t, dir, "sine.wav")
	cover := runFFmpeg(t, dir, "cover.mp3", "-i", wav, "-i", coverImage(t, dir), "-map", "0", "-map", "1",
		"-c:a", "libmp3lame", "-c:v", "copy", "-disposition:v", "attached_pic")
	tests := []struct {
		name      string
		input     string
		args      ffmpeg.EncodeArgs
		wantCodec string
		wantCover bool
	}{
		{"MP3", wav, ffmpeg.EncodeArgs{Output: "out.mp3", Options: []string{"-c:a", "libmp3lame", "-b:a", "192k", "-metadata", "title=Sine"}}, "mp3", false},
		{"Opus", wav, ffmpeg.EncodeArgs{Output: "out.opus", Options: []string{"-c:a", "libopus", "-b:a", "96k", "-vbr", "on"}}, "opus", false},
		{"M4AFaststart", wav, ffmpeg.EncodeArgs{Output: "out.m4a", Options: []string{"-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"}}, "aac", false},
		{"FLACWithFormat", wav, ffmpeg.EncodeArgs{Output: "out.bin", Options: []string{"-c:a", "flac", "-f", "flac", "-compression_level", "8"}}, "flac", false},
		{"LoudnormToWAV", wav, ffmpeg.EncodeArgs{Output: "out.wav", Options: []string{"-af", "loudnorm=I=-16:TP=-1.5:LRA=11", "-ar", "44100", "-c:a", "pcm_s16le"}}, "pcm_s16le", false},
		{"KeepCoverArt", cover, ffmpeg.EncodeArgs{Output: "out.mp3", Options: []string{"-c:a", "libmp3lame", "-map", "0:v?", "-c:v", "copy",
			"-disposition:v", "attached_pic", "-id3v2_version", "3"}}, "mp3", true},
		{"CoverOptionsWithoutCover", wav, ffmpeg.EncodeArgs{Output: "out.m4a", Options: []string{"-c:a", "aac", "-map", "0:v?", "-c:v", "copy",
			"-disposition:v", "attached_pic"}}, "aac", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := newJobFile(t, r, tt.input)
			var mu sync.Mutex
			var reports []ffmpeg.Progress
			err := r.Encode(context.Background(), job, tt.args, func(p ffmpeg.Progress) {
				mu.Lock()
				defer mu.Unlock()
				reports = append(reports, p)
			})
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			checkProgress(t, reports)

			out, err := job.Path(tt.args.Output)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			p, err := r.Probe(context.Background(), newJob(t, r, data))
			if err != nil {
				t.Fatalf("Probe output: %v", err)
			}
			if a, _ := p.Audio(); a.CodecName != tt.wantCodec || p.HasCoverArt() != tt.wantCover {
				t.Errorf("output has %q, cover %v; want %q, cover %v", a.CodecName, p.HasCoverArt(), tt.wantCodec, tt.wantCover)
			}
		})
	}
}

// checkProgress asserts reports never go back, end with exactly one Done, and
// reach the input's length.
func checkProgress(tb testing.TB, reports []ffmpeg.Progress) {
	tb.Helper()
	if len(reports) < 2 {
		tb.Fatalf("got %d progress reports, want at least 2", len(reports))
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Processed < reports[i-1].Processed {
			tb.Errorf("report %d: Processed %v < %v", i, reports[i].Processed, reports[i-1].Processed)
		}
		if reports[i-1].Done {
			tb.Errorf("report %d of %d is Done", i-1, len(reports))
		}
	}
	last := reports[len(reports)-1]
	if !last.Done || last.Processed < sineSeconds*9e8 { // 90% of the input
		tb.Errorf("last report = %+v, want Done after ~%ds", last, sineSeconds)
	}
}

func TestEncodeErrors(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	wav, err := os.ReadFile(makeSine(t, t.TempDir(), "sine.wav"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args ffmpeg.EncodeArgs
	}{
		{"OddOptions", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-c:a"}}},
		{"UnknownOption", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-i", "/etc/passwd"}}},
		{"UnknownEncoder", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-c:a", "libx264"}}},
		{"FileFilter", ffmpeg.EncodeArgs{Output: "o.wav", Options: []string{"-af", "amovie=/etc/passwd"}}},
		{"FilterGraphLabels", ffmpeg.EncodeArgs{Output: "o.wav", Options: []string{"-af", "volume=2[a];[a]volume=1"}}},
		{"QuotedFilterArgs", ffmpeg.EncodeArgs{Output: "o.wav", Options: []string{"-af", "volume='2'"}}},
		{"SegmentMuxer", ffmpeg.EncodeArgs{Output: "o.wav", Options: []string{"-f", "segment"}}},
		{"HLSByExtension", ffmpeg.EncodeArgs{Output: "o.m3u8"}},
		{"CoverWithoutCopy", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-map", "0:v?"}}},
		{"VideoReencode", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-map", "0:v?", "-c:v", "mjpeg"}}},
		{"RepeatedOption", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-b:a", "1k", "-b:a", "2k"}}},
		{"MetadataBadKey", ffmpeg.EncodeArgs{Output: "o.mp3", Options: []string{"-metadata", "ti tle=x"}}},
		{"OutputIsInput", ffmpeg.EncodeArgs{Output: ffmpeg.InputName, Options: []string{"-f", "wav"}}},
		{"OutputPath", ffmpeg.EncodeArgs{Output: "../o.mp3"}},
		{"OutputOption", ffmpeg.EncodeArgs{Output: "-o.mp3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Encode(context.Background(), newJob(t, r, wav), tt.args, nil)
			if fault.KindOf(err) != fault.Invalid {
				t.Errorf("Encode error = %v, want Invalid", err)
			}
		})
	}
	t.Run("MaxOutputBytes", func(t *testing.T) {
		r := newRunner(t, ffmpeg.Config{MaxOutputBytes: 50_000})
		job := newJob(t, r, wav)
		err := r.Encode(context.Background(), job, ffmpeg.EncodeArgs{Output: "o.wav"}, nil)
		if fault.KindOf(err) != fault.TooLarge || !errors.Is(err, ffmpeg.ErrOutputTooLarge) {
			t.Fatalf("Encode error = %v, want TooLarge", err)
		}
		if p, _ := job.Path("o.wav"); fileExists(p) {
			t.Errorf("oversized output %s was left behind", p)
		}
	})
}

func TestMeasure(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	job := newJobFile(t, r, makeSine(t, t.TempDir(), "sine.flac"))
	tests := []struct {
		filter string
		want   string // text the filter prints last
	}{
		{"loudnorm=print_format=json", `"input_i"`},
		{"ebur128=peak=true", "Integrated loudness:"},
		{"volumedetect", "max_volume:"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			var reports []ffmpeg.Progress
			out, err := r.Measure(context.Background(), job, ffmpeg.MeasureArgs{Filter: tt.filter}, func(p ffmpeg.Progress) {
				reports = append(reports, p)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(out, []byte(tt.want)) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, out)
			}
			checkProgress(t, reports)
		})
	}
	t.Run("FilterNotAllowed", func(t *testing.T) {
		_, err := r.Measure(context.Background(), job, ffmpeg.MeasureArgs{Filter: "showwavespic"}, nil)
		if fault.KindOf(err) != fault.Invalid {
			t.Errorf("Measure error = %v, want Invalid", err)
		}
	})
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestProbeUnlistedVideoCodec: ffprobe 5.1 exits when a stream's decoder is not
// whitelisted, so a video codec outside the probe's list makes Probe fail as
// Unsupported, while Decode, which never opens the video decoder, still works.
func TestProbeUnlistedVideoCodec(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	dir := t.TempDir()
	path := runFFmpeg(t, dir, "prores.mov", "-f", "lavfi", "-i", "testsrc=size=64x64:duration=1",
		"-i", makeSine(t, dir, "sine.wav"), "-map", "0:v", "-map", "1:a", "-c:v", "prores_ks", "-c:a", "pcm_s16le", "-shortest")
	_, err := r.Probe(context.Background(), newJobFile(t, r, path))
	if fault.KindOf(err) != fault.Unsupported {
		t.Errorf("Probe error = %v, want Unsupported", err)
	}
	t.Logf("message: %s", fault.Message(err))
	if st, err := r.Decode(context.Background(), newJobFile(t, r, path), ffmpeg.DecodeOptions{}, &countWriter{}); err != nil || st.Frames == 0 {
		t.Errorf("Decode = %+v, %v", st, err)
	}
}
