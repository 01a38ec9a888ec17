package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binDir holds the programs built from this workspace for the tests.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "phantom-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	// Built once, with the workspace, exactly as they ship (no race detector): the
	// gateway and every function command.
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"github.com/phantomchain/phantomchain/gateway/cmd/gateway",
		"github.com/phantomchain/phantomchain/functions/.../cmd/...")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the programs:", err)
		return 1
	}
	defer stopContainers()
	return m.Run()
}
