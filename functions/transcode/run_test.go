package transcode_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/funcmain"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestRunOnce checks the local-invoke contract: the renditions in --out, the
// result JSON on stdout and exit 0; exit 2 when the input or options are at
// fault.
func TestRunOnce(t *testing.T) {
	testenv.Tool(t, "ffmpeg")
	dir := t.TempDir()
	wav := synth(t, dir, "tone.wav", "-f", "lavfi", "-i", "sine=duration=1.5:sample_rate=44100", "-ac", "2")
	text := filepath.Join(dir, "song.mp3")
	if err := os.WriteFile(text, []byte("not a song"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "renditions")
	env := func(string) string { return "" }
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
		files    []string
	}{
		{"Default", []string{"run", "--out", out, wav}, 0, "", []string{"mp3-320.mp3"}},
		{"Targets", []string{"run", wav, "--out", out, "--options",
			`{"targets":[{"preset":"opus-64"},{"format":"flac","bit_depth":24}],"normalize":{"integrated_lufs":-20}}`},
			0, "", []string{"opus-64.opus", "flac-24bit.flac"}},
		{"NoOut", []string{"run", wav}, 2, "--out DIR is required", nil},
		{"BadOption", []string{"run", "--out", out, "--options", `{"targets":[{"format":"mp3","bit_rate":1}]}`, wav}, 2, "targets[0].bit_rate: 1 is out of range", nil},
		{"UnknownField", []string{"run", "--out", out, "--options", `{"target":[]}`, wav}, 2, `unknown field "target"`, nil},
		{"TextFile", []string{"run", "--out", out, text}, 2, "text file, not audio", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := funcmain.Main(context.Background(), transcode.Spec("test"), tt.args, env, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if tt.wantCode != 0 {
				if !strings.Contains(stderr.String(), tt.wantErr) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantErr)
				}
				return
			}
			var res contract.TranscodeResult
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not the result JSON: %v\n%s", err, stdout.String())
			}
			if len(res.Outputs) != len(tt.files) {
				t.Fatalf("%d outputs, want %d: %s", len(res.Outputs), len(tt.files), stdout.String())
			}
			for i, o := range res.Outputs {
				data, err := os.ReadFile(o.File)
				if err != nil || o.File != filepath.Join(out, tt.files[i]) {
					t.Fatalf("output %d file %q: %v; want %s", i, o.File, err, filepath.Join(out, tt.files[i]))
				}
				sum := sha256.Sum256(data)
				if o.Size != int64(len(data)) || o.SHA256 != hex.EncodeToString(sum[:]) || o.Duration < 1.49 || o.Duration > 1.55 {
					t.Errorf("output %+v: file has %d bytes, sha256 %x", o, len(data), sum)
				}
				if (o.Loudness != nil) != strings.Contains(tt.name, "Targets") {
					t.Errorf("loudness = %+v", o.Loudness)
				}
			}
		})
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".part-") {
			t.Errorf("temporary file %s left in --out", e.Name())
		}
	}
}
