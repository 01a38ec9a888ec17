package config_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestEnvDefaults(t *testing.T) {
	e := config.NewEnv(envOf(nil))
	if got := e.String("A", "x"); got != "x" {
		t.Errorf("String = %q, want x", got)
	}
	if got := e.Int("B", 3, 1, 5); got != 3 {
		t.Errorf("Int = %d, want 3", got)
	}
	if got := e.Duration("C", time.Second); got != time.Second {
		t.Errorf("Duration = %v, want 1s", got)
	}
	if got := e.Bytes("D", 42); got != 42 {
		t.Errorf("Bytes = %d, want 42", got)
	}
	if err := e.Err(); err != nil {
		t.Errorf("Err = %v, want nil", err)
	}
}

func TestEnvValues(t *testing.T) {
	e := config.NewEnv(envOf(map[string]string{
		"N": " 7 ", "D": "90s", "B": "yes", "S": "2GiB", "O": "Console", "U": "nats://a:4222,nats://b:4222",
		"L": "a, b,,c", "ADDR": ":8080", "OFF": "off",
	}))
	if got := e.Int("N", 0, 0, 10); got != 7 {
		t.Errorf("Int = %d, want 7", got)
	}
	if got := e.Duration("D", 0); got != 90*time.Second {
		t.Errorf("Duration = %v, want 90s", got)
	}
	if got := e.Bool("B", false); !got {
		t.Errorf("Bool = false, want true")
	}
	if got := e.Bytes("S", 0); got != 2<<30 {
		t.Errorf("Bytes = %d, want %d", got, 2<<30)
	}
	if got := e.OneOf("O", "json", "json", "console"); got != "console" {
		t.Errorf("OneOf = %q, want console", got)
	}
	if got := e.URL("U", "", true, "nats", "tls"); got != "nats://a:4222,nats://b:4222" {
		t.Errorf("URL = %q", got)
	}
	if got := e.List("L", nil); fmt.Sprint(got) != "[a b c]" {
		t.Errorf("List = %v, want [a b c]", got)
	}
	if got := e.Addr("ADDR", "", false); got != ":8080" {
		t.Errorf("Addr = %q", got)
	}
	if got := e.Addr("OFF", ":1", true); got != "" {
		t.Errorf("Addr(off) = %q, want empty", got)
	}
	if err := e.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
}

func TestEnvErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		read func(*config.Env)
		want string
	}{
		{"Duration", func(e *config.Env) { e.Duration("TRANSCODE_TIMEOUT", time.Minute) }, `config: TRANSCODE_TIMEOUT: invalid duration "5"`},
		{"Int", func(e *config.Env) { e.Int("TRANSCODE_TIMEOUT", 1, 0, 9); e.Int("WORKERS", 1, 0, 9) }, `config: WORKERS: invalid integer "four"`},
		{"Range", func(e *config.Env) { e.Int("TRANSCODE_TIMEOUT", 1, 6, 9) }, `config: TRANSCODE_TIMEOUT: 5 out of range [6, 9]`},
		{"Bool", func(e *config.Env) { e.Bool("TRANSCODE_TIMEOUT", false) }, `config: TRANSCODE_TIMEOUT: invalid boolean "5"`},
		{"OneOf", func(e *config.Env) { e.OneOf("TRANSCODE_TIMEOUT", "a", "a", "b") }, `config: TRANSCODE_TIMEOUT: invalid value "5" (want one of a, b)`},
		{"URL", func(e *config.Env) { e.URL("TRANSCODE_TIMEOUT", "", false, "nats") }, `config: TRANSCODE_TIMEOUT: invalid URL "5" (want nats://host:port)`},
		{"Addr", func(e *config.Env) { e.Addr("TRANSCODE_TIMEOUT", "", false) }, `config: TRANSCODE_TIMEOUT: invalid address "5" (want host:port or :port)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := config.NewEnv(envOf(map[string]string{"TRANSCODE_TIMEOUT": "5", "WORKERS": "four"}))
			tt.read(e)
			if err := e.Err(); err == nil || err.Error() != tt.want {
				t.Errorf("Err = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("Bytes", func(t *testing.T) {
		e := config.NewEnv(envOf(map[string]string{"MAX": "12 parsecs"}))
		e.Bytes("MAX", 1)
		if err := e.Err(); err == nil || !strings.Contains(err.Error(), "MAX") {
			t.Errorf("Err = %v, want one naming MAX", err)
		}
	})
	t.Run("AllReported", func(t *testing.T) {
		e := config.NewEnv(envOf(map[string]string{"A": "x", "B": "y"}))
		e.Int("A", 0, 0, 1)
		e.Duration("B", time.Second)
		err := e.Err()
		if err == nil || !strings.Contains(err.Error(), "A:") || !strings.Contains(err.Error(), "B:") {
			t.Errorf("Err = %v, want both A and B", err)
		}
	})
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1048576", 1 << 20, true}, {"512KiB", 512 << 10, true}, {"100MB", 100_000_000, true},
		{"1.5g", 3 << 29, true}, {"2 GiB", 2 << 30, true}, {"", 0, false}, {"-1", 0, false}, {"MB", 0, false}, {"1x", 0, false},
	}
	for _, tt := range tests {
		got, err := config.ParseBytes(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestSecretRedacted(t *testing.T) {
	s := config.Secret("hunter2")
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("cfg", "password", s)
	j, _ := json.Marshal(struct{ P config.Secret }{s})
	for _, out := range []string{b.String(), string(j), fmt.Sprint(s), fmt.Sprintf("%v", s)} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}
