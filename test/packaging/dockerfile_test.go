package packaging_test

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// programs are the FUNCTION values: the gateway and the four functions. Those
// marked exists are in the workspace today.
var programs = []struct {
	function string
	pkg      string // what the image builds
	exists   bool
}{
	{"gateway", "./gateway/cmd/gateway", true},
	{"probe", "./functions/probe/cmd/probe", true},
	{"transcode", "./functions/transcode/cmd/transcode", false},
	{"loudness", "./functions/loudness/cmd/loudness", false},
	{"analyze", "./functions/analyze/cmd/analyze", false},
}

// targetFor returns the runtime target that packages function.
func targetFor(function string) string {
	if function == "gateway" {
		return "gateway"
	}
	return "function"
}

func TestDockerfileStages(t *testing.T) {
	root := repoRoot(t)
	d := parseDockerfile(t, filepath.Join(root, dockerfileName))
	if len(d.stages) < 2 {
		t.Fatalf("%s has %d FROM, want a multi-stage build (at least 2)", dockerfileName, len(d.stages))
	}
	if last := d.stages[len(d.stages)-1].Name; last != "function" {
		t.Errorf("last stage (the default target) = %q, want %q", last, "function")
	}
	build := d.buildStage(t)
	if img := d.baseImage(t, d.chain(t, build.Name)); !strings.HasPrefix(img, "golang:1.26-bookworm") {
		t.Errorf("build stage FROM %s, want golang:1.26-bookworm", img)
	}
	for _, target := range []string{"gateway", "function"} {
		if img := d.baseImage(t, d.chain(t, target)); !strings.HasPrefix(img, "debian:bookworm-slim") {
			t.Errorf("target %s FROM %s, want debian:bookworm-slim", target, img)
		}
	}
	for _, s := range []instructions.Stage{build, d.stage(t, "gateway"), d.stage(t, "function")} {
		if _, ok := argDefaults(s)["FUNCTION"]; !ok {
			t.Errorf("stage %s declares no ARG FUNCTION", s.Name)
		}
	}
	if v := argDefaults(build)["VERSION"]; v != "" && !semVer.MatchString(v) {
		t.Errorf("ARG VERSION defaults to %q: NATS micro accepts only SemVer versions (or leave it empty)", v)
	}
	run := d.buildRun(t)
	// Mount options are parsed when the frontend expands the command; nothing
	// in them needs expanding here.
	if err := run.Expand(func(word string) (string, error) { return word, nil }); err != nil {
		t.Fatalf("RUN --mount: %v", err)
	}
	mounts := map[string]bool{}
	for _, m := range instructions.GetMounts(run) {
		if m.Type == instructions.MountTypeCache {
			mounts[m.Target] = true
		}
	}
	for _, dir := range []string{"/go/pkg/mod", "/go/cache/build"} {
		if !mounts[dir] {
			t.Errorf("the go build RUN has no --mount=type=cache,target=%s (cache mounts: %v)", dir, mounts)
		}
	}
}

func TestDockerfileBuild(t *testing.T) {
	root := repoRoot(t)
	d := parseDockerfile(t, filepath.Join(root, dockerfileName))
	for _, p := range programs {
		for _, version := range []string{"", "1.4.0-rc.1"} {
			t.Run(p.function+"/version="+version, func(t *testing.T) {
				calls, err := d.runBuildScript(t, root, map[string]string{"FUNCTION": p.function, "VERSION": version})
				if err != nil {
					t.Fatalf("build script with FUNCTION=%s: %v", p.function, err)
				}
				b := parseGoBuild(t, calls)
				if !slices.Equal(b.pkgs, []string{p.pkg}) {
					t.Errorf("go build packages = %q, want [%s]", b.pkgs, p.pkg)
				}
				if b.cgoEnabled != "0" {
					t.Errorf("CGO_ENABLED = %q, want 0", b.cgoEnabled)
				}
				if !b.trimpath {
					t.Error("go build without -trimpath")
				}
				if !hasAll(b.ldflags, "-s", "-w") {
					t.Errorf("-ldflags %q, want -s -w", b.ldflags)
				}
				if got := b.versionStamp(); got != version {
					t.Errorf("-X main.version=%q, want %q (ldflags %q)", got, version, b.ldflags)
				}
				if !copiesFrom(d, t, targetFor(p.function), b.out) {
					t.Errorf("go build -o %s, but target %s does not COPY it to %s", b.out, targetFor(p.function), appPath)
				}
			})
		}
	}
}

