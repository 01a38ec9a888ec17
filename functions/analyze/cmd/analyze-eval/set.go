package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// set is the labelled clips of an evaluation folder.
type set struct {
	dir      string
	manifest string
	clips    []string  // file names, in manifest order
	seconds  []float64 // each clip's decoded duration, filled by the analysis
}

// loadSet reads dir/manifest.csv (file,bpm,key,…) and keeps the first limit clips
// (all when limit is 0), writing their manifest into out so that the scores count
// only them.
func loadSet(dir string, limit int, out string) (*set, error) {
	s := &set{dir: dir, manifest: filepath.Join(dir, "manifest.csv")}
	f, err := os.Open(s.manifest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.manifest, err)
	}
	if len(recs) < 2 || len(recs[0]) < 3 || recs[0][0] != "file" {
		return nil, fmt.Errorf("%s: want a header file,bpm,key,… and clips", s.manifest)
	}
	for _, r := range recs[1:] {
		s.clips = append(s.clips, r[0])
	}
	if limit <= 0 || limit >= len(s.clips) {
		return s, nil
	}
	s.clips = s.clips[:limit]
	s.manifest = filepath.Join(out, "manifest.csv")
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs[:limit+1]); err != nil {
		return nil, err
	}
	return s, os.WriteFile(s.manifest, b.Bytes(), 0o644)
}

func (s *set) path(clip string) string { return filepath.Join(s.dir, clip) }

func (s *set) paths() []string {
	p := make([]string, len(s.clips))
	for i, c := range s.clips {
		p[i] = s.path(c)
	}
	return p
}

// meanSeconds is the clips' mean duration, once the analysis has measured them.
func (s *set) meanSeconds() float64 { return mean(s.seconds) }

// sharedDir finds the shared evaluation folder: PHANTOM_SHARED_DIR, or ../shared
// beside the first directory at or above the working directory that holds .git.
func sharedDir(getenv func(string) string) (string, error) {
	if d := getenv("PHANTOM_SHARED_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			shared := filepath.Join(filepath.Dir(d), "shared")
			if _, err := os.Stat(shared); err != nil {
				return "", fmt.Errorf("shared folder %s not found (set PHANTOM_SHARED_DIR)", shared)
			}
			return shared, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no .git above the working directory: run from the repository or set PHANTOM_SHARED_DIR")
		}
	}
}
