package analyze_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/functest"
)

const rate = 44100

type testBundle struct {
	nc    *nats.Conn
	blobs blob.Store
	dir   string // scratch folder for generated inputs
}

// setup serves the analyze function on an in-process NATS server with a
// local-folder blob store and the real ffmpeg.
func setup(t *testing.T) *testBundle {
	t.Helper()
	blobs := functest.FileStore(t)
	nc := functest.Serve(t, "analyze", func(runner *ffmpeg.Runner) []endpoint.Endpoint {
		return analyze.Endpoints(analyze.New(runner, blobs, analyze.Limits{}))
	})
	return &testBundle{nc: nc, blobs: blobs, dir: t.TempDir()}
}

// putSamples stores mono float samples at rate Hz as a WAV object under key.
func (b *testBundle) putSamples(t *testing.T, key string, samples []float32) {
	t.Helper()
	b.putFile(t, key, writeWAV(t, b.dir, strings.ReplaceAll(key, "/", "_")+".wav", rate, samples))
}

func (b *testBundle) putFile(t *testing.T, key, path string) {
	t.Helper()
	functest.Put(t, b.blobs, key, path)
}

// analyze calls the function on the object key, with the waveform files going under
// out/key/.
func (b *testBundle) analyze(t *testing.T, key string, opts analyze.Options) (analyze.Result, error) {
	t.Helper()
	var res analyze.Result
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req := analyze.Request{Input: contract.ObjectRef{Key: key}, OutputPrefix: "out/" + key + "/", Options: opts}
	err := endpoint.Call(ctx, b.nc, contract.AnalyzeSubject, req, &res, endpoint.CallOptions{})
	return res, err
}

