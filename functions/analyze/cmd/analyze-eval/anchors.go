package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// rhythmTool names Essentia's RhythmExtractor2013, the tempo reference and the
// speed reference.
const rhythmTool = "Essentia RhythmExtractor2013"

// anchors are the Essentia runs: the script in eval/anchors, its mode, and the task
// its predictions are scored on.
var anchors = []struct{ tool, script, mode, task string }{
	{rhythmTool, "essentia_tempo.sh", "rhythm2013", "tempo"},
	{"Essentia KeyExtractor (edma)", "essentia_key.sh", "edma", "key"},
	{"Essentia KeyExtractor (bgate)", "essentia_key.sh", "bgate", "key"},
}

// wantAnchors interprets the -anchors flag.
func wantAnchors(mode string) (bool, error) {
	_, err := exec.LookPath("node")
	switch mode {
	case "auto":
		return err == nil, nil
	case "on":
		if err != nil {
			return false, fmt.Errorf("-anchors on: node is not on PATH")
		}
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("-anchors must be auto, on or off, got %q", mode)
}

// essentia runs the anchors on the set's clips. Each script decodes with ffmpeg and
// times itself per clip (TIMING=…: decode and analysis seconds).
func (ev *evaluation) essentia(ctx context.Context, dir string) ([]row, error) {
	var rows []row
	for _, a := range anchors {
		fmt.Fprintf(ev.log, "running %s on %d clips\n", a.tool, len(ev.set.clips))
		pred := filepath.Join(ev.out, "essentia-"+a.mode+".csv")
		timing := filepath.Join(ev.out, "essentia-"+a.mode+"-timing.csv")
		_ = os.Remove(timing)
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(dir, a.script), a.mode}, ev.set.paths()...)...)
		cmd.Env = append(os.Environ(), "TIMING="+timing)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %s", a.script, err, strings.TrimSpace(stderr.String()))
		}
		if err := os.WriteFile(pred, out, 0o644); err != nil {
			return nil, err
		}
		s, err := ev.scoreFile(ctx, a.task, pred)
		if err != nil {
			return nil, err
		}
		secs, err := readTiming(timing)
		if err != nil {
			return nil, fmt.Errorf("%s timing: %w", a.script, err)
		}
		r := row{tool: a.tool, seconds: secs}
		if a.task == "tempo" {
			r.acc1, r.acc2 = s.acc1(), s.acc2()
		} else {
			r.mirex = s.mirex()
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// readTiming reads a timing CSV (file,seconds[,seconds…], header optional) and
// returns each file's total.
func readTiming(path string) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []float64
	for _, rec := range recs {
		if len(rec) < 2 || rec[0] == "file" {
			continue
		}
		total := 0.0
		for _, v := range rec[1:] {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %w", path, v, err)
			}
			total += x
		}
		out = append(out, total)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no timings", path)
	}
	return out, nil
}
