package packaging_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// appPath is where the runtime targets install the program.
const appPath = "/usr/local/bin/app"

// fakeGo stands in for the go command: it records its environment's
// CGO_ENABLED and its arguments, one per line, after a "--call" line.
const fakeGo = `#!/bin/sh
{
	echo --call
	echo "CGO_ENABLED=${CGO_ENABLED-unset}"
	for a in "$@"; do printf '%s\n' "$a"; done
} >>"$FAKE_GO_LOG"
`

// goCall is one recorded run of the go command.
type goCall struct {
	cgoEnabled string
	args       []string
}

// buildStage returns the stage the runtime targets copy the program from.
func (d dockerfile) buildStage(tb testing.TB) instructions.Stage {
	tb.Helper()
	for _, target := range []string{"gateway", "function"} {
		for _, c := range copyFrom(d.chain(tb, target), appPath) {
			return d.stage(tb, c.From)
		}
	}
	tb.Fatalf("no target COPYs %s --from a build stage", appPath)
	return instructions.Stage{}
}

// buildRun returns the build stage's RUN command that runs `go build`.
func (d dockerfile) buildRun(tb testing.TB) *instructions.RunCommand {
	tb.Helper()
	for _, r := range commandsOf[*instructions.RunCommand](d.buildStage(tb)) {
		if strings.Contains(script(r), "go build") {
			return r
		}
	}
	tb.Fatal("the build stage has no RUN with go build")
	return nil
}

// runBuildScript runs the build stage's `go build` RUN script with sh in root
// (the stage's WORKDIR holds a copy of it), with the stage's ENV, its ARGs set to
// args (their defaults otherwise) and go replaced by [fakeGo]. It returns the go
// commands the script ran, or the script's error and stderr.
func (d dockerfile) runBuildScript(tb testing.TB, root string, args map[string]string) ([]goCall, error) {
	tb.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		tb.Skip("no sh to run the Dockerfile's build script:", err)
	}
	bin := tb.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fakeGo), 0o755); err != nil {
		tb.Fatal(err)
	}
	log := filepath.Join(tb.TempDir(), "go.log")
	stage := d.buildStage(tb)
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + "/usr/bin:/bin", "HOME=" + tb.TempDir(), "FAKE_GO_LOG=" + log}
	for k, v := range envOf(d.chain(tb, stage.Name)) {
		env = append(env, k+"="+v)
	}
	for k, v := range argDefaults(stage) {
		if a, ok := args[k]; ok {
			v = a
		}
		env = append(env, k+"="+v)
	}
	for k := range args {
		if _, ok := argDefaults(stage)[k]; !ok {
			tb.Fatalf("the build stage declares no ARG %s", k)
		}
	}
	cmd := exec.Command(sh, "-c", script(d.buildRun(tb)))
	cmd.Dir, cmd.Env = root, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, errors.Join(err, errors.New(strings.TrimSpace(stderr.String())))
	}
	b, err := os.ReadFile(log)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		tb.Fatal(err)
	}
	var calls []goCall
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "--call" && i+1 < len(lines) {
			i++
			calls = append(calls, goCall{cgoEnabled: strings.TrimPrefix(lines[i], "CGO_ENABLED=")})
			continue
		}
		if len(calls) > 0 {
			calls[len(calls)-1].args = append(calls[len(calls)-1].args, lines[i])
		}
	}
	return calls, nil
}

// goBuild is a parsed `go build` command line.
type goBuild struct {
	cgoEnabled string
	trimpath   bool
	ldflags    []string
	out        string
	pkgs       []string
}

// parseGoBuild finds the `go build` among calls and parses the flags the build
// uses.
func parseGoBuild(tb testing.TB, calls []goCall) goBuild {
	tb.Helper()
	for _, c := range calls {
		if len(c.args) == 0 || c.args[0] != "build" {
			continue
		}
		b := goBuild{cgoEnabled: c.cgoEnabled}
		args := c.args[1:]
		for i := 0; i < len(args); i++ {
			flag, value, hasValue := strings.Cut(strings.TrimPrefix(args[i], "-"), "=")
			switch {
			case !strings.HasPrefix(args[i], "-"):
				b.pkgs = append(b.pkgs, args[i])
			case flag == "trimpath":
				b.trimpath = true
			case flag == "ldflags" || flag == "o":
				if !hasValue && i+1 < len(args) {
					i++
					value = args[i]
				}
				if flag == "o" {
					b.out = value
				} else {
					b.ldflags = strings.Fields(value)
				}
			}
		}
		return b
	}
	tb.Fatalf("the build script never ran go build (go calls: %v)", calls)
	return goBuild{}
}

// versionStamp returns the value main.version is set to by -X, or "".
func (b goBuild) versionStamp() string {
	for i, f := range b.ldflags {
		if f == "-X" && i+1 < len(b.ldflags) {
			if v, ok := strings.CutPrefix(b.ldflags[i+1], "main.version="); ok {
				return v
			}
		}
		if v, ok := strings.CutPrefix(f, "-X=main.version="); ok {
			return v
		}
	}
	return ""
}

// semVer is the version syntax NATS micro accepts (micro.AddService rejects
// anything else), from semver.org.
var semVer = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func hasAll(have []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
