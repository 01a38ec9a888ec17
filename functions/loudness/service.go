package loudness

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// Spec returns the loudness command's description for [funcmain.Main]: the micro
// service "loudness" with one endpoint, phantom.loudness.measure.
func Spec(version string) funcmain.Spec {
	var maxInput int64
	return funcmain.Spec{
		Name:        "loudness",
		Version:     version,
		Description: "Measures loudness per ITU-R BS.1770-4 / EBU R 128: integrated, range, true peak, compliance",
		Metadata: map[string]string{
			"subject":   contract.LoudnessSubject,
			"standards": "ITU-R BS.1770-4,EBU R 128,EBU Tech 3341,EBU Tech 3342",
			"targets":   strings.Join(contract.LoudnessTargets(), ","),
			"formats":   strings.Join(ffmpeg.Demuxers(), ","),
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

// Endpoints returns the loudness function's endpoints.
func Endpoints(m *Measurer) []endpoint.Endpoint {
	return []endpoint.Endpoint{{
		Name:        "measure",
		Description: "measure an object's loudness: {\"input\":{\"key\":\"…\"},\"options\":{\"curve_step_s\":1,\"true_peak\":true,\"targets\":[\"ebu_r128\"]}}",
		Handler:     endpoint.JSON(m.Measure),
		Timeout:     30 * time.Minute,
	}}
}
