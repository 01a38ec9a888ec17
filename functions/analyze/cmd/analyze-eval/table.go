package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Targets of the analyze function on the development set.
const (
	targetAcc1    = 0.95
	targetAcc2    = 0.96
	targetMIREX   = 0.90
	targetSpeedup = 20.0 // times faster than RhythmExtractor2013 per clip
)

// row is one tool's line of the table. Scores a tool does not produce are nil.
type row struct {
	tool              string
	acc1, acc2, mirex *float64
	seconds           []float64 // per clip
	errors            []json.RawMessage
}

// printTable writes the rows side by side: accuracy, seconds per clip and the
// speed relative to RhythmExtractor2013 when it ran.
func printTable(w io.Writer, rows []row, clips int, clipSeconds float64) {
	ref := rowFor(rows, rhythmTool)
	fmt.Fprintf(w, "\n%d clips, %.1f s long on average\n\n", clips, clipSeconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tool\ttempo Acc1\tAcc2\tkey MIREX\ts/clip (mean)\ts/clip (median)\tspeed vs RhythmExtractor2013\t")
	for _, r := range rows {
		speed := "–"
		if ref != nil {
			speed = fmt.Sprintf("%.1f×", mean(ref.seconds)/mean(r.seconds))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.3f\t%.3f\t%s\t\n", r.tool, score(r.acc1), score(r.acc2), score(r.mirex),
			mean(r.seconds), median(r.seconds), speed)
	}
	tw.Flush()
	if len(rows) > 0 && len(rows[0].errors) > 0 {
		fmt.Fprintf(w, "\n%s errors (score.py):\n", rows[0].tool)
		for _, e := range rows[0].errors {
			var b bytes.Buffer
			if json.Compact(&b, e) != nil {
				b.Write(e)
			}
			fmt.Fprintf(w, "  %s\n", b.Bytes())
		}
	}
}

// checkTargets prints each target with the measured value and reports whether an
// accuracy target was missed.
func checkTargets(w io.Writer, ours row, ref *row) (missed bool) {
	fmt.Fprintln(w, "\ntargets:")
	check := func(name string, got *float64, want float64) {
		verdict := "met"
		switch {
		case got == nil:
			verdict = "not measured (no labelled clip)"
		case *got < want:
			verdict, missed = "MISSED", true
		}
		fmt.Fprintf(w, "  %-34s %s (want ≥ %.2f): %s\n", name, score(got), want, verdict)
	}
	check("tempo Accuracy1", ours.acc1, targetAcc1)
	check("tempo Accuracy2", ours.acc2, targetAcc2)
	check("key MIREX weighted score", ours.mirex, targetMIREX)
	if ref == nil {
		fmt.Fprintln(w, "  speed: RhythmExtractor2013 did not run (no node, or -anchors off)")
		return missed
	}
	speedup := mean(ref.seconds) / mean(ours.seconds)
	verdict := "met"
	if speedup < targetSpeedup {
		verdict = "missed (reported only: timings depend on the machine and its load)"
	}
	fmt.Fprintf(w, "  %-34s %.1f× (want ≥ %.0f×): %s\n", "speed vs RhythmExtractor2013", speedup, targetSpeedup, verdict)
	return missed
}

func rowFor(rows []row, tool string) *row {
	for i := range rows {
		if rows[i].tool == tool {
			return &rows[i]
		}
	}
	return nil
}

func score(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f", *v)
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