// copiesFrom reports whether target copies src from another stage to appPath.
func copiesFrom(d dockerfile, tb testing.TB, target, src string) bool {
	for _, c := range copyFrom(d.chain(tb, target), appPath) {
		if slices.Contains(c.SourcePaths, src) {
			return true
		}
	}
	return false
}

func TestDockerfileBuildRejectsFunction(t *testing.T) {
	root := repoRoot(t)
	d := parseDockerfile(t, filepath.Join(root, dockerfileName))
	for _, function := range []string{"", "../../etc", "Probe", "probe/cmd"} {
		t.Run(strconv.Quote(function), func(t *testing.T) {
			calls, err := d.runBuildScript(t, root, map[string]string{"FUNCTION": function})
			if err == nil {
				t.Errorf("build script with FUNCTION=%q succeeded (go calls %v), want an error", function, calls)
			}
		})
	}
}

// TestProgramsExist checks that the packages the image builds for the programs of
// today are main packages in the workspace.
func TestProgramsExist(t *testing.T) {
	root := repoRoot(t)
	for _, p := range programs {
		t.Run(p.function, func(t *testing.T) {
			dir := filepath.Join(root, filepath.FromSlash(p.pkg))
			if _, err := os.Stat(dir); os.IsNotExist(err) && !p.exists {
				t.Skipf("%s does not exist yet", p.pkg)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
			var mains int
			for _, f := range files {
				if strings.HasSuffix(f, "_test.go") {
					continue
				}
				af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly)
				if err != nil {
					t.Fatal(err)
				}
				if af.Name.Name == "main" {
					mains++
				}
			}
			if mains == 0 {
				t.Errorf("%s: no Go file of package main (the Dockerfile builds it for FUNCTION=%s)", p.pkg, p.function)
			}
		})
	}
}

func TestDockerfileTargets(t *testing.T) {
	root := repoRoot(t)
	d := parseDockerfile(t, filepath.Join(root, dockerfileName))
	tests := []struct {
		target     string
		program    string // a program packaged by the target
		listenKey  string // the variable naming the HTTP listener with /metrics
		wantFFmpeg bool
	}{
		{"gateway", "./gateway/cmd/gateway", "GATEWAY_ADDR", false},
		{"function", "./functions/probe/cmd/probe", "METRICS_ADDR", true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			chain := d.chain(t, tt.target)

			user := lastOf[*instructions.UserCommand](t, chain, "USER").User
			uid, _, _ := strings.Cut(user, ":")
			if n, err := strconv.Atoi(uid); err != nil || n == 0 {
				t.Errorf("USER %s, want a fixed non-root numeric UID", user)
			}

			ep := lastOf[*instructions.EntrypointCommand](t, chain, "ENTRYPOINT")
			if ep.PrependShell || !slices.Equal(ep.CmdLine, []string{appPath}) {
				t.Errorf("ENTRYPOINT %q (shell form %v), want exec form [%q]", ep.CmdLine, ep.PrependShell, appPath)
			}
			if len(copyFrom(chain, appPath)) == 0 {
				t.Errorf("no COPY --from=<build stage> … %s", appPath)
			}

			hc := lastOf[*instructions.HealthCheckCommand](t, chain, "HEALTHCHECK").Health
			if want := []string{"CMD", appPath, "healthcheck"}; !slices.Equal(hc.Test, want) {
				t.Errorf("HEALTHCHECK %q, want %q", hc.Test, want)
			}

			defaults := readEnv(t, workspaceDeps(t, root, tt.program)).defaults
			port := listenPort(t, defaults[tt.listenKey])
			var exposed []string
			for _, e := range commandsOf[*instructions.ExposeCommand](chain...) {
				for _, p := range e.Ports {
					exposed = append(exposed, strings.TrimSuffix(p, "/tcp"))
				}
			}
			if !slices.Equal(exposed, []string{port}) {
				t.Errorf("EXPOSE %q, want [%s] (%s defaults to %q)", exposed, port, tt.listenKey, defaults[tt.listenKey])
			}

			installs := ffmpegInstalls(chain)
			if got := len(installs) > 0; got != tt.wantFFmpeg {
				t.Errorf("installs ffmpeg = %v, want %v", got, tt.wantFFmpeg)
			}

			labels := map[string]string{}
			for _, l := range commandsOf[*instructions.LabelCommand](chain...) {
				for _, kv := range l.Labels {
					labels[kv.Key] = kv.Value
				}
			}
			for _, key := range []string{"title", "description", "version", "source"} {
				if _, ok := labels["org.opencontainers.image."+key]; !ok {
					t.Errorf("no LABEL org.opencontainers.image.%s", key)
				}
			}

			tmp := envOf(chain)["TMPDIR"]
			if !strings.HasPrefix(tmp, "/") {
				t.Fatalf("ENV TMPDIR = %q, want the absolute path of the job folders' parent", tmp)
			}
			if !createdFor(chain, tmp, uid) {
				t.Errorf("no RUN creates TMPDIR %s owned by UID %s", tmp, uid)
			}
		})
	}
}

