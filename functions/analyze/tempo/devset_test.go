package tempo_test

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestDevSet runs Estimate over the labelled development clips and scores the
// predictions with the shared evaluation kit. It is a development harness:
// it runs only with PHANTOM_EVAL=1. PHANTOM_EVAL_PRED names the predictions
// CSV to write (default: a file in the test's temporary directory);
// PHANTOM_EVAL_CACHE names a directory where decoded PCM is kept between
// runs.
func TestDevSet(t *testing.T) {
	if os.Getenv("PHANTOM_EVAL") != "1" {
		t.Skip("development harness: set PHANTOM_EVAL=1 to run")
	}
	dir := filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev")
	manifest := filepath.Join(dir, "manifest.csv")
	rows := readManifest(t, manifest)
	for _, tool := range []string{"ffmpeg", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, "%s not in PATH", tool)
		}
	}
	pred := os.Getenv("PHANTOM_EVAL_PRED")
	if pred == "" {
		pred = filepath.Join(t.TempDir(), "tempo.csv")
	}
	var out bytes.Buffer
	out.WriteString("file,bpm,confidence,reason,beats,curve_points\n")
	var total time.Duration
	for _, name := range rows {
		samples, rate := decodeClip(t, filepath.Join(dir, name))
		start := time.Now()
		res, err := tempo.Estimate(samples, rate, tempo.Options{})
		total += time.Since(start)
		if err != nil {
			t.Fatalf("Estimate(%s): %v", name, err)
		}
		bpm := ""
		if v, ok := res.Tempo(); ok {
			bpm = fmt.Sprintf("%.1f", v)
		}
		fmt.Fprintf(&out, "%s,%s,%.3f,%s,%d,%d\n", name, bpm, res.Confidence, res.Reason, len(res.Beats), len(res.Curve))
	}
	if err := os.WriteFile(pred, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d clips, Estimate total %v (mean %v)", len(rows), total, total/time.Duration(len(rows)))
	score := filepath.Join(testenv.SharedDir(t), "eval", "score.py")
	cmd := exec.Command("python3", score, "--manifest", manifest, "--pred", pred, "--task", "tempo", "--list-errors", "--per-source")
	report, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, report)
	}
	t.Logf("predictions: %s\n%s", pred, report)
}

// decodeClip decodes a file to mono float32 PCM at its native rate with
// ffmpeg, through the optional cache.
func decodeClip(tb testing.TB, path string) ([]float32, int) {
	tb.Helper()
	rate := probeRate(tb, path)
	var raw []byte
	cache := os.Getenv("PHANTOM_EVAL_CACHE")
	cached := filepath.Join(cache, fmt.Sprintf("%s.%d.f32", filepath.Base(path), rate))
	if cache != "" {
		if b, err := os.ReadFile(cached); err == nil {
			raw = b
		}
	}
	if raw == nil {
		var stderr bytes.Buffer
		cmd := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-ac", "1", "-f", "f32le", "-acodec", "pcm_f32le", "-")
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			tb.Fatalf("ffmpeg %s: %v: %s", path, err, stderr.String())
		}
		raw = b
		if cache != "" {
			if err := os.MkdirAll(cache, 0o755); err == nil {
				_ = os.WriteFile(cached, raw, 0o644) // best effort
			}
		}
	}
	samples := make([]float32, len(raw)/4)
	for i := range samples {
		samples[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return samples, rate
}

func probeRate(tb testing.TB, path string) int {
	tb.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=sample_rate", "-of", "csv=p=0", path).Output()
	if err != nil {
		tb.Fatalf("ffprobe %s: %v", path, err)
	}
	var rate int
	if _, err := fmt.Sscan(strings.TrimSpace(string(out)), &rate); err != nil {
		tb.Fatalf("ffprobe %s: sample rate %q: %v", path, out, err)
	}
	return rate
}

func readManifest(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		testenv.Missing(tb, "no manifest at %s", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var names []string
	for _, r := range recs[1:] {
		if len(r) > 1 && r[1] != "" {
			names = append(names, r[0])
		}
	}
	return names
}
