// Package service assembles a running gateway from its configuration: PostgreSQL
// (migrated at start-up), the blob store, NATS, the step dispatcher and the HTTP API.
// The gateway command and the end-to-end tests both start it through here.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/gateway/dispatch"
	"github.com/phantomchain/phantomchain/gateway/httpapi"
	"github.com/phantomchain/phantomchain/gateway/pgstore"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/natsconn"
	"github.com/phantomchain/phantomchain/platform/storage"
	"github.com/phantomchain/phantomchain/schema"
)

// Service is a running gateway.
type Service struct {
	cfg        Config
	log        *slog.Logger
	pool       *pgxpool.Pool
	nc         *nats.Conn
	http       *httpapi.Server
	dispatcher *dispatch.Dispatcher
}

// Start connects to everything, migrates the database, starts the step workers and
// the HTTP API, and returns. On error, whatever was started is stopped.
func Start(ctx context.Context, cfg Config, log *slog.Logger, reg *prometheus.Registry) (_ *Service, err error) {
	s := &Service{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			s.Close(context.Background())
		}
	}()
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL.Reveal())
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pcfg.MaxConns = int32(cfg.DatabaseConns)
	if s.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if _, err := schema.Migrate(ctx, s.pool, log); err != nil {
		return nil, err
	}
	blobs, err := storage.Open(ctx, cfg.Storage)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	if s.nc, err = natsconn.Connect(ctx, cfg.NATS, log); err != nil {
		return nil, err
	}
	pipeline, err := gateway.NewPipeline(gateway.Functions()...)
	if err != nil {
		return nil, err
	}
	store, err := pgstore.New(s.pool, pipeline)
	if err != nil {
		return nil, err
	}
	reg.MustRegister(newJobsCollector(store, log))
	if cfg.Workers {
		if s.dispatcher, err = dispatch.New(s.pool, store, pipeline, s.nc, cfg.Dispatch, log, reg); err != nil {
			return nil, err
		}
		if err := s.dispatcher.Start(ctx); err != nil {
			return nil, fmt.Errorf("dispatch: %w", err)
		}
	}
	s.http = httpapi.New(cfg.HTTP, httpapi.Deps{
		Store: store, Blobs: blobs, Pipeline: pipeline, Log: log, Registry: reg,
		Ready: []httpapi.Check{
			{Name: "postgres", Check: store.Ping},
			{Name: "nats", Check: s.natsReady},
			{Name: "blob", Check: blobs.Ping},
		},
	})
	if err := s.http.Open(); err != nil {
		return nil, fmt.Errorf("GATEWAY_ADDR: %w", err)
	}
	log.Info("gateway started", append([]any{"addr", s.http.Addr(), "workers", cfg.Workers}, cfg.Storage.Describe()...)...)
	return s, nil
}

// Addr is the HTTP API's address.
func (s *Service) Addr() string { return s.http.Addr() }

func (s *Service) natsReady(context.Context) error {
	if st := s.nc.Status(); st != nats.CONNECTED {
		return fault.Errorf(fault.Unavailable, "nats %s", st)
	}
	return nil
}

// Close stops the gateway: the HTTP API stops taking requests and finishes its
// in-flight ones, the dispatcher lets running steps finish for the grace period
// (then cancels them; River retries them later), then connections close.
func (s *Service) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownGrace)
	defer cancel()
	var errs []error
	if s.http != nil {
		errs = append(errs, s.http.Close(ctx))
	}
	if s.dispatcher != nil {
		errs = append(errs, s.dispatcher.Stop(ctx))
	}
	if s.nc != nil {
		errs = append(errs, s.nc.Drain())
	}
	if s.pool != nil {
		s.pool.Close()
	}
	return errors.Join(errs...)
}
