package gateway

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// TranscodeStepPrefix begins the name of every transcode step: one step per
// target, "transcode:<target name>", so the targets of a job run in parallel,
// each on whichever transcode instance takes it.
const TranscodeStepPrefix = "transcode:"

// transcodeFunction makes renditions after probe has accepted the input. It runs
// when a job lists "transcode" in its steps (one rendition, the mp3-320 preset)
// or gives transcode options ({"targets": [...], "normalize": {...}}); a job
// without steps is not transcoded, as renditions cost time and storage that a
// client asking only about its file should not pay.
func transcodeFunction() Function {
	return Function{
		Name: "transcode", Subject: contract.TranscodeSubject, Stage: 1,
		// Heartbeats tell a long encode from a lost one; the timeout only bounds
		// a stuck call.
		Timeout: 2 * time.Hour,
		// A lost call is tried again on another instance; an encoder failure
		// (5xx) a few times, not for long.
		MaxAttempts: 3,
		Plan: func(raw json.RawMessage) ([]PlannedStep, error) {
			targets, err := transcodeTargets(raw)
			if err != nil {
				return nil, err
			}
			steps := make([]PlannedStep, len(targets))
			for i, t := range targets {
				params, err := json.Marshal(contract.TranscodeOptions{Targets: []contract.TranscodeTarget{t}})
				if err != nil {
					return nil, fmt.Errorf("transcode options: %w", err)
				}
				steps[i] = PlannedStep{Name: TranscodeStepPrefix + t.Name, Params: params}
			}
			return steps, nil
		},
		Request: func(job *Job, step *Step) (any, error) {
			opts, err := DecodeOptions[contract.TranscodeOptions]("transcode", step.Params)
			name := strings.TrimPrefix(step.Name, TranscodeStepPrefix)
			return contract.TranscodeRequest{
				Input:        contract.ObjectRef{Key: job.Input.Key},
				OutputPrefix: ArtifactPrefix(job, "transcode", name),
				Options:      opts,
			}, err
		},
		Artifacts: func(job *Job, step *Step) []Artifact {
			var res contract.TranscodeResult
			if json.Unmarshal(step.Result, &res) != nil {
				return nil
			}
			prefix := ArtifactPrefix(job, "transcode", strings.TrimPrefix(step.Name, TranscodeStepPrefix))
			var arts []Artifact
			for _, out := range res.Outputs {
				// A rendition is exactly one file in its step's own folder.
				if !strings.HasPrefix(out.Key, prefix) || strings.Contains(out.Key[len(prefix):], "/") {
					continue
				}
				arts = append(arts, Artifact{Name: out.Name, File: path.Base(out.Key), ContentType: out.ContentType,
					Size: out.Size, SHA256: out.SHA256, Key: out.Key})
			}
			return arts
		},
	}
}

// transcodeTargets decodes a job's transcode options strictly and resolves them
// (presets, defaults, validation), so a bad option fails the upload.
func transcodeTargets(raw json.RawMessage) ([]contract.TranscodeTarget, error) {
	opts, err := DecodeOptions[contract.TranscodeOptions]("transcode", raw)
	if err != nil {
		return nil, err
	}
	targets, err := opts.Resolve()
	if err != nil {
		return nil, fault.Errorf(fault.Invalid, "options: transcode: %s", fault.Message(err))
	}
	return targets, nil
}
