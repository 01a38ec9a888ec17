package gateway

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Options are what a client asks of a job: which functions to run and each one's
// options. In JSON they are one object: {"steps": ["probe", "loudness"], "loudness":
// {...}}; every key but "steps" names a function.
type Options struct {
	// Steps lists the functions to run; empty means the pipeline's defaults. Functions
	// whose options are given run too.
	Steps []string
	// Params holds each function's own options, keyed by function name.
	Params map[string]json.RawMessage
}

// MarshalJSON writes the options as one flat object.
func (o Options) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(o.Params)+1)
	for k, v := range o.Params {
		m[k] = v
	}
	if len(o.Steps) > 0 {
		m["steps"] = o.Steps
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the flat object form.
func (o *Options) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*o = Options{}
	if s, ok := m["steps"]; ok {
		if err := json.Unmarshal(s, &o.Steps); err != nil {
			return fmt.Errorf("steps: %w", err)
		}
		delete(m, "steps")
	}
	if len(m) > 0 {
		o.Params = m
	}
	return nil
}

// Function is how the gateway runs one function: one registration per function.
type Function struct {
	// Name is the function's name, e.g. "probe"; it names its step queue too.
	Name string
	// Subject is the NATS subject of the endpoint the steps call.
	Subject string
	// Stage orders the function's steps among the job's (see [Step].Stage).
	Stage int
	// Required functions run in every job (probe validates the input).
	Required bool
	// Default functions run when a job's options list no steps.
	Default bool
	// Plan turns the function's options (nil when none were given) into its steps.
	// It returns a fault.Invalid error naming the bad option.
	Plan func(opts json.RawMessage) ([]PlannedStep, error)
	// Request builds the request payload of one of the function's steps.
	Request func(job *Job, step *Step) (any, error)
	// Artifacts, when set, reads the files a succeeded step made from its result,
	// for download (see [Pipeline.Artifacts]); Name, File, ContentType, Size, Key
	// and, when known, SHA256.
	Artifacts func(job *Job, step *Step) []Artifact
	// Timeout bounds one call (default 30 minutes); heartbeats notice a lost call
	// much sooner.
	Timeout time.Duration
	// MaxAttempts is how often a step is tried before it fails (default 5).
	MaxAttempts int
}

// PlannedStep is a step a function's Plan asks for.
type PlannedStep struct {
	Name   string
	Params json.RawMessage
}

// Pipeline is the set of functions a job's steps can call.
type Pipeline struct {
	fns map[string]Function
}

// NewPipeline checks and indexes the functions.
func NewPipeline(fns ...Function) (*Pipeline, error) {
	p := &Pipeline{fns: make(map[string]Function, len(fns))}
	for _, f := range fns {
		if f.Name == "" || f.Subject == "" || f.Plan == nil || f.Request == nil {
			return nil, fmt.Errorf("gateway: function %q: name, subject, plan and request are required", f.Name)
		}
		if _, dup := p.fns[f.Name]; dup {
			return nil, fmt.Errorf("gateway: function %q registered twice", f.Name)
		}
		f.Timeout = cmp.Or(f.Timeout, 30*time.Minute)
		f.MaxAttempts = cmp.Or(f.MaxAttempts, 5)
		p.fns[f.Name] = f
	}
	return p, nil
}

// Function returns the registration of the named function.
func (p *Pipeline) Function(name string) (Function, bool) {
	f, ok := p.fns[name]
	return f, ok
}

// Functions returns the registered functions, ordered by stage and name.
func (p *Pipeline) Functions() []Function {
	fns := slices.Collect(maps.Values(p.fns))
	sort.Slice(fns, func(i, j int) bool {
		if fns[i].Stage != fns[j].Stage {
			return fns[i].Stage < fns[j].Stage
		}
		return fns[i].Name < fns[j].Name
	})
	return fns
}

// MaxTimeout returns the longest call timeout of any function.
func (p *Pipeline) MaxTimeout() time.Duration {
	var d time.Duration
	for _, f := range p.fns {
		d = max(d, f.Timeout)
	}
	return d
}

// Plan validates a job's options and returns its steps: required functions, the
// listed (or default) ones, and those whose options are given; stage 0 queued, the
// rest pending. Errors are fault.Invalid and name the problem.
func (p *Pipeline) Plan(opts Options) ([]Step, error) {
	want := map[string]bool{}
	for _, name := range opts.Steps {
		if _, ok := p.fns[name]; !ok {
			return nil, fault.Errorf(fault.Invalid, "options: steps: unknown function %q (have %s)", name, p.names())
		}
		want[name] = true
	}
	for name := range opts.Params {
		if _, ok := p.fns[name]; !ok {
			return nil, fault.Errorf(fault.Invalid, "options: unknown key %q (want steps or one of %s)", name, p.names())
		}
		want[name] = true
	}
	for _, f := range p.fns {
		if f.Required || (len(opts.Steps) == 0 && f.Default) {
			want[f.Name] = true
		}
	}
	var steps []Step
	for _, f := range p.Functions() {
		if !want[f.Name] {
			continue
		}
		raw := opts.Params[f.Name]
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			raw = nil
		}
		planned, err := f.Plan(raw)
		if err != nil {
			if fault.KindOf(err) != fault.Invalid {
				err = fault.Wrap(fault.Invalid, err, fmt.Sprintf("options: %s: %v", f.Name, err))
			}
			return nil, err
		}
		for _, ps := range planned {
			state := StepPending
			if f.Stage == 0 {
				state = StepQueued
			}
			steps = append(steps, Step{Name: ps.Name, Function: f.Name, Stage: f.Stage, State: state, Params: ps.Params})
		}
	}
	if len(steps) == 0 || steps[0].Stage != 0 {
		return nil, fault.Errorf(fault.Invalid, "options: no step to run first")
	}
	seen := map[string]bool{}
	for _, s := range steps {
		if seen[s.Name] {
			return nil, fault.Errorf(fault.Invalid, "options: step %q planned twice", s.Name)
		}
		seen[s.Name] = true
	}
	return steps, nil
}

func (p *Pipeline) names() string {
	names := slices.Sorted(maps.Keys(p.fns))
	b, _ := json.Marshal(names)
	return string(b)
}

// DecodeOptions decodes a function's options strictly into T (unknown fields are an
// error naming them); nil or empty raw leaves T's zero value.
func DecodeOptions[T any](function string, raw json.RawMessage) (T, error) {
	var v T
	if len(bytes.TrimSpace(raw)) == 0 {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fault.Errorf(fault.Invalid, "options: %s: %s", function, describeJSONError(err))
	}
	return v, nil
}

func describeJSONError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("%s must be %s", typ.Field, typ.Type)
	}
	return err.Error()
}
