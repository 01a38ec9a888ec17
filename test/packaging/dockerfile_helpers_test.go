package packaging_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

const dockerfileName = "Dockerfile.function"

// dockerfile is Dockerfile.function as BuildKit's frontend parses it.
type dockerfile struct {
	stages   []instructions.Stage
	metaArgs []instructions.ArgCommand // the ARGs before the first FROM
}

// parseDockerfile parses path with BuildKit's parser and instruction parser;
// parser and linter warnings fail the test.
func parseDockerfile(tb testing.TB, path string) dockerfile {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		tb.Fatalf("%s: %v", filepath.Base(path), err)
	}
	for _, w := range res.Warnings {
		tb.Errorf("%s: parser warning: %s", filepath.Base(path), w.Short)
	}
	lint := linter.New(&linter.Config{
		Warn: func(rule, _, _, msg string, loc []parser.Range) {
			line := 0
			if len(loc) > 0 {
				line = loc[0].Start.Line
			}
			tb.Errorf("%s:%d: lint %s: %s", filepath.Base(path), line, rule, msg)
		},
	})
	stages, metaArgs, err := instructions.Parse(res.AST, lint)
	if err != nil {
		tb.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return dockerfile{stages: stages, metaArgs: metaArgs}
}

// stage returns the stage called name.
func (d dockerfile) stage(tb testing.TB, name string) instructions.Stage {
	tb.Helper()
	for _, s := range d.stages {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	tb.Fatalf("%s has no stage %q", dockerfileName, name)
	return instructions.Stage{}
}

// chain returns the stage called name preceded by the stages it is built FROM,
// oldest first: the commands of a target are those of its whole chain.
func (d dockerfile) chain(tb testing.TB, name string) []instructions.Stage {
	tb.Helper()
	s := d.stage(tb, name)
	for _, prev := range d.stages {
		if prev.Name != "" && strings.EqualFold(prev.Name, s.BaseName) {
			return append(d.chain(tb, prev.Name), s)
		}
	}
	return []instructions.Stage{s}
}

// baseImage returns the image a chain of stages starts from, with the global
// ARGs' defaults substituted.
func (d dockerfile) baseImage(tb testing.TB, chain []instructions.Stage) string {
	tb.Helper()
	var env []string
	for _, a := range d.metaArgs {
		for _, kv := range a.Args {
			env = append(env, kv.Key+"="+kv.ValueString())
		}
	}
	img, _, err := shell.NewLex('\\').ProcessWord(chain[0].BaseName, shell.EnvsFromSlice(env))
	if err != nil {
		tb.Fatalf("FROM %s: %v", chain[0].BaseName, err)
	}
	return img
}

// commandsOf returns the commands of type T in the stages, in order.
func commandsOf[T instructions.Command](stages ...instructions.Stage) []T {
	var out []T
	for _, s := range stages {
		for _, c := range s.Commands {
			if t, ok := c.(T); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// argDefaults returns the ARGs declared in a stage and their defaults ("" when
// none), as the environment its RUN commands see.
func argDefaults(s instructions.Stage) map[string]string {
	args := map[string]string{}
	for _, a := range commandsOf[*instructions.ArgCommand](s) {
		for _, kv := range a.Args {
			args[kv.Key] = kv.ValueString()
		}
	}
	return args
}

// envOf returns the ENV a chain of stages sets.
func envOf(chain []instructions.Stage) map[string]string {
	env := map[string]string{}
	for _, e := range commandsOf[*instructions.EnvCommand](chain...) {
		for _, kv := range e.Env {
			env[kv.Key] = kv.Value
		}
	}
	return env
}

// script returns a RUN command's shell script.
func script(r *instructions.RunCommand) string {
	return strings.Join(r.CmdLine, " ")
}

// lastOf returns the last command of type T in the chain (the one in force).
func lastOf[T instructions.Command](tb testing.TB, chain []instructions.Stage, what string) T {
	tb.Helper()
	cmds := commandsOf[T](chain...)
	if len(cmds) == 0 {
		var zero T
		tb.Fatalf("stage %s: no %s", chain[len(chain)-1].Name, what)
		return zero
	}
	return cmds[len(cmds)-1]
}

// copyFrom returns the COPY --from=<stage> commands of the chain that copy into
// dest.
func copyFrom(chain []instructions.Stage, dest string) []*instructions.CopyCommand {
	var out []*instructions.CopyCommand
	for _, c := range commandsOf[*instructions.CopyCommand](chain...) {
		if c.From != "" && c.DestPath == dest {
			out = append(out, c)
		}
	}
	return out
}
