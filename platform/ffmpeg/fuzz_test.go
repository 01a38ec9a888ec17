package ffmpeg_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// FuzzSniff checks that Sniff never panics and always answers with either an
// accepted demuxer or a fault error with one of the documented causes.
func FuzzSniff(f *testing.F) {
	for _, seed := range [][]byte{
		nil, mp3Frames, mp2Frames, ac3Frames, eac3Frames, adtsFrames, flacHead,
		cat(id3(100), mp3Frames), id3(10), oggPage("OpusHead"), ebml("webm"), ebml("matroska"),
		[]byte("RIFF\x00\x00\x00\x00WAVE"), []byte("\x00\x00\x00\x18ftypM4A "), []byte("#EXTM3U\n#EXT-X-VERSION:3\n"),
		[]byte("\xFF\xFE#\x00E\x00"), []byte("MThd\x00\x00\x00\x06"), []byte("\xEF\xBB\xBF\xE2\x82"),
	} {
		f.Add(seed)
	}
	causes := []error{ffmpeg.ErrEmpty, ffmpeg.ErrPlaylist, ffmpeg.ErrText, ffmpeg.ErrMIDI,
		ffmpeg.ErrNotAudio, ffmpeg.ErrUnsupportedFormat}
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := ffmpeg.Sniff(data)
		if err == nil {
			if !slices.Contains(ffmpeg.Demuxers(), format.Name) || format.Description == "" {
				t.Fatalf("Sniff accepted %q as %+v", data, format)
			}
			return
		}
		if k := fault.KindOf(err); k != fault.Invalid && k != fault.Unsupported {
			t.Fatalf("Sniff error %v has kind %v", err, k)
		}
		if !slices.ContainsFunc(causes, func(c error) bool { return errors.Is(err, c) }) {
			t.Fatalf("Sniff error %v has no documented cause", err)
		}
		if fault.Message(err) == "" {
			t.Fatal("empty message")
		}
	})
}
