package packaging_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

// defaultShutdownGrace is SHUTDOWN_GRACE's default in platform/funcmain and
// gateway/service: how long a program drains on SIGTERM.
const defaultShutdownGrace = 25 * time.Second

func TestComposeServices(t *testing.T) {
	p := loadCompose(t, repoRoot(t))
	for _, name := range []string{"nats", "postgres", "minio", "gateway", "probe", "prometheus"} {
		if _, ok := p.Services[name]; !ok {
			t.Errorf("%s has no service %q", composeFile, name)
		}
	}
}

func TestComposeBuilds(t *testing.T) {
	root := repoRoot(t)
	p := loadCompose(t, root)
	services := phantomServices(t, p)
	tests := []struct{ service, function string }{
		{"gateway", "gateway"},
		{"probe", "probe"},
	}
	for _, tt := range tests {
		if s, ok := services[tt.service]; !ok || s.function != tt.function {
			t.Errorf("service %s: builds %s with FUNCTION=%q, want FUNCTION=%s", tt.service, dockerfileName, s.function, tt.function)
		}
	}
	for name, s := range services {
		t.Run(name, func(t *testing.T) {
			if s.Build.Context != root {
				t.Errorf("build context %s, want the workspace root %s", s.Build.Context, root)
			}
			if want := targetFor(s.function); s.Build.Target != want {
				t.Errorf("build target %q for FUNCTION=%s, want %q", s.Build.Target, s.function, want)
			}
		})
	}
}

func TestComposeGateway(t *testing.T) {
	root := repoRoot(t)
	s := loadCompose(t, root).Services["gateway"]
	addr, ok := env(s, "GATEWAY_ADDR")
	if !ok {
		addr = readEnv(t, workspaceDeps(t, root, "./gateway/cmd/gateway")).defaults["GATEWAY_ADDR"]
	}
	port := listenPort(t, addr)
	var published bool
	for _, pc := range s.Ports {
		if pc.Published == "8080" && pc.Target == mustAtoi(t, port) {
			published = true
		}
	}
	if !published {
		t.Errorf("gateway ports %+v, want 8080 published to the listener port %s", s.Ports, port)
	}
	checkStopGrace(t, s)
}

func TestComposeFunctions(t *testing.T) {
	p := loadCompose(t, repoRoot(t))
	names := functionServices(t, p)
	if !slices.Contains(names, "probe") {
		t.Fatalf("function services %v, want probe among them", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s := p.Services[name]
			if len(s.Ports) > 0 {
				t.Errorf("publishes %+v: scaled instances would collide on the host port", s.Ports)
			}
			if s.ContainerName != "" {
				t.Errorf("container_name %q: a fixed name cannot be scaled", s.ContainerName)
			}
			replicas := 1
			if s.Deploy != nil && s.Deploy.Replicas != nil {
				replicas = *s.Deploy.Replicas
			}
			if replicas < 2 {
				t.Errorf("deploy.replicas = %d, want at least 2", replicas)
			}
			checkStopGrace(t, s)
		})
	}
}

// checkStopGrace checks that compose waits longer than the program drains.
func checkStopGrace(t *testing.T, s types.ServiceConfig) {
	t.Helper()
	grace := defaultShutdownGrace
	if v, ok := env(s, "SHUTDOWN_GRACE"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SHUTDOWN_GRACE=%q: %v", v, err)
		}
		grace = d
	}
	if s.StopGracePeriod == nil || time.Duration(*s.StopGracePeriod) <= grace {
		t.Errorf("service %s: stop_grace_period %v, want more than SHUTDOWN_GRACE (%v), or the drain is cut short by SIGKILL", s.Name, s.StopGracePeriod, grace)
	}
}

func TestComposeDependsOnHealthy(t *testing.T) {
	p := loadCompose(t, repoRoot(t))
	for name, s := range phantomServices(t, p) {
		t.Run(name, func(t *testing.T) {
			if len(s.DependsOn) == 0 {
				t.Fatal("depends on nothing")
			}
			for dep, d := range s.DependsOn {
				if d.Condition != types.ServiceConditionHealthy {
					t.Errorf("depends_on %s: condition %q, want %s", dep, d.Condition, types.ServiceConditionHealthy)
				}
				if problem := healthcheckProblem(p.Services[dep]); problem != "" {
					t.Errorf("depends_on %s, which %s", dep, problem)
				}
			}
			// Every service it talks to is one it waits for.
			for _, key := range []string{"NATS_URL", "S3_ENDPOINT", "DATABASE_URL"} {
				v, ok := env(s.ServiceConfig, key)
				if !ok {
					continue
				}
				host := hostOf(t, key, v)
				if _, ok := s.DependsOn[host]; !ok {
					t.Errorf("%s names %s, but the service does not depend on it", key, host)
				}
			}
		})
	}
}

