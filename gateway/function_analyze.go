package gateway

import (
	"encoding/json"
	"fmt"
	"path"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// analyzeFunction computes the tempo, key and waveform after probe. It runs by
// default (a job without steps gets probe, loudness and analyze), or when a job
// lists it or gives it options. Its waveform files go
// under the job's artifact folder, <tenant>/jobs/<id>/artifacts/analyze/ (the
// layout of [ArtifactPrefix]).
func analyzeFunction() Function {
	return Function{
		Name: "analyze", Subject: contract.AnalyzeSubject, Stage: 1, Default: true,
		Plan: func(raw json.RawMessage) ([]PlannedStep, error) {
			if _, err := analyzeOptions(raw); err != nil {
				return nil, err
			}
			return []PlannedStep{{Name: "analyze", Params: raw}}, nil
		},
		Request: func(job *Job, step *Step) (any, error) {
			opts, err := analyzeOptions(step.Params)
			return contract.AnalyzeRequest{
				Input:        contract.ObjectRef{Key: job.Input.Key},
				OutputPrefix: fmt.Sprintf("%s/jobs/%s/artifacts/analyze/", job.Tenant, job.ID),
				Options:      opts,
			}, err
		},
		// The waveform files, named by their file names: waveform.json (peaks.js),
		// waveform.dat and waveform.png.
		Artifacts: func(job *Job, step *Step) []Artifact {
			var res contract.AnalyzeResult
			if json.Unmarshal(step.Result, &res) != nil || res.Waveform == nil {
				return nil
			}
			var arts []Artifact
			for _, f := range []*contract.AnalyzeArtifact{res.Waveform.JSON, res.Waveform.Dat, res.Waveform.PNG} {
				if f != nil {
					arts = append(arts, Artifact{Name: path.Base(f.Key), File: path.Base(f.Key),
						ContentType: f.ContentType, Size: f.SizeBytes, Key: f.Key})
				}
			}
			return arts
		},
	}
}

// analyzeOptions decodes a job's analyze options strictly and checks what can be
// checked here, so a bad option fails the upload instead of the step; the function
// checks the rest (ranges, profile names, colours) when it runs.
func analyzeOptions(raw json.RawMessage) (contract.AnalyzeOptions, error) {
	opts, err := DecodeOptions[contract.AnalyzeOptions]("analyze", raw)
	if err != nil {
		return opts, err
	}
	if err := opts.Validate(); err != nil {
		return opts, fault.Errorf(fault.Invalid, "options: analyze: %s", fault.Message(err))
	}
	return opts, nil
}
