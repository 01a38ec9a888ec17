package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/gateway/pgstore"
)

// jobsCollector reports phantom_gateway_jobs{state} from the database at scrape time.
type jobsCollector struct {
	store *pgstore.Store
	log   *slog.Logger
	desc  *prometheus.Desc
}

func newJobsCollector(store *pgstore.Store, log *slog.Logger) *jobsCollector {
	return &jobsCollector{store: store, log: log, desc: prometheus.NewDesc(
		"phantom_gateway_jobs", "Jobs in the database, by state.", []string{"state"}, nil)}
}

func (c *jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.store.CountJobs(ctx)
	if err != nil {
		c.log.Warn("counting jobs for metrics", slog.Any("err", err))
		return
	}
	for _, st := range []gateway.JobState{gateway.JobQueued, gateway.JobRunning, gateway.JobSucceeded, gateway.JobFailed, gateway.JobCanceled} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
