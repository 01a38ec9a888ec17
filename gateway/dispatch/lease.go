package dispatch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Gateways hold a lease: a row in gateway_instance renewed every leaseRenew. When a
// gateway dies (kill -9, a lost machine), the River jobs it was running stay in the
// running state, and River's own rescuer would only notice them after
// RescueStuckJobsAfter, which must exceed the longest function call. Instead, any
// live gateway that finds a lease older than leaseExpiry hands that gateway's running
// jobs back to the queue. Functions are idempotent, so a call that was in fact still
// running elsewhere only costs a repeat.
const (
	leaseRenew  = 5 * time.Second
	leaseExpiry = 20 * time.Second
)

const renewLeaseSQL = `
INSERT INTO gateway_instance (id)
VALUES ($1)
ON CONFLICT (id) DO UPDATE SET seen_at = now()`

// reclaimSQL takes the leases that have expired and makes the jobs their holders were
// running available again. It reads River's river_job table (state, attempted_by) as
// River's own rescuer does.
const reclaimSQL = `
WITH dead AS (
    DELETE FROM gateway_instance
    WHERE seen_at < now() - make_interval(secs => $1)
    RETURNING id
)
UPDATE river_job
SET state = 'available', scheduled_at = now()
WHERE state = 'running'
    AND attempted_by[cardinality(attempted_by)] IN (SELECT id FROM dead)
RETURNING id`

// lease keeps this gateway's lease and reclaims the jobs of dead gateways.
type lease struct {
	pool *pgxpool.Pool
	id   string
	log  *slog.Logger
	stop chan struct{}
	done chan struct{}
}

// newInstanceID returns a River client ID unique to this process.
func newInstanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	if host == "" {
		host = "gateway"
	}
	return host + "-" + hex.EncodeToString(b)
}

func startLease(ctx context.Context, pool *pgxpool.Pool, id string, log *slog.Logger) (*lease, error) {
	l := &lease{pool: pool, id: id, log: log, stop: make(chan struct{}), done: make(chan struct{})}
	if _, err := pool.Exec(ctx, renewLeaseSQL, id); err != nil {
		return nil, err
	}
	go l.run()
	return l, nil
}

func (l *lease) run() {
	defer close(l.done)
	t := time.NewTicker(leaseRenew)
	defer t.Stop()
	for {
		l.tick()
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
	}
}

func (l *lease) tick() {
	ctx, cancel := context.WithTimeout(context.Background(), leaseRenew)
	defer cancel()
	if _, err := l.pool.Exec(ctx, renewLeaseSQL, l.id); err != nil {
		l.log.Warn("gateway lease not renewed", slog.Any("err", err))
		return
	}
	rows, err := l.pool.Query(ctx, reclaimSQL, leaseExpiry.Seconds())
	if err != nil {
		l.log.Warn("reclaiming steps of dead gateways", slog.Any("err", err))
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			l.log.Info("step of a dead gateway requeued", slog.Int64("river_job_id", id))
		}
	}
}

// close stops renewing and gives up the lease; the caller has stopped River, so this
// gateway runs nothing any more.
func (l *lease) close() {
	close(l.stop)
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = l.pool.Exec(ctx, `DELETE FROM gateway_instance WHERE id = $1`, l.id)
}
