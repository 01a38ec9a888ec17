package packaging_test

import (
	"cmp"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestComposeEnvIsRead checks that every variable a PhantomChain service sets is
// one its program reads: a misspelt name would be ignored silently and the
// program would run on its default. The program is the package the Dockerfile
// builds for the service's FUNCTION.
func TestComposeEnvIsRead(t *testing.T) {
	root := repoRoot(t)
	d := parseDockerfile(t, filepath.Join(root, dockerfileName))
	for name, s := range phantomServices(t, loadCompose(t, root)) {
		t.Run(name, func(t *testing.T) {
			calls, err := d.runBuildScript(t, root, map[string]string{"FUNCTION": s.function})
			if err != nil {
				t.Fatalf("build script with FUNCTION=%s: %v", s.function, err)
			}
			pkg := parseGoBuild(t, calls).pkgs[0]
			src := readEnv(t, workspaceDeps(t, root, pkg))
			for key := range s.Environment {
				if !src.reads(key) {
					t.Errorf("sets %s, which %s never reads", key, pkg)
				}
			}
			// Defaults that point at 127.0.0.1 are wrong in a container.
			required := []string{"NATS_URL"}
			if src.reads("DATABASE_URL") {
				required = append(required, "DATABASE_URL")
			}
			if v, _ := env(s.ServiceConfig, "BLOB_DRIVER"); v == "s3" {
				required = append(required, "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY")
			}
			for _, key := range required {
				if _, ok := env(s.ServiceConfig, key); !ok {
					t.Errorf("does not set %s", key)
				}
			}
		})
	}
}

// TestComposeCredentialsAgree checks that the programs' connection settings name
// existing services with the credentials those services are given, with the
// defaults and with the variables a user overrides.
func TestComposeCredentialsAgree(t *testing.T) {
	root := repoRoot(t)
	tests := []struct {
		name string
		env  []string
	}{
		{"defaults", nil},
		{"overridden", []string{"POSTGRES_PASSWORD=pg-pass-2", "MINIO_ROOT_USER=someone", "MINIO_ROOT_PASSWORD=minio-pass-2", "S3_BUCKET=media"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadCompose(t, root, tt.env...)
			minio, postgres := p.Services["minio"], p.Services["postgres"]
			for name, s := range phantomServices(t, p) {
				if v, ok := env(s.ServiceConfig, "NATS_URL"); ok {
					if _, ok := p.Services[hostOf(t, "NATS_URL", v)]; !ok {
						t.Errorf("%s: NATS_URL=%s names no service", name, v)
					}
				}
				if v, ok := env(s.ServiceConfig, "S3_ENDPOINT"); ok {
					if host := hostOf(t, "S3_ENDPOINT", v); host != "minio" {
						t.Errorf("%s: S3_ENDPOINT=%s, want the minio service", name, v)
					}
					pairs := [][2]string{{"S3_ACCESS_KEY", "MINIO_ROOT_USER"}, {"S3_SECRET_KEY", "MINIO_ROOT_PASSWORD"}}
					for _, pair := range pairs {
						got, _ := env(s.ServiceConfig, pair[0])
						want, _ := env(minio, pair[1])
						if got != want || got == "" {
							t.Errorf("%s: %s=%q, but minio's %s=%q", name, pair[0], got, pair[1], want)
						}
					}
				}
				if v, ok := env(s.ServiceConfig, "DATABASE_URL"); ok {
					checkDatabaseURL(t, name, v, postgres.Environment)
				}
			}
			if pw, _ := env(minio, "MINIO_ROOT_PASSWORD"); len(pw) < 8 {
				t.Errorf("MINIO_ROOT_PASSWORD %q: MinIO refuses passwords shorter than 8 characters", pw)
			}
		})
	}
}

func checkDatabaseURL(t *testing.T, service, raw string, pg map[string]*string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: DATABASE_URL: %v", service, err)
	}
	get := func(k string) string {
		if v := pg[k]; v != nil {
			return *v
		}
		return ""
	}
	pw, _ := u.User.Password()
	checks := []struct{ what, got, want string }{
		{"host", u.Hostname(), "postgres"},
		{"user", u.User.Username(), cmp.Or(get("POSTGRES_USER"), "postgres")},
		{"password", pw, get("POSTGRES_PASSWORD")},
		{"database", strings.TrimPrefix(u.Path, "/"), get("POSTGRES_DB")},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: DATABASE_URL %s %q, want %q (from the postgres service)", service, c.what, c.got, c.want)
		}
	}
}
