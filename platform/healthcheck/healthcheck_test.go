package healthcheck_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/phantomchain/phantomchain/platform/healthcheck"
)

func TestRun(t *testing.T) {
	var healthy atomic.Bool
	healthy.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" || !healthy.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	if got := healthcheck.Run(context.Background(), ":"+port, "/healthz", io.Discard); got != 0 {
		t.Errorf("healthy: exit %d, want 0", got)
	}
	healthy.Store(false)
	if got := healthcheck.Run(context.Background(), ":"+port, "/healthz", io.Discard); got != 1 {
		t.Errorf("unhealthy: exit %d, want 1", got)
	}
	if got := healthcheck.Run(context.Background(), "127.0.0.1:1", "/healthz", io.Discard); got != 1 {
		t.Errorf("closed port: exit %d, want 1", got)
	}
}