func TestComposeNATS(t *testing.T) {
	s := loadCompose(t, repoRoot(t)).Services["nats"]
	if !slices.Contains(s.Command, "-js") && !slices.Contains(s.Command, "--jetstream") {
		t.Errorf("nats command %q, want JetStream on (-js)", s.Command)
	}
	i := slices.IndexFunc(s.Command, func(a string) bool { return a == "-m" || a == "--http_port" })
	if i < 0 || i+1 >= len(s.Command) {
		t.Fatalf("nats command %q: no monitoring port (-m)", s.Command)
	}
	if hc := strings.Join(s.HealthCheck.Test, " "); !strings.Contains(hc, ":"+s.Command[i+1]+"/healthz") {
		t.Errorf("nats healthcheck %q does not ask /healthz on the monitoring port %s", hc, s.Command[i+1])
	}
	// The plain nats image is FROM scratch: only -alpine has a wget for the check.
	if slices.Contains(s.HealthCheck.Test, "wget") && !strings.Contains(s.Image, "alpine") {
		t.Errorf("nats image %s has no wget for its healthcheck; use an -alpine tag", s.Image)
	}
}

func TestComposeStores(t *testing.T) {
	p := loadCompose(t, repoRoot(t))
	tests := []struct {
		service, dataDir string
		healthcheck      string // the tool the healthcheck runs
	}{
		{"postgres", "/var/lib/postgresql/data", "pg_isready"},
		{"minio", "/data", "mc"},
		{"nats", "/data", "wget"},
		{"prometheus", "/prometheus", "wget"},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			s := p.Services[tt.service]
			if hc := s.HealthCheck; hc == nil || len(hc.Test) < 2 || hc.Test[1] != tt.healthcheck {
				t.Errorf("healthcheck %v, want one that runs %s", s.HealthCheck, tt.healthcheck)
			}
			i := slices.IndexFunc(s.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == tt.dataDir })
			if i < 0 || s.Volumes[i].Type != types.VolumeTypeVolume {
				t.Errorf("volumes %+v, want a named volume on %s", s.Volumes, tt.dataDir)
			}
		})
	}
	if db, _ := env(p.Services["postgres"], "POSTGRES_DB"); db != "phantom" {
		t.Errorf("POSTGRES_DB = %q, want phantom", db)
	}
	if cmd := p.Services["minio"].Command; !slices.Equal(cmd[:min(2, len(cmd))], []string{"server", "/data"}) || !slices.Contains(cmd, "--console-address") {
		t.Errorf("minio command %q, want server /data --console-address :9001", cmd)
	}
}

func TestComposePrometheus(t *testing.T) {
	root := repoRoot(t)
	p := loadCompose(t, root)
	s := p.Services["prometheus"]
	i := slices.IndexFunc(s.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == "/etc/prometheus/prometheus.yml" })
	if i < 0 {
		t.Fatalf("prometheus mounts nothing on /etc/prometheus/prometheus.yml (volumes %+v)", s.Volumes)
	}
	src := s.Volumes[i].Source
	if want := filepath.Join(root, "deploy", "prometheus", "prometheus.yml"); src != want {
		t.Errorf("prometheus.yml mounted from %s, want %s", src, want)
	}
	if fi, err := os.Stat(src); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("the mounted prometheus.yml is not a file: %v", err)
	}
	if !slices.ContainsFunc(s.Ports, func(pc types.ServicePortConfig) bool { return pc.Published == "9090" && pc.Target == 9090 }) {
		t.Errorf("prometheus ports %+v, want 9090:9090", s.Ports)
	}
	cfg := loadPrometheus(t, src)

	gw := p.Services["gateway"]
	addr, ok := env(gw, "GATEWAY_ADDR")
	if !ok {
		addr = readEnv(t, workspaceDeps(t, root, "./gateway/cmd/gateway")).defaults["GATEWAY_ADDR"]
	}
	if target := "gateway:" + listenPort(t, addr); !cfg.scrapes(target) {
		t.Errorf("prometheus.yml does not scrape %s", target)
	}
	probeDefaults := readEnv(t, workspaceDeps(t, root, "./functions/probe/cmd/probe")).defaults
	for _, name := range functionServices(t, p) {
		addr, ok := env(p.Services[name], "METRICS_ADDR")
		if !ok {
			addr = probeDefaults["METRICS_ADDR"]
		}
		port := mustAtoi(t, listenPort(t, addr))
		if !cfg.discovers(name, int(port)) {
			t.Errorf("prometheus.yml has no dns_sd_configs with type A for %s on port %d: not every replica would be scraped", name, port)
		}
	}
}
