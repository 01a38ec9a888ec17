package endpoint_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/natstest"
)

type echoReq struct {
	Text  string `json:"text"`
	Sleep string `json:"sleep,omitempty"`
}

type echoResp struct {
	Text string `json:"text"`
}

func (r echoReq) Validate() error {
	if r.Text == "" {
		return fault.Errorf(fault.Invalid, "text is required")
	}
	return nil
}

type testBundle struct {
	srv    *server.Server
	nc     *nats.Conn // the caller's connection
	fnConn *nats.Conn // the function's connection
	server *endpoint.Server
	reg    *prometheus.Registry
}

func setup(t *testing.T, cfg endpoint.Config) *testBundle {
	t.Helper()
	b := &testBundle{srv: natstest.Server(t), reg: prometheus.NewRegistry()}
	b.nc, b.fnConn = natstest.Connect(t, b.srv), natstest.Connect(t, b.srv)
	if cfg.Name == "" {
		cfg.Name = "echo"
	}
	cfg.Version = "1.2.3"
	s, err := endpoint.Start(b.fnConn, cfg, logging.Test(t), b.reg)
	if err != nil {
		t.Fatal(err)
	}
	b.server = s
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return b
}

func echo(ctx context.Context, req echoReq) (echoResp, error) {
	if req.Sleep != "" {
		d, _ := time.ParseDuration(req.Sleep)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return echoResp{}, ctx.Err()
		}
	}
	switch req.Text {
	case "boom":
		return echoResp{}, errors.New("db password=hunter2 rejected")
	case "panic":
		panic("oops")
	}
	return echoResp{Text: strings.ToUpper(req.Text)}, nil
}

func echoConfig() endpoint.Config {
	return endpoint.Config{
		Description: "echoes text",
		Metadata:    map[string]string{"formats": "text"},
		Endpoints:   []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(echo)}},
	}
}

func TestCall(t *testing.T) {
	b := setup(t, echoConfig())
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		var resp echoResp
		if err := endpoint.Call(ctx, b.nc, "phantom.echo.run", echoReq{Text: "hi"}, &resp, endpoint.CallOptions{}); err != nil {
			t.Fatal(err)
		}
		if resp.Text != "HI" {
			t.Errorf("Text = %q, want HI", resp.Text)
		}
	})

	errCases := []struct {
		name     string
		req      any
		wantKind fault.Kind
		wantMsg  string
	}{
		{"Validate", echoReq{}, fault.Invalid, "text is required"},
		{"UnknownField", map[string]string{"text": "x", "colour": "red"}, fault.Invalid, `invalid request: json: unknown field "colour"`},
		{"WrongType", map[string]int{"text": 3}, fault.Invalid, `invalid request: field "text" must be string`},
		{"InternalHidden", echoReq{Text: "boom"}, fault.Internal, "internal error"},
		{"Panic", echoReq{Text: "panic"}, fault.Internal, "internal error"},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			err := endpoint.Call(ctx, b.nc, "phantom.echo.run", tt.req, nil, endpoint.CallOptions{})
			if got := fault.KindOf(err); got != tt.wantKind {
				t.Fatalf("KindOf(%v) = %v, want %v", err, got, tt.wantKind)
			}
			if got := fault.Message(err); got != tt.wantMsg {
				t.Errorf("Message = %q, want %q", got, tt.wantMsg)
			}
			var re *endpoint.RemoteError
			if !errors.As(err, &re) || re.Code != tt.wantKind.Code() {
				t.Errorf("RemoteError = %v, want code %d", re, tt.wantKind.Code())
			}
		})
	}

	t.Run("NoResponders", func(t *testing.T) {
		err := endpoint.Call(ctx, b.nc, "phantom.nobody.run", echoReq{Text: "x"}, nil, endpoint.CallOptions{})
		if !errors.Is(err, endpoint.ErrNoResponders) || fault.KindOf(err) != fault.Unavailable {
			t.Errorf("err = %v, want ErrNoResponders (unavailable)", err)
		}
	})

	t.Run("Metrics", func(t *testing.T) {
		if got := requests(t, b.reg, "echo", "run", "200"); got < 1 {
			t.Errorf("requests_total{code=200} = %v, want ≥ 1", got)
		}
		if got := requests(t, b.reg, "echo", "run", "400"); got != 3 {
			t.Errorf("requests_total{code=400} = %v, want 3", got)
		}
	})
}

