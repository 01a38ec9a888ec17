package packaging_test

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// promConfig is the part of Prometheus' configuration the stack uses. It is
// decoded strictly, so a misspelt key fails here rather than in Prometheus;
// extend it when the configuration uses more.
type promConfig struct {
	Global struct {
		ScrapeInterval     string `yaml:"scrape_interval"`
		ScrapeTimeout      string `yaml:"scrape_timeout"`
		EvaluationInterval string `yaml:"evaluation_interval"`
	} `yaml:"global"`
	ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
}

type scrapeConfig struct {
	JobName        string `yaml:"job_name"`
	MetricsPath    string `yaml:"metrics_path"`
	ScrapeInterval string `yaml:"scrape_interval"`
	StaticConfigs  []struct {
		Targets []string          `yaml:"targets"`
		Labels  map[string]string `yaml:"labels"`
	} `yaml:"static_configs"`
	DNSSDConfigs []struct {
		Names           []string `yaml:"names"`
		Type            string   `yaml:"type"`
		Port            int      `yaml:"port"`
		RefreshInterval string   `yaml:"refresh_interval"`
	} `yaml:"dns_sd_configs"`
	RelabelConfigs []struct {
		SourceLabels []string `yaml:"source_labels"`
		Separator    string   `yaml:"separator"`
		Regex        string   `yaml:"regex"`
		TargetLabel  string   `yaml:"target_label"`
		Replacement  string   `yaml:"replacement"`
		Action       string   `yaml:"action"`
	} `yaml:"relabel_configs"`
}

func loadPrometheus(tb testing.TB, path string) promConfig {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var cfg promConfig
	if err := dec.Decode(&cfg); err != nil {
		tb.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return cfg
}

// scrapes reports whether a job scrapes the static target host:port.
func (c promConfig) scrapes(target string) bool {
	for _, sc := range c.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			if slices.Contains(st.Targets, target) {
				return true
			}
		}
	}
	return false
}

// discovers reports whether a job finds every address of the DNS name on port
// (type A: each replica is a target).
func (c promConfig) discovers(name string, port int) bool {
	for _, sc := range c.ScrapeConfigs {
		for _, dns := range sc.DNSSDConfigs {
			if dns.Type == "A" && dns.Port == port && slices.Contains(dns.Names, name) {
				return true
			}
		}
	}
	return false
}

var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

func TestPrometheusConfig(t *testing.T) {
	cfg := loadPrometheus(t, filepath.Join(repoRoot(t), "deploy", "prometheus", "prometheus.yml"))
	interval := mustDuration(t, "global.scrape_interval", cfg.Global.ScrapeInterval)
	if timeout := mustDuration(t, "global.scrape_timeout", cfg.Global.ScrapeTimeout); timeout > interval {
		t.Errorf("scrape_timeout %v is longer than scrape_interval %v: Prometheus refuses it", timeout, interval)
	}
	mustDuration(t, "global.evaluation_interval", cfg.Global.EvaluationInterval)
	if len(cfg.ScrapeConfigs) == 0 {
		t.Fatal("no scrape_configs")
	}
	seen := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		t.Run(sc.JobName, func(t *testing.T) {
			if sc.JobName == "" || seen[sc.JobName] {
				t.Errorf("job_name %q: empty or used twice", sc.JobName)
			}
			seen[sc.JobName] = true
			if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
				t.Errorf("metrics_path %q: every PhantomChain program serves /metrics", sc.MetricsPath)
			}
			if sc.ScrapeInterval != "" {
				mustDuration(t, "scrape_interval", sc.ScrapeInterval)
			}
			if len(sc.StaticConfigs)+len(sc.DNSSDConfigs) == 0 {
				t.Error("no static_configs or dns_sd_configs: the job has no targets")
			}
			for _, st := range sc.StaticConfigs {
				for _, target := range st.Targets {
					if _, port, err := net.SplitHostPort(target); err != nil || port == "" {
						t.Errorf("static target %q: want host:port", target)
					}
				}
			}
			for _, dns := range sc.DNSSDConfigs {
				if len(dns.Names) == 0 {
					t.Error("dns_sd_configs without names")
				}
				if !slices.Contains([]string{"A", "AAAA", "SRV"}, dns.Type) {
					t.Errorf("dns_sd_configs type %q, want A (one target per replica)", dns.Type)
				}
				if dns.Type != "SRV" && (dns.Port <= 0 || dns.Port > 65535) {
					t.Errorf("dns_sd_configs type %s needs a port, got %d", dns.Type, dns.Port)
				}
				if dns.RefreshInterval != "" {
					mustDuration(t, "refresh_interval", dns.RefreshInterval)
				}
			}
			for _, rc := range sc.RelabelConfigs {
				if rc.TargetLabel != "" && !labelName.MatchString(rc.TargetLabel) {
					t.Errorf("relabel target_label %q is not a label name", rc.TargetLabel)
				}
				for _, l := range rc.SourceLabels {
					if !labelName.MatchString(l) {
						t.Errorf("relabel source label %q is not a label name", l)
					}
				}
				if _, err := regexp.Compile(rc.Regex); err != nil {
					t.Errorf("relabel regex %q: %v", rc.Regex, err)
				}
			}
		})
	}
}

// mustDuration parses a Prometheus duration of the forms the stack uses
// ("15s", "1m").
func mustDuration(tb testing.TB, what, s string) time.Duration {
	tb.Helper()
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		tb.Fatalf("%s %q: want a positive duration", what, s)
	}
	return d
}

func mustAtoi(tb testing.TB, s string) uint32 {
	tb.Helper()
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		tb.Fatalf("port %q: %v", s, err)
	}
	return uint32(n)
}
