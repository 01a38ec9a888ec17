package test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

type goPackage struct {
	ImportPath string
	Name       string
	Doc        string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

// listPackages runs go list on the whole workspace.
func listPackages(t *testing.T, patterns ...string) []goPackage {
	t.Helper()
	args := append([]string{"list", "-json=ImportPath,Name,Doc,Dir,GoFiles,Imports,Deps"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestArrowsPointInward checks the layering: the domain roots (the gateway package
// and each function's package) never import a database driver, an S3 client or the
// HTTP router; those belong to adapters. platform imports no project module.
func TestArrowsPointInward(t *testing.T) {
	forbidden := []string{"github.com/jackc/pgx/v5", "github.com/minio/minio-go/v7", "github.com/julienschmidt/httprouter", "github.com/riverqueue/river"}
	pkgs := listPackages(t, "github.com/phantomchain/phantomchain/gateway", "github.com/phantomchain/phantomchain/functions/...")
	for _, p := range pkgs {
		root := p.ImportPath == "github.com/phantomchain/phantomchain/gateway" ||
			(strings.Count(strings.TrimPrefix(p.ImportPath, "github.com/phantomchain/phantomchain/functions/"), "/") == 0)
		if !root {
			continue
		}
		for _, imp := range p.Imports {
			for _, f := range forbidden {
				if imp == f || strings.HasPrefix(imp, f+"/") {
					t.Errorf("%s imports %s; adapters do that", p.ImportPath, imp)
				}
			}
		}
	}
	for _, p := range listPackages(t, "github.com/phantomchain/phantomchain/platform/...") {
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/phantomchain/phantomchain/") && !strings.HasPrefix(imp, "github.com/phantomchain/phantomchain/platform") {
				t.Errorf("%s imports %s; platform depends on no other project module", p.ImportPath, imp)
			}
		}
	}
}

// TestPackageDocs checks that every package has exactly one package comment.
func TestPackageDocs(t *testing.T) {
	for _, p := range listPackages(t, "github.com/phantomchain/phantomchain/...") {
		if p.Doc == "" {
			t.Errorf("%s has no package documentation", p.ImportPath)
			continue
		}
		n := 0
		for _, f := range p.GoFiles {
			if hasPackageComment(t, p.Dir+"/"+f) {
				n++
			}
		}
		if n > 1 {
			t.Errorf("%s has %d package comments, want one", p.ImportPath, n)
		}
	}
}

func hasPackageComment(t *testing.T, path string) bool {
	t.Helper()
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	prevComment := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "package ") {
			return prevComment
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "//go:build"), strings.HasPrefix(trimmed, "// +build"):
			prevComment = false
		case strings.HasPrefix(trimmed, "//"):
			prevComment = true
		case trimmed == "":
			prevComment = false
		}
	}
	return false
}
