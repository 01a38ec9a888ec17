package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/logging"
)

func TestJSONWithContextAttrs(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Level: slog.LevelInfo, Format: "json"}).With("service", "probe")
	ctx := logging.With(context.Background(), "job_id", "j1", slog.Int("attempt", 2))
	log.DebugContext(ctx, "hidden")
	log.InfoContext(ctx, "job dispatched", slog.String("subject", "phantom.probe.inspect"))

	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("want exactly one JSON line, got %q: %v", buf.String(), err)
	}
	want := map[string]any{"level": "info", "msg": "job dispatched", "service": "probe", "job_id": "j1", "attempt": float64(2), "subject": "phantom.probe.inspect"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["time"]; !ok {
		t.Error("no time field")
	}
}

func TestLoadConfig(t *testing.T) {
	e := config.NewEnv(func(k string) string { return map[string]string{"LOG_LEVEL": "debug", "LOG_FORMAT": "console"}[k] })
	cfg := logging.LoadConfig(e)
	if cfg.Level != slog.LevelDebug || cfg.Format != "console" || e.Err() != nil {
		t.Errorf("LoadConfig = %+v, %v", cfg, e.Err())
	}
	e = config.NewEnv(func(k string) string { return map[string]string{"LOG_LEVEL": "loud"}[k] })
	logging.LoadConfig(e)
	if e.Err() == nil {
		t.Error("LOG_LEVEL=loud accepted")
	}
}
