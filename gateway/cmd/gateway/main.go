// Command gateway serves PhantomChain's HTTP API and runs job steps by calling the
// functions over NATS. `gateway healthcheck` exits 0 when a running gateway on
// GATEWAY_ADDR is ready (for container health checks).
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/phantomchain/phantomchain/gateway/service"
	"github.com/phantomchain/phantomchain/platform/healthcheck"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/metrics"
)

var version = "0.1.0-dev"

func main() {
	if len(os.Args) == 2 && os.Args[1] == "healthcheck" {
		addr := cmp.Or(os.Getenv("GATEWAY_ADDR"), ":8080")
		os.Exit(healthcheck.Run(context.Background(), addr, "/readyz", os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Getenv, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := service.LoadConfig(getenv)
	if err != nil {
		return err
	}
	log := logging.New(stderr, cfg.Log).With("service", "gateway", "version", version)
	reg := metrics.NewRegistry(version)
	svc, err := service.Start(ctx, cfg, log, reg)
	if err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down")
	return svc.Close(context.Background())
}
