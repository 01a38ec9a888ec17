package contract_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestAnalyzeRequestValidate(t *testing.T) {
	tests := []struct {
		name    string
		req     string
		wantErr string // a part of the message; "" for none
	}{
		{"Defaults", `{"input":{"key":"a/input"},"output_prefix":"a/artifacts/analyze/"}`, ""},
		{"TempoOnlyNoPrefix", `{"input":{"key":"a"},"options":{"features":["tempo"],"tempo":{"min_bpm":60,"max_bpm":180}}}`, ""},
		{"NoInput", `{"output_prefix":"o/"}`, "input.key"},
		{"NoPrefix", `{"input":{"key":"a"}}`, "output_prefix is required"},
		{"PrefixWithoutSlash", `{"input":{"key":"a"},"output_prefix":"o"}`, "ending in /"},
		{"PrefixEscapes", `{"input":{"key":"a"},"output_prefix":"../o/"}`, "output_prefix"},
		{"UnknownFeature", `{"input":{"key":"a"},"options":{"features":["bpm"]}}`, "options.features"},
		{"FeatureTwice", `{"input":{"key":"a"},"options":{"features":["key","key"]}}`, "listed twice"},
		{"OptionsOfDisabled", `{"input":{"key":"a"},"options":{"features":["tempo"],"key":{"profile":"edma"}}}`, "options.key"},
		{"NegativeBPM", `{"input":{"key":"a"},"options":{"features":["tempo"],"tempo":{"min_bpm":-1}}}`, "options.tempo.min_bpm"},
		{"Bits", `{"input":{"key":"a"},"output_prefix":"o/","options":{"waveform":{"bits":24}}}`, "options.waveform.bits"},
		{"WidthAndSPP", `{"input":{"key":"a"},"output_prefix":"o/","options":{"waveform":{"width_px":10,"samples_per_pixel":10}}}`, "options.waveform.width_px"},
		{"NegativeImage", `{"input":{"key":"a"},"output_prefix":"o/","options":{"waveform":{"png":{"height_px":-5}}}}`, "options.waveform.png.height_px"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req contract.AnalyzeRequest
			if err := json.Unmarshal([]byte(tt.req), &req); err != nil {
				t.Fatal(err)
			}
			err := req.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if fault.KindOf(err) != fault.Invalid || !strings.Contains(fault.Message(err), tt.wantErr) {
				t.Errorf("Validate() = %v, want an invalid error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestAnalyzeOptionsWants(t *testing.T) {
	all := contract.AnalyzeOptions{}
	some := contract.AnalyzeOptions{Features: []string{contract.FeatureKey}}
	for _, f := range contract.Features() {
		if !all.Wants(f) {
			t.Errorf("default options do not want %s", f)
		}
		if some.Wants(f) != (f == contract.FeatureKey) {
			t.Errorf("features [key] want %s: %v", f, some.Wants(f))
		}
	}
}

// TestAnalyzeResultJSON checks the null fields of audio without tempo or key.
func TestAnalyzeResultJSON(t *testing.T) {
	res := contract.AnalyzeResult{
		DurationS: 10, SampleRateHz: 44100, AnalyzedS: 10,
		Tempo: &contract.AnalyzeTempo{BeatsS: []float64{}, TempoCurve: []contract.AnalyzeTempoPoint{}, Reason: "silent"},
		Key:   &contract.AnalyzeKey{Reason: "silence"},
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"duration_s":10,"sample_rate_hz":44100,"analyzed_s":10,` +
		`"tempo":{"bpm":null,"confidence":0,"beats_s":[],"tempo_curve":[],"reason":"silent"},` +
		`"key":{"tonic":null,"mode":null,"label":null,"camelot":null,"open_key":null,"confidence":0,"score":0,` +
		`"runner_up":null,"tuning_cents":0,"reason":"silence"}}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}
