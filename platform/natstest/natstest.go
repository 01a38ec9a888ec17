// Package natstest runs an in-process NATS server for unit tests, on a free port,
// shut down when the test ends.
package natstest

import (
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	natsserver "github.com/nats-io/nats-server/v2/test"
	"github.com/nats-io/nats.go"
)

// Server starts a NATS server (with JetStream off) for tb.
func Server(tb testing.TB) *server.Server {
	tb.Helper()
	opts := natsserver.DefaultTestOptions
	opts.Port = -1
	srv := natsserver.RunServer(&opts)
	tb.Cleanup(srv.Shutdown)
	return srv
}

// Connect opens a connection to srv, closed when the test ends.
func Connect(tb testing.TB, srv *server.Server) *nats.Conn {
	tb.Helper()
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}
