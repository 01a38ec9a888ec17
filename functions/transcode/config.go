package transcode

import (
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Config is the transcode function's configuration.
type Config struct {
	funcmain.Common
	// MaxInputBytes caps the objects it fetches (TRANSCODE_MAX_INPUT, default
	// 4 GiB).
	MaxInputBytes int64
	// RequestTimeout bounds one request, every rendition of it included
	// (TRANSCODE_REQUEST_TIMEOUT, default 2 h). Each ffmpeg run has its own
	// limit, TRANSCODE_TIMEOUT (default 30 min). Callers that ask for progress
	// get heartbeats, so a long request is never mistaken for a lost one.
	RequestTimeout time.Duration
}

// LoadConfig reads the configuration from the environment.
func LoadConfig(e *config.Env) (Config, error) {
	c := Config{
		Common:         funcmain.LoadCommon(e, "transcode"),
		MaxInputBytes:  e.Bytes("TRANSCODE_MAX_INPUT", 4<<30),
		RequestTimeout: e.Duration("TRANSCODE_REQUEST_TIMEOUT", 2*time.Hour),
	}
	if c.RequestTimeout < c.FFmpeg.Timeout {
		e.Fail("TRANSCODE_REQUEST_TIMEOUT", "must be at least TRANSCODE_TIMEOUT (%s)", c.FFmpeg.Timeout)
	}
	return c, e.Err()
}
