package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// problem is an RFC 9457 problem details object. Type is "about:blank", so Title is
// the status's reason phrase; Code is PhantomChain's stable name for the error kind.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
}

func (p *problem) Error() string { return strconv.Itoa(p.Status) + " " + p.Detail }

// problemf returns an error that the handler wrapper writes as the given status.
func problemf(status int, format string, args ...any) error {
	return &problem{Status: status, Detail: fmt.Sprintf(format, args...)}
}

// toProblem maps an error to the problem a client sees: fault kinds to statuses,
// with the user-safe message as the detail.
func toProblem(err error) *problem {
	var p *problem
	if errors.As(err, &p) {
		return p
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &problem{Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("upload larger than %d bytes", mbe.Limit)}
	}
	kind := fault.KindOf(err)
	status := kind.Code()
	if kind == fault.Canceled {
		status = 499 // the client went away; nobody reads this
	}
	return &problem{Status: status, Detail: fault.Message(err), Code: kind.String()}
}

func writeProblem(w http.ResponseWriter, r *http.Request, p *problem) {
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	if p.Title == "" {
		p.Title = "Client Closed Request"
	}
	if p.Code == "" {
		p.Code = fault.KindFromCode(p.Status).String()
		if p.Status == http.StatusMethodNotAllowed {
			p.Code = "method_not_allowed"
		}
	}
	p.Instance = r.URL.Path
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap adapts an error-returning handler: it writes errors as problems, logs server
// errors once, and records metrics under the route pattern (never the raw path).
func (s *Server) wrap(route string, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		if err := h(sw, r); err != nil {
			p := toProblem(err)
			if p.Status >= 500 {
				s.deps.Log.ErrorContext(r.Context(), "request failed", slog.String("route", route),
					slog.String("method", r.Method), slog.Int("status", p.Status), slog.Any("err", err))
			}
			if sw.status == 0 {
				writeProblem(sw, r, p)
			}
		}
		code := strconv.Itoa(sw.status)
		s.metrics.requests.WithLabelValues(route, r.Method, code).Inc()
		s.metrics.duration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// encode writes v as JSON with the given status.
func encode(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
