package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// scores is the part of score.py's --json output the table shows.
type scores struct {
	All struct {
		N        int     `json:"n"`
		Acc1     float64 `json:"acc1"`
		Acc2     float64 `json:"acc2"`
		Weighted float64 `json:"weighted"`
		Missing  int     `json:"missing"`
	} `json:"all"`
	// Errors are the clips the tool got wrong, as score.py describes them.
	Errors []json.RawMessage `json:"errors"`
}

// acc1, acc2 and mirex return the scores, or nil when no clip had a label to
// score.
func (s *scores) acc1() *float64  { return s.value(&s.All.Acc1) }
func (s *scores) acc2() *float64  { return s.value(&s.All.Acc2) }
func (s *scores) mirex() *float64 { return s.value(&s.All.Weighted) }

func (s *scores) value(v *float64) *float64 {
	if s.All.N == 0 {
		return nil
	}
	return v
}

// scoreFile scores a predictions CSV (file,value,…) for task "tempo" or "key" with
// score.py.
func (ev *evaluation) scoreFile(ctx context.Context, task, pred string) (scores, error) {
	var s scores
	python, err := exec.LookPath("python3")
	if err != nil {
		return s, fmt.Errorf("score.py needs python3: %w", err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, python, ev.score, "--manifest", ev.set.manifest, "--pred", pred,
		"--task", task, "--json", "--list-errors")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return s, fmt.Errorf("score.py %s: %w: %s", pred, err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(out, &s); err != nil {
		return s, fmt.Errorf("score.py %s: %w", pred, err)
	}
	return s, nil
}
