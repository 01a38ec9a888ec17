package packaging_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// envReaders are the calls that read an environment variable named by their
// first argument: platform/config's Env getters, os.Getenv and getenv parameters.
var envReaders = map[string]bool{
	"String": true, "Secret": true, "Int": true, "Duration": true, "Bool": true, "Bytes": true,
	"OneOf": true, "URL": true, "Addr": true, "List": true,
	"Getenv": true, "LookupEnv": true, "getenv": true,
}

var envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// envSource is what a program reads from its environment, found in its source.
type envSource struct {
	// defaults maps each literal name to its default when that is a string
	// literal ("" otherwise).
	defaults map[string]string
	// patterns match names built at run time, such as prefix+"WORKDIR" or
	// "DISPATCH_"+upper(fn)+"_CONCURRENCY": the non-literal parts match
	// [A-Z0-9_]+.
	patterns []*regexp.Regexp
}

// reads reports whether the program reads the variable key.
func (s envSource) reads(key string) bool {
	if _, ok := s.defaults[key]; ok {
		return true
	}
	for _, p := range s.patterns {
		if p.MatchString(key) {
			return true
		}
	}
	return false
}

// readEnv collects the environment variables the packages read, from the calls
// in their (non-test) Go files.
func readEnv(tb testing.TB, pkgs []goPackage) envSource {
	tb.Helper()
	src := envSource{defaults: map[string]string{}}
	fset := token.NewFileSet()
	for _, p := range pkgs {
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
			if err != nil {
				tb.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 || !envReaders[calleeName(call)] {
					return true
				}
				arg := resolve(call.Args[0])
				if key, ok := stringLit(arg); ok {
					if envName.MatchString(key) {
						def := ""
						if len(call.Args) > 1 {
							def, _ = stringLit(resolve(call.Args[1]))
						}
						// Keep the default a getter gives; a plain os.Getenv
						// elsewhere has none.
						if src.defaults[key] == "" {
							src.defaults[key] = def
						}
					}
				} else if re := concatPattern(arg); re != nil {
					src.patterns = append(src.patterns, re)
				}
				return true
			})
		}
	}
	return src
}

func calleeName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		return fn.Sel.Name
	case *ast.Ident:
		return fn.Name
	}
	return ""
}

// resolve follows an identifier to the expression it was assigned in the same
// function (key := "A_" + x; e.Int(key, …)).
func resolve(e ast.Expr) ast.Expr {
	id, ok := e.(*ast.Ident)
	if !ok || id.Obj == nil {
		return e
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.AssignStmt:
		for i, lhs := range d.Lhs {
			if l, ok := lhs.(*ast.Ident); ok && l.Name == id.Name && len(d.Rhs) == len(d.Lhs) {
				return d.Rhs[i]
			}
		}
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == id.Name && i < len(d.Values) {
				return d.Values[i]
			}
		}
	}
	return e
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// concatPattern turns a + concatenation with at least one string literal into
// an anchored pattern, or returns nil.
func concatPattern(e ast.Expr) *regexp.Regexp {
	var parts []string
	var lits int
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			walk(b.X)
			walk(b.Y)
			return
		}
		if s, ok := stringLit(e); ok {
			parts = append(parts, regexp.QuoteMeta(s))
			lits++
			return
		}
		parts = append(parts, `[A-Z0-9_]+`)
	}
	walk(e)
	if lits == 0 || len(parts) < 2 {
		return nil
	}
	return regexp.MustCompile(`^` + strings.Join(parts, "") + `$`)
}

// listenPort returns the port of a listen address such as ":9100".
func listenPort(tb testing.TB, addr string) string {
	tb.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		tb.Fatalf("listen address %q: no port", addr)
	}
	return port
}

func TestReadEnv(t *testing.T) {
	root := repoRoot(t)
	tests := []struct {
		program  string
		reads    []string // read by every program: a scanner that misses them is broken
		notReads []string
	}{
		{"./gateway/cmd/gateway", []string{"NATS_URL", "DATABASE_URL", "S3_ENDPOINT", "LOG_LEVEL", "DISPATCH_PROBE_CONCURRENCY"}, []string{"PROBE_WORKDIR", "DATABASE", "NATS_URLS"}},
		{"./functions/probe/cmd/probe", []string{"NATS_URL", "S3_ENDPOINT", "METRICS_ADDR", "PROBE_WORKDIR", "PROBE_CONCURRENCY"}, []string{"DATABASE_URL", "GATEWAY_ADDR"}},
	}
	for _, tt := range tests {
		t.Run(tt.program, func(t *testing.T) {
			src := readEnv(t, workspaceDeps(t, root, tt.program))
			for _, k := range tt.reads {
				if !src.reads(k) {
					t.Errorf("%s reads %s, but the scan found no such read (found %d names, %d patterns)", tt.program, k, len(src.defaults), len(src.patterns))
				}
			}
			for _, k := range tt.notReads {
				if src.reads(k) {
					t.Errorf("the scan says %s reads %s", tt.program, k)
				}
			}
		})
	}
}
