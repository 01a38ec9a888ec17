package probe

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Spec returns the probe command's description for [funcmain.Main]: the micro
// service "probe" with one endpoint, phantom.probe.inspect.
func Spec(version string) funcmain.Spec {
	var maxInput int64
	return funcmain.Spec{
		Name:        "probe",
		Version:     version,
		Description: "Describes an audio object: container, decoded duration, streams, tags, cover art",
		Metadata: map[string]string{
			"subject": "phantom.probe.inspect",
			"formats": strings.Join(ffmpeg.Demuxers(), ","),
		},
		Load: func(e *config.Env) (funcmain.Common, error) {
			c, err := LoadConfig(e)
			maxInput = c.MaxInputBytes
			return c.Common, err
		},
		Endpoints: func(d funcmain.Deps) ([]endpoint.Endpoint, error) {
			return Endpoints(New(d.Runner, d.Blobs, maxInput)), nil
		},
		Run: func(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, options json.RawMessage, _ string) (any, error) {
			opts, err := funcmain.DecodeOptions[Options](options)
			if err != nil {
				return nil, err
			}
			return File(ctx, runner, job, opts)
		},
	}
}

// Endpoints returns the probe function's endpoints.
func Endpoints(p *Prober) []endpoint.Endpoint {
	return []endpoint.Endpoint{{
		Name:        "inspect",
		Description: "probe an object: {\"input\":{\"key\":\"…\"}}",
		Handler:     endpoint.JSON(p.Probe),
		Timeout:     30 * time.Minute,
	}}
}
