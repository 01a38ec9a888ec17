package r128_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// vectors holds the EBU test signals, synthesised once per test binary by the shared
// evaluation kit's make-ebu-vectors.sh (about 300 MB, removed by TestMain).
var vectors struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if vectors.dir != "" {
		os.RemoveAll(vectors.dir)
	}
	os.Exit(code)
}

// ebuVectors returns the directory holding the EBU vectors and vectors.csv.
func ebuVectors(tb testing.TB) string {
	tb.Helper()
	script := filepath.Join(testenv.SharedDir(tb), "eval", "make-ebu-vectors.sh")
	for _, t := range []string{"bash", "sox", "bc", "python3"} {
		testenv.Tool(tb, t)
	}
	vectors.once.Do(func() {
		vectors.dir, vectors.err = os.MkdirTemp("", "r128-ebu-")
		if vectors.err != nil {
			return
		}
		out, err := exec.Command("bash", script, vectors.dir).CombinedOutput()
		if err != nil {
			vectors.err = fmt.Errorf("%s: %w\n%s", script, err, out)
		}
	})
	if vectors.err != nil {
		tb.Fatal(vectors.err)
	}
	return vectors.dir
}

// ebuCase is one row of vectors.csv.
type ebuCase struct {
	file, quantity       string
	expected, lo, hi     float64
	description, caseRef string
}

func readVectors(tb testing.TB, dir string) []ebuCase {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "vectors.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			tb.Fatalf("vectors.csv: %v", err)
		}
		return v
	}
	var cs []ebuCase
	for _, r := range rows[1:] { // file,spec,case,quantity,expected,tol_minus,tol_plus,description
		cs = append(cs, ebuCase{file: r[0], caseRef: r[1] + " #" + r[2], quantity: r[3],
			expected: num(r[4]), lo: num(r[5]), hi: num(r[6]), description: r[7]})
	}
	return cs
}

// measureWAV measures a WAV file with a 1 ms curve, the layout left to the channel count.
func measureWAV(tb testing.TB, path string) r128.Result {
	tb.Helper()
	w, err := readWAV(path)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := r128.New(r128.Config{SampleRate: w.rate, Channels: w.channels, TruePeak: true, CurveStep: time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	m.Write(w.samples)
	return m.Result()
}

// TestEBUConformance checks every synthesisable EBU Tech 3341 / Tech 3342 case.
func TestEBUConformance(t *testing.T) {
	dir := ebuVectors(t)
	cases := readVectors(t, dir)
	if len(cases) < 40 {
		t.Fatalf("vectors.csv has %d cases, want at least 40", len(cases))
	}
	results := map[string]r128.Result{}
	var table []string
	for _, c := range cases {
		t.Run(c.file+"/"+c.quantity, func(t *testing.T) {
			res, ok := results[c.file]
			if !ok {
				res = measureWAV(t, filepath.Join(dir, c.file))
				results[c.file] = res
			}
			lo, hi := c.expected-c.lo, c.expected+c.hi
			min, max, err := ebuQuantity(res, c.quantity)
			if err != nil {
				t.Fatal(err)
			}
			pass := min >= lo-1e-9 && max <= hi+1e-9
			got := fmt.Sprintf("%.3f", min)
			if min != max {
				got = fmt.Sprintf("[%.3f, %.3f]", min, max)
			}
			table = append(table, fmt.Sprintf("%-18s %-16s %-9s %6.1f (−%.1f/+%.1f)  %-18s %v",
				c.file, c.caseRef, c.quantity, c.expected, c.lo, c.hi, got, pass))
			if !pass {
				t.Errorf("%s %s (%s) = %s, want %.1f −%.1f/+%.1f", c.file, c.quantity, c.description, got, c.expected, c.lo, c.hi)
			}
		})
	}
	t.Logf("EBU conformance (%d cases):\n%-18s %-14s %-9s %-20s %-18s %s\n%s", len(cases),
		"file", "case", "quantity", "expected", "measured", "pass", joinLines(table))
}

// ebuQuantity returns the range of a measured quantity: one value, or for the
// "constant after" cases every curve point after the settling time.
func ebuQuantity(r r128.Result, q string) (lo, hi float64, err error) {
	single := func(l r128.Level) (float64, float64, error) {
		if !l.Defined() {
			return 0, 0, fmt.Errorf("%s undefined: %s", q, l.Reason)
		}
		return l.Value, l.Value, nil
	}
	after := func(curve []float64, settle time.Duration) (float64, float64, error) {
		first := int(settle/r.Curve.Step) - 1 // point i ends at (i+1)·Step
		if first >= len(curve) {
			return 0, 0, fmt.Errorf("%s: curve has %d points", q, len(curve))
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range curve[first:] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		return lo, hi, nil
	}
	switch q {
	case "I":
		return single(r.Integrated)
	case "LRA":
		return single(r.LRA)
	case "TP":
		return single(r.TruePeak)
	case "M_max":
		return single(r.MomentaryMax)
	case "S_max":
		return single(r.ShortTermMax)
	case "M_after1s":
		return after(r.Curve.Momentary, time.Second)
	case "S_after3s":
		return after(r.Curve.ShortTerm, 3*time.Second)
	}
	return 0, 0, fmt.Errorf("unknown quantity %q", q)
}

func joinLines(lines []string) string {
	s := ""
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}
