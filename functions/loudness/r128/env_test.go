package r128_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// missing skips tb, or fails it when PHANTOM_REQUIRE_SERVICES=1 (as in CI), saying
// what is missing.
func missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("PHANTOM_REQUIRE_SERVICES") == "1" {
		tb.Fatalf("PHANTOM_REQUIRE_SERVICES=1 but %s", msg)
	}
	tb.Skipf("skipping: %s", msg)
}

// tool returns the path of an executable on PATH, or calls missing.
func tool(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(tb, "%s is not on PATH", name)
	}
	return p
}

// sharedDir returns the shared evaluation folder: PHANTOM_SHARED_DIR, or else
// ../shared beside the repository (the first directory above the working directory
// holding a .git entry).
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PHANTOM_SHARED_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			tb.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(wd, ".git")); err == nil {
				break
			}
			parent := filepath.Dir(wd)
			if parent == wd {
				missing(tb, "no .git above the working directory and PHANTOM_SHARED_DIR unset")
			}
			wd = parent
		}
		dir = filepath.Join(filepath.Dir(wd), "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		missing(tb, "shared data folder %s not found (set PHANTOM_SHARED_DIR)", dir)
	}
	return dir
}