// TestDockerfileFFmpegLayerShared checks that the function target installs
// ffmpeg before it declares FUNCTION, so the layer is the same for every function.
func TestDockerfileFFmpegLayerShared(t *testing.T) {
	d := parseDockerfile(t, filepath.Join(repoRoot(t), dockerfileName))
	s := d.stage(t, "function")
	install, arg := -1, -1
	for i, c := range s.Commands {
		switch c := c.(type) {
		case *instructions.RunCommand:
			if install < 0 && ffmpegInstall.MatchString(script(c)) {
				install = i
			}
		case *instructions.ArgCommand:
			if arg < 0 && slices.ContainsFunc(c.Args, func(kv instructions.KeyValuePairOptional) bool { return kv.Key == "FUNCTION" }) {
				arg = i
			}
		}
	}
	if install < 0 || arg < 0 || install > arg {
		t.Errorf("in stage function, the ffmpeg install is command %d and ARG FUNCTION command %d: install ffmpeg first", install, arg)
	}
}

// TestDockerfileTargetGuards runs each target's checks of FUNCTION: a target
// must refuse the other target's programs.
func TestDockerfileTargetGuards(t *testing.T) {
	d := parseDockerfile(t, filepath.Join(repoRoot(t), dockerfileName))
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh:", err)
	}
	tests := []struct {
		target, function string
		wantOK           bool
	}{
		{"gateway", "gateway", true},
		{"gateway", "probe", false},
		{"function", "probe", true},
		{"function", "gateway", false},
		{"function", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.target+"/"+tt.function, func(t *testing.T) {
			var guards []string
			for _, r := range commandsOf[*instructions.RunCommand](d.stage(t, tt.target)) {
				if strings.Contains(script(r), "FUNCTION") {
					guards = append(guards, script(r))
				}
			}
			if len(guards) == 0 {
				t.Fatalf("target %s never checks FUNCTION", tt.target)
			}
			var err error
			for _, g := range guards {
				cmd := exec.Command(sh, "-c", g)
				cmd.Env = []string{"PATH=/usr/bin:/bin", "FUNCTION=" + tt.function, "VERSION="}
				if err = cmd.Run(); err != nil {
					break
				}
			}
			if (err == nil) != tt.wantOK {
				t.Errorf("target %s with FUNCTION=%q: guard error %v, want ok=%v", tt.target, tt.function, err, tt.wantOK)
			}
		})
	}
}

var ffmpegInstall = regexp.MustCompile(`apt-get\s+install\b[^;&|]*\sffmpeg\b`)

// ffmpegInstalls returns the RUN scripts of the chain that install ffmpeg.
func ffmpegInstalls(chain []instructions.Stage) []string {
	var out []string
	for _, r := range commandsOf[*instructions.RunCommand](chain...) {
		if ffmpegInstall.MatchString(script(r)) {
			out = append(out, script(r))
		}
	}
	return out
}

// createdFor reports whether a RUN of the chain creates dir owned by uid
// (install -d -o UID … or chown UID … naming dir).
func createdFor(chain []instructions.Stage, dir, uid string) bool {
	owner := regexp.MustCompile(`(install\s[^;&|]*-o\s*` + uid + `\b|chown\s[^;&|]*\b` + uid + `\b)[^;&|]*\s` + regexp.QuoteMeta(dir) + `(\s|;|$)`)
	for _, r := range commandsOf[*instructions.RunCommand](chain...) {
		if owner.MatchString(script(r)) {
			return true
		}
	}
	return false
}
