package transcode

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestReadInfo reads renditions made by ffmpeg in every container, whole and
// cut short: whole ones give exact facts, cut ones an error or facts, never a
// panic.
func TestReadInfo(t *testing.T) {
	ffmpeg := testenv.Tool(t, "ffmpeg")
	dir := t.TempDir()
	tests := []struct {
		file      string
		container string
		args      []string
		want      fileInfo // bitRate unchecked when 0
	}{
		{"cbr.mp3", "mp3", []string{"-c:a", "libmp3lame", "-b:a", "128k"}, fileInfo{codec: "mp3", rate: 44100, channels: 2, bitRate: 128000}},
		{"vbr-mono-22k.mp3", "mp3", []string{"-c:a", "libmp3lame", "-q:a", "4", "-ac", "1", "-ar", "22050"}, fileInfo{codec: "mp3", rate: 22050, channels: 1}},
		{"s24.wav", "wav", []string{"-c:a", "pcm_s24le", "-ar", "48000"}, fileInfo{codec: "pcm_s24le", rate: 48000, channels: 2, bits: 24, bitRate: 48000 * 2 * 24}},
		{"s16.flac", "flac", []string{"-c:a", "flac", "-sample_fmt", "s16"}, fileInfo{codec: "flac", rate: 44100, channels: 2, bits: 16}},
		{"opus.opus", "ogg", []string{"-c:a", "libopus", "-ar", "24000"}, fileInfo{codec: "opus", rate: 48000, channels: 2}},
		{"vorbis.ogg", "ogg", []string{"-c:a", "libvorbis", "-ac", "1"}, fileInfo{codec: "vorbis", rate: 44100, channels: 1}},
		{"mono.m4a", "m4a", []string{"-c:a", "aac", "-ac", "1", "-movflags", "+faststart"}, fileInfo{codec: "aac", rate: 44100, channels: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			args := append(append([]string{"-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=3:sample_rate=44100", "-ac", "2"},
				tt.args...), path)
			if out, err := exec.Command(ffmpeg, args...).CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, out)
			}
			got, err := readInfo(path, tt.container)
			if err != nil {
				t.Fatal(err)
			}
			if got.codec != tt.want.codec || got.rate != tt.want.rate || got.channels != tt.want.channels || got.bits != tt.want.bits ||
				tt.want.bitRate != 0 && got.bitRate != tt.want.bitRate {
				t.Errorf("readInfo = %+v, want %+v", got, tt.want)
			}
			if d := got.duration - 3*time.Second; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("duration = %v, want 3s", got.duration)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cut := filepath.Join(dir, "cut-"+tt.file)
			for n := 0; n < len(data); n += max(1, len(data)/97) {
				if err := os.WriteFile(cut, data[:n], 0o600); err != nil {
					t.Fatal(err)
				}
				_, _ = readInfo(cut, tt.container) // must not panic
			}
		})
	}
	t.Run("NotFaststart", func(t *testing.T) {
		path := filepath.Join(dir, "slow.m4a")
		if out, err := exec.Command(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", path).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
		if _, err := readInfo(path, "m4a"); err == nil {
			t.Error("readInfo accepted an M4A file whose moov atom follows mdat")
		}
	})
}
