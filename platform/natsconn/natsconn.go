// Package natsconn opens the NATS connection of a PhantomChain process: a client name,
// reconnects forever with jittered waits, credentials (a .creds file, an NKey seed,
// user/password or a token), TLS, and connection events logged through slog.
package natsconn

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phantomchain/phantomchain/platform/config"
)

// Config says how to reach and authenticate to NATS.
type Config struct {
	URL            string        // NATS_URL: one URL or a comma-separated list
	Name           string        // the client name shown by the server (set by the program)
	CredsFile      string        // NATS_CREDS: a decentralised-auth .creds file
	NKeyFile       string        // NATS_NKEY: an NKey seed file
	User           string        // NATS_USER
	Password       config.Secret // NATS_PASSWORD
	Token          config.Secret // NATS_TOKEN
	TLSCA          string        // NATS_TLS_CA: a PEM bundle to verify the server
	TLSCert        string        // NATS_TLS_CERT: client certificate (mutual TLS)
	TLSKey         string        // NATS_TLS_KEY
	ConnectTimeout time.Duration // NATS_CONNECT_TIMEOUT: how long start-up keeps trying
	ReconnectWait  time.Duration // NATS_RECONNECT_WAIT
}

// DefaultURL is where NATS is expected when NATS_URL is not set.
const DefaultURL = "nats://127.0.0.1:4222"

// LoadConfig reads the NATS_* variables.
func LoadConfig(e *config.Env, name string) Config {
	c := Config{
		URL:            e.URL("NATS_URL", DefaultURL, true, "nats", "tls", "ws", "wss"),
		Name:           name,
		CredsFile:      e.String("NATS_CREDS", ""),
		NKeyFile:       e.String("NATS_NKEY", ""),
		User:           e.String("NATS_USER", ""),
		Password:       e.Secret("NATS_PASSWORD", ""),
		Token:          e.Secret("NATS_TOKEN", ""),
		TLSCA:          e.String("NATS_TLS_CA", ""),
		TLSCert:        e.String("NATS_TLS_CERT", ""),
		TLSKey:         e.String("NATS_TLS_KEY", ""),
		ConnectTimeout: e.Duration("NATS_CONNECT_TIMEOUT", 30*time.Second),
		ReconnectWait:  e.Duration("NATS_RECONNECT_WAIT", 2*time.Second),
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		e.Fail("NATS_TLS_CERT", "NATS_TLS_CERT and NATS_TLS_KEY must be set together")
	}
	return c
}

// Options returns the nats.go options for cfg.
func (c Config) Options(log *slog.Logger) ([]nats.Option, error) {
	opts := []nats.Option{
		nats.Name(c.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(c.ReconnectWait),
		nats.ReconnectJitter(500*time.Millisecond, 2*time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats disconnected", slog.Any("err", err))
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", slog.String("server", nc.ConnectedUrlRedacted()))
		}),
		nats.ClosedHandler(func(*nats.Conn) { log.Debug("nats connection closed") }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Error("nats async error", slog.String("subject", subject), slog.Any("err", err))
		}),
	}
	switch {
	case c.CredsFile != "":
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	case c.NKeyFile != "":
		o, err := nats.NkeyOptionFromSeed(c.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("natsconn: NATS_NKEY: %w", err)
		}
		opts = append(opts, o)
	case c.User != "":
		opts = append(opts, nats.UserInfo(c.User, c.Password.Reveal()))
	case c.Token != "":
		opts = append(opts, nats.Token(c.Token.Reveal()))
	}
	if c.TLSCA != "" {
		opts = append(opts, nats.RootCAs(c.TLSCA))
	}
	if c.TLSCert != "" {
		opts = append(opts, nats.ClientCert(c.TLSCert, c.TLSKey))
	}
	return opts, nil
}

// Connect connects to NATS, retrying until cfg.ConnectTimeout passes or ctx is done,
// so that a process started alongside its NATS server waits for it.
func Connect(ctx context.Context, cfg Config, log *slog.Logger) (*nats.Conn, error) {
	opts, err := cfg.Options(log)
	if err != nil {
		return nil, err
	}
	timeout := cfg.ConnectTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	deadline := time.Now().Add(timeout)
	wait := 250 * time.Millisecond
	for {
		nc, err := nats.Connect(cfg.URL, opts...)
		if err == nil {
			log.Info("nats connected", slog.String("server", nc.ConnectedUrlRedacted()), slog.String("name", cfg.Name))
			return nc, nil
		}
		if time.Now().Add(wait).After(deadline) {
			return nil, fmt.Errorf("natsconn: connect %s: %w", redact(cfg.URL), err)
		}
		log.Warn("nats not reachable yet, retrying", slog.Any("err", err), slog.Duration("in", wait))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// redact drops passwords from a URL list for error messages.
func redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			u.User = url.User("***")
			parts[i] = u.String()
		}
	}
	return strings.Join(parts, ",")
}
