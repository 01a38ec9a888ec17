package transcode

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Spec returns the transcode command's description for [funcmain.Main]: the
// micro service "transcode" with one endpoint, phantom.transcode.run, and the
// local invoke `transcode run --out DIR [--options JSON] FILE`.
func Spec(version string) funcmain.Spec {
	var cfg Config
	return funcmain.Spec{
		Name:        "transcode",
		Version:     version,
		Description: "Renders an audio object in other formats (MP3, AAC, Opus, Vorbis, FLAC, WAV), loudness-normalised on request",
		Metadata: map[string]string{
			"subject": contract.TranscodeSubject,
			"formats": "mp3,aac,opus,vorbis,flac,wav",
			"presets": strings.Join(slices.Sorted(maps.Keys(contract.TranscodePresets())), ","),
		},
		Load: func(e *config.Env) (funcmain.Common, error) {
			c, err := LoadConfig(e)
			cfg = c
			return c.Common, err
		},
		Endpoints: func(d funcmain.Deps) ([]endpoint.Endpoint, error) {
			return Endpoints(New(d.Runner, d.Blobs, cfg.MaxInputBytes, d.Reg), cfg.RequestTimeout), nil
		},
		Run: func(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, options json.RawMessage, outDir string) (any, error) {
			opts, err := decodeOptions(options)
			if err != nil {
				return nil, err
			}
			return File(ctx, runner, job, opts, outDir)
		},
		NeedsOut: true,
	}
}

// Endpoints returns the transcode function's endpoints; timeout bounds one
// request.
func Endpoints(t *Transcoder, timeout time.Duration) []endpoint.Endpoint {
	return []endpoint.Endpoint{{
		Name: "run",
		Description: `render renditions: {"input":{"key":"…"},"output_prefix":"…/",` +
			`"options":{"targets":[{"preset":"mp3-320"}],"normalize":{"integrated_lufs":-14}}}`,
		Handler: endpoint.JSON(t.Transcode),
		Timeout: timeout,
	}}
}

func decodeOptions(raw json.RawMessage) (Options, error) {
	opts, err := funcmain.DecodeOptions[Options](raw)
	if err != nil {
		var fe *fault.Error
		if errors.As(err, &fe) {
			return opts, fault.Errorf(fault.Invalid, "--options: %s", strings.TrimPrefix(fe.Msg, "invalid request: "))
		}
	}
	return opts, err
}
