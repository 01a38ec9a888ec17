package analyze_test

import (
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/config"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    analyze.Limits
		wantErr string // a part of the error, "" for none
	}{
		{"Defaults", nil, analyze.Limits{MaxInputBytes: 4 << 30, MaxPCMBytes: 64 << 20}, ""},
		{"Set", map[string]string{"ANALYZE_MAX_INPUT": "1GiB", "ANALYZE_MAX_PCM": "16MiB", "ANALYZE_CONCURRENCY": "2"},
			analyze.Limits{MaxInputBytes: 1 << 30, MaxPCMBytes: 16 << 20}, ""},
		{"PCMTooSmall", map[string]string{"ANALYZE_MAX_PCM": "64k"}, analyze.Limits{}, "ANALYZE_MAX_PCM"},
		{"BadInput", map[string]string{"ANALYZE_MAX_INPUT": "lots"}, analyze.Limits{}, "ANALYZE_MAX_INPUT"},
		{"BadTimeout", map[string]string{"ANALYZE_TIMEOUT": "5"}, analyze.Limits{}, "ANALYZE_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := analyze.LoadConfig(config.NewEnv(func(k string) string { return tt.env[k] }))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Limits != tt.want {
				t.Errorf("Limits = %+v, want %+v", c.Limits, tt.want)
			}
			if tt.env["ANALYZE_CONCURRENCY"] == "2" && c.Concurrency != 2 {
				t.Errorf("Concurrency = %d, want 2", c.Concurrency)
			}
		})
	}
}
