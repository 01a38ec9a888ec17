// Command transcode serves the transcode function over NATS, or with
// `transcode run --out DIR [--options JSON] FILE` renders one local file's
// renditions into DIR.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := funcmain.Main(ctx, transcode.Spec(version), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
