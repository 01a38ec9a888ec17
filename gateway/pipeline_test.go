package gateway_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// testPipeline has a required stage-0 function and two optional stage-1 ones, one of
// which runs by default and one of which plans a step per target.
func testPipeline(t *testing.T) *gateway.Pipeline {
	t.Helper()
	one := func(name string) func(json.RawMessage) ([]gateway.PlannedStep, error) {
		return func(raw json.RawMessage) ([]gateway.PlannedStep, error) {
			return []gateway.PlannedStep{{Name: name, Params: raw}}, nil
		}
	}
	req := func(*gateway.Job, *gateway.Step) (any, error) { return nil, nil }
	p, err := gateway.NewPipeline(
		gateway.Function{Name: "probe", Subject: "phantom.probe.inspect", Required: true, Default: true, Plan: one("probe"), Request: req},
		gateway.Function{Name: "loudness", Subject: "phantom.loudness.measure", Stage: 1, Default: true, Plan: one("loudness"), Request: req},
		gateway.Function{Name: "transcode", Subject: "phantom.transcode.run", Stage: 1, Request: req,
			Plan: func(raw json.RawMessage) ([]gateway.PlannedStep, error) {
				var o struct{ Targets []string }
				if err := json.Unmarshal(raw, &o); err != nil || len(o.Targets) == 0 {
					return nil, fault.Errorf(fault.Invalid, "options: transcode: targets required")
				}
				var steps []gateway.PlannedStep
				for _, tg := range o.Targets {
					steps = append(steps, gateway.PlannedStep{Name: "transcode:" + tg})
				}
				return steps, nil
			}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlan(t *testing.T) {
	p := testPipeline(t)
	type step struct {
		Name  string
		Stage int
		State gateway.StepState
	}
	tests := []struct {
		name    string
		options string
		want    []step
		wantErr string
	}{
		{"Defaults", `{}`, []step{{"probe", 0, "queued"}, {"loudness", 1, "pending"}}, ""},
		{"ProbeAlwaysFirst", `{"steps":["loudness"]}`, []step{{"probe", 0, "queued"}, {"loudness", 1, "pending"}}, ""},
		{"OnlyProbe", `{"steps":["probe"]}`, []step{{"probe", 0, "queued"}}, ""},
		{"OptionsImplyStep", `{"steps":["probe"],"transcode":{"Targets":["mp3","opus"]}}`,
			[]step{{"probe", 0, "queued"}, {"transcode:mp3", 1, "pending"}, {"transcode:opus", 1, "pending"}}, ""},
		{"UnknownStep", `{"steps":["levitate"]}`, nil, `unknown function "levitate"`},
		{"UnknownKey", `{"colour":"red"}`, nil, `unknown key "colour"`},
		{"PlanError", `{"transcode":{}}`, nil, "targets required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts gateway.Options
			if err := json.Unmarshal([]byte(tt.options), &opts); err != nil {
				t.Fatal(err)
			}
			steps, err := p.Plan(opts)
			if tt.wantErr != "" {
				if fault.KindOf(err) != fault.Invalid || !strings.Contains(fault.Message(err), tt.wantErr) {
					t.Fatalf("err = %v, want invalid containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []step
			for _, s := range steps {
				got = append(got, step{s.Name, s.Stage, s.State})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Plan mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOptionsJSON(t *testing.T) {
	in := `{"loudness":{"curve_step_s":1},"steps":["probe","loudness"]}`
	var o gateway.Options
	if err := json.Unmarshal([]byte(in), &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Steps) != 2 || string(o.Params["loudness"]) != `{"curve_step_s":1}` {
		t.Fatalf("Options = %+v", o)
	}
	out, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip = %s, want %s", out, in)
	}
	if err := json.Unmarshal([]byte(`{"steps":"probe"}`), &o); err == nil {
		t.Error(`"steps":"probe" accepted`)
	}
}

func TestDecodeOptions(t *testing.T) {
	type opts struct {
		Level int `json:"level"`
	}
	if _, err := gateway.DecodeOptions[opts]("x", json.RawMessage(`{"levle":3}`)); err == nil || !strings.Contains(fault.Message(err), `unknown field "levle"`) {
		t.Errorf("typo accepted or badly reported: %v", err)
	}
	if _, err := gateway.DecodeOptions[opts]("x", json.RawMessage(`{"level":"high"}`)); err == nil || !strings.Contains(fault.Message(err), "level must be int") {
		t.Errorf("wrong type: %v", err)
	}
	if o, err := gateway.DecodeOptions[opts]("x", nil); err != nil || o.Level != 0 {
		t.Errorf("nil options: %v %v", o, err)
	}
}

func TestNewPipelineRejects(t *testing.T) {
	f := gateway.Function{Name: "a", Subject: "s", Plan: func(json.RawMessage) ([]gateway.PlannedStep, error) { return nil, nil },
		Request: func(*gateway.Job, *gateway.Step) (any, error) { return nil, nil }}
	if _, err := gateway.NewPipeline(f, f); err == nil {
		t.Error("duplicate function accepted")
	}
	g := f
	g.Subject = ""
	if _, err := gateway.NewPipeline(g); err == nil {
		t.Error("function without subject accepted")
	}
}
