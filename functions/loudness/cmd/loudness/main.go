// Command loudness serves the loudness function over NATS, or with
// `loudness run [--options JSON] FILE` measures one local file and prints the
// result JSON.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := funcmain.Main(ctx, loudness.Spec(version), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
