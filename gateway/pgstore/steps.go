package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/phantomchain/phantomchain/gateway"
)

type stepRow struct {
	JobID      string
	Name       string
	Function   string
	Stage      int
	State      string
	Params     []byte
	Attempts   int
	Result     []byte
	Error      []byte
	Progress   []byte
	RiverJobID *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
}

func (r stepRow) toStep() (gateway.Step, error) {
	st := gateway.Step{
		Name: r.Name, Function: r.Function, Stage: r.Stage, State: gateway.StepState(r.State),
		Attempts: r.Attempts, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
	}
	if len(r.Params) > 0 && string(r.Params) != "{}" {
		st.Params = r.Params
	}
	if r.Result != nil {
		st.Result = r.Result
	}
	for _, f := range []struct {
		raw []byte
		dst any
	}{{r.Error, &st.Error}, {r.Progress, &st.Progress}} {
		if f.raw != nil {
			if err := json.Unmarshal(f.raw, f.dst); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// steps returns the steps of the given jobs, by job ID, in stage and name order.
func (s *Store) steps(ctx context.Context, q querier, jobIDs []string, withResults bool) (map[string][]gateway.Step, error) {
	result := "result"
	if !withResults {
		result = "NULL::jsonb"
	}
	rows, _ := q.Query(ctx, `
SELECT job_id::text, name, function, stage, state, params, attempts, `+result+`, error, progress,
    river_job_id, created_at, updated_at, started_at, finished_at
FROM job_step
WHERE job_id = ANY($1::uuid[])
ORDER BY job_id, stage, name`, jobIDs)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[stepRow])
	if err != nil {
		return nil, err
	}
	out := make(map[string][]gateway.Step, len(jobIDs))
	for _, r := range list {
		st, err := r.toStep()
		if err != nil {
			return nil, err
		}
		out[r.JobID] = append(out[r.JobID], st)
	}
	return out, nil
}

// StartStep marks a queued step running (a step found running is taken over: its
// previous attempt died with its gateway) and its job running.
func (s *Store) StartStep(ctx context.Context, jobID, step string, attempt int) (*gateway.Job, *gateway.Step, error) {
	var job *gateway.Job
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		state, err := lockJob(ctx, tx, jobID, "")
		if err != nil {
			return err
		}
		if state.Terminal() {
			return gateway.ErrStepNotRunnable
		}
		tag, err := tx.Exec(ctx, `
UPDATE job_step
SET state = 'running', attempts = $3, progress = NULL,
    started_at = coalesce(started_at, now()), updated_at = now()
WHERE job_id = $1 AND name = $2 AND state IN ('queued', 'running')`, jobID, step, attempt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return gateway.ErrStepNotRunnable
		}
		if _, err := tx.Exec(ctx, `
UPDATE job
SET state = 'running', started_at = coalesce(started_at, now()), updated_at = now()
WHERE id = $1 AND state = 'queued'`, jobID); err != nil {
			return err
		}
		job, err = s.getJob(ctx, tx, "", jobID)
		return err
	})
	if err != nil {
		return nil, nil, wrapErr(err, "start step")
	}
	st, ok := job.Step(step)
	if !ok {
		return nil, nil, fmt.Errorf("pgstore: step %s vanished", step)
	}
	return job, st, nil
}

// CompleteStep records a step's result and moves the job on.
func (s *Store) CompleteStep(ctx context.Context, jobID, step string, result json.RawMessage) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		state, err := lockJob(ctx, tx, jobID, "")
		if err != nil || state.Terminal() {
			return err // a canceled job keeps its canceled steps
		}
		tag, err := tx.Exec(ctx, `
UPDATE job_step
SET state = 'succeeded', result = $3, error = NULL, progress = NULL,
    finished_at = now(), updated_at = now()
WHERE job_id = $1 AND name = $2 AND state = 'running'`, jobID, step, result)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return s.advance(ctx, tx, jobID)
	})
	return wrapErr(err, "complete step")
}

// FailStep records a failed attempt; see [gateway.JobStore].
func (s *Store) FailStep(ctx context.Context, jobID, step string, stepErr *gateway.StepError, final bool) error {
	errJSON, err := json.Marshal(stepErr)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		state, err := lockJob(ctx, tx, jobID, "")
		if err != nil || state.Terminal() {
			return err
		}
		if !final {
			_, err := tx.Exec(ctx, `
UPDATE job_step
SET state = 'queued', error = $3, progress = NULL, updated_at = now()
WHERE job_id = $1 AND name = $2 AND state = 'running'`, jobID, step, errJSON)
			return err
		}
		var stage int
		err = tx.QueryRow(ctx, `
UPDATE job_step
SET state = 'failed', error = $3, progress = NULL, finished_at = now(), updated_at = now()
WHERE job_id = $1 AND name = $2 AND state IN ('queued', 'running')
RETURNING stage`, jobID, step, errJSON).Scan(&stage)
		if err == pgx.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		if stage == 0 {
			// Stage 0 validates the input: nothing else can run on it.
			if err := s.cancelSteps(ctx, tx, jobID, "an earlier step failed"); err != nil {
				return err
			}
		}
		return s.advance(ctx, tx, jobID)
	})
	return wrapErr(err, "fail step")
}

