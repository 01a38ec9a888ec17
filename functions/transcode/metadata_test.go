package transcode_test

import (
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/endpoint"
)

// TestTagsAndCoverArt checks that tags reach every format (also from an Ogg
// source, which keeps them in the stream) and cover art the formats that hold
// it, and that strip_tags drops both.
func TestTagsAndCoverArt(t *testing.T) {
	b := setup(t, fileStore)
	cover := synth(t, b.dir, "cover.jpg", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1")
	tagArgs := []string{"-metadata", "title=Night Train", "-metadata", "artist=The Testers", "-metadata", "album=Fixtures",
		"-metadata", "date=2024", "-metadata", "track=3"}
	flacWithCover := synth(t, b.dir, "tagged.flac", append([]string{"-f", "lavfi", "-i", "sine=duration=3", "-i", cover,
		"-map", "0:a", "-map", "1:v", "-c:v", "mjpeg", "-disposition:v", "attached_pic", "-c:a", "flac"}, tagArgs...)...)
	oggSource := synth(t, b.dir, "tagged.ogg", append([]string{"-f", "lavfi", "-i", "sine=duration=3", "-c:a", "libvorbis"}, tagArgs...)...)
	targets := []any{
		map[string]any{"preset": "mp3-192"}, map[string]any{"preset": "aac-128"}, map[string]any{"preset": "flac"},
		map[string]any{"preset": "opus-64"}, map[string]any{"preset": "vorbis-q4"}, map[string]any{"preset": "wav-16-44k"},
		map[string]any{"preset": "mp3-128", "strip_tags": true},
	}
	// Formats that hold cover art; the last target strips everything.
	holdsCover := map[string]bool{"mp3-192": true, "aac-128": true, "flac": true}
	for _, src := range []string{flacWithCover, oggSource} {
		name := src[strings.LastIndex(src, "/")+1:]
		t.Run(name, func(t *testing.T) {
			res, err := b.transcode(t, b.put(t, name, src), map[string]any{"targets": targets}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range res.Outputs {
				p := ffprobe(t, b.fetch(t, out.Key))
				tags := map[string]string{}
				pictures := 0
				for _, s := range p.Streams {
					for k, v := range s.Tags {
						tags[strings.ToLower(k)] = v
					}
					if s.CodecType == "video" && s.Disposition["attached_pic"] == 1 {
						pictures++
					}
				}
				for k, v := range p.Format.Tags {
					tags[strings.ToLower(k)] = v
				}
				strip := out.Name == "mp3-128"
				wantTitle := "Night Train"
				if strip {
					wantTitle = ""
				}
				if tags["title"] != wantTitle || !strip && tags["artist"] != "The Testers" {
					t.Errorf("%s: tags %v, want title %q", out.Name, tags, wantTitle)
				}
				if out.Tags == strip {
					t.Errorf("%s: result says tags %v", out.Name, out.Tags)
				}
				wantCover := holdsCover[out.Name] && src == flacWithCover
				if (pictures == 1) != wantCover || out.CoverArt != wantCover {
					t.Errorf("%s: %d pictures, result cover_art %v; want cover art %v", out.Name, pictures, out.CoverArt, wantCover)
				}
			}
		})
	}
}

// TestProgress checks that a caller asking for progress gets encode progress
// from ffmpeg's -progress output, rising to the end.
func TestProgress(t *testing.T) {
	b := setup(t, fileStore)
	long := synth(t, b.dir, "long.wav", "-f", "lavfi", "-i", "sine=duration=120:sample_rate=44100", "-ac", "2")
	var events []endpoint.Event
	if _, err := b.transcode(t, b.put(t, "long.wav", long), map[string]any{"targets": []any{map[string]any{"preset": "mp3-v0"}}}, &events); err != nil {
		t.Fatal(err)
	}
	var encode []float64
	stages := map[string]bool{}
	for _, e := range events {
		stages[e.Stage] = true
		if e.Stage == "encode" && e.Percent != nil {
			encode = append(encode, *e.Percent)
		}
	}
	if len(encode) < 2 {
		t.Fatalf("%d encode progress events (%d events in all), want several", len(encode), len(events))
	}
	for i := 1; i < len(encode); i++ {
		if encode[i] < encode[i-1] {
			t.Errorf("encode progress went back: %v", encode)
			break
		}
	}
	// Reports closer than 250 ms are dropped, so the last one kept may be short
	// of 100 %; the stage after the encode reports the whole.
	if last := encode[len(encode)-1]; last < 50 || last > 100 {
		t.Errorf("last encode progress %.1f%%, want 50–100", last)
	}
	if p := events[len(events)-1].Percent; p == nil || *p != 100 {
		t.Errorf("last event %+v, want 100%% done", events[len(events)-1])
	}
	for _, s := range []string{"download", "probe", "encode", "upload"} {
		if !stages[s] {
			t.Errorf("no %q event among stages %v", s, stages)
		}
	}
}
