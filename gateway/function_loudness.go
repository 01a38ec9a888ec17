package gateway

import (
	"encoding/json"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// loudnessFunction measures loudness (BS.1770-4 / EBU R 128) after probe. It runs
// by default (a job without steps gets probe, loudness and analyze), or when a job
// lists it or gives it options.
func loudnessFunction() Function {
	return Function{
		Name: "loudness", Subject: contract.LoudnessSubject, Stage: 1, Default: true,
		Plan: func(raw json.RawMessage) ([]PlannedStep, error) {
			if _, err := loudnessOptions(raw); err != nil {
				return nil, err
			}
			return []PlannedStep{{Name: "loudness", Params: raw}}, nil
		},
		Request: func(job *Job, step *Step) (any, error) {
			opts, err := loudnessOptions(step.Params)
			return contract.LoudnessRequest{Input: contract.ObjectRef{Key: job.Input.Key}, Options: opts}, err
		},
	}
}

// loudnessOptions decodes a job's loudness options strictly and checks their
// values, so a bad option fails the upload instead of the step.
func loudnessOptions(raw json.RawMessage) (contract.LoudnessOptions, error) {
	opts, err := DecodeOptions[contract.LoudnessOptions]("loudness", raw)
	if err != nil {
		return opts, err
	}
	if err := opts.Validate(); err != nil {
		return opts, fault.Errorf(fault.Invalid, "options: loudness: %s", fault.Message(err))
	}
	return opts, nil
}
