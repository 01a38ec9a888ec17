package gateway_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// TestAnalyzeFunction plans analyze steps from job options and builds their
// requests: the input, the job's artifact folder and the options.
func TestAnalyzeFunction(t *testing.T) {
	p, err := gateway.NewPipeline(gateway.Functions()...)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := p.Function("analyze")
	if !ok || f.Subject != contract.AnalyzeSubject || f.Stage != 1 {
		t.Fatalf("analyze registration = %+v, want stage 1 on %s", f, contract.AnalyzeSubject)
	}
	var opts gateway.Options
	if err := json.Unmarshal([]byte(`{"steps":["analyze"],"analyze":{"features":["tempo","waveform"],"waveform":{"bits":16}}}`), &opts); err != nil {
		t.Fatal(err)
	}
	steps, err := p.Plan(opts)
	if err != nil {
		t.Fatal(err)
	}
	job := &gateway.Job{ID: "j1", Tenant: "acme", Input: gateway.Input{Key: "acme/jobs/j1/input"}, Steps: steps}
	step, ok := job.Step("analyze")
	if !ok || step.Stage != 1 {
		t.Fatalf("steps = %+v, want an analyze step in stage 1", steps)
	}
	req, err := f.Request(job, step)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := req.(contract.AnalyzeRequest)
	if !ok || got.Input.Key != "acme/jobs/j1/input" || got.OutputPrefix != "acme/jobs/j1/artifacts/analyze/" ||
		len(got.Options.Features) != 2 || got.Options.Waveform.Bits != 16 {
		t.Errorf("request = %+v", req)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("the request does not validate: %v", err)
	}

	for _, bad := range []string{
		`{"analyze":{"waveform":{"bits":12}}}`,
		`{"analyze":{"features":["mood"]}}`,
		`{"analyze":{"tempo":{"bpm":120}}}`,
	} {
		if err := json.Unmarshal([]byte(bad), &opts); err != nil {
			t.Fatal(err)
		}
		_, err := p.Plan(opts)
		if fault.KindOf(err) != fault.Invalid || !strings.Contains(fault.Message(err), "analyze") {
			t.Errorf("Plan(%s) = %v, want an invalid error naming analyze", bad, err)
		}
	}
}
