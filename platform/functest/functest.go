// Package functest serves a function under test the way a deployed instance
// runs: its endpoints on the function runtime, on an in-process NATS server,
// with the real ffmpeg. The functions' service tests share it.
package functest

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/natstest"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// Serve starts the function name with the endpoints that endpoints makes from an
// ffmpeg runner (the distribution's ffmpeg, job folders in a temporary folder) on
// an in-process NATS server, and returns a connection for calling it. The function
// stops when the test ends. It calls testenv.Tool when ffmpeg is missing.
func Serve(tb testing.TB, name string, endpoints func(*ffmpeg.Runner) []endpoint.Endpoint) *nats.Conn {
	tb.Helper()
	testenv.Tool(tb, "ffmpeg")
	testenv.Tool(tb, "ffprobe")
	nc := natstest.Connect(tb, natstest.Server(tb))
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := endpoint.Start(nc, endpoint.Config{Name: name, Version: "0.0.1", Endpoints: endpoints(runner)},
		logging.Test(tb), prometheus.NewRegistry())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return nc
}

// FileStore returns a local-folder blob store in a temporary folder.
func FileStore(tb testing.TB) blob.Store {
	tb.Helper()
	s, err := fileblob.New(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// Put stores the local file at path under key.
func Put(tb testing.TB, s blob.Store, key, path string) {
	tb.Helper()
	if _, err := blob.Upload(context.Background(), s, key, path, blob.PutOptions{}); err != nil {
		tb.Fatal(err)
	}
}
