package analyze

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

// Spec returns the analyze command's description for [funcmain.Main]: the micro
// service "analyze" with one endpoint, phantom.analyze.run. A local run
// (`analyze run [--options JSON] [--out DIR] FILE`) writes the waveform files into
// --out when it is given.
func Spec(version string) funcmain.Spec {
	var limits Limits
	return funcmain.Spec{
		Name:        "analyze",
		Version:     version,
		Description: "Tempo (BPM, beats), musical key and waveform peaks (audiowaveform JSON and .dat, PNG) of an audio object",
		Metadata: map[string]string{
			"subject":  contract.AnalyzeSubject,
			"features": strings.Join(contract.Features(), ","),
			"formats":  strings.Join(ffmpeg.Demuxers(), ","),
		},
		Load: func(e *config.Env) (funcmain.Common, error) {
			c, err := LoadConfig(e)
			limits = c.Limits
			return c.Common, err
		},
		Endpoints: func(d funcmain.Deps) ([]endpoint.Endpoint, error) {
			return Endpoints(New(d.Runner, d.Blobs, limits)), nil
		},
		Run: func(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, options json.RawMessage, outDir string) (any, error) {
			opts, err := funcmain.DecodeOptions[Options](options)
			if err != nil {
				return nil, err
			}
			var out Output
			if outDir != "" {
				out = DirOutput(outDir)
			}
			return File(ctx, runner, job, opts, limits, out)
		},
	}
}

// Endpoints returns the analyze function's endpoints.
func Endpoints(a *Analyzer) []endpoint.Endpoint {
	return []endpoint.Endpoint{{
		Name:        "run",
		Description: `analyze an object: {"input":{"key":"…"},"output_prefix":"…/","options":{"features":["tempo","key","waveform"]}}`,
		Handler:     endpoint.JSON(a.Analyze),
		Timeout:     30 * time.Minute,
	}}
}
