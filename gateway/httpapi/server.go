// Package httpapi is the gateway's HTTP API: uploads that become jobs, job status and
// listings, cancellation, health and readiness, and Prometheus metrics. Errors are
// RFC 9457 problem details (application/problem+json).
package httpapi

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/metrics"
)

// Config tunes the API.
type Config struct {
	// Addr is the listen address (GATEWAY_ADDR, default ":8080").
	Addr string
	// MaxUploadBytes caps an uploaded file (GATEWAY_MAX_UPLOAD, default 2 GiB).
	MaxUploadBytes int64
	// Tenant owns the jobs created through this API. (Per-key tenants come with API
	// keys; until then every job belongs to one tenant.)
	Tenant string
}

// Check is a named readiness check, e.g. "postgres".
type Check struct {
	Name  string
	Check func(context.Context) error
}

// Deps are the API's collaborators.
type Deps struct {
	Store    gateway.JobStore
	Blobs    blob.Store
	Pipeline *gateway.Pipeline
	Log      *slog.Logger
	Registry *prometheus.Registry
	// Ready lists what /readyz checks.
	Ready []Check
	// NowFunc returns the current time (tests replace it).
	NowFunc func() time.Time
}

// Server serves the API.
type Server struct {
	cfg     Config
	deps    Deps
	router  *httprouter.Router
	metrics *httpMetrics
	srv     *http.Server
	ln      net.Listener
}

// New returns a server; call Open to listen.
func New(cfg Config, deps Deps) *Server {
	cfg.Addr = cmp.Or(cfg.Addr, ":8080")
	cfg.MaxUploadBytes = cmp.Or(cfg.MaxUploadBytes, 2<<30)
	cfg.Tenant = cmp.Or(cfg.Tenant, "default")
	if deps.NowFunc == nil {
		deps.NowFunc = time.Now
	}
	s := &Server{cfg: cfg, deps: deps, router: httprouter.New(), metrics: newHTTPMetrics(deps.Registry)}
	s.routes()
	return s
}

// Handler returns the API's handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.router }

// Open listens on the configured address and serves in the background.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.router,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.deps.Log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.deps.Log.Error("http server", slog.Any("err", err))
		}
	}()
	s.deps.Log.Info("http listening", slog.String("addr", ln.Addr().String()))
	return nil
}

// Addr returns the address the server listens on, once open.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops accepting connections and waits for in-flight requests until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

func (s *Server) routes() {
	r := s.router
	r.Handler("POST", "/v1/jobs", s.wrap("/v1/jobs", s.handleJobCreate))
	r.Handler("GET", "/v1/jobs", s.wrap("/v1/jobs", s.handleJobList))
	r.Handler("GET", "/v1/jobs/:id", s.wrap("/v1/jobs/:id", s.handleJobGet))
	r.Handler("POST", "/v1/jobs/:id/cancel", s.wrap("/v1/jobs/:id/cancel", s.handleJobCancel))
	r.Handler("GET", "/v1/jobs/:id/artifacts/:name", s.wrap("/v1/jobs/:id/artifacts/:name", s.handleArtifactGet))
	r.Handler("GET", "/healthz", s.wrap("/healthz", s.handleHealth))
	r.Handler("GET", "/readyz", s.wrap("/readyz", s.handleReady))
	r.Handler("GET", "/metrics", metrics.Handler(s.deps.Registry))

	r.NotFound = s.wrap("notfound", func(w http.ResponseWriter, r *http.Request) error {
		return problemf(http.StatusNotFound, "no route for %s %s", r.Method, r.URL.Path)
	})
	r.MethodNotAllowed = s.wrap("notallowed", func(w http.ResponseWriter, r *http.Request) error {
		return problemf(http.StatusMethodNotAllowed, "method %s not allowed on %s (allowed: %s)", r.Method, r.URL.Path, w.Header().Get("Allow"))
	})
	r.PanicHandler = func(w http.ResponseWriter, r *http.Request, v any) {
		s.deps.Log.ErrorContext(r.Context(), "panic in handler", slog.Any("panic", v), slog.String("path", r.URL.Path))
		writeProblem(w, r, &problem{Status: http.StatusInternalServerError, Detail: "internal error"})
	}
}
