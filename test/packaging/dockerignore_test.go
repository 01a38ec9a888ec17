package packaging_test

import (
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// buildContext is the build context .dockerignore leaves, as BuildKit's
// pattern matcher decides.
type buildContext struct {
	pm *patternmatcher.PatternMatcher
}

func loadBuildContext(tb testing.TB, root string) buildContext {
	tb.Helper()
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		tb.Fatalf(".dockerignore: %v", err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		tb.Fatalf(".dockerignore: %v", err)
	}
	return buildContext{pm}
}

// has reports whether the slash-separated path rel is in the context.
func (c buildContext) has(tb testing.TB, rel string) bool {
	tb.Helper()
	excluded, err := c.pm.MatchesOrParentMatches(rel)
	if err != nil {
		tb.Fatalf(".dockerignore on %s: %v", rel, err)
	}
	return !excluded
}

// TestBuildContextHoldsPrograms checks that the context holds the workspace
// files and every Go and embedded file of the packages the programs link.
func TestBuildContextHoldsPrograms(t *testing.T) {
	root := repoRoot(t)
	ctx := loadBuildContext(t, root)
	t.Run("workspace", func(t *testing.T) {
		want := []string{"go.work"}
		if _, err := os.Stat(filepath.Join(root, "go.work.sum")); err == nil {
			want = append(want, "go.work.sum")
		}
		for _, dir := range goWorkUses(t, root) {
			for _, name := range []string{"go.mod", "go.sum"} {
				if _, err := os.Stat(filepath.Join(root, dir, name)); err == nil {
					want = append(want, path.Join(filepath.ToSlash(dir), name))
				}
			}
		}
		for _, rel := range want {
			if !ctx.has(t, rel) {
				t.Errorf(".dockerignore leaves out %s: the workspace does not load without it", rel)
			}
		}
	})
	for _, p := range programs {
		if !p.exists {
			continue
		}
		t.Run(p.function, func(t *testing.T) {
			pkgs := workspaceDeps(t, root, p.pkg)
			if len(pkgs) < 2 {
				t.Fatalf("go list -deps %s: %d workspace packages, want the program and its platform packages", p.pkg, len(pkgs))
			}
			for _, pkg := range pkgs {
				dir, _ := filepath.Rel(root, pkg.Dir)
				for _, name := range append(pkg.GoFiles, pkg.EmbedFiles...) {
					rel := path.Join(filepath.ToSlash(dir), name)
					if !ctx.has(t, rel) {
						t.Errorf(".dockerignore leaves out %s, which %s needs", rel, pkg.ImportPath)
					}
				}
			}
		})
	}
}

func TestBuildContextLeavesOut(t *testing.T) {
	ctx := loadBuildContext(t, repoRoot(t))
	for _, rel := range []string{
		".git/HEAD",
		"docker-compose.yml",
		dockerfileName,
		"deploy/prometheus/prometheus.yml",
		"test/packaging/compose_test.go",
		"platform/config/config_test.go",
		"functions/probe/testdata/tone.wav",
	} {
		if ctx.has(t, rel) {
			t.Errorf(".dockerignore keeps %s in the build context", rel)
		}
	}
}
