package probe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/probe"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// TestRunOnce checks the local-invoke contract: result JSON on stdout and exit 0;
// exit 2 when the input or options are at fault.
func TestRunOnce(t *testing.T) {
	b := setup(t)
	wav := b.synth(t, "tone.wav", "-f", "lavfi", "-i", "sine=duration=1.5:sample_rate=44100")
	text := filepath.Join(b.dir, "song.mp3")
	if err := os.WriteFile(text, []byte("not a song"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(string) string { return "" }
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"OK", []string{"run", wav}, 0, ""},
		{"OptionsAfterFile", []string{"run", wav, "--options", `{"skip_decode":true}`}, 0, ""},
		{"TextFile", []string{"run", text}, 2, "text file, not audio"},
		{"BadOptions", []string{"run", "--options", `{"decode":false}`, wav}, 2, `unknown field "decode"`},
		{"Missing", []string{"run", filepath.Join(b.dir, "nope.wav")}, 2, "nope.wav"},
		{"NoFile", []string{"run"}, 2, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := funcmain.Main(context.Background(), probe.Spec("test"), tt.args, env, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if tt.wantCode != 0 {
				if !strings.Contains(stderr.String(), tt.wantErr) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantErr)
				}
				return
			}
			var res contract.ProbeResult
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not the result JSON: %v\n%s", err, stdout.String())
			}
			if res.Format != "wav" || res.Streams[0].SampleRate != 44100 || res.Duration < 1.49 || res.Duration > 1.51 {
				t.Errorf("result = %+v", res)
			}
		})
	}
}
