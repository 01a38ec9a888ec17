package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/phantomchain/phantomchain/gateway"
)

const insertJobSQL = `
INSERT INTO job (id, tenant, state, input_key, input_name, input_size, input_sha256,
    input_content_type, input_format, options, created_at, updated_at)
VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9, $10, $10)`

const insertStepSQL = `
INSERT INTO job_step (job_id, name, function, stage, state, params, created_at, updated_at)
VALUES ($1, $2, $3, $4, 'pending', $5, $6, $6)`

// CreateJob records job and its steps, and enqueues the steps marked queued (the
// first stage), all in one transaction.
func (s *Store) CreateJob(ctx context.Context, job *gateway.Job) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	opts, err := json.Marshal(job.Options)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		in := job.Input
		if _, err := tx.Exec(ctx, insertJobSQL, job.ID, job.Tenant, in.Key, in.Name, in.Size, in.SHA256,
			in.ContentType, in.Format, opts, now); err != nil {
			return err
		}
		var runnable []gateway.Step
		for _, st := range job.Steps {
			params := st.Params
			if len(params) == 0 {
				params = json.RawMessage("{}")
			}
			if _, err := tx.Exec(ctx, insertStepSQL, job.ID, st.Name, st.Function, st.Stage, params, now); err != nil {
				return err
			}
			if st.State == gateway.StepQueued {
				runnable = append(runnable, st)
			}
		}
		return s.enqueue(ctx, tx, job.ID, runnable)
	})
	if err != nil {
		return wrapErr(err, "create job")
	}
	job.State, job.CreatedAt, job.UpdatedAt = gateway.JobQueued, now, now
	for i := range job.Steps {
		job.Steps[i].CreatedAt, job.Steps[i].UpdatedAt = now, now
	}
	return nil
}

const jobColumns = `id::text, tenant, state, input_key, input_name, input_size, input_sha256,
    input_content_type, input_format, options, error, created_at, updated_at, started_at, finished_at`

type jobRow struct {
	ID               string
	Tenant           string
	State            string
	InputKey         string
	InputName        string
	InputSize        int64
	InputSHA256      string
	InputContentType string
	InputFormat      string
	Options          []byte
	Error            []byte
	CreatedAt        time.Time
	UpdatedAt        time.Time
	StartedAt        *time.Time
	FinishedAt       *time.Time
}

func (r jobRow) toJob() (*gateway.Job, error) {
	j := &gateway.Job{
		ID: r.ID, Tenant: r.Tenant, State: gateway.JobState(r.State),
		Input: gateway.Input{Key: r.InputKey, Name: r.InputName, Size: r.InputSize, SHA256: r.InputSHA256,
			ContentType: r.InputContentType, Format: r.InputFormat},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Steps: []gateway.Step{},
	}
	if err := json.Unmarshal(r.Options, &j.Options); err != nil {
		return nil, err
	}
	if r.Error != nil {
		if err := json.Unmarshal(r.Error, &j.Error); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// GetJob returns the tenant's job with its steps.
func (s *Store) GetJob(ctx context.Context, tenant, id string) (*gateway.Job, error) {
	job, err := s.getJob(ctx, s.pool, tenant, id)
	return job, wrapErr(err, "get job")
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (s *Store) getJob(ctx context.Context, q querier, tenant, id string) (*gateway.Job, error) {
	if !validUUID(id) {
		return nil, gateway.ErrJobNotFound
	}
	rows, _ := q.Query(ctx, `SELECT `+jobColumns+` FROM job WHERE id = $1 AND ($2 = '' OR tenant = $2)`, id, tenant)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[jobRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, gateway.ErrJobNotFound
	}
	if err != nil {
		return nil, err
	}
	job, err := row.toJob()
	if err != nil {
		return nil, err
	}
	steps, err := s.steps(ctx, q, []string{job.ID}, true)
	if err != nil {
		return nil, err
	}
	job.Steps = append(job.Steps, steps[job.ID]...)
	return job, nil
}

// ListJobs returns the tenant's jobs newest first, with their steps but without the
// steps' results.
func (s *Store) ListJobs(ctx context.Context, f gateway.ListFilter) ([]*gateway.Job, *gateway.Cursor, error) {
	limit := min(max(f.Limit, 1), 100)
	var afterTime *time.Time
	var afterID *string
	if f.After != nil {
		afterTime, afterID = &f.After.CreatedAt, &f.After.ID
	}
	rows, _ := s.pool.Query(ctx, `
SELECT `+jobColumns+`
FROM job
WHERE tenant = $1
    AND ($2 = '' OR state = $2)
    AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $5`, f.Tenant, string(f.State), afterTime, afterID, limit+1)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[jobRow])
	if err != nil {
		return nil, nil, wrapErr(err, "list jobs")
	}
	var next *gateway.Cursor
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &gateway.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	jobs := make([]*gateway.Job, 0, len(list))
	ids := make([]string, 0, len(list))
	for _, r := range list {
		j, err := r.toJob()
		if err != nil {
			return nil, nil, wrapErr(err, "list jobs")
		}
		jobs = append(jobs, j)
		ids = append(ids, j.ID)
	}
	steps, err := s.steps(ctx, s.pool, ids, false)
	if err != nil {
		return nil, nil, wrapErr(err, "list jobs")
	}
	for _, j := range jobs {
		j.Steps = append(j.Steps, steps[j.ID]...)
	}
	return jobs, next, nil
}

// CancelJob cancels a job that has not ended, with its unfinished steps and their
// queued River jobs. A running step's River job is canceled too, which cancels its
// call where it runs.
func (s *Store) CancelJob(ctx context.Context, tenant, id string) (*gateway.Job, error) {
	var job *gateway.Job
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		state, err := lockJob(ctx, tx, id, tenant)
		if err != nil {
			return err
		}
		if state.Terminal() {
			return gateway.ErrJobFinished
		}
		if _, err := tx.Exec(ctx, `
UPDATE job
SET state = 'canceled', finished_at = now(), updated_at = now()
WHERE id = $1`, id); err != nil {
			return err
		}
		if err := s.cancelSteps(ctx, tx, id, "job canceled"); err != nil {
			return err
		}
		job, err = s.getJob(ctx, tx, tenant, id)
		return err
	})
	return job, wrapErr(err, "cancel job")
}

// lockJob locks the job's row for the transaction and returns its state.
func lockJob(ctx context.Context, tx pgx.Tx, id, tenant string) (gateway.JobState, error) {
	if !validUUID(id) {
		return "", gateway.ErrJobNotFound
	}
	var state string
	err := tx.QueryRow(ctx, `SELECT state FROM job WHERE id = $1 AND ($2 = '' OR tenant = $2) FOR UPDATE`, id, tenant).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", gateway.ErrJobNotFound
	}
	return gateway.JobState(state), err
}

func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F'):
			return false
		}
	}
	return true
}

// CountJobs returns how many jobs are in each state, across tenants.
func (s *Store) CountJobs(ctx context.Context) (map[gateway.JobState]int, error) {
	rows, _ := s.pool.Query(ctx, `SELECT state, count(*) FROM job GROUP BY state`)
	out := map[gateway.JobState]int{}
	var state string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&state, &n}, func() error {
		out[gateway.JobState(state)] = n
		return nil
	})
	return out, wrapErr(err, "count jobs")
}
