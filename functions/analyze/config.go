package analyze

import (
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// minPCMBytes is the smallest ANALYZE_MAX_PCM: 1 MiB holds 5.9 s at 44.1 kHz,
// enough for a tempo.
const minPCMBytes = 1 << 20

// Config is the analyze function's configuration.
type Config struct {
	funcmain.Common
	// Limits come from ANALYZE_MAX_INPUT (the largest object fetched, default
	// 4 GiB) and ANALYZE_MAX_PCM (the decoded samples kept for tempo and key,
	// default 64 MiB: the first 6 min 20 s at 44.1 kHz).
	Limits Limits
}

// LoadConfig reads the configuration from the environment.
func LoadConfig(e *config.Env) (Config, error) {
	c := Config{
		Common: funcmain.LoadCommon(e, "analyze"),
		Limits: Limits{
			MaxInputBytes: e.Bytes("ANALYZE_MAX_INPUT", DefaultMaxInputBytes),
			MaxPCMBytes:   e.Bytes("ANALYZE_MAX_PCM", DefaultMaxPCMBytes),
		},
	}
	if c.Limits.MaxInputBytes < 1 {
		e.Fail("ANALYZE_MAX_INPUT", "must be at least 1 byte")
	}
	if c.Limits.MaxPCMBytes < minPCMBytes {
		e.Fail("ANALYZE_MAX_PCM", "must be at least 1 MiB")
	}
	return c, e.Err()
}
