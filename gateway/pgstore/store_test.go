package pgstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/gateway/pgstore"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/schema/schematest"
)

type testBundle struct {
	pool  *pgxpool.Pool
	store *pgstore.Store
	pipe  *gateway.Pipeline
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	one := func(name string) func(json.RawMessage) ([]gateway.PlannedStep, error) {
		return func(raw json.RawMessage) ([]gateway.PlannedStep, error) {
			return []gateway.PlannedStep{{Name: name, Params: raw}}, nil
		}
	}
	req := func(*gateway.Job, *gateway.Step) (any, error) { return nil, nil }
	pipe, err := gateway.NewPipeline(
		gateway.Function{Name: "probe", Subject: "p", Required: true, Plan: one("probe"), Request: req},
		gateway.Function{Name: "loudness", Subject: "l", Stage: 1, Plan: one("loudness"), Request: req},
		gateway.Function{Name: "analyze", Subject: "a", Stage: 1, Plan: one("analyze"), Request: req},
	)
	if err != nil {
		t.Fatal(err)
	}
	pool := schematest.NewPool(t)
	store, err := pgstore.New(pool, pipe)
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{pool: pool, store: store, pipe: pipe}
}

// newJob creates a job with the given steps (probe always included).
func (b *testBundle) newJob(t *testing.T, steps ...string) *gateway.Job {
	t.Helper()
	steps2, err := b.pipe.Plan(gateway.Options{Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.Must(uuid.NewV7()).String()
	job := &gateway.Job{ID: id, Tenant: "t1", Steps: steps2,
		Input: gateway.Input{Key: "t1/jobs/" + id + "/input", Name: "song.mp3", Size: 1234, SHA256: "ab", ContentType: "audio/mpeg", Format: "mp3"}}
	if err := b.store.CreateJob(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	return job
}

// riverJobs returns the River step jobs of a job by step name: their state.
func (b *testBundle) riverJobs(t *testing.T, jobID string) map[string]string {
	t.Helper()
	rows, err := b.pool.Query(context.Background(),
		`SELECT args->>'step', state FROM river_job WHERE kind = 'phantom_step' AND args->>'job_id' = $1`, jobID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var step, state string
		if err := rows.Scan(&step, &state); err != nil {
			t.Fatal(err)
		}
		out[step] = state
	}
	return out
}

func (b *testBundle) get(t *testing.T, id string) *gateway.Job {
	t.Helper()
	j, err := b.store.GetJob(context.Background(), "t1", id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func stepState(t *testing.T, j *gateway.Job, name string) gateway.StepState {
	t.Helper()
	s, ok := j.Step(name)
	if !ok {
		t.Fatalf("no step %s", name)
	}
	return s.State
}

func TestCreateJobEnqueuesFirstStage(t *testing.T) {
	b := setup(t)
	job := b.newJob(t, "loudness")
	got := b.get(t, job.ID)
	if got.State != gateway.JobQueued || got.Input != job.Input || len(got.Steps) != 2 {
		t.Fatalf("job = %+v", got)
	}
	if s := stepState(t, got, "probe"); s != gateway.StepQueued {
		t.Errorf("probe = %s, want queued", s)
	}
	if s := stepState(t, got, "loudness"); s != gateway.StepPending {
		t.Errorf("loudness = %s, want pending", s)
	}
	if rj := b.riverJobs(t, job.ID); len(rj) != 1 || rj["probe"] != "available" {
		t.Errorf("river jobs = %v, want only probe available", rj)
	}
	if _, err := b.store.GetJob(context.Background(), "other-tenant", job.ID); !errors.Is(err, gateway.ErrJobNotFound) {
		t.Errorf("other tenant's GetJob = %v, want ErrJobNotFound", err)
	}
}

func TestStagesAdvance(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	job := b.newJob(t, "loudness", "analyze")

	j, st, err := b.store.StartStep(ctx, job.ID, "probe", 1)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != gateway.JobRunning || st.State != gateway.StepRunning || st.Attempts != 1 || j.StartedAt == nil {
		t.Fatalf("after start: job %s, step %+v", j.State, st)
	}
	if err := b.store.CompleteStep(ctx, job.ID, "probe", json.RawMessage(`{"format":"mp3"}`)); err != nil {
		t.Fatal(err)
	}
	got := b.get(t, job.ID)
	if stepState(t, got, "loudness") != gateway.StepQueued || stepState(t, got, "analyze") != gateway.StepQueued {
		t.Fatalf("stage 1 not queued after probe: %+v", got.Steps)
	}
	if rj := b.riverJobs(t, job.ID); len(rj) != 3 {
		t.Errorf("river jobs = %v, want probe, loudness and analyze", rj)
	}
	probe, _ := got.Step("probe")
	if string(probe.Result) != `{"format": "mp3"}` && string(probe.Result) != `{"format":"mp3"}` {
		t.Errorf("probe result = %s", probe.Result)
	}
	for _, s := range []string{"loudness", "analyze"} {
		if _, _, err := b.store.StartStep(ctx, job.ID, s, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.store.CompleteStep(ctx, job.ID, "loudness", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if got := b.get(t, job.ID); got.State != gateway.JobRunning {
		t.Errorf("job = %s with analyze still running, want running", got.State)
	}
	if err := b.store.CompleteStep(ctx, job.ID, "analyze", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	got = b.get(t, job.ID)
	if got.State != gateway.JobSucceeded || got.FinishedAt == nil || got.Error != nil {
		t.Errorf("job = %s (finished %v, error %v), want succeeded", got.State, got.FinishedAt, got.Error)
	}
	if _, _, err := b.store.StartStep(ctx, job.ID, "probe", 2); !errors.Is(err, gateway.ErrStepNotRunnable) {
		t.Errorf("StartStep on a finished job = %v, want ErrStepNotRunnable", err)
	}
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	stepErr := func(code int) *gateway.StepError {
		return gateway.NewStepError("", fault.Errorf(fault.KindFromCode(code), "boom %d", code), time.Now().UTC())
	}
	t.Run("RetryQueuesAgain", func(t *testing.T) {
		b := setup(t)
		job := b.newJob(t)
		_, _, _ = b.store.StartStep(ctx, job.ID, "probe", 1)
		if err := b.store.FailStep(ctx, job.ID, "probe", stepErr(503), false); err != nil {
			t.Fatal(err)
		}
		got := b.get(t, job.ID)
		p, _ := got.Step("probe")
		if got.State != gateway.JobRunning || p.State != gateway.StepQueued || p.Error == nil || p.Error.Code != 503 {
			t.Errorf("after a retryable failure: job %s, step %+v", got.State, p)
		}
		if _, st, err := b.store.StartStep(ctx, job.ID, "probe", 2); err != nil || st.Attempts != 2 {
			t.Errorf("second attempt: %v %+v", err, st)
		}
	})
	t.Run("ProbeFailsJob", func(t *testing.T) {
		b := setup(t)
		job := b.newJob(t, "loudness")
		_, _, _ = b.store.StartStep(ctx, job.ID, "probe", 1)
		if err := b.store.FailStep(ctx, job.ID, "probe", stepErr(415), true); err != nil {
			t.Fatal(err)
		}
		got := b.get(t, job.ID)
		if got.State != gateway.JobFailed || got.Error == nil || got.Error.Code != 415 || got.Error.Step != "probe" {
			t.Fatalf("job = %s, error %+v; want failed with probe's 415", got.State, got.Error)
		}
		if s := stepState(t, got, "loudness"); s != gateway.StepCanceled {
			t.Errorf("loudness = %s, want canceled", s)
		}
	})
	t.Run("LaterStageFailsJobWhenOthersEnd", func(t *testing.T) {
		b := setup(t)
		job := b.newJob(t, "loudness", "analyze")
		_, _, _ = b.store.StartStep(ctx, job.ID, "probe", 1)
		_ = b.store.CompleteStep(ctx, job.ID, "probe", json.RawMessage(`{}`))
		_, _, _ = b.store.StartStep(ctx, job.ID, "loudness", 1)
		_, _, _ = b.store.StartStep(ctx, job.ID, "analyze", 1)
		if err := b.store.FailStep(ctx, job.ID, "loudness", stepErr(500), true); err != nil {
			t.Fatal(err)
		}
		if got := b.get(t, job.ID); got.State != gateway.JobRunning {
			t.Errorf("job = %s while analyze runs, want running", got.State)
		}
		_ = b.store.CompleteStep(ctx, job.ID, "analyze", json.RawMessage(`{"ok":true}`))
		got := b.get(t, job.ID)
		if got.State != gateway.JobFailed || got.Error.Step != "loudness" {
			t.Errorf("job = %s, error %+v; want failed by loudness", got.State, got.Error)
		}
		if a, _ := got.Step("analyze"); a.State != gateway.StepSucceeded || string(a.Result) == "" {
			t.Errorf("analyze = %+v, want its result kept", a)
		}
	})
}

func TestCancelJob(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	job := b.newJob(t, "loudness")
	got, err := b.store.CancelJob(ctx, "t1", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != gateway.JobCanceled || stepState(t, got, "probe") != gateway.StepCanceled || stepState(t, got, "loudness") != gateway.StepCanceled {
		t.Fatalf("canceled job = %+v", got)
	}
	if rj := b.riverJobs(t, job.ID); rj["probe"] != "cancelled" {
		t.Errorf("river job = %v, want cancelled", rj)
	}
	if _, err := b.store.CancelJob(ctx, "t1", job.ID); !errors.Is(err, gateway.ErrJobFinished) {
		t.Errorf("second cancel = %v, want ErrJobFinished", err)
	}
	if _, _, err := b.store.StartStep(ctx, job.ID, "probe", 1); !errors.Is(err, gateway.ErrStepNotRunnable) {
		t.Errorf("StartStep of a canceled job = %v", err)
	}
	if err := b.store.CompleteStep(ctx, job.ID, "probe", json.RawMessage(`{}`)); err != nil {
		t.Errorf("a late result for a canceled job = %v, want ignored", err)
	}
	if got := b.get(t, job.ID); got.State != gateway.JobCanceled {
		t.Errorf("late result changed the job to %s", got.State)
	}
}

func TestListJobs(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var ids []string
	for range 5 {
		ids = append(ids, b.newJob(t).ID)
	}
	_, _ = b.store.CancelJob(ctx, "t1", ids[1])

	var seen []string
	var cursor *gateway.Cursor
	for {
		page, next, err := b.store.ListJobs(ctx, gateway.ListFilter{Tenant: "t1", Limit: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range page {
			seen = append(seen, j.ID)
		}
		if next == nil {
			break
		}
		cursor = next
	}
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Errorf("listing = %v, want all five newest first", seen)
	}
	canceled, _, err := b.store.ListJobs(ctx, gateway.ListFilter{Tenant: "t1", State: gateway.JobCanceled, Limit: 10})
	if err != nil || len(canceled) != 1 || canceled[0].ID != ids[1] {
		t.Errorf("state filter = %v %v", canceled, err)
	}
	other, _, _ := b.store.ListJobs(ctx, gateway.ListFilter{Tenant: "t2", Limit: 10})
	if len(other) != 0 {
		t.Errorf("another tenant sees %d jobs", len(other))
	}
	counts, err := b.store.CountJobs(ctx)
	if err != nil || counts[gateway.JobQueued] != 4 || counts[gateway.JobCanceled] != 1 {
		t.Errorf("CountJobs = %v %v", counts, err)
	}
}
