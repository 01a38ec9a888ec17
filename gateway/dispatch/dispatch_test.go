package dispatch_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/gateway/dispatch"
	"github.com/phantomchain/phantomchain/gateway/pgstore"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/natstest"
	"github.com/phantomchain/phantomchain/schema/schematest"
)

type echoReq struct {
	Key string `json:"key"`
}

type testBundle struct {
	natsURL string
	store   *pgstore.Store
}

// setup runs a dispatcher for a one-function pipeline ("fake", subject
// phantom.fake.run) on a fresh database and an in-process NATS server.
func setup(t *testing.T) *testBundle {
	t.Helper()
	srv := natstest.Server(t)
	nc := natstest.Connect(t, srv)

	pipe, err := gateway.NewPipeline(gateway.Function{
		Name: "fake", Subject: "phantom.fake.run", Required: true, MaxAttempts: 3, Timeout: time.Minute,
		Plan: func(raw json.RawMessage) ([]gateway.PlannedStep, error) {
			return []gateway.PlannedStep{{Name: "fake"}}, nil
		},
		Request: func(job *gateway.Job, _ *gateway.Step) (any, error) { return echoReq{Key: job.Input.Key}, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	pool := schematest.NewPool(t)
	store, err := pgstore.New(pool, pipe)
	if err != nil {
		t.Fatal(err)
	}
	d, err := dispatch.New(pool, store, pipe, nc, dispatch.Config{
		Heartbeat: 200 * time.Millisecond, HeartbeatTimeout: time.Second, StartTimeout: 500 * time.Millisecond,
		NoInstanceWait: 300 * time.Millisecond, PollInterval: 100 * time.Millisecond,
	}, logging.Test(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = d.Stop(ctx)
	})
	return &testBundle{natsURL: srv.ClientURL(), store: store}
}

// serve starts a fake function on its own connection, returned so a test can cut it.
func (b *testBundle) serve(t *testing.T, h func(ctx context.Context, req echoReq) (map[string]string, error)) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(b.natsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	s, err := endpoint.Start(nc, endpoint.Config{Name: "fake", Version: "1.0.0", ShutdownGrace: time.Second,
		Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(h)}}}, logging.Test(t), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return nc
}

func (b *testBundle) submit(t *testing.T) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	job := &gateway.Job{ID: id, Tenant: "t", Input: gateway.Input{Key: "in/" + id},
		Steps: []gateway.Step{{Name: "fake", Function: "fake", State: gateway.StepQueued}}}
	if err := b.store.CreateJob(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	return id
}

func (b *testBundle) wait(t *testing.T, id string) *gateway.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, err := b.store.GetJob(context.Background(), "t", id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State.Terminal() {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %s: %+v", j.State, j.Steps)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSuccess(t *testing.T) {
	b := setup(t)
	b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) {
		endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "work", Percent: 50})
		return map[string]string{"key": req.Key}, nil
	})
	id := b.submit(t)
	j := b.wait(t, id)
	s, _ := j.Step("fake")
	if j.State != gateway.JobSucceeded || s.Attempts != 1 || string(s.Result) != `{"key": "in/`+id+`"}` {
		t.Errorf("job %s, step %+v result %s", j.State, s, s.Result)
	}
}

func TestInputErrorIsNotRetried(t *testing.T) {
	b := setup(t)
	var calls atomic.Int32
	b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) {
		calls.Add(1)
		return nil, fault.Errorf(fault.Unsupported, "no audio stream")
	})
	j := b.wait(t, b.submit(t))
	s, _ := j.Step("fake")
	if j.State != gateway.JobFailed || s.Attempts != 1 || calls.Load() != 1 {
		t.Errorf("job %s after %d calls, step attempts %d; want failed after one call", j.State, calls.Load(), s.Attempts)
	}
	if j.Error == nil || j.Error.Code != 415 || j.Error.Message != "no audio stream" || j.Error.Step != "fake" {
		t.Errorf("job error = %+v", j.Error)
	}
}

func TestServerErrorIsRetried(t *testing.T) {
	b := setup(t)
	var calls atomic.Int32
	b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) {
		if calls.Add(1) == 1 {
			return nil, fault.Errorf(fault.Unavailable, "disk full")
		}
		return map[string]string{"ok": "yes"}, nil
	})
	j := b.wait(t, b.submit(t))
	s, _ := j.Step("fake")
	if j.State != gateway.JobSucceeded || s.Attempts != 2 || calls.Load() != 2 {
		t.Errorf("job %s, attempts %d, calls %d; want success on the second attempt", j.State, s.Attempts, calls.Load())
	}
}

// TestLostCallRunsElsewhere cuts a function off mid-call: the silence is noticed
// within the heartbeat timeout and the step runs again on the other instance.
func TestLostCallRunsElsewhere(t *testing.T) {
	b := setup(t)
	started := make(chan struct{}, 1)
	var stuck *nats.Conn
	stuck = b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	id := b.submit(t)
	<-started
	lostAt := time.Now()
	stuck.Close() // as kill -9 would
	b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) {
		return map[string]string{"by": "second"}, nil
	})
	j := b.wait(t, id)
	s, _ := j.Step("fake")
	if j.State != gateway.JobSucceeded || s.Attempts != 2 || string(s.Result) != `{"by": "second"}` {
		t.Errorf("job %s, attempts %d, result %s; want success by the second instance", j.State, s.Attempts, s.Result)
	}
	if d := time.Since(lostAt); d > 15*time.Second {
		t.Errorf("recovered after %v", d)
	}
}

func TestNoInstanceWaits(t *testing.T) {
	b := setup(t)
	id := b.submit(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		j, _ := b.store.GetJob(context.Background(), "t", id)
		s, _ := j.Step("fake")
		if s.State == gateway.StepQueued && s.Error != nil && s.Error.Kind == "unavailable" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("step = %+v, want queued and waiting for an instance", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // several snoozes; none may use up an attempt
	b.serve(t, func(ctx context.Context, req echoReq) (map[string]string, error) { return map[string]string{}, nil })
	if j := b.wait(t, id); j.State != gateway.JobSucceeded {
		t.Errorf("job %s after an instance appeared, want succeeded", j.State)
	}
}
