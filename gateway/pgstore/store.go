// Package pgstore keeps PhantomChain's jobs in PostgreSQL (pgx/v5) and enqueues their
// steps on River in the same transactions, so that an accepted upload is never lost
// and a step is queued exactly when the change that makes it runnable commits.
package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// Store is a [gateway.JobStore] on PostgreSQL.
type Store struct {
	pool     *pgxpool.Pool
	pipeline *gateway.Pipeline
	// queue is an insert-only River client: it adds and cancels step jobs inside our
	// transactions; the dispatch package's client works them.
	queue *river.Client[pgx.Tx]
}

var _ gateway.JobStore = (*Store)(nil)

// New returns a store on pool; the schema must be migrated (see package schema).
func New(pool *pgxpool.Pool, pipeline *gateway.Pipeline) (*Store, error) {
	queue, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("pgstore: river client: %w", err)
	}
	return &Store{pool: pool, pipeline: pipeline, queue: queue}, nil
}

// Ping checks that PostgreSQL answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fault.Wrap(fault.Unavailable, err, "database unavailable")
	}
	return nil
}

// enqueue hands steps to River within tx and records their River job IDs.
func (s *Store) enqueue(ctx context.Context, tx pgx.Tx, jobID string, steps []gateway.Step) error {
	if len(steps) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(steps))
	for i, st := range steps {
		fn, ok := s.pipeline.Function(st.Function)
		if !ok {
			return fmt.Errorf("pgstore: step %s: unknown function %q", st.Name, st.Function)
		}
		params[i] = river.InsertManyParams{
			Args:       gateway.StepArgs{JobID: jobID, Step: st.Name},
			InsertOpts: &river.InsertOpts{Queue: fn.Name, MaxAttempts: fn.MaxAttempts},
		}
	}
	res, err := s.queue.InsertManyTx(ctx, tx, params)
	if err != nil {
		return fmt.Errorf("pgstore: enqueue steps: %w", err)
	}
	for i, r := range res {
		if _, err := tx.Exec(ctx, updateStepQueuedSQL, jobID, steps[i].Name, r.Job.ID); err != nil {
			return fmt.Errorf("pgstore: mark step queued: %w", err)
		}
	}
	return nil
}

const updateStepQueuedSQL = `
UPDATE job_step
SET state = 'queued', river_job_id = $3, updated_at = now()
WHERE job_id = $1 AND name = $2`

// wrapErr classifies a database error for clients: a PostgreSQL error reply is a bug
// (Internal); anything else (refused connection, timeout, closed pool) means the
// database is unavailable, which is worth retrying.
func wrapErr(err error, op string) error {
	if err == nil || fault.KindOf(err) != fault.Internal {
		return err
	}
	err = fmt.Errorf("pgstore: %s: %w", op, err)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return err
	}
	return fault.Wrap(fault.Unavailable, err, "database unavailable")
}
