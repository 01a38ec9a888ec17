package transcode_test

import (
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/config"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    func(transcode.Config) bool
		wantErr string
	}{
		{"Defaults", nil, func(c transcode.Config) bool {
			return c.MaxInputBytes == 4<<30 && c.RequestTimeout == 2*time.Hour && c.FFmpeg.Timeout == 30*time.Minute && c.Concurrency == 1
		}, ""},
		{"Set", map[string]string{"TRANSCODE_MAX_INPUT": "1GiB", "TRANSCODE_REQUEST_TIMEOUT": "3h", "TRANSCODE_TIMEOUT": "1h",
			"TRANSCODE_CONCURRENCY": "2", "TRANSCODE_WORKDIR": "/scratch"}, func(c transcode.Config) bool {
			return c.MaxInputBytes == 1<<30 && c.RequestTimeout == 3*time.Hour && c.FFmpeg.Timeout == time.Hour &&
				c.Concurrency == 2 && c.FFmpeg.WorkDir == "/scratch"
		}, ""},
		{"RequestShorterThanEncode", map[string]string{"TRANSCODE_REQUEST_TIMEOUT": "10m"}, nil, "TRANSCODE_REQUEST_TIMEOUT"},
		{"BadDuration", map[string]string{"TRANSCODE_REQUEST_TIMEOUT": "5"}, nil, "TRANSCODE_REQUEST_TIMEOUT"},
		{"BadSize", map[string]string{"TRANSCODE_MAX_INPUT": "lots"}, nil, "TRANSCODE_MAX_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := transcode.LoadConfig(config.NewEnv(func(k string) string { return tt.env[k] }))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.want(c) {
				t.Errorf("LoadConfig = %+v, %v", c, err)
			}
		})
	}
}
