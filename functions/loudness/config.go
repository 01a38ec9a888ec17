package loudness

import (
	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Config is the loudness function's configuration.
type Config struct {
	funcmain.Common
	// MaxInputBytes caps the objects it fetches (LOUDNESS_MAX_INPUT, default 4 GiB).
	MaxInputBytes int64
	// MaxDecodedBytes caps the PCM one decode may produce (LOUDNESS_MAX_DECODED,
	// default 64 GiB: 46 hours of 48 kHz stereo, 15 hours of 5.1). The PCM is
	// measured as it streams and never stored, so this bounds work, not memory or
	// disk; it replaces FFMPEG_MAX_OUTPUT, which bounds files this function does
	// not write.
	MaxDecodedBytes int64
}

// LoadConfig reads the configuration from the environment.
func LoadConfig(e *config.Env) (Config, error) {
	c := Config{
		Common:          funcmain.LoadCommon(e, "loudness"),
		MaxInputBytes:   e.Bytes("LOUDNESS_MAX_INPUT", 4<<30),
		MaxDecodedBytes: e.Bytes("LOUDNESS_MAX_DECODED", 64<<30),
	}
	c.FFmpeg.MaxOutputBytes = c.MaxDecodedBytes
	return c, e.Err()
}
