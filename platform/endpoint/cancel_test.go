package endpoint_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// TestCallerCancels checks that a caller giving up stops the handler working on
// its call, and that a copy of a canceled call still queued at a busy instance
// never runs.
func TestCallerCancels(t *testing.T) {
	started := make(chan string, 4)
	stopped := make(chan error, 4)
	var ran atomic.Int32
	release := make(chan struct{})
	cfg := endpoint.Config{Concurrency: 1, Endpoints: []endpoint.Endpoint{{Name: "run", Handler: endpoint.JSON(
		func(ctx context.Context, req echoReq) (echoResp, error) {
			ran.Add(1)
			started <- req.Text
			if req.Text == "hold" {
				<-release
				return echoResp{Text: req.Text}, nil
			}
			<-ctx.Done()
			stopped <- ctx.Err()
			return echoResp{}, ctx.Err()
		})}}}
	b := setup(t, cfg)
	waitStarted := func(t *testing.T) {
		t.Helper()
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("handler did not start within 5 s")
		}
	}

	t.Run("Running", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- endpoint.Call(ctx, b.nc, "phantom.echo.run", echoReq{Text: "work"}, nil, endpoint.CallOptions{Heartbeat: 100 * time.Millisecond})
		}()
		waitStarted(t)
		cancel()
		if err := <-done; fault.KindOf(err) != fault.Canceled {
			t.Errorf("Call error = %v, want canceled", err)
		}
		select {
		case err := <-stopped:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("handler's context ended with %v, want canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the handler still runs 5 s after its caller canceled")
		}
	})

	t.Run("Queued", func(t *testing.T) {
		ran.Store(0)
		hold := make(chan error, 1)
		go func() {
			hold <- endpoint.Call(context.Background(), b.nc, "phantom.echo.run", echoReq{Text: "hold"}, nil, endpoint.CallOptions{})
		}()
		waitStarted(t)
		// The only instance is busy: this call waits in its queue, then gives up.
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		err := endpoint.Call(ctx, b.nc, "phantom.echo.run", echoReq{Text: "queued"}, nil, endpoint.CallOptions{})
		if fault.KindOf(err) != fault.Timeout {
			t.Errorf("queued call error = %v, want timeout", err)
		}
		time.Sleep(100 * time.Millisecond) // the cancellation reaches the instance
		close(release)
		if err := <-hold; err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if got := ran.Load(); got != 1 {
			t.Errorf("handler ran %d times, want 1: the abandoned call must not start", got)
		}
		if got := requests(t, b.reg, "echo", "run", "canceled"); got != 1 {
			t.Errorf("requests{code=canceled} = %v, want 1", got)
		}
	})
}
