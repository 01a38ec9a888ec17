package packaging_test

import (
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

const composeFile = "docker-compose.yml"

// loadCompose loads docker-compose.yml with the Compose specification loader
// (schema validation, interpolation, merge keys, consistency checks), the
// project directory being root. env is the interpolation environment: the OS
// environment is not used, so the result does not depend on the machine.
func loadCompose(tb testing.TB, root string, env ...string) *types.Project {
	tb.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, composeFile)},
		cli.WithWorkingDirectory(root),
		cli.WithEnv(env),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := opts.LoadProject(tb.Context())
	if err != nil {
		tb.Fatalf("%s: %v", composeFile, err)
	}
	return p
}

// phantomService is a compose service built from Dockerfile.function.
type phantomService struct {
	types.ServiceConfig
	function string // its FUNCTION build argument
}

// phantomServices returns the services built from Dockerfile.function, by name.
func phantomServices(tb testing.TB, p *types.Project) map[string]phantomService {
	tb.Helper()
	out := map[string]phantomService{}
	for name, s := range p.Services {
		if s.Build == nil || filepath.Base(s.Build.Dockerfile) != dockerfileName {
			continue
		}
		fn := ""
		if v := s.Build.Args["FUNCTION"]; v != nil {
			fn = *v
		}
		out[name] = phantomService{ServiceConfig: s, function: fn}
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no service builds %s", composeFile, dockerfileName)
	}
	return out
}

// functionServices returns the names of the phantom services that run a
// function (not the gateway), sorted.
func functionServices(tb testing.TB, p *types.Project) []string {
	tb.Helper()
	var names []string
	for name, s := range phantomServices(tb, p) {
		if s.function != "gateway" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// env returns the service's environment value for key and whether it is set.
func env(s types.ServiceConfig, key string) (string, bool) {
	v, ok := s.Environment[key]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

// hostOf returns the host named by a URL or host:port value.
func hostOf(tb testing.TB, key, value string) string {
	tb.Helper()
	if strings.Contains(value, "://") {
		u, err := url.Parse(strings.Split(value, ",")[0])
		if err != nil {
			tb.Fatalf("%s=%q: %v", key, value, err)
		}
		return u.Hostname()
	}
	host, _, err := net.SplitHostPort(value)
	if err != nil {
		tb.Fatalf("%s=%q: want host:port: %v", key, value, err)
	}
	return host
}

// healthcheckProblem reports why a service's healthcheck cannot gate depends_on, or
// "" when it can.
func healthcheckProblem(s types.ServiceConfig) string {
	switch hc := s.HealthCheck; {
	case hc == nil:
		return "has no healthcheck"
	case hc.Disable:
		return "disables its healthcheck"
	case len(hc.Test) == 0 || hc.Test[0] == "NONE":
		return "has an empty healthcheck test"
	}
	return ""
}
