// Package testenv finds the real services and tools that integration tests use:
// PostgreSQL, NATS, an S3 server, ffmpeg and the shared evaluation data.
//
// Addresses come from the environment (TEST_DATABASE_URL, TEST_NATS_URL,
// TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY, PHANTOM_SHARED_DIR). A test
// whose service is missing is skipped with a message saying what to set, except when
// PHANTOM_REQUIRE_SERVICES=1, when it fails: CI sets that so nothing is skipped silently.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Required reports whether PHANTOM_REQUIRE_SERVICES=1, i.e. whether a missing service
// fails the test instead of skipping it.
func Required() bool { return os.Getenv("PHANTOM_REQUIRE_SERVICES") == "1" }

// Missing skips tb, or fails it when services are required, with a message saying
// what is missing.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		tb.Fatalf("PHANTOM_REQUIRE_SERVICES=1 but %s", msg)
	}
	tb.Skipf("skipping: %s", msg)
}

// DatabaseURL returns TEST_DATABASE_URL, or calls [Missing].
func DatabaseURL(tb testing.TB) string {
	tb.Helper()
	return lookup(tb, "TEST_DATABASE_URL", "PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/postgres)")
}

// NATSURL returns TEST_NATS_URL, or calls [Missing].
func NATSURL(tb testing.TB) string {
	tb.Helper()
	return lookup(tb, "TEST_NATS_URL", "a NATS server with JetStream (e.g. nats://127.0.0.1:4222)")
}

// S3 is how to reach the S3 server under test.
type S3 struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	UseSSL    bool
}

// S3Server returns the S3 server from TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY and
// TEST_S3_SECRET_KEY (TEST_S3_SSL=1 for TLS), or calls [Missing].
func S3Server(tb testing.TB) S3 {
	tb.Helper()
	return S3{
		Endpoint:  lookup(tb, "TEST_S3_ENDPOINT", "an S3 server such as MinIO (host:port)"),
		AccessKey: lookup(tb, "TEST_S3_ACCESS_KEY", "the S3 access key"),
		SecretKey: lookup(tb, "TEST_S3_SECRET_KEY", "the S3 secret key"),
		UseSSL:    os.Getenv("TEST_S3_SSL") == "1",
	}
}

// Tool returns the path of an executable on PATH (e.g. "ffmpeg"), or calls [Missing].
func Tool(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, "%s is not on PATH", name)
	}
	return p
}

// RepoRoot returns the repository's top directory: the first directory at or above the
// working directory that contains a .git entry.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testenv: no .git above the working directory")
		}
		dir = parent
	}
}

// SharedDir returns the shared evaluation folder (testdata/ and eval/): PHANTOM_SHARED_DIR,
// or else ../shared beside the repository. It calls [Missing] when neither exists.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PHANTOM_SHARED_DIR")
	if dir == "" {
		dir = filepath.Join(filepath.Dir(RepoRoot(tb)), "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		Missing(tb, "shared data folder %s not found (set PHANTOM_SHARED_DIR)", dir)
	}
	return dir
}

func lookup(tb testing.TB, key, what string) string {
	tb.Helper()
	v := os.Getenv(key)
	if v == "" {
		Missing(tb, "%s is not set: it names %s", key, what)
	}
	return v
}
