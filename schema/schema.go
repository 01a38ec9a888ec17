// Package schema holds PhantomChain's SQL migrations and applies them, together with
// River's own migrations, when the gateway starts.
//
// Migrations are files migrations/NNNN_verb_noun.up.sql (with a .down.sql beside each)
// embedded in the binary. [Migrate] applies the pending ones in lexical order, each in
// its own transaction, and records them in schema_migration. A merged migration is
// never edited; a change is a new file.
//
// Several gateways may start at once: Migrate holds a PostgreSQL advisory lock on one
// connection for the whole run (so the pool needs at least two connections), so one of them migrates and the others wait and then
// find nothing to do.
package schema

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrations holds the embedded migration files.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// lockKey identifies the advisory lock Migrate holds ("phantomchain" in ASCII).
const lockKey int64 = 0x7068616e746f6d

// Migration is one embedded migration.
type Migration struct {
	Version string // the file name without .up.sql, e.g. "0001_create_job"
	Up      string
	Down    string
}

// List returns the embedded migrations in the order they apply.
func List() ([]Migration, error) {
	ups, err := fs.Glob(Migrations, "migrations/*.up.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(ups)
	out := make([]Migration, 0, len(ups))
	for _, up := range ups {
		version := strings.TrimSuffix(path.Base(up), ".up.sql")
		upSQL, err := fs.ReadFile(Migrations, up)
		if err != nil {
			return nil, err
		}
		downSQL, err := fs.ReadFile(Migrations, "migrations/"+version+".down.sql")
		if err != nil {
			return nil, fmt.Errorf("schema: %s has no .down.sql: %w", version, err)
		}
		out = append(out, Migration{Version: version, Up: string(upSQL), Down: string(downSQL)})
	}
	return out, nil
}

// Migrate brings the database up to date: River's migrations first, then ours. It
// returns the versions of ours it applied.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) ([]string, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("schema: acquire connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return nil, fmt.Errorf("schema: advisory lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must be released even when ctx is canceled.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey)
	}()

	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("schema: river migrator: %w", err)
	}
	// River's migrations run on other pool connections, each in its own transaction
	// (some add enum values that later ones use, which one transaction cannot do);
	// the lock held on conn still keeps other gateways out.
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("schema: river migrations: %w", err)
	}
	if len(res.Versions) > 0 {
		log.Info("river migrations applied", slog.Int("count", len(res.Versions)))
	}

	migrations, err := List()
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migration (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
		return nil, fmt.Errorf("schema: create schema_migration: %w", err)
	}
	var applied []string
	for _, m := range migrations {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, "INSERT INTO schema_migration (version) VALUES ($1) ON CONFLICT DO NOTHING", m.Version)
			if err != nil || tag.RowsAffected() == 0 {
				return err // already applied
			}
			if _, err := tx.Exec(ctx, m.Up); err != nil {
				return err
			}
			applied = append(applied, m.Version)
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("schema: migration %s: %w", m.Version, err)
		}
	}
	if len(applied) > 0 {
		log.Info("schema migrations applied", slog.Any("versions", applied))
	}
	return applied, nil
}
