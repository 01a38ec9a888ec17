// Command probe serves the probe function over NATS, or with `probe run FILE`
// probes one local file.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/phantomchain/phantomchain/functions/probe"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := funcmain.Main(ctx, probe.Spec(version), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
