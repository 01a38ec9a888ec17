package ffmpeg_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

func TestExitErrorLine(t *testing.T) {
	tests := []struct {
		name   string
		stderr string
		want   string
	}{
		{"LogPrefix", "[flac @ 0x55b952ec02c0] invalid residual\n[flac @ 0x55b952ec02c0] decode_frame() failed\n",
			"flac: invalid residual; flac: decode_frame() failed"},
		{"GenericLinesSkipped", "Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.\n",
			"Stream map '0:a:0' matches no streams."},
		{"RepeatsCollapsed", "[mp3float @ 0x1] Header missing\n[mp3float @ 0x1] Header missing\nConversion failed!\n",
			"mp3float: Header missing"},
		{"ControlCharacters", "bad \x1b[31mred\x1b[0m line\n", "bad [31mred[0m line"},
		{"Empty", "\n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &ffmpeg.ExitError{Program: "ffmpeg", Code: 1, Stderr: []byte(tt.stderr)}
			if got := e.Line(); got != tt.want {
				t.Errorf("Line() = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("Long", func(t *testing.T) {
		e := &ffmpeg.ExitError{Stderr: []byte(strings.Repeat("é", 1000))}
		if got := e.Line(); len(got) > 310 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "éé") {
			t.Errorf("Line() = %d bytes %q…, want ≤ 300 bytes cut on a rune", len(got), got[:10])
		}
	})
}

// TestNamesExistInFFmpeg checks the allow-lists against the local ffmpeg, so a
// misspelt decoder or filter name cannot silently disable a codec or filter.
func TestNamesExistInFFmpeg(t *testing.T) {
	bin, _ := tools(t)
	list := func(flag string) map[string]bool {
		out, err := exec.Command(bin, "-hide_banner", flag).Output()
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for line := range strings.Lines(string(out)) {
			if f := strings.Fields(line); len(f) >= 2 {
				names[f[1]] = true
			}
		}
		return names
	}
	decoders, filters := list("-decoders"), list("-filters")
	for _, d := range ffmpeg.AudioDecoders() {
		if !decoders[d] {
			t.Errorf("decoder %q is not in ffmpeg -decoders", d)
		}
	}
	for _, f := range ffmpeg.Filters() {
		if !filters[f] {
			t.Errorf("filter %q is not in ffmpeg -filters", f)
		}
	}
}