// RecordProgress stores the last progress report of a running step.
func (s *Store) RecordProgress(ctx context.Context, jobID, step string, p gateway.StepProgress) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `
UPDATE job_step
SET progress = $3, updated_at = now()
WHERE job_id = $1 AND name = $2 AND state = 'running'`, jobID, step, b)
	return wrapErr(err, "record progress")
}

// cancelSteps cancels the job's unfinished steps and their River jobs.
func (s *Store) cancelSteps(ctx context.Context, tx pgx.Tx, jobID, why string) error {
	rows, _ := tx.Query(ctx, `
UPDATE job_step
SET state = 'canceled', finished_at = now(), updated_at = now(),
    error = coalesce(error, jsonb_build_object('kind', 'canceled', 'code', 499, 'message', $2::text, 'at', now()))
WHERE job_id = $1 AND state IN ('pending', 'queued', 'running')
RETURNING river_job_id`, jobID, why)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[*int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if id == nil {
			continue
		}
		if _, err := s.queue.JobCancelTx(ctx, tx, *id); err != nil {
			return fmt.Errorf("cancel river job %d: %w", *id, err)
		}
	}
	return nil
}

// advance moves a locked, unfinished job on after one of its steps ended: it cancels
// steps that can no longer run, enqueues the next stage when the earlier ones have
// all succeeded, and ends the job when every step has ended.
func (s *Store) advance(ctx context.Context, tx pgx.Tx, jobID string) error {
	byJob, err := s.steps(ctx, tx, []string{jobID}, false)
	if err != nil {
		return err
	}
	steps := byJob[jobID]
	failedStage := -1
	for _, st := range steps {
		if st.State == gateway.StepFailed && (failedStage < 0 || st.Stage < failedStage) {
			failedStage = st.Stage
		}
	}
	if failedStage >= 0 {
		// Later stages depend on the failed one: they will never run.
		if _, err := tx.Exec(ctx, `
UPDATE job_step
SET state = 'canceled', finished_at = now(), updated_at = now(),
    error = jsonb_build_object('kind', 'canceled', 'code', 499, 'message', 'an earlier step failed', 'at', now())
WHERE job_id = $1 AND state = 'pending' AND stage > $2`, jobID, failedStage); err != nil {
			return err
		}
		if byJob, err = s.steps(ctx, tx, []string{jobID}, false); err != nil {
			return err
		}
		steps = byJob[jobID]
	}

	// The next stage is the lowest one with pending steps; it may start when every
	// step of the stages before it has succeeded.
	next, blocked := -1, false
	for _, st := range steps {
		if st.State == gateway.StepPending && (next < 0 || st.Stage < next) {
			next = st.Stage
		}
	}
	var runnable []gateway.Step
	if next >= 0 {
		for _, st := range steps {
			if st.Stage < next && st.State != gateway.StepSucceeded {
				blocked = true
			}
		}
		if !blocked {
			for _, st := range steps {
				if st.Stage == next && st.State == gateway.StepPending {
					runnable = append(runnable, st)
				}
			}
		}
	}
	if len(runnable) > 0 {
		return s.enqueue(ctx, tx, jobID, runnable)
	}

	var firstErr *gateway.StepError
	allDone, allOK := true, true
	for _, st := range steps {
		if !st.State.Terminal() {
			allDone = false
		}
		if st.State != gateway.StepSucceeded {
			allOK = false
		}
		if st.State == gateway.StepFailed && firstErr == nil {
			firstErr = st.Error
			if firstErr != nil && firstErr.Step == "" {
				firstErr.Step = st.Name
			}
		}
	}
	if !allDone {
		return nil
	}
	state := gateway.JobSucceeded
	var errJSON []byte
	if !allOK {
		state = gateway.JobFailed
		if errJSON, err = json.Marshal(firstErr); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `
UPDATE job
SET state = $2, error = $3, finished_at = now(), updated_at = now()
WHERE id = $1`, jobID, string(state), errJSON)
	return err
}
