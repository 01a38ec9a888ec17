// Package logging builds the *slog.Logger every PhantomChain program logs through:
// the log/slog API with zap underneath (go.uber.org/zap/exp/zapslog), JSON lines by
// default, and attributes carried in a context.Context (job_id, function, attempt)
// added to every line logged with that context.
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
	"go.uber.org/zap/zapcore"

	"github.com/phantomchain/phantomchain/platform/config"
)

// Config selects the level and format of log output.
type Config struct {
	// Level is the minimum level logged (LOG_LEVEL: debug, info, warn, error).
	Level slog.Level
	// Format is "json" (the default) or "console" (LOG_FORMAT).
	Format string
}

// LoadConfig reads LOG_LEVEL and LOG_FORMAT.
func LoadConfig(e *config.Env) Config {
	levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
	lvl := e.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error")
	return Config{Level: levels[lvl], Format: e.OneOf("LOG_FORMAT", "json", "json", "console")}
}

// New returns a logger writing to w.
func New(w io.Writer, cfg Config) *slog.Logger {
	enc := zap.NewProductionEncoderConfig()
	enc.TimeKey = "time"
	enc.MessageKey = "msg"
	enc.EncodeTime = zapcore.RFC3339NanoTimeEncoder
	enc.EncodeDuration = zapcore.SecondsDurationEncoder
	var encoder zapcore.Encoder
	if cfg.Format == "console" {
		enc.EncodeLevel = zapcore.CapitalColorLevelEncoder
		encoder = zapcore.NewConsoleEncoder(enc)
	} else {
		encoder = zapcore.NewJSONEncoder(enc)
	}
	core := zapcore.NewCore(encoder, zapcore.AddSync(w), zapLevel(cfg.Level))
	return slog.New(contextHandler{zapslog.NewHandler(core, zapslog.WithCaller(false))})
}

func zapLevel(l slog.Level) zapcore.Level {
	switch {
	case l >= slog.LevelError:
		return zapcore.ErrorLevel
	case l >= slog.LevelWarn:
		return zapcore.WarnLevel
	case l >= slog.LevelInfo:
		return zapcore.InfoLevel
	}
	return zapcore.DebugLevel
}

// Discard returns a logger that drops everything.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Test returns a logger that writes through tb.Log, so output appears with the test
// that produced it and only when it fails or runs verbosely.
func Test(tb testing.TB) *slog.Logger {
	return slog.New(contextHandler{slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug})})
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

type ctxKey struct{}

// With returns a context whose log lines carry attrs (key-value pairs or slog.Attr
// values, as for [slog.Logger.With]) in addition to those already in ctx.
func With(ctx context.Context, args ...any) context.Context {
	rec := slog.Record{}
	rec.Add(args...)
	attrs := append([]slog.Attr(nil), attrsOf(ctx)...)
	rec.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	return context.WithValue(ctx, ctxKey{}, attrs)
}

func attrsOf(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	a, _ := ctx.Value(ctxKey{}).([]slog.Attr)
	return a
}

// contextHandler adds the attributes stored in the record's context by [With].
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if attrs := attrsOf(ctx); len(attrs) > 0 {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
