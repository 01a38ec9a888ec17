package endpoint

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Errors returned by [Call], wrapped in *fault.Error values of kind Unavailable so
// that callers retry them.
var (
	// ErrNoResponders means no instance of the function is subscribed.
	ErrNoResponders = errors.New("endpoint: no responders")
	// ErrLost means a call that had started went silent for longer than the heartbeat
	// timeout: the instance died or was cut off.
	ErrLost = errors.New("endpoint: call lost")
	// ErrNotStarted means no instance began the call within the start timeout.
	ErrNotStarted = errors.New("endpoint: call not started")
)

// CallOptions configure [Call].
type CallOptions struct {
	// Heartbeat, when positive, asks the function for interim messages at this
	// interval; see the package documentation.
	Heartbeat time.Duration
	// HeartbeatTimeout is how long a started call may stay silent before it is
	// considered lost (default 5 × Heartbeat).
	HeartbeatTimeout time.Duration
	// StartTimeout applies when Heartbeat is set: it is how long one copy of the
	// request may wait for an instance to start it. NATS hands a request to a random
	// member of the queue group, which may be busy; after StartTimeout the request is
	// sent again, to whichever instance NATS picks, and the instance that finds the
	// stale copy later drops it unanswered (the request carries its start-by time).
	// Zero means one copy waits as long as ctx allows.
	StartTimeout time.Duration
	// Headers are added to the request (e.g. HeaderJobID).
	Headers map[string]string
	// OnEvent is called for every interim message, in order, on the calling goroutine.
	OnEvent func(Event)
}

// Call sends req as JSON to subject and decodes the reply into resp. A micro error
// reply becomes a *fault.Error with the kind its code maps to and the function's
// message. ctx bounds the whole call.
func Call(ctx context.Context, nc *nats.Conn, subject string, req, resp any, opts CallOptions) error {
	data, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("endpoint: marshal request: %w", err)
	}
	// Each copy of the request gets its own reply subject under one inbox prefix, so
	// that messages from a stale copy can be told apart and ignored.
	prefix := nc.NewRespInbox()
	ch := make(chan *nats.Msg, 256)
	sub, err := nc.ChanSubscribe(prefix+".*", ch)
	if err != nil {
		return fault.Wrap(fault.Unavailable, err, "nats unavailable")
	}
	defer func() { _ = sub.Unsubscribe() }()

	silence := time.Duration(0)
	resend := opts.Heartbeat > 0 && opts.StartTimeout > 0
	if opts.Heartbeat > 0 {
		silence = cmp.Or(opts.HeartbeatTimeout, 5*opts.Heartbeat)
	}
	copies := 0
	send := func() error {
		copies++
		msg := nats.NewMsg(subject)
		msg.Reply = prefix + "." + strconv.Itoa(copies)
		msg.Data = data
		for k, v := range opts.Headers {
			msg.Header.Set(k, v)
		}
		if opts.Heartbeat > 0 {
			msg.Header.Set(HeaderProgress, opts.Heartbeat.String())
		}
		if resend {
			msg.Header.Set(HeaderStartBy, time.Now().Add(opts.StartTimeout).UTC().Format(time.RFC3339Nano))
		}
		if err := nc.PublishMsg(msg); err != nil {
			return fault.Wrap(fault.Unavailable, err, "nats unavailable")
		}
		return nil
	}
	if err := send(); err != nil {
		return err
	}

	// Before a copy starts, the start timeout applies; after, the heartbeat timeout,
	// renewed by every message.
	timer := time.NewTimer(time.Duration(1<<63 - 1))
	if resend {
		timer.Reset(opts.StartTimeout)
	}
	defer timer.Stop()
	started := "" // the reply subject of the copy that started
	for {
		select {
		case <-ctx.Done():
			sendCancel(nc, prefix)
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fault.Wrap(fault.Timeout, ctx.Err(), subject+": deadline exceeded")
			}
			return fault.Wrap(fault.Canceled, ctx.Err(), "canceled")
		case <-timer.C:
			if started != "" {
				return fault.Wrap(fault.Unavailable, ErrLost, fmt.Sprintf("%s: no heartbeat for %v", subject, silence))
			}
			if err := send(); err != nil {
				return err
			}
			timer.Reset(opts.StartTimeout)
		case m := <-ch:
			if started != "" && m.Subject != started {
				continue // a stale copy that started anyway
			}
			if m.Header.Get("Status") == "503" && len(m.Data) == 0 {
				return fault.Wrap(fault.Unavailable, ErrNoResponders, subject+": no instance available")
			}
			if ev := m.Header.Get(HeaderEvent); ev != "" {
				started = m.Subject
				if silence > 0 {
					timer.Reset(silence)
				}
				if opts.OnEvent != nil {
					var e Event
					if json.Unmarshal(m.Data, &e) == nil {
						opts.OnEvent(e)
					}
				}
				continue
			}
			return decodeReply(m, resp)
		}
	}
}
func decodeReply(m *nats.Msg, resp any) error {
	if code := m.Header.Get(micro.ErrorCodeHeader); code != "" {
		n, _ := strconv.Atoi(code)
		return &fault.Error{Kind: fault.KindFromCode(n), Msg: m.Header.Get(micro.ErrorHeader), Err: &RemoteError{Code: n}}
	}
	if resp == nil {
		return nil
	}
	if err := json.Unmarshal(m.Data, resp); err != nil {
		return fault.Wrap(fault.Internal, err, "malformed reply")
	}
	return nil
}

// RemoteError is the cause of an error reply: the function's numeric code.
type RemoteError struct{ Code int }

func (e *RemoteError) Error() string { return "function replied with code " + strconv.Itoa(e.Code) }
