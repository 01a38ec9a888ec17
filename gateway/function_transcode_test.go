package gateway_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// TestTranscodeFunction plans one transcode step per target and builds each
// step's request: the input, the target's artifact folder and its target alone.
func TestTranscodeFunction(t *testing.T) {
	p, err := gateway.NewPipeline(gateway.Functions()...)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := p.Function("transcode")
	if !ok || f.Subject != contract.TranscodeSubject || f.Stage != 1 || f.Default || f.MaxAttempts < 2 {
		t.Fatalf("transcode registration = %+v, want stage 1 on %s, not a default, retried", f, contract.TranscodeSubject)
	}
	plan := func(options string) ([]gateway.Step, error) {
		t.Helper()
		var opts gateway.Options
		if err := json.Unmarshal([]byte(options), &opts); err != nil {
			t.Fatal(err)
		}
		return p.Plan(opts)
	}
	tests := []struct {
		name    string
		options string
		want    []string // transcode step names
	}{
		{"NotByDefault", `{}`, nil},
		{"DefaultTarget", `{"steps":["transcode"]}`, []string{"transcode:mp3-320"}},
		{"Targets", `{"transcode":{"targets":[{"preset":"opus-96"},{"format":"flac","bit_depth":24},{"name":"promo","preset":"podcast"}],` +
			`"normalize":{"integrated_lufs":-18}}}`, []string{"transcode:opus-96", "transcode:flac-24bit", "transcode:promo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := plan(tt.options)
			if err != nil {
				t.Fatal(err)
			}
			job := &gateway.Job{ID: "j1", Tenant: "acme", Input: gateway.Input{Key: "acme/jobs/j1/input"}, Steps: steps}
			var names []string
			for i := range steps {
				s := &steps[i]
				if s.Function != "transcode" {
					continue
				}
				names = append(names, s.Name)
				req, err := f.Request(job, s)
				if err != nil {
					t.Fatal(err)
				}
				got := req.(contract.TranscodeRequest)
				target := strings.TrimPrefix(s.Name, gateway.TranscodeStepPrefix)
				if got.Input.Key != job.Input.Key || got.OutputPrefix != "acme/jobs/j1/artifacts/transcode/"+target+"/" ||
					len(got.Options.Targets) != 1 || got.Options.Targets[0].Name != target || s.Stage != 1 {
					t.Errorf("step %s: request %+v", s.Name, got)
				}
				if err := got.Validate(); err != nil {
					t.Errorf("step %s: the request does not validate: %v", s.Name, err)
				}
				if n := got.Options.Targets[0].Normalize; tt.name == "Targets" && (n == nil || target != "promo" && n.IntegratedLUFS != -18) {
					t.Errorf("step %s: normalize %+v, want the job's -18 LUFS (the podcast preset keeps its own)", s.Name, n)
				}
			}
			if strings.Join(names, " ") != strings.Join(tt.want, " ") {
				t.Errorf("transcode steps %v, want %v", names, tt.want)
			}
		})
	}
	for _, bad := range []struct{ options, field string }{
		{`{"transcode":{"targets":[{"preset":"mp3-999"}]}}`, "targets[0].preset"},
		{`{"transcode":{"targets":[{"format":"opus","sample_rate":44100}]}}`, "targets[0].sample_rate"},
		{`{"transcode":{"targets":[{"preset":"flac"},{"preset":"flac"}]}}`, "targets[1].name"},
		{`{"transcode":{"normalize":{"integrated_lufs":0}}}`, "normalize.integrated_lufs"},
		{`{"transcode":{"target":[]}}`, "target"},
	} {
		_, err := plan(bad.options)
		if fault.KindOf(err) != fault.Invalid || !strings.Contains(fault.Message(err), "transcode") ||
			!strings.Contains(fault.Message(err), bad.field) {
			t.Errorf("Plan(%s) = %v, want an invalid error naming transcode and %s", bad.options, err, bad.field)
		}
	}
}
