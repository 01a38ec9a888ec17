// Package dispatch runs job steps: River workers that each make one NATS request to a
// function and record the outcome in the job store.
//
// A step's call asks for heartbeats (see platform/endpoint): a call whose function
// goes silent is noticed within HeartbeatTimeout and tried again, on whichever
// instance is alive, rather than at the end of the function's full timeout. A 4xx
// reply fails the step at once; 5xx replies and lost calls are retried by River with
// backoff up to the function's MaxAttempts. When no instance of the function is
// running at all, the step is snoozed (it waits, queued, without using up attempts).
package dispatch

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/logging"
)

// Config tunes dispatch.
type Config struct {
	// ID names this gateway's River client and its lease (default: host name and a
	// random suffix, unique per process).
	ID string
	// Concurrency is how many steps of each function this gateway runs at once
	// (default 8 each).
	Concurrency map[string]int
	// Heartbeat is the interval functions send heartbeats at (default 2 s).
	Heartbeat time.Duration
	// HeartbeatTimeout is the silence after which a call is lost (default 10 s).
	HeartbeatTimeout time.Duration
	// StartTimeout is how long a request may wait for a busy instance before it is
	// sent again (default 2 s; see endpoint.CallOptions).
	StartTimeout time.Duration
	// NoInstanceWait is how long a step waits before trying again when no instance of
	// its function is running (default 5 s).
	NoInstanceWait time.Duration
	// PollInterval is how often River looks for work beyond its notifications
	// (default 1 s).
	PollInterval time.Duration
}

// Dispatcher owns the River client that works the step queues.
type Dispatcher struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
	id     string
	log    *slog.Logger
	lease  *lease
}

// New builds the River client with one worker for step jobs and one queue per
// function. Call Start to begin working.
func New(pool *pgxpool.Pool, store gateway.JobStore, pipeline *gateway.Pipeline, nc *nats.Conn,
	cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Dispatcher, error) {
	cfg.Heartbeat = cmp.Or(cfg.Heartbeat, 2*time.Second)
	cfg.HeartbeatTimeout = cmp.Or(cfg.HeartbeatTimeout, 10*time.Second)
	cfg.StartTimeout = cmp.Or(cfg.StartTimeout, 2*time.Second)
	cfg.NoInstanceWait = cmp.Or(cfg.NoInstanceWait, 5*time.Second)
	w := &worker{store: store, pipeline: pipeline, nc: nc, cfg: cfg, log: log, metrics: newMetrics(reg)}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("dispatch: %w", err)
	}
	queues := map[string]river.QueueConfig{}
	for _, f := range pipeline.Functions() {
		queues[f.Name] = river.QueueConfig{MaxWorkers: cmp.Or(cfg.Concurrency[f.Name], 8)}
	}
	id := cmp.Or(cfg.ID, newInstanceID())
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		ID:                id,
		Logger:            log.With("component", "river"),
		Queues:            queues,
		Workers:           workers,
		FetchPollInterval: cmp.Or(cfg.PollInterval, time.Second),
		// A step is stuck only when its gateway died mid-call; a live one ends its
		// calls within the function's timeout.
		RescueStuckJobsAfter: pipeline.MaxTimeout() + time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("dispatch: river client: %w", err)
	}
	return &Dispatcher{client: client, pool: pool, id: id, log: log}, nil
}

// Start takes this gateway's lease and begins working the queues; it returns at
// once.
func (d *Dispatcher) Start(ctx context.Context) error {
	l, err := startLease(ctx, d.pool, d.id, d.log)
	if err != nil {
		return fmt.Errorf("dispatch: lease: %w", err)
	}
	d.lease = l
	return d.client.Start(ctx)
}

// Stop stops fetching new steps and waits for running ones until ctx is done, then
// cancels them (they are retried later, by this or another gateway).
func (d *Dispatcher) Stop(ctx context.Context) error {
	err := d.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = d.client.StopAndCancel(hard)
	}
	if d.lease != nil {
		d.lease.close()
	}
	return err
}

// worker runs one step: a River worker whose work is one function call.
type worker struct {
	river.WorkerDefaults[gateway.StepArgs]
	store    gateway.JobStore
	pipeline *gateway.Pipeline
	nc       *nats.Conn
	cfg      Config
	log      *slog.Logger
	metrics  *metrics
}

// Timeout bounds River's work context: the function's timeout plus a margin for
// recording the outcome.
func (w *worker) Timeout(job *river.Job[gateway.StepArgs]) time.Duration {
	if f, ok := w.pipeline.Function(job.Queue); ok {
		return f.Timeout + time.Minute
	}
	return w.pipeline.MaxTimeout() + time.Minute
}