// read returns the stored object's content.
func (b *testBundle) read(t *testing.T, key string) []byte {
	t.Helper()
	rc, _, err := b.blobs.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestServiceSynthetic analyses signals with known answers through the service.
func TestServiceSynthetic(t *testing.T) {
	b := setup(t)
	cMajor := []triad{{60, 4}, {65, 4}, {67, 4}, {60, 4}}  // C F G C
	aMinor := []triad{{57, 3}, {62, 3}, {64, 4}, {57, 3}}  // Am Dm E Am
	ebMajor := []triad{{63, 4}, {68, 4}, {70, 4}, {63, 4}} // Eb Ab Bb Eb
	tests := []struct {
		name        string
		samples     []float32
		bpm         float64 // 0: no tempo expected
		tempoReason string
		key         string // "": no key expected
		camelot     string
		keyReason   string
	}{
		{name: "Clicks90", samples: clickTrack(rate, 90, 20), bpm: 90},
		{name: "Clicks128", samples: clickTrack(rate, 128, 20), bpm: 128},
		{name: "Clicks150", samples: clickTrack(rate, 150, 20), bpm: 150},
		// A chord a second is a pulse at 60 BPM.
		{name: "ChordsCMajor", samples: chords(rate, 16, cMajor), bpm: 60, key: "C major", camelot: "8B"},
		{name: "ChordsAMinor", samples: chords(rate, 16, aMinor), bpm: 60, key: "A minor", camelot: "8A"},
		{name: "ClicksAndChords", samples: mix(clickTrack(rate, 120, 16), chords(rate, 16, ebMajor)), bpm: 120,
			key: "Eb major", camelot: "5B"},
		{name: "Silence", samples: make([]float32, 10*rate), tempoReason: "silent", keyReason: "silence"},
		{name: "WhiteNoise", samples: noise(rate, 10), tempoReason: "arrhythmic", keyReason: "unpitched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.putSamples(t, tt.name, tt.samples)
			res, err := b.analyze(t, tt.name, analyze.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantS := float64(len(tt.samples)) / rate
			if res.SampleRateHz != rate || math.Abs(res.DurationS-wantS) > 1e-6 || res.AnalyzedS != res.DurationS {
				t.Errorf("rate %d Hz, duration %g s, analyzed %g s; want %d Hz, %g s, all of it",
					res.SampleRateHz, res.DurationS, res.AnalyzedS, rate, wantS)
			}
			checkTempo(t, res.Tempo, tt.bpm, tt.tempoReason)
			if tt.key != "" || tt.keyReason != "" {
				checkKey(t, res.Key, tt.key, tt.camelot, tt.keyReason)
			}
			if res.Waveform == nil || res.Waveform.JSON == nil || res.Waveform.Dat == nil || res.Waveform.PNG == nil {
				t.Fatalf("waveform = %+v, want its three files", res.Waveform)
			}
		})
	}
}

func checkTempo(t *testing.T, got *contract.AnalyzeTempo, bpm float64, reason string) {
	t.Helper()
	switch {
	case got == nil:
		t.Fatal("no tempo in the result")
	case bpm == 0 && (got.BPM != nil || got.Reason != reason):
		t.Errorf("tempo = %v BPM (%q), want null with reason %q", fmtPtr(got.BPM), got.Reason, reason)
	case bpm != 0 && (got.BPM == nil || math.Abs(*got.BPM/bpm-1) > 0.02):
		t.Errorf("tempo = %v BPM (%q), want %g ± 2%%", fmtPtr(got.BPM), got.Reason, bpm)
	case bpm != 0 && (len(got.BeatsS) < 10 || got.Confidence <= 0 || got.Confidence > 1):
		t.Errorf("beats %v, confidence %g: want beats and a confidence in (0, 1]", got.BeatsS, got.Confidence)
	}
}

func checkKey(t *testing.T, got *contract.AnalyzeKey, label, camelot, reason string) {
	t.Helper()
	switch {
	case got == nil:
		t.Fatal("no key in the result")
	case label == "" && (got.Label != nil || got.Tonic != nil || got.Mode != nil || got.Reason != reason):
		t.Errorf("key = %v (%q), want null with reason %q", fmtPtr(got.Label), got.Reason, reason)
	case label != "" && (got.Label == nil || *got.Label != label || *got.Camelot != camelot):
		t.Errorf("key = %v, Camelot %v (%q), want %s, %s", fmtPtr(got.Label), fmtPtr(got.Camelot), got.Reason, label, camelot)
	case label != "" && (*got.Tonic+" "+*got.Mode != label || got.RunnerUp == nil || got.Confidence <= 0):
		t.Errorf("key = %+v: want tonic and mode matching %q, a runner-up and a confidence", got, label)
	}
}

func fmtPtr[T any](p *T) any {
	if p == nil {
		return "null"
	}
	return *p
}

// TestServiceDeterministic analyses the same object twice: the replies and the
// stored files are identical.
func TestServiceDeterministic(t *testing.T) {
	b := setup(t)
	b.putSamples(t, "song", mix(clickTrack(rate, 100, 12), chords(rate, 12, []triad{{62, 4}, {67, 4}, {69, 4}})))
	var replies, files [2][]byte
	for i := range replies {
		res, err := b.analyze(t, "song", analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if replies[i], err = json.Marshal(res); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*contract.AnalyzeArtifact{res.Waveform.JSON, res.Waveform.Dat, res.Waveform.PNG} {
			files[i] = append(files[i], b.read(t, a.Key)...)
		}
	}
	if !bytes.Equal(replies[0], replies[1]) {
		t.Errorf("replies differ:\n%s\n%s", replies[0], replies[1])
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the stored waveform files differ between the two runs")
	}
}

// TestServiceFeatures asks for one feature at a time: the others are absent, and
// files are written only for the waveform.
func TestServiceFeatures(t *testing.T) {
	b := setup(t)
	for _, f := range contract.Features() {
		t.Run(f, func(t *testing.T) {
			b.putSamples(t, f, clickTrack(rate, 120, 8))
			res, err := b.analyze(t, f, analyze.Options{Features: []string{f}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{"tempo": res.Tempo != nil, "key": res.Key != nil, "waveform": res.Waveform != nil}
			for name, present := range got {
				if present != (name == f) {
					t.Errorf("%s present = %v, want %v", name, present, name == f)
				}
			}
			if (res.AnalyzedS > 0) != (f != contract.FeatureWaveform) {
				t.Errorf("analyzed_s = %g with features [%s]", res.AnalyzedS, f)
			}
			stored := 0
			for _, err := range b.blobs.List(context.Background(), "out/"+f+"/") {
				if err != nil {
					t.Fatal(err)
				}
				stored++
			}
			if want := map[bool]int{true: 3, false: 0}[f == contract.FeatureWaveform]; stored != want {
				t.Errorf("%d files stored, want %d", stored, want)
			}
		})
	}
	t.Run("NoOutputPrefixWithoutWaveform", func(t *testing.T) {
		b.putSamples(t, "clicks", clickTrack(rate, 120, 8))
		req := analyze.Request{Input: contract.ObjectRef{Key: "clicks"}, Options: analyze.Options{Features: []string{"tempo", "key"}}}
		var res analyze.Result
		if err := endpoint.Call(context.Background(), b.nc, contract.AnalyzeSubject, req, &res, endpoint.CallOptions{}); err != nil {
			t.Fatal(err)
		}
		if res.Tempo == nil || res.Key == nil || res.Waveform != nil {
			t.Errorf("result = %+v, want tempo and key only", res)
		}
	})
}

// TestServiceRejects checks the 4xx errors: bad options name the option, input that
// is not audio or not there says so.
func TestServiceRejects(t *testing.T) {
	b := setup(t)
	b.putSamples(t, "tone", clickTrack(rate, 120, 4))
	text := filepath.Join(b.dir, "notes.mp3")
	if err := os.WriteFile(text, []byte("these are my notes, not a song\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.putFile(t, "notes.mp3", text)
	tests := []struct {
		name    string
		req     any
		kind    fault.Kind
		message string // a part of the error message
	}{
		{"Bits", opts(`{"waveform":{"bits":12}}`), fault.Invalid, "options.waveform.bits"},
		{"UnknownFeature", opts(`{"features":["tempo","mood"]}`), fault.Invalid, "options.features"},
		{"DisabledFeatureOptions", opts(`{"features":["key"],"tempo":{"min_bpm":60}}`), fault.Invalid, "options.tempo"},
		{"TempoRange", opts(`{"tempo":{"min_bpm":100,"max_bpm":150}}`), fault.Invalid, "options.tempo"},
		{"Profile", opts(`{"key":{"profile":"jazz"}}`), fault.Invalid, "options.key.profile"},
		{"WidthAndSPP", opts(`{"waveform":{"width_px":100,"samples_per_pixel":64}}`), fault.Invalid, "options.waveform.width_px"},
		{"SamplesPerPixel", opts(`{"waveform":{"samples_per_pixel":1}}`), fault.Invalid, "options.waveform.samples_per_pixel"},
		{"Width", opts(`{"waveform":{"width_px":100000}}`), fault.Invalid, "options.waveform.width_px"},
		{"ImageWidth", opts(`{"waveform":{"png":{"width_px":100000}}}`), fault.Invalid, "options.waveform.png.width_px"},
		{"Colour", opts(`{"waveform":{"png":{"background_color":"red"}}}`), fault.Invalid, "options.waveform.png.background_color"},
		{"Scale", opts(`{"waveform":{"png":{"scale":"cubic"}}}`), fault.Invalid, "options.waveform.png.scale"},
		{"UnknownOption", opts(`{"tempo":{"bpm":120}}`), fault.Invalid, `"bpm"`},
		{"NoOutputPrefix", map[string]any{"input": map[string]string{"key": "tone"}}, fault.Invalid, "output_prefix"},
		{"BadOutputPrefix", map[string]any{"input": map[string]string{"key": "tone"}, "output_prefix": "../x/"}, fault.Invalid, "output_prefix"},
		{"TextFile", map[string]any{"input": map[string]string{"key": "notes.mp3"}, "output_prefix": "o/"}, fault.Unsupported, "text file, not audio"},
		{"MissingObject", map[string]any{"input": map[string]string{"key": "no/such"}, "output_prefix": "o/"}, fault.NotFound, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := endpoint.Call(context.Background(), b.nc, contract.AnalyzeSubject, tt.req, nil, endpoint.CallOptions{})
			if fault.KindOf(err) != tt.kind || !errors.As(err, new(*endpoint.RemoteError)) {
				t.Fatalf("err = %v (kind %v), want a %v reply", err, fault.KindOf(err), tt.kind)
			}
			if code := fault.KindOf(err).Code(); code < 400 || code >= 500 {
				t.Errorf("code %d, want 4xx", code)
			}
			if !strings.Contains(fault.Message(err), tt.message) {
				t.Errorf("message %q, want it to name %s", fault.Message(err), tt.message)
			}
		})
	}
}

// opts is a request for the object "tone" with the options given as JSON.
func opts(options string) map[string]any {
	return map[string]any{"input": map[string]string{"key": "tone"}, "output_prefix": "o/", "options": json.RawMessage(options)}
}
