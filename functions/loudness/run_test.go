package loudness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/funcmain"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestRunOnce checks the local-invoke contract: the result JSON with its required
// names on stdout and exit 0; exit 2 when the input or options are at fault.
func TestRunOnce(t *testing.T) {
	testenv.Tool(t, "ffmpeg")
	dir := t.TempDir()
	wav := filepath.Join(dir, "tone.wav")
	if err := writeWAV(wav, 44100, 2, stereoSine(4, 44100, 1000, -18)); err != nil {
		t.Fatal(err)
	}
	silence := filepath.Join(dir, "silence.wav")
	if err := writeWAV(silence, 44100, 2, make([]float64, 2*44100)); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "song.mp3")
	if err := os.WriteFile(text, []byte("not a song"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string { return map[string]string{"LOUDNESS_WORKDIR": t.TempDir()}[k] }
	// The values a result must name, each with the reason field beside it.
	required := [][2]string{
		{"integrated_lufs", "integrated_reason"}, {"range_lu", "range_reason"},
		{"true_peak_dbtp", "true_peak_reason"}, {"sample_peak_dbfs", "sample_peak_reason"},
		{"max_momentary_lufs", "max_momentary_reason"}, {"max_short_term_lufs", "max_short_term_reason"},
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
		// wantNull: every required value is null, with a reason.
		wantNull bool
	}{
		{"OK", []string{"run", wav}, 0, "", false},
		{"OptionsAfterFile", []string{"run", wav, "--options", `{"curve_step_s":0.5,"targets":["podcast"]}`}, 0, "", false},
		{"Silence", []string{"run", silence}, 0, "", true},
		{"TextFile", []string{"run", text}, 2, "text file, not audio", false},
		{"BadOptions", []string{"run", "--options", `{"curve_step_s":1000}`, wav}, 2, "curve_step_s", false},
		{"UnknownOption", []string{"run", "--options", `{"gate":-70}`, wav}, 2, `unknown field "gate"`, false},
		{"Missing", []string{"run", filepath.Join(dir, "nope.wav")}, 2, "nope.wav", false},
		{"NoFile", []string{"run"}, 2, "usage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := funcmain.Main(context.Background(), loudness.Spec("test"), tt.args, env, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if tt.wantCode != 0 {
				if !strings.Contains(stderr.String(), tt.wantErr) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantErr)
				}
				return
			}
			var res map[string]json.RawMessage
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not the result JSON: %v\n%s", err, stdout.String())
			}
			var integrated *float64
			if err := json.Unmarshal(res["integrated_lufs"], &integrated); err != nil || !tt.wantNull && !near(integrated, -18, 0.1) {
				t.Errorf("integrated_lufs = %s, want -18 ± 0.1 (a -18 dBFS stereo sine)", res["integrated_lufs"])
			}
			for _, r := range required {
				v, ok := res[r[0]]
				var reason string
				_ = json.Unmarshal(res[r[1]], &reason)
				switch {
				case !ok:
					t.Errorf("result has no %q:\n%s", r[0], stdout.String())
				case (string(v) == "null") != tt.wantNull:
					t.Errorf("%s = %s, want null: %v", r[0], v, tt.wantNull)
				case (reason != "") != tt.wantNull:
					t.Errorf("%s = %s with %s %q, want a reason exactly when it is null", r[0], v, r[1], reason)
				}
			}
		})
	}
}
