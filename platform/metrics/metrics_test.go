package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/metrics"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServer(t *testing.T) {
	reg := metrics.NewRegistry("1.2.3")
	var unhealthy atomic.Pointer[error]
	health := func(context.Context) error {
		if p := unhealthy.Load(); p != nil {
			return *p
		}
		return nil
	}
	srv, err := metrics.Listen("127.0.0.1:0", reg, health, logging.Test(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	base := "http://" + srv.Addr()

	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{`phantom_build_info{goversion="go`, `version="1.2.3"`, "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
	down := errors.New("nats disconnected")
	unhealthy.Store(&down)
	if code, body := get(t, base+"/healthz"); code != 503 || !strings.Contains(body, "nats disconnected") {
		t.Errorf("/healthz = %d %q, want 503", code, body)
	}
}
