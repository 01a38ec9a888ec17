package gateway

import (
	"encoding/json"
	"time"

	"github.com/phantomchain/phantomchain/platform/contract"
)

// Functions returns the registrations of every function the gateway knows; a new
// function adds one entry.
func Functions() []Function {
	return []Function{
		probeFunction(),
		loudnessFunction(),
		transcodeFunction(),
		analyzeFunction(),
	}
}

// probeFunction runs first in every job: it validates the input (a 4xx fails the
// job at once) and describes it.
func probeFunction() Function {
	return Function{
		Name: "probe", Subject: contract.ProbeSubject, Stage: 0, Required: true, Default: true,
		Timeout: 15 * time.Minute,
		Plan: func(raw json.RawMessage) ([]PlannedStep, error) {
			if _, err := DecodeOptions[contract.ProbeOptions]("probe", raw); err != nil {
				return nil, err
			}
			return []PlannedStep{{Name: "probe", Params: raw}}, nil
		},
		Request: func(job *Job, step *Step) (any, error) {
			opts, err := DecodeOptions[contract.ProbeOptions]("probe", step.Params)
			return contract.ProbeRequest{Input: contract.ObjectRef{Key: job.Input.Key}, Options: opts}, err
		},
	}
}
