package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// handleHealth answers while the process serves HTTP: liveness.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady checks every dependency (PostgreSQL, NATS, blob store) in parallel and
// answers 503 with the failing ones when any is down: readiness.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	results := make(map[string]string, len(s.deps.Ready))
	var mu sync.Mutex
	var wg sync.WaitGroup
	ok := true
	for _, c := range s.deps.Ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := "ok"
			if err := c.Check(ctx); err != nil {
				status = "down"
				s.deps.Log.WarnContext(ctx, "readiness check failed", "check", c.Name, "err", err)
			}
			mu.Lock()
			defer mu.Unlock()
			results[c.Name] = status
			if status != "ok" {
				ok = false
			}
		}()
	}
	wg.Wait()
	status, code := "ready", http.StatusOK
	if !ok {
		status, code = "not ready", http.StatusServiceUnavailable
	}
	return encode(w, code, map[string]any{"status": status, "checks": results})
}
