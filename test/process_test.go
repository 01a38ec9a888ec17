package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// proc is one running program under test.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// syncBuffer collects a process's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs a program built in TestMain with exactly env (plus PATH), and stops it
// when the test ends, printing its log if the test failed.
func start(t *testing.T, program string, env map[string]string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, program), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{t: t, name: program, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", program, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("--- %s log ---\n%s", program, p.out.String())
		}
	})
	return p
}

// Kill ends the process at once, as a crash would (SIGKILL).
func (p *proc) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the process to shut down (SIGTERM) and waits, killing it after 30 s.
func (p *proc) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.Kill()
	}
}

// Exited reports whether the process has ended.
func (p *proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// gateway is a running gateway process and its base URL.
type gateway struct {
	*proc
	URL string
	env map[string]string
}

// env returns the environment every program shares for a test: its own database,
// the shared NATS and S3 servers.
func baseEnv(s services, dbURL string) map[string]string {
	return map[string]string{
		"DATABASE_URL":  dbURL,
		"NATS_URL":      s.NATSURL,
		"BLOB_DRIVER":   "s3",
		"S3_ENDPOINT":   s.S3.Endpoint,
		"S3_ACCESS_KEY": s.S3.AccessKey,
		"S3_SECRET_KEY": s.S3.SecretKey,
		"LOG_LEVEL":     "debug",
	}
}

// startGateway starts a gateway with env (overrides on top of it allowed) and waits
// until it is ready.
func startGateway(t *testing.T, env map[string]string) *gateway {
	t.Helper()
	env = clone(env)
	if env["GATEWAY_ADDR"] == "" {
		env["GATEWAY_ADDR"] = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	}
	g := &gateway{proc: start(t, "gateway", env), URL: "http://" + env["GATEWAY_ADDR"], env: env}
	waitFor(t, 60*time.Second, "gateway ready", func() bool {
		if g.Exited() {
			t.Fatalf("gateway exited:\n%s", g.out.String())
		}
		resp, err := http.Get(g.URL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return g
}

// restart starts a new gateway process with the same environment.
func (g *gateway) restart(t *testing.T) *gateway {
	t.Helper()
	return startGateway(t, g.env)
}

// startFunction starts a function process (probe, transcode, …) and waits until it
// serves. Its /metrics listens on a free port unless env sets METRICS_ADDR.
func startFunction(t *testing.T, name string, env map[string]string) *proc {
	t.Helper()
	env = clone(env)
	if env["METRICS_ADDR"] == "" {
		env["METRICS_ADDR"] = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	}
	p := start(t, name, env)
	waitForService(t, env["NATS_URL"], name, p)
	return p
}

// startProbe starts a probe function process.
func startProbe(t *testing.T, env map[string]string) *proc {
	t.Helper()
	return startFunction(t, "probe", env)
}

// waitForService waits until an instance of the named micro service started by p
// answers $SRV.PING.
func waitForService(t *testing.T, natsURL, name string, p *proc) {
	t.Helper()
	nc := connectNATS(t, natsURL)
	waitFor(t, 60*time.Second, name+" registered", func() bool {
		if p.Exited() {
			t.Fatalf("%s exited:\n%s", name, p.out.String())
		}
		// The process logs its instance IDs; a reply from any of them means it is up.
		msg, err := nc.Request("$SRV.PING."+name, nil, 500*time.Millisecond)
		return err == nil && len(msg.Data) > 0 && strings.Contains(p.out.String(), "function serving")
	})
}

func connectNATS(t *testing.T, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatalf("nats: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// decodeJSON decodes a response body into v, failing the test on error.
func decodeJSON(t *testing.T, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("decode response: %v", err)
	}
}
