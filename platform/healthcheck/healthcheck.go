// Package healthcheck implements the `healthcheck` subcommand of PhantomChain's
// programs, for container health checks in images that have no curl: it asks the
// program's own HTTP listener for a health URL and exits 0 when it answers 200.
package healthcheck

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Run GETs path on the listener at addr (":8080" means the loopback interface) and
// returns the exit status: 0 healthy, 1 not.
func Run(ctx context.Context, addr, path string, stderr io.Writer) int {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		fmt.Fprintf(stderr, "healthcheck: bad address %q\n", addr)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+path, nil)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		fmt.Fprintf(stderr, "healthcheck: %s: %s\n", resp.Status, b)
		return 1
	}
	return 0
}
