package endpoint

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/micro"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/logging"
)

// Request headers a caller may set; all are optional.
const (
	// HeaderProgress asks for interim messages; its value is the heartbeat interval
	// (a Go duration such as "2s").
	HeaderProgress = "Phantom-Progress"
	// HeaderJobID, HeaderStep and HeaderAttempt are added to the function's log lines.
	HeaderJobID   = "Phantom-Job-Id"
	HeaderStep    = "Phantom-Step"
	HeaderAttempt = "Phantom-Attempt"
	// HeaderStartBy is the time (RFC 3339, UTC) after which the request is stale: an
	// instance that finds it later drops it unanswered, because the caller has sent
	// it again elsewhere. See [CallOptions].StartTimeout.
	HeaderStartBy = "Phantom-Start-By"
	// HeaderEvent marks an interim message: "started", "heartbeat" or "progress".
	HeaderEvent = "Phantom-Event"
)

// Heartbeat intervals accepted in HeaderProgress are clamped to this range.
const (
	MinHeartbeat = 200 * time.Millisecond
	MaxHeartbeat = time.Minute
)

// JSON adapts a function with a typed request and response to a [Handler]; the
// request is decoded with [Decode].
func JSON[Req, Resp any](fn func(context.Context, Req) (Resp, error)) Handler {
	return func(ctx context.Context, data []byte) (any, error) {
		req, err := Decode[Req](data)
		if err != nil {
			return nil, err
		}
		return fn(ctx, req)
	}
}

// Decode decodes a JSON request strictly: unknown fields, wrong types and trailing
// data are an Invalid error that names the problem. When T has a Validate() error
// method it is called too (an error without a fault kind counts as Invalid).
func Decode[T any](data []byte) (T, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fault.Errorf(fault.Invalid, "invalid request: %s", jsonProblem(err))
	}
	if dec.More() {
		return v, fault.Errorf(fault.Invalid, "invalid request: data after the JSON object")
	}
	if val, ok := any(&v).(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			if fault.KindOf(err) == fault.Internal {
				err = fault.Wrap(fault.Invalid, err, err.Error())
			}
			return v, err
		}
	}
	return v, nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "malformed JSON at byte " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return "field " + strconv.Quote(typ.Field) + " must be " + typ.Type.String()
	case errors.Is(err, io.EOF):
		return "empty body"
	}
	return err.Error()
}

// handler wraps ep.Handler with the runtime's per-request work: shutdown refusal,
// log context, timeout, progress and heartbeats, metrics and the reply.
func (s *Server) handler(ep Endpoint, instance string) micro.HandlerFunc {
	timeout := cmp.Or(ep.Timeout, 10*time.Minute)
	return func(req micro.Request) {
		start := time.Now()
		labels := []string{s.cfg.Name, ep.Name}
		if !s.enter() {
			_ = req.Error("503", s.cfg.Name+" is shutting down", nil)
			s.metrics.requests.WithLabelValues(append(labels, "503")...).Inc()
			return
		}
		defer s.leave()
		h := req.Headers()
		if by := h.Get(HeaderStartBy); by != "" {
			if t, err := time.Parse(time.RFC3339Nano, by); err == nil && start.After(t) {
				s.log.Debug("stale request dropped", slog.String("function", s.cfg.Name), slog.String("start_by", by))
				s.metrics.requests.WithLabelValues(append(labels, "stale")...).Inc()
				return
			}
		}
		s.metrics.active.WithLabelValues(s.cfg.Name).Inc()
		defer s.metrics.active.WithLabelValues(s.cfg.Name).Dec()

		ctx := logging.With(context.Background(), "function", s.cfg.Name, "endpoint", ep.Name)
		for key, attr := range map[string]string{HeaderJobID: "job_id", HeaderStep: "step", HeaderAttempt: "attempt"} {
			if v := h.Get(key); v != "" {
				ctx = logging.With(ctx, attr, v)
			}
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if req.Reply() != "" {
			ok, untrack := s.cancels.track(callID(req.Reply()), cancel)
			if !ok {
				s.log.DebugContext(ctx, "request canceled before it started, dropped")
				s.metrics.requests.WithLabelValues(append(labels, "canceled")...).Inc()
				return
			}
			defer untrack()
		}
		stopHard := context.AfterFunc(s.hardCtx, cancel)
		defer stopHard()

		var rep *reporter
		if v := h.Get(HeaderProgress); v != "" && req.Reply() != "" {
			rep = newReporter(s.nc, req.Reply(), instance, parseHeartbeat(v), s.log)
			ctx = context.WithValue(ctx, reporterKey{}, rep)
			rep.start()
		}

		resp, err := s.call(ctx, ep.Handler, req.Data())
		if rep != nil {
			rep.stop()
		}
		if err == nil {
			err = req.RespondJSON(resp)
			if err != nil {
				err = fault.Wrap(fault.Internal, err, "reply")
			}
		}
		code := "200"
		if err != nil {
			kind := fault.KindOf(err)
			msg := fault.Message(err)
			if s.hardCtx.Err() != nil && (kind == fault.Canceled || kind == fault.Timeout) {
				kind, msg = fault.Unavailable, s.cfg.Name+" is shutting down"
			}
			code = strconv.Itoa(kind.Code())
			level := slog.LevelInfo
			if kind.Code() >= 500 {
				level = slog.LevelError
			}
			s.log.Log(ctx, level, "request failed", slog.String("code", code), slog.Any("err", err),
				slog.Float64("duration_s", time.Since(start).Seconds()))
			if rerr := req.Error(code, msg, nil); rerr != nil {
				s.log.ErrorContext(ctx, "reply failed", slog.Any("err", rerr))
			}
		} else {
			s.log.DebugContext(ctx, "request done", slog.Float64("duration_s", time.Since(start).Seconds()))
		}
		s.metrics.requests.WithLabelValues(append(labels, code)...).Inc()
		s.metrics.duration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
	}
}

// call runs the handler, turning a panic into an Internal error.
func (s *Server) call(ctx context.Context, h Handler, data []byte) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fault.Wrap(fault.Internal, errors.New("panic: "+toString(p)), "internal error")
		}
	}()
	return h(ctx, data)
}

func toString(v any) string {
	if e, ok := v.(error); ok {
		return e.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseHeartbeat(v string) time.Duration {
	d, err := time.ParseDuration(v)
	if err != nil {
		d = 2 * time.Second
	}
	return min(max(d, MinHeartbeat), MaxHeartbeat)
}
