package httpapi

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/phantomchain/phantomchain/gateway"
)

func (s *Server) handleJobGet(w http.ResponseWriter, r *http.Request) error {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	job, err := s.deps.Store.GetJob(r.Context(), s.cfg.Tenant, id)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, jobView{Job: job, Artifacts: s.deps.Pipeline.Artifacts(job)})
}

// jobView is a job as GET /v1/jobs/{id} shows it: with the files its steps made.
type jobView struct {
	*gateway.Job
	Artifacts []gateway.Artifact `json:"artifacts,omitempty"`
}

func (s *Server) handleJobCancel(w http.ResponseWriter, r *http.Request) error {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	job, err := s.deps.Store.CancelJob(r.Context(), s.cfg.Tenant, id)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, job)
}

// jobList is the body of GET /v1/jobs.
type jobList struct {
	Jobs []*gateway.Job `json:"jobs"`
	// NextCursor continues the listing (?cursor=…); absent on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// handleJobList lists jobs newest first: ?state= filters, ?limit= (1–100, default
// 20) sizes the page, ?cursor= continues from a previous page's next_cursor.
func (s *Server) handleJobList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := gateway.ListFilter{Tenant: s.cfg.Tenant, Limit: 20}
	if v := q.Get("state"); v != "" {
		f.State = gateway.JobState(v)
		if !f.State.Valid() {
			return problemf(http.StatusBadRequest, "state: unknown job state %q (want queued, running, succeeded, failed or canceled)", v)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return problemf(http.StatusBadRequest, "limit: want an integer from 1 to 100, got %q", v)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		if err != nil {
			return problemf(http.StatusBadRequest, "cursor: malformed")
		}
		f.After = c
	}
	jobs, next, err := s.deps.Store.ListJobs(r.Context(), f)
	if err != nil {
		return err
	}
	out := jobList{Jobs: jobs}
	if next != nil {
		out.NextCursor = encodeCursor(next)
		u := url.URL{Path: r.URL.Path}
		q.Set("cursor", out.NextCursor)
		u.RawQuery = q.Encode()
		w.Header().Set("Link", "<"+u.String()+`>; rel="next"`)
	}
	return encode(w, http.StatusOK, out)
}

func encodeCursor(c *gateway.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + c.ID))
}

func decodeCursor(s string) (*gateway.Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	ts, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return nil, errors.New("no separator")
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return nil, err
	}
	return &gateway.Cursor{CreatedAt: t, ID: id}, nil
}

// contextWithoutCancel is the request's context for clean-up work that must finish
// even when the client has gone.
func contextWithoutCancel(r *http.Request) context.Context {
	return context.WithoutCancel(r.Context())
}
