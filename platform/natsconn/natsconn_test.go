package natsconn_test

import (
	"context"
	"strings"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/test"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/natsconn"
)

func TestConnect(t *testing.T) {
	opts := natsserver.DefaultTestOptions
	opts.Port = -1
	opts.Username, opts.Password = "probe", "s3cret"
	srv := natsserver.RunServer(&opts)
	t.Cleanup(srv.Shutdown)

	e := config.NewEnv(func(k string) string {
		return map[string]string{"NATS_URL": srv.ClientURL(), "NATS_USER": "probe", "NATS_PASSWORD": "s3cret"}[k]
	})
	cfg := natsconn.LoadConfig(e, "phantom-test")
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	nc, err := natsconn.Connect(context.Background(), cfg, logging.Test(t))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if got := nc.Opts.Name; got != "phantom-test" {
		t.Errorf("client name = %q", got)
	}
	if nc.Opts.MaxReconnect != -1 {
		t.Errorf("MaxReconnect = %d, want -1 (forever)", nc.Opts.MaxReconnect)
	}
}

func TestConnectGivesUpAndRedacts(t *testing.T) {
	cfg := natsconn.Config{URL: "nats://probe:s3cret@127.0.0.1:1", ConnectTimeout: 600 * time.Millisecond, ReconnectWait: time.Second}
	start := time.Now()
	_, err := natsconn.Connect(context.Background(), cfg, logging.Test(t))
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v, want about the connect timeout", d)
	}
}

func TestLoadConfigRejects(t *testing.T) {
	e := config.NewEnv(func(k string) string {
		return map[string]string{"NATS_URL": "http://x:1", "NATS_TLS_CERT": "c.pem"}[k]
	})
	natsconn.LoadConfig(e, "x")
	err := e.Err()
	if err == nil || !strings.Contains(err.Error(), "NATS_URL") || !strings.Contains(err.Error(), "NATS_TLS_CERT") {
		t.Errorf("Err = %v, want NATS_URL and NATS_TLS_CERT named", err)
	}
}
