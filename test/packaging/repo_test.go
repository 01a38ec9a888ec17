package packaging_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// repoRoot returns the workspace root: the nearest directory above the test's
// working directory that holds go.work (the Dockerfile and compose file sit
// beside it).
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.work above the test's working directory")
		}
		dir = parent
	}
}

// goPackage is the part of `go list -json` output the tests use.
type goPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	EmbedFiles []string
}

var depsCache sync.Map // package pattern → func() ([]goPackage, error)

// workspaceDeps returns the packages of the workspace (those under root) that
// the program pkg (a path such as ./gateway/cmd/gateway) is built from, itself
// included, as the go command in workspace mode sees them.
func workspaceDeps(tb testing.TB, root, pkg string) []goPackage {
	tb.Helper()
	load, _ := depsCache.LoadOrStore(pkg, sync.OnceValues(func() ([]goPackage, error) {
		return listDeps(root, pkg)
	}))
	pkgs, err := load.(func() ([]goPackage, error))()
	if err != nil {
		tb.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return pkgs
}

func listDeps(root, pkg string) ([]goPackage, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Name,Dir,GoFiles,EmbedFiles", pkg)
	cmd.Dir = root
	// Workspace mode even when the caller's environment turned it off.
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(root, "go.work"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.Join(err, errors.New(strings.TrimSpace(stderr.String())))
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if rel, err := filepath.Rel(root, p.Dir); err == nil && filepath.IsLocal(rel) {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil
}

// goWorkUses returns the module directories go.work uses, relative to root.
func goWorkUses(tb testing.TB, root string) []string {
	tb.Helper()
	cmd := exec.Command("go", "work", "edit", "-json", filepath.Join(root, "go.work"))
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("go work edit -json: %v", err)
	}
	var w struct{ Use []struct{ DiskPath string } }
	if err := json.Unmarshal(out, &w); err != nil {
		tb.Fatalf("go work edit -json: %v", err)
	}
	var dirs []string
	for _, u := range w.Use {
		dirs = append(dirs, filepath.Clean(u.DiskPath))
	}
	return dirs
}
