// Package config reads configuration from environment variables.
//
// Each program's Config is loaded by a LoadConfig(getenv) function beside it, built
// from an [Env]: typed getters with defaults that collect every bad value, so that
// start-up stops once with a message naming each offending variable, e.g.
//
//	config: TRANSCODE_TIMEOUT: invalid duration "5"
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Secret is a string that is never printed: its String and LogValue return
// "REDACTED", so logging a Config does not leak passwords or keys.
type Secret string

// String returns "REDACTED" when the secret is set and "" otherwise.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// LogValue implements [slog.LogValuer].
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler so JSON output is redacted too.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the secret's value, for handing it to the library that needs it.
func (s Secret) Reveal() string { return string(s) }

// Env reads typed values from an environment lookup function, remembering every
// invalid value. Call [Env.Err] once all values are read.
type Env struct {
	getenv func(string) string
	errs   []error
}

// NewEnv returns an Env reading from getenv (usually os.Getenv).
func NewEnv(getenv func(string) string) *Env { return &Env{getenv: getenv} }

// Err returns all problems found so far, joined, or nil.
func (e *Env) Err() error { return errors.Join(e.errs...) }

// Fail records a problem with key, for validations a getter cannot express.
func (e *Env) Fail(key, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...)))
}

func (e *Env) lookup(key string) (string, bool) {
	v := strings.TrimSpace(e.getenv(key))
	return v, v != ""
}

// String returns the value of key, or def when it is unset or empty.
func (e *Env) String(key, def string) string {
	if v, ok := e.lookup(key); ok {
		return v
	}
	return def
}

// Secret returns the value of key as a [Secret].
func (e *Env) Secret(key string, def Secret) Secret {
	if v, ok := e.lookup(key); ok {
		return Secret(v)
	}
	return def
}

// Int returns the integer value of key, which must lie in [min, max].
func (e *Env) Int(key string, def, min, max int) int {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.Fail(key, "invalid integer %q", v)
		return def
	}
	if n < min || n > max {
		e.Fail(key, "%d out of range [%d, %d]", n, min, max)
		return def
	}
	return n
}

// Duration returns the value of key parsed by [time.ParseDuration] ("90s", "5m"),
// which must be positive.
func (e *Env) Duration(key string, def time.Duration) time.Duration {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.Fail(key, "invalid duration %q", v)
		return def
	}
	return d
}

// Bool returns the value of key: 1/true/yes/on or 0/false/no/off.
func (e *Env) Bool(key string, def bool) bool {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	e.Fail(key, "invalid boolean %q", v)
	return def
}

var byteUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1000, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1000 * 1000, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1000 * 1000 * 1000, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1000 * 1000 * 1000 * 1000, "tib": 1 << 40,
}

// Bytes returns a size such as "512KiB", "100MB", "2GiB" or a plain number of bytes.
// Single-letter units (k, m, g, t) are binary.
func (e *Env) Bytes(key string, def int64) int64 {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	n, err := ParseBytes(v)
	if err != nil {
		e.Fail(key, "invalid size %q", v)
		return def
	}
	return n
}

// ParseBytes parses a size such as "512KiB", "100MB", "2GiB" or "1048576".
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	}
	mult, ok := byteUnits[unit]
	if !ok || num == "" {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(f * float64(mult)), nil
}

// OneOf returns the value of key, which must be one of allowed.
func (e *Env) OneOf(key, def string, allowed ...string) string {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	v = strings.ToLower(v)
	if !slices.Contains(allowed, v) {
		e.Fail(key, "invalid value %q (want one of %s)", v, strings.Join(allowed, ", "))
		return def
	}
	return v
}

// URL returns the value of key, which must be an absolute URL with one of the given
// schemes (a comma-separated list of URLs is accepted when list is true, as NATS
// takes a server list).
func (e *Env) URL(key, def string, list bool, schemes ...string) string {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	parts := []string{v}
	if list {
		parts = strings.Split(v, ",")
	}
	for _, p := range parts {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil || u.Host == "" || !slices.Contains(schemes, u.Scheme) {
			e.Fail(key, "invalid URL %q (want %s://host:port)", p, strings.Join(schemes, "|"))
			return def
		}
	}
	return v
}

// Addr returns a listen address such as ":8080" or "127.0.0.1:9090". The value "off"
// returns "" (the listener is disabled) when allowOff is true.
func (e *Env) Addr(key, def string, allowOff bool) string {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	if allowOff && strings.EqualFold(v, "off") {
		return ""
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		e.Fail(key, "invalid address %q (want host:port or :port)", v)
		return def
	}
	return v
}

// List returns the comma-separated values of key, trimmed, without empty items.
func (e *Env) List(key string, def []string) []string {
	v, ok := e.lookup(key)
	if !ok {
		return def
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
