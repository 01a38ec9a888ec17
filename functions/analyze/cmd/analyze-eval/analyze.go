package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// ourTool names the analyze function in the table.
const ourTool = "PhantomChain analyze (tempo+key+waveform)"

// evaluation runs tools on a set, one clip at a time, and scores them.
type evaluation struct {
	set   *set
	score string // path of score.py
	out   string // folder for what the run writes
	log   io.Writer
}

// analyze runs the analyze function on every clip as `analyze run --out DIR FILE`
// does (funcmain.Main, in this process), timing each run from the copy of the
// input into its job folder to the printed result. One untimed run first warms the
// page cache and ffmpeg's libraries, as a serving instance is warm.
func (ev *evaluation) analyze(ctx context.Context, getenv func(string) string) ([]row, error) {
	spec := analyze.Spec("eval")
	invoke := func(clip string) (contract.AnalyzeResult, time.Duration, error) {
		dir := filepath.Join(ev.out, "waveforms", strings.TrimSuffix(clip, filepath.Ext(clip)))
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := funcmain.Main(ctx, spec, []string{"run", "--out", dir, ev.set.path(clip)}, getenv, &stdout, &stderr)
		elapsed := time.Since(start)
		var res contract.AnalyzeResult
		if code != 0 {
			return res, 0, fmt.Errorf("analyze run %s: exit status %d: %s", clip, code, strings.TrimSpace(stderr.String()))
		}
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			return res, 0, fmt.Errorf("analyze run %s: result: %w", clip, err)
		}
		return res, elapsed, nil
	}
	if len(ev.set.clips) == 0 {
		return nil, fmt.Errorf("%s lists no clips", ev.set.manifest)
	}
	if _, _, err := invoke(ev.set.clips[0]); err != nil {
		return nil, err
	}
	fmt.Fprintf(ev.log, "analyzing %d clips\n", len(ev.set.clips))
	tempoCSV := bytes.NewBufferString("file,bpm,confidence,reason\n")
	keyCSV := bytes.NewBufferString("file,key,confidence,reason\n")
	timing := bytes.NewBufferString("file,seconds\n")
	r := row{tool: ourTool}
	for _, clip := range ev.set.clips {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, elapsed, err := invoke(clip)
		if err != nil {
			return nil, err
		}
		bpm, label := "", "none"
		if t := res.Tempo; t != nil {
			if t.BPM != nil {
				bpm = fmt.Sprintf("%.1f", *t.BPM)
			}
			fmt.Fprintf(tempoCSV, "%s,%s,%.3f,%s\n", clip, bpm, t.Confidence, t.Reason)
		}
		if k := res.Key; k != nil {
			if k.Label != nil {
				label = *k.Label
			}
			fmt.Fprintf(keyCSV, "%s,%s,%.3f,%s\n", clip, label, k.Confidence, k.Reason)
		}
		fmt.Fprintf(timing, "%s,%.4f\n", clip, elapsed.Seconds())
		fmt.Fprintf(ev.log, "  %-46s %6s BPM  %-9s %6.3f s\n", clip, bpm, label, elapsed.Seconds())
		r.seconds = append(r.seconds, elapsed.Seconds())
		ev.set.seconds = append(ev.set.seconds, res.DurationS)
	}
	files := map[string]*bytes.Buffer{"analyze-tempo.csv": tempoCSV, "analyze-key.csv": keyCSV, "analyze-timing.csv": timing}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(ev.out, name), b.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	t, err := ev.scoreFile(ctx, "tempo", filepath.Join(ev.out, "analyze-tempo.csv"))
	if err != nil {
		return nil, err
	}
	k, err := ev.scoreFile(ctx, "key", filepath.Join(ev.out, "analyze-key.csv"))
	if err != nil {
		return nil, err
	}
	r.acc1, r.acc2, r.mirex = t.acc1(), t.acc2(), k.mirex()
	r.errors = append(t.Errors, k.Errors...)
	return []row{r}, nil
}
