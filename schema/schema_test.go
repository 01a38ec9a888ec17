package schema_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/schema"
	"github.com/phantomchain/phantomchain/schema/schematest"
)

func TestList(t *testing.T) {
	ms, err := schema.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Version != "0001_create_job" {
		t.Fatalf("List = %v, want 0001_create_job first", ms)
	}
	for i, m := range ms {
		if i > 0 && ms[i-1].Version >= m.Version {
			t.Errorf("migrations out of order: %s before %s", ms[i-1].Version, m.Version)
		}
		if strings.TrimSpace(m.Up) == "" || strings.TrimSpace(m.Down) == "" {
			t.Errorf("%s: empty up or down", m.Version)
		}
	}
}

// TestConcurrentMigrate starts several "gateways" at once on an empty database: each
// migration must be applied exactly once and every caller must succeed.
func TestConcurrentMigrate(t *testing.T) {
	dsn := schematest.NewDatabase(t)
	ctx := context.Background()
	const gateways = 4
	var wg sync.WaitGroup
	applied := make([][]string, gateways)
	errs := make([]error, gateways)
	for i := range gateways {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool := schematest.Open(t, dsn)
			applied[i], errs[i] = schema.Migrate(ctx, pool, logging.Test(t))
		}()
	}
	wg.Wait()
	var all []string
	for i := range gateways {
		if errs[i] != nil {
			t.Fatalf("gateway %d: %v", i, errs[i])
		}
		all = append(all, applied[i]...)
	}
	ms, _ := schema.List()
	var want []string
	for _, m := range ms {
		want = append(want, m.Version)
	}
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Errorf("applied %v in total, want each of %v once", all, want)
	}

	pool := schematest.Open(t, dsn)
	for _, table := range []string{"job", "job_step", "river_job", "schema_migration"} {
		var exists bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}

	// Down migrations undo ours cleanly, newest first.
	for i := len(ms) - 1; i >= 0; i-- {
		if _, err := pool.Exec(ctx, ms[i].Down); err != nil {
			t.Errorf("%s down: %v", ms[i].Version, err)
		}
	}
	var exists bool
	_ = pool.QueryRow(ctx, "SELECT to_regclass('job') IS NOT NULL").Scan(&exists)
	if exists {
		t.Error("job table still exists after down migrations")
	}
}
