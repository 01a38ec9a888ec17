package endpoint

import (
	"github.com/prometheus/client_golang/prometheus"
)

type serverMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	active   *prometheus.GaugeVec
}

// newServerMetrics registers the per-endpoint metrics. Several servers may share one
// registry (the standalone program runs every function in one process), so an
// already registered collector is reused.
func newServerMetrics(reg prometheus.Registerer, function string) *serverMetrics {
	m := &serverMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "phantom", Subsystem: "function", Name: "requests_total",
			Help: "Function requests handled, by function, endpoint and reply code (200, or the micro error code).",
		}, []string{"function", "endpoint", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "phantom", Subsystem: "function", Name: "request_duration_seconds",
			Help:    "Time spent handling function requests.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}, []string{"function", "endpoint"}),
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "phantom", Name: "worker_active",
			Help: "Function requests being handled right now.",
		}, []string{"function"}),
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.active = register(reg, m.active)
	return m
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			return are.ExistingCollector.(C)
		}
		panic(err)
	}
	return c
}
