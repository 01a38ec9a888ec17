// Package schematest gives tests a PostgreSQL database of their own: created fresh on
// the server named by TEST_DATABASE_URL, optionally migrated, and dropped when the
// test ends.
package schematest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/testenv"
	"github.com/phantomchain/phantomchain/schema"
)

// NewDatabase creates an empty database and returns its URL. It is dropped in
// tb.Cleanup.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	base := testenv.DatabaseURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		testenv.Missing(tb, "PostgreSQL at TEST_DATABASE_URL not reachable: %v", err)
	}
	defer admin.Close(context.Background())
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "phantom_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Logf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewPool returns a pool on a fresh database with every migration applied.
func NewPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool := Open(tb, NewDatabase(tb))
	if _, err := schema.Migrate(context.Background(), pool, logging.Test(tb)); err != nil {
		tb.Fatal(err)
	}
	return pool
}

// Open opens a pool on dsn, closed in tb.Cleanup.
func Open(tb testing.TB, dsn string) *pgxpool.Pool {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}
