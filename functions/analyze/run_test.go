package analyze_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/funcmain"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestRunOnce checks the local-invoke contract: the result JSON on stdout and exit
// status 0, the waveform files in --out; exit status 2 when the input or the options
// are at fault.
func TestRunOnce(t *testing.T) {
	testenv.Tool(t, "ffmpeg")
	dir := t.TempDir()
	song := writeWAV(t, dir, "song.wav", rate, mix(clickTrack(rate, 120, 12), chords(rate, 12, []triad{{66, 3}, {71, 3}, {73, 4}})))
	text := filepath.Join(dir, "song.mp3")
	if err := os.WriteFile(text, []byte("not a song"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(string) string { return "" }
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
		files    bool // waveform files expected in out
	}{
		{"OK", []string{"run", song}, 0, "", false},
		{"Out", []string{"run", "--out", "OUT", song}, 0, "", true},
		{"OptionsAfterFile", []string{"run", song, "--out", "OUT", "--options", `{"waveform":{"width_px":500,"bits":16}}`}, 0, "", true},
		{"TextFile", []string{"run", text}, 2, "text file, not audio", false},
		{"BadOption", []string{"run", "--options", `{"waveform":{"bits":12}}`, song}, 2, "options.waveform.bits", false},
		{"UnknownOption", []string{"run", "--options", `{"tempo":{"bpm":1}}`, song}, 2, `unknown field "bpm"`, false},
		{"Missing", []string{"run", filepath.Join(dir, "nope.wav")}, 2, "nope.wav", false},
		{"NoFile", []string{"run"}, 2, "usage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "OUT", out)
			}
			var stdout, stderr bytes.Buffer
			code := funcmain.Main(context.Background(), analyze.Spec("test"), args, env, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if tt.wantCode != 0 {
				if !strings.Contains(stderr.String(), tt.wantErr) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantErr)
				}
				return
			}
			// The fields a caller relies on, read as plain JSON.
			var res struct {
				Tempo struct {
					BPM        *float64 `json:"bpm"`
					Confidence *float64 `json:"confidence"`
				} `json:"tempo"`
				Key struct {
					Tonic, Mode, Label *string
					Confidence         *float64
				} `json:"key"`
				Waveform map[string]json.RawMessage `json:"waveform"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not the result JSON: %v\n%s", err, stdout.String())
			}
			if res.Tempo.BPM == nil || *res.Tempo.BPM < 117.6 || *res.Tempo.BPM > 122.4 || res.Tempo.Confidence == nil {
				t.Errorf("tempo = %s, want 120 BPM ± 2%% with a confidence", stdout.String())
			}
			if res.Key.Label == nil || *res.Key.Label != "F# minor" || *res.Key.Tonic != "F#" || *res.Key.Mode != "minor" || res.Key.Confidence == nil {
				t.Errorf("key = %s, want F# minor", stdout.String())
			}
			for _, name := range []string{"waveform.json", "waveform.dat", "waveform.png"} {
				_, err := os.Stat(filepath.Join(out, name))
				if (err == nil) != tt.files {
					t.Errorf("%s in --out: %v, want present %v", name, err, tt.files)
				}
				field := strings.TrimPrefix(filepath.Ext(name), ".")
				if _, ok := res.Waveform[field]; ok != tt.files {
					t.Errorf("waveform.%s in the result: %v, want %v", field, ok, tt.files)
				}
			}
		})
	}
}
