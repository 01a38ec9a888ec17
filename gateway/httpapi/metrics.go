package httpapi

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type httpMetrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	uploadBytes prometheus.Counter
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	f := promauto.With(reg)
	return &httpMetrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "phantom_gateway_http_requests_total",
			Help: "HTTP requests, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "phantom_gateway_http_request_duration_seconds",
			Help:    "HTTP request latency (uploads include the upload), by route pattern and method.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 10),
		}, []string{"route", "method"}),
		uploadBytes: f.NewCounter(prometheus.CounterOpts{
			Name: "phantom_gateway_upload_bytes_total",
			Help: "Bytes of accepted uploads.",
		}),
	}
}