// requests returns phantom_function_requests_total for the given label values.
func requests(t *testing.T, reg *prometheus.Registry, function, ep, code string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "phantom_function_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			lv := map[string]string{}
			for _, l := range m.GetLabel() {
				lv[l.GetName()] = l.GetValue()
			}
			if lv["function"] == function && lv["endpoint"] == ep && lv["code"] == code {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestMicroDiscovery(t *testing.T) {
	cfg := echoConfig()
	cfg.Concurrency = 3
	b := setup(t, cfg)

	// $SRV.INFO.echo is what `nats micro info echo` asks; collect every instance.
	inbox := b.nc.NewRespInbox()
	sub, err := b.nc.SubscribeSync(inbox)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.nc.PublishRequest("$SRV.INFO.echo", inbox, nil); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for len(ids) < 3 {
		m, err := sub.NextMsg(2 * time.Second)
		if err != nil {
			t.Fatalf("got %d instances, want 3: %v", len(ids), err)
		}
		var info micro.Info
		if err := json.Unmarshal(m.Data, &info); err != nil {
			t.Fatal(err)
		}
		ids[info.ID] = true
		if info.Version != "1.2.3" || info.Description != "echoes text" {
			t.Errorf("info = %+v", info.ServiceIdentity)
		}
		if info.Metadata["max_concurrency"] != "3" || info.Metadata["formats"] != "text" {
			t.Errorf("metadata = %v", info.Metadata)
		}
		if len(info.Endpoints) != 1 || info.Endpoints[0].Subject != "phantom.echo.run" || info.Endpoints[0].QueueGroup != "q" {
			t.Errorf("endpoints = %+v", info.Endpoints)
		}
	}
}

func TestConcurrencyIsHonest(t *testing.T) {
	var now, peak atomic.Int32
	gate := make(chan struct{})
	cfg := endpoint.Config{Concurrency: 2, Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			n := now.Add(1)
			defer now.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-gate
			return echoResp{Text: req.Text}, nil
		})}}}
	b := setup(t, cfg)

	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "x"}, nil, endpoint.CallOptions{
				Heartbeat: 100 * time.Millisecond, StartTimeout: 200 * time.Millisecond,
			})
		}()
	}
	// Wait until two handlers run, give a third the chance to start (it must not),
	// then release them all.
	deadline := time.Now().Add(5 * time.Second)
	for now.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := peak.Load(); got != 2 {
		t.Errorf("peak concurrency = %d, want 2", got)
	}
}

// TestBusyInstanceIsBypassed checks that a request NATS hands to a busy instance is
// sent again and started by the idle one, and that the stale copy is dropped.
func TestBusyInstanceIsBypassed(t *testing.T) {
	release := make(chan struct{})
	var handled atomic.Int32
	cfg := endpoint.Config{Concurrency: 2, Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			handled.Add(1)
			if req.Text == "long" {
				<-release
			}
			return echoResp{Text: req.Text}, nil
		})}}}
	b := setup(t, cfg)
	opts := endpoint.CallOptions{Heartbeat: 100 * time.Millisecond, StartTimeout: 150 * time.Millisecond}
	long := make(chan error, 1)
	go func() {
		long <- endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "long"}, nil, opts)
	}()
	for handled.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	for i := range 10 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var resp echoResp
		err := endpoint.Call(ctx, b.nc, "phantom.echo.run", echoReq{Text: "short"}, &resp, opts)
		cancel()
		if err != nil || resp.Text != "short" {
			t.Fatalf("short call %d while the other instance is busy: %v", i, err)
		}
	}
	close(release)
	if err := <-long; err != nil {
		t.Fatal(err)
	}
	// Stale copies queued at the busy instance were dropped, not run.
	time.Sleep(200 * time.Millisecond)
	if got := handled.Load(); got != 11 {
		t.Errorf("handler ran %d times, want 11 (stale copies must not run)", got)
	}
}

