package loudness_test

import (
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/config"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantInput  int64
		wantPCM    int64
		wantErrKey string
	}{
		{"Defaults", nil, 4 << 30, 64 << 30, ""},
		{"Set", map[string]string{"LOUDNESS_MAX_INPUT": "1GiB", "LOUDNESS_MAX_DECODED": "100GiB", "FFMPEG_MAX_OUTPUT": "1MiB"}, 1 << 30, 100 << 30, ""},
		{"BadSize", map[string]string{"LOUDNESS_MAX_DECODED": "lots"}, 0, 0, "LOUDNESS_MAX_DECODED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loudness.LoadConfig(config.NewEnv(func(k string) string { return tt.env[k] }))
			if tt.wantErrKey != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrKey) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErrKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// The decoded PCM is streamed, never stored: its own limit replaces the
			// output-file limit.
			if cfg.MaxInputBytes != tt.wantInput || cfg.MaxDecodedBytes != tt.wantPCM || cfg.FFmpeg.MaxOutputBytes != tt.wantPCM {
				t.Errorf("max input %d, max decoded %d, ffmpeg max output %d; want %d, %d, %d",
					cfg.MaxInputBytes, cfg.MaxDecodedBytes, cfg.FFmpeg.MaxOutputBytes, tt.wantInput, tt.wantPCM, tt.wantPCM)
			}
			if cfg.FFmpeg.Timeout != 30*time.Minute || cfg.Concurrency != 1 {
				t.Errorf("timeout %v, concurrency %d, want the common defaults 30m and 1", cfg.FFmpeg.Timeout, cfg.Concurrency)
			}
		})
	}
}
