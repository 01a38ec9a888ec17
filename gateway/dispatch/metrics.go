package dispatch

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	processed *prometheus.CounterVec
	failed    *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	active    *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	return &metrics{
		processed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "phantom_jobs_processed_total",
			Help: "Step attempts finished by the gateway, by function and outcome (succeeded, failed, retried, waiting).",
		}, []string{"function", "outcome"}),
		failed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "phantom_jobs_failed_total",
			Help: "Steps that failed for good, by function.",
		}, []string{"function"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "phantom_job_duration_seconds",
			Help:    "Time of step calls as the gateway sees them, by function.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}, []string{"function"}),
		active: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "phantom_gateway_active_steps",
			Help: "Step calls in flight from this gateway, by function.",
		}, []string{"function"}),
	}
}

func (m *metrics) observe(function, outcome string, d time.Duration) {
	m.processed.WithLabelValues(function, outcome).Inc()
	if outcome == "failed" {
		m.failed.WithLabelValues(function).Inc()
	}
	if outcome == "succeeded" || outcome == "failed" {
		m.duration.WithLabelValues(function).Observe(d.Seconds())
	}
}
