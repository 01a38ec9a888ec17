package endpoint

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
	"github.com/prometheus/client_golang/prometheus"
)

// SubjectPrefix is the first token of every function subject: phantom.<function>.<verb>.
const SubjectPrefix = "phantom"

// Handler does one request's work: data is the request payload; the returned value is
// marshalled to JSON as the reply. Use [JSON] to write handlers with typed requests.
type Handler func(ctx context.Context, data []byte) (any, error)

// Endpoint is one verb of a function.
type Endpoint struct {
	// Name is the verb, e.g. "inspect"; the subject is phantom.<function>.<Name>.
	Name string
	// Description is shown by `nats micro info`.
	Description string
	Handler     Handler
	// Timeout bounds one request (default 10 minutes).
	Timeout time.Duration
}

// Config describes a function service.
type Config struct {
	// Name is the function's name, e.g. "probe".
	Name string
	// Version is the SemVer version advertised to `nats micro ls`.
	Version     string
	Description string
	// Metadata is advertised by every instance (e.g. supported formats); the runtime
	// adds max_concurrency.
	Metadata map[string]string
	// Concurrency is how many requests this process runs at once (default 1).
	Concurrency int
	// ShutdownGrace is how long in-flight requests may run on after shutdown begins
	// (default 25 s).
	ShutdownGrace time.Duration
	Endpoints     []Endpoint
}

// Server is a running function service: Concurrency micro service instances.
type Server struct {
	cfg       Config
	nc        *nats.Conn
	log       *slog.Logger
	metrics   *serverMetrics
	services  []micro.Service
	cancels   *cancels
	cancelSub *nats.Subscription

	hardCtx    context.Context // canceled when the grace period ends
	hardCancel context.CancelFunc

	mu       sync.Mutex
	stopping bool
	inflight int
	idle     chan struct{} // closed when stopping and inflight reaches zero
}

// Start registers cfg's endpoints with NATS and returns at once; requests are served
// on nats.go's subscription goroutines until [Server.Shutdown].
func Start(nc *nats.Conn, cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Server, error) {
	cfg.Concurrency = max(cfg.Concurrency, 1)
	cfg.ShutdownGrace = cmp.Or(cfg.ShutdownGrace, 25*time.Second)
	if len(cfg.Endpoints) == 0 {
		return nil, errors.New("endpoint: no endpoints")
	}
	hardCtx, hardCancel := context.WithCancel(context.Background())
	s := &Server{
		cfg: cfg, nc: nc, log: log, metrics: newServerMetrics(reg, cfg.Name),
		hardCtx: hardCtx, hardCancel: hardCancel, idle: make(chan struct{}), cancels: newCancels(),
	}
	var err error
	s.cancelSub, err = nc.Subscribe(CancelSubject, func(m *nats.Msg) {
		if s.cancels.cancel(string(m.Data)) {
			log.Info("call canceled by its caller", slog.String("function", cfg.Name))
		}
	})
	if err != nil {
		hardCancel()
		return nil, fmt.Errorf("endpoint: subscribe %s: %w", CancelSubject, err)
	}
	meta := map[string]string{"max_concurrency": strconv.Itoa(cfg.Concurrency)}
	for k, v := range cfg.Metadata {
		meta[k] = v
	}
	for range cfg.Concurrency {
		svc, err := micro.AddService(nc, micro.Config{
			Name:        cfg.Name,
			Version:     cfg.Version,
			Description: cfg.Description,
			Metadata:    meta,
			ErrorHandler: func(_ micro.Service, err *micro.NATSError) {
				log.Error("micro service error", slog.String("subject", err.Subject), slog.String("err", err.Description))
			},
		})
		if err != nil {
			s.stopServices()
			_ = s.cancelSub.Unsubscribe()
			hardCancel()
			return nil, fmt.Errorf("endpoint: add service %s: %w", cfg.Name, err)
		}
		s.services = append(s.services, svc)
		g := svc.AddGroup(SubjectPrefix + "." + cfg.Name)
		for _, ep := range cfg.Endpoints {
			opts := []micro.EndpointOpt{}
			if ep.Description != "" {
				opts = append(opts, micro.WithEndpointMetadata(map[string]string{"description": ep.Description}))
			}
			if err := g.AddEndpoint(ep.Name, s.handler(ep, svc.Info().ID), opts...); err != nil {
				s.stopServices()
				_ = s.cancelSub.Unsubscribe()
				hardCancel()
				return nil, fmt.Errorf("endpoint: add %s.%s: %w", cfg.Name, ep.Name, err)
			}
		}
	}
	// Make sure the server has the subscriptions before callers are told we are up.
	if err := nc.Flush(); err != nil {
		s.stopServices()
		_ = s.cancelSub.Unsubscribe()
		hardCancel()
		return nil, fmt.Errorf("endpoint: flush: %w", err)
	}
	log.Info("function serving", slog.String("function", cfg.Name), slog.String("version", cfg.Version),
		slog.Int("concurrency", cfg.Concurrency), slog.String("subject", SubjectPrefix+"."+cfg.Name+".>"))
	return s, nil
}

// Serve starts the function and blocks until ctx is done, then shuts it down
// gracefully. It does not close nc.
func Serve(ctx context.Context, nc *nats.Conn, cfg Config, log *slog.Logger, reg prometheus.Registerer) error {
	s, err := Start(nc, cfg, log, reg)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return s.Shutdown(context.Background())
}

// Shutdown stops taking requests, lets in-flight ones finish for up to the grace
// period (or until ctx is done), then cancels them. It returns when every handler has
// returned, or with an error 5 s after canceling handlers that do not return.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.stopping {
		s.stopping = true
		if s.inflight == 0 {
			close(s.idle)
		}
	}
	s.mu.Unlock()
	err := s.stopServices()
	grace := time.NewTimer(s.cfg.ShutdownGrace)
	defer grace.Stop()
	select {
	case <-s.idle:
	case <-grace.C:
		s.log.Warn("shutdown grace period over, canceling in-flight requests", slog.String("function", s.cfg.Name))
	case <-ctx.Done():
	}
	s.hardCancel()
	// Handlers see their context canceled; one that ignores it must not hold the
	// process forever. Cancellations from callers matter until they are done.
	defer func() { _ = s.cancelSub.Unsubscribe() }()
	select {
	case <-s.idle:
	case <-time.After(5 * time.Second):
		return errors.Join(err, fmt.Errorf("endpoint: %s: handlers still running after cancellation", s.cfg.Name))
	}
	s.log.Info("function stopped", slog.String("function", s.cfg.Name))
	return err
}

func (s *Server) stopServices() error {
	var errs []error

	for _, svc := range s.services {
		errs = append(errs, svc.Stop())
	}
	return errors.Join(errs...)
}

// enter records a request starting; it reports false when the server is stopping.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return false
	}
	s.inflight++
	return true
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	if s.stopping && s.inflight == 0 {
		close(s.idle)
	}
}
