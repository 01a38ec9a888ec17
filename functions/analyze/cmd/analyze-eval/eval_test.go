package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTiming(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte("file,decode_s,analysis_s\na.mp3,0.25,1.5\nb.mp3,0.5,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readTiming(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 1.75 || got[1] != 2.5 {
		t.Errorf("readTiming = %v, want [1.75 2.5] (decode + analysis)", got)
	}
}

func TestLoadSetSubset(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	manifest := "file,bpm,key,source,license\na.mp3,120,,x,y\nb.mp3,90,A minor,x,y\nc.mp3,,C major,x,y\n"
	if err := os.WriteFile(filepath.Join(dir, "manifest.csv"), []byte(manifest), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := loadSet(dir, 2, out)
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(s.manifest)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.clips, ",") != "a.mp3,b.mp3" || s.manifest != filepath.Join(out, "manifest.csv") ||
		strings.Contains(string(written), "c.mp3") || !strings.Contains(string(written), "b.mp3,90,A minor") {
		t.Errorf("clips %v, manifest %s:\n%s", s.clips, s.manifest, written)
	}
}

func TestTableAndTargets(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rows := []row{
		{tool: ourTool, acc1: f(0.981), acc2: f(0.981), mirex: f(0.933), seconds: []float64{0.2, 0.3, 0.1}},
		{tool: rhythmTool, acc1: f(0.943), acc2: f(0.962), seconds: []float64{2, 2}},
	}
	var b bytes.Buffer
	printTable(&b, rows, 3, 19.5)
	for _, want := range []string{"0.981", "0.933", "10.0×", "1.0×", "0.200"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if checkTargets(&b, rows[0], &rows[1]) {
		t.Errorf("accuracy targets reported missed:\n%s", b.String())
	}
	rows[0].mirex = f(0.85)
	if !checkTargets(&b, rows[0], &rows[1]) || !strings.Contains(b.String(), "MISSED") {
		t.Errorf("MIREX 0.85 not reported missed:\n%s", b.String())
	}
	if median([]float64{3, 1, 2, 10}) != 2.5 || median([]float64{5, 1, 3}) != 3 {
		t.Error("median is wrong")
	}
}
