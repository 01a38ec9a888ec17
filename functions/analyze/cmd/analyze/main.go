// Command analyze serves the analyze function over NATS, or with
// `analyze run [--options JSON] [--out DIR] FILE` analyses one local file: tempo,
// key and waveform, the result JSON on stdout and, with --out, the waveform files
// (waveform.json, waveform.dat, waveform.png) in DIR.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := funcmain.Main(ctx, analyze.Spec(version), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
