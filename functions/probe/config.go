package probe

import (
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Config is the probe function's configuration.
type Config struct {
	funcmain.Common
	// MaxInputBytes caps the objects it fetches (PROBE_MAX_INPUT, default 4 GiB).
	MaxInputBytes int64
}

// LoadConfig reads the configuration from the environment.
func LoadConfig(e *config.Env) (Config, error) {
	c := Config{
		Common:        funcmain.LoadCommon(e, "probe"),
		MaxInputBytes: e.Bytes("PROBE_MAX_INPUT", 4<<30),
	}
	return c, e.Err()
}