func TestProgressAndHeartbeats(t *testing.T) {
	cfg := endpoint.Config{Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			for i := range 3 {
				endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "step" + string(rune('a'+i)), Percent: float64(i) * 40})
			}
			time.Sleep(700 * time.Millisecond) // long enough for heartbeats
			return echoResp{Text: "done"}, nil
		})}}}
	b := setup(t, cfg)

	var events []endpoint.Event
	var resp echoResp
	err := endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "x"}, &resp, endpoint.CallOptions{
		Heartbeat: 200 * time.Millisecond,
		OnEvent:   func(e endpoint.Event) { events = append(events, e) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != "done" {
		t.Errorf("Text = %q", resp.Text)
	}
	count := map[string]int{}
	for _, e := range events {
		count[e.Type]++
		if e.Instance == "" {
			t.Errorf("event %+v has no instance", e)
		}
	}
	if len(events) == 0 || events[0].Type != "started" {
		t.Fatalf("first event = %+v, want started", events)
	}
	if count["progress"] != 3 || count["heartbeat"] < 2 {
		t.Errorf("events = %v, want 3 progress and ≥ 2 heartbeats", count)
	}
	if p := events[3].Percent; p == nil || *p != 80 {
		t.Errorf("last progress percent = %v, want 80", p)
	}

	// A plain request/reply caller (nats req, nats micro req) gets exactly one message.
	inbox := b.nc.NewRespInbox()
	sub, _ := b.nc.SubscribeSync(inbox)
	_ = b.nc.PublishRequest("phantom.echo.run", inbox, []byte(`{"text":"x"}`))
	m, err := sub.NextMsg(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get(endpoint.HeaderEvent) != "" || !strings.Contains(string(m.Data), "done") {
		t.Errorf("plain reply = %q %v, want the result", m.Data, m.Header)
	}
	if extra, err := sub.NextMsg(300 * time.Millisecond); err == nil {
		t.Errorf("plain caller got a second message: %q", extra.Data)
	}
}

func TestLostCall(t *testing.T) {
	cfg := endpoint.Config{ShutdownGrace: 50 * time.Millisecond, Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			<-ctx.Done()
			return echoResp{}, ctx.Err()
		})}}}
	b := setup(t, cfg)

	// Cut the function off mid-request, as a kill -9 would.
	go func() {
		time.Sleep(300 * time.Millisecond)
		b.fnConn.Close()
	}()
	start := time.Now()
	err := endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "x"}, nil, endpoint.CallOptions{
		Heartbeat: 100 * time.Millisecond, HeartbeatTimeout: 500 * time.Millisecond,
	})
	if !errors.Is(err, endpoint.ErrLost) || fault.KindOf(err) != fault.Unavailable {
		t.Fatalf("err = %v, want ErrLost", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("noticed after %v; the heartbeat timeout is 500ms", d)
	}
}

func shutdownConfig(started chan struct{}) endpoint.Config {
	return endpoint.Config{ShutdownGrace: 300 * time.Millisecond, Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			started <- struct{}{}
			return echo(ctx, req)
		})}}}
}

func callAsync(b *testBundle, req echoReq) chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- endpoint.Call(context.Background(), b.nc, "phantom.echo.run", req, nil, endpoint.CallOptions{})
	}()
	return ch
}

func TestShutdownFinishesWithinGrace(t *testing.T) {
	started := make(chan struct{}, 1)
	b := setup(t, shutdownConfig(started))
	done := callAsync(b, echoReq{Text: "x", Sleep: "100ms"})
	<-started
	if err := b.server.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("in-flight call = %v, want success", err)
	}
	err := endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "x"}, nil, endpoint.CallOptions{})
	if fault.KindOf(err) != fault.Unavailable {
		t.Errorf("call after shutdown = %v, want unavailable", err)
	}
}

func TestShutdownCancelsAfterGrace(t *testing.T) {
	started := make(chan struct{}, 1)
	b := setup(t, shutdownConfig(started))
	done := callAsync(b, echoReq{Text: "x", Sleep: "1m"})
	<-started
	start := time.Now()
	_ = b.server.Shutdown(context.Background())
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Shutdown took %v with a 300ms grace", d)
	}
	err := <-done
	if fault.KindOf(err) != fault.Unavailable || !strings.Contains(fault.Message(err), "shutting down") {
		t.Errorf("canceled call = %v, want 503 shutting down", err)
	}
}