// Work runs one attempt of a step.
func (w *worker) Work(ctx context.Context, rj *river.Job[gateway.StepArgs]) error {
	args := rj.Args
	ctx = logging.With(ctx, "job_id", args.JobID, "step", args.Step, "attempt", rj.Attempt)
	job, step, err := w.store.StartStep(ctx, args.JobID, args.Step, rj.Attempt)
	if errors.Is(err, gateway.ErrStepNotRunnable) || errors.Is(err, gateway.ErrJobNotFound) {
		w.log.InfoContext(ctx, "step not runnable, dropped", slog.Any("err", err))
		return nil
	}
	if err != nil {
		return err
	}
	fn, ok := w.pipeline.Function(step.Function)
	if !ok {
		return w.fail(ctx, rj, fault.Errorf(fault.Internal, "unknown function %q", step.Function), true)
	}
	req, err := fn.Request(job, step)
	if err != nil {
		return w.fail(ctx, rj, err, true)
	}

	start := time.Now()
	w.metrics.active.WithLabelValues(fn.Name).Inc()
	defer w.metrics.active.WithLabelValues(fn.Name).Dec()
	progress := newProgressRecorder(w.store, args, w.log)
	callCtx, cancel := context.WithTimeout(ctx, fn.Timeout)
	defer cancel()
	var result json.RawMessage
	err = endpoint.Call(callCtx, w.nc, fn.Subject, req, &result, endpoint.CallOptions{
		Heartbeat:        w.cfg.Heartbeat,
		HeartbeatTimeout: w.cfg.HeartbeatTimeout,
		StartTimeout:     w.cfg.StartTimeout,
		Headers: map[string]string{
			endpoint.HeaderJobID: args.JobID, endpoint.HeaderStep: args.Step, endpoint.HeaderAttempt: strconv.Itoa(rj.Attempt),
		},
		OnEvent: progress.record,
	})
	progress.wait()
	elapsed := time.Since(start)

	if err == nil {
		if err := w.store.CompleteStep(context.WithoutCancel(ctx), args.JobID, args.Step, result); err != nil {
			return err // River retries; the function is called again (functions are idempotent)
		}
		w.metrics.observe(fn.Name, "succeeded", elapsed)
		w.log.InfoContext(ctx, "step succeeded", slog.Float64("duration_s", elapsed.Seconds()))
		return nil
	}
	if errors.Is(err, endpoint.ErrNoResponders) {
		w.log.WarnContext(ctx, "no instance of the function is running; step waits", slog.String("function", fn.Name))
		w.metrics.observe(fn.Name, "waiting", elapsed)
		if ferr := w.store.FailStep(context.WithoutCancel(ctx), args.JobID, args.Step,
			gateway.NewStepError(args.Step, err, time.Now().UTC()), false); ferr != nil {
			return ferr
		}
		return river.JobSnooze(w.cfg.NoInstanceWait)
	}
	kind := fault.KindOf(err)
	final := !kind.Retryable() || rj.Attempt >= rj.MaxAttempts
	if kind == fault.Canceled && ctx.Err() != nil {
		// The job was canceled (or the gateway is stopping): the store decides.
		final = false
	}
	w.metrics.observe(fn.Name, map[bool]string{true: "failed", false: "retried"}[final], elapsed)
	return w.fail(ctx, rj, err, final)
}

// fail records a failed attempt and tells River whether to retry it.
func (w *worker) fail(ctx context.Context, rj *river.Job[gateway.StepArgs], err error, final bool) error {
	level := slog.LevelWarn
	if fault.KindOf(err).Code() >= 500 && final {
		level = slog.LevelError
	}
	w.log.Log(ctx, level, "step failed", slog.Bool("final", final), slog.Any("err", err))
	stepErr := gateway.NewStepError(rj.Args.Step, err, time.Now().UTC())
	if ferr := w.store.FailStep(context.WithoutCancel(ctx), rj.Args.JobID, rj.Args.Step, stepErr, final); ferr != nil {
		return errors.Join(err, ferr)
	}
	if final {
		return river.JobCancel(err)
	}
	return err
}

// progressRecorder writes a running step's progress to the store at most once a
// second, off the calling goroutine.
type progressRecorder struct {
	store gateway.JobStore
	args  gateway.StepArgs
	log   *slog.Logger

	mu   sync.Mutex
	last time.Time
	wg   sync.WaitGroup
}

func newProgressRecorder(store gateway.JobStore, args gateway.StepArgs, log *slog.Logger) *progressRecorder {
	return &progressRecorder{store: store, args: args, log: log}
}

func (p *progressRecorder) record(ev endpoint.Event) {
	if ev.Type != "progress" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < time.Second {
		return
	}
	p.last = time.Now()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		sp := gateway.StepProgress{Percent: ev.Percent, Stage: ev.Stage, At: time.Now().UTC()}
		if err := p.store.RecordProgress(ctx, p.args.JobID, p.args.Step, sp); err != nil {
			p.log.Debug("progress not recorded", slog.Any("err", err))
		}
	}()
}

func (p *progressRecorder) wait() { p.wg.Wait() }
