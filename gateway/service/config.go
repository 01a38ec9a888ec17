package service

import (
	"time"

	"github.com/phantomchain/phantomchain/gateway/dispatch"
	"github.com/phantomchain/phantomchain/gateway/httpapi"
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/natsconn"
	"github.com/phantomchain/phantomchain/platform/storage"
)

// Config is the gateway's whole configuration, from the environment.
type Config struct {
	Log           logging.Config
	NATS          natsconn.Config
	Storage       storage.Config
	HTTP          httpapi.Config
	Dispatch      dispatch.Config
	DatabaseURL   config.Secret // DATABASE_URL
	DatabaseConns int           // DATABASE_MAX_CONNS
	// Workers turns the step workers off when false (GATEWAY_WORKERS=0): an API-only
	// gateway accepts and reports jobs while others run their steps.
	Workers       bool
	ShutdownGrace time.Duration // SHUTDOWN_GRACE
}

// DefaultDatabaseURL is used when DATABASE_URL is not set.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/phantom?sslmode=disable"

// LoadConfig reads the configuration; an invalid value is an error naming its
// variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.NewEnv(getenv)
	c := Config{
		Log:     logging.LoadConfig(e),
		NATS:    natsconn.LoadConfig(e, "phantom-gateway"),
		Storage: storage.LoadConfig(e),
		HTTP: httpapi.Config{
			Addr:           e.Addr("GATEWAY_ADDR", ":8080", false),
			MaxUploadBytes: e.Bytes("GATEWAY_MAX_UPLOAD", 2<<30),
		},
		Dispatch: dispatch.Config{
			ID:               e.String("GATEWAY_ID", ""),
			Heartbeat:        e.Duration("DISPATCH_HEARTBEAT", 2*time.Second),
			HeartbeatTimeout: e.Duration("DISPATCH_HEARTBEAT_TIMEOUT", 10*time.Second),
			StartTimeout:     e.Duration("DISPATCH_START_TIMEOUT", 2*time.Second),
			NoInstanceWait:   e.Duration("DISPATCH_NO_INSTANCE_WAIT", 5*time.Second),
			Concurrency:      map[string]int{},
		},
		DatabaseURL:   e.Secret("DATABASE_URL", DefaultDatabaseURL),
		DatabaseConns: e.Int("DATABASE_MAX_CONNS", 20, 2, 1000),
		Workers:       e.Bool("GATEWAY_WORKERS", true),
		ShutdownGrace: e.Duration("SHUTDOWN_GRACE", 25*time.Second),
	}
	for _, fn := range []string{"probe", "transcode", "loudness", "analyze"} {
		key := "DISPATCH_" + upper(fn) + "_CONCURRENCY"
		c.Dispatch.Concurrency[fn] = e.Int(key, 8, 1, 10000)
	}
	if c.HTTP.MaxUploadBytes <= 0 {
		e.Fail("GATEWAY_MAX_UPLOAD", "must be positive")
	}
	if c.Dispatch.HeartbeatTimeout <= c.Dispatch.Heartbeat {
		e.Fail("DISPATCH_HEARTBEAT_TIMEOUT", "must be longer than DISPATCH_HEARTBEAT")
	}
	return c, e.Err()
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
