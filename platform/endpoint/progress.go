package endpoint

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// Event is an interim message sent to a caller that asked for progress.
type Event struct {
	// Type is "started", "heartbeat" or "progress".
	Type string `json:"type"`
	// Instance is the micro instance ID doing the work.
	Instance string `json:"instance,omitempty"`
	// Percent is the share of the work done, 0–100, when the handler knows it.
	Percent *float64 `json:"percent,omitempty"`
	// Stage names the phase of the work, e.g. "download", "encode", "upload".
	Stage string `json:"stage,omitempty"`
	// ElapsedS is the time since the handler started, in seconds.
	ElapsedS float64 `json:"elapsed_s"`
}

// Progress is what a handler reports through [ReportProgress].
type Progress struct {
	Stage   string
	Percent float64 // 0–100; negative when unknown
}

type reporterKey struct{}

// ReportProgress sends a progress event to the caller of the request ctx belongs to,
// if the caller asked for progress; otherwise it does nothing. Reports closer than
// 250 ms to the previous one are dropped, except a change of stage.
func ReportProgress(ctx context.Context, p Progress) {
	if r, ok := ctx.Value(reporterKey{}).(*reporter); ok {
		r.progress(p)
	}
}

// reporter sends a request's interim messages: started, heartbeats, progress.
type reporter struct {
	nc       *nats.Conn
	inbox    string
	instance string
	every    time.Duration
	log      *slog.Logger
	begin    time.Time

	mu        sync.Mutex
	lastSent  time.Time
	lastStage string
	done      chan struct{}
	wg        sync.WaitGroup
}

func newReporter(nc *nats.Conn, inbox, instance string, every time.Duration, log *slog.Logger) *reporter {
	return &reporter{nc: nc, inbox: inbox, instance: instance, every: every, log: log, begin: time.Now(), done: make(chan struct{})}
}

func (r *reporter) start() {
	r.send(Event{Type: "started"})
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(r.every)
		defer t.Stop()
		for {
			select {
			case <-r.done:
				return
			case <-t.C:
				r.mu.Lock()
				quiet := time.Since(r.lastSent) >= r.every/2
				r.mu.Unlock()
				if quiet {
					r.send(Event{Type: "heartbeat"})
				}
			}
		}
	}()
}

func (r *reporter) stop() {
	close(r.done)
	r.wg.Wait()
}

func (r *reporter) progress(p Progress) {
	r.mu.Lock()
	now := time.Now()
	if p.Stage == r.lastStage && now.Sub(r.lastSent) < 250*time.Millisecond {
		r.mu.Unlock()
		return
	}
	r.lastStage = p.Stage
	r.mu.Unlock()
	ev := Event{Type: "progress", Stage: p.Stage}
	if p.Percent >= 0 {
		pct := min(p.Percent, 100)
		ev.Percent = &pct
	}
	r.send(ev)
}

func (r *reporter) send(ev Event) {
	ev.Instance = r.instance
	ev.ElapsedS = time.Since(r.begin).Seconds()
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	msg := &nats.Msg{Subject: r.inbox, Data: data, Header: nats.Header{HeaderEvent: []string{ev.Type}}}
	r.mu.Lock()
	r.lastSent = time.Now()
	r.mu.Unlock()
	if err := r.nc.PublishMsg(msg); err != nil {
		r.log.Warn("progress not sent", slog.Any("err", err))
	}
}
