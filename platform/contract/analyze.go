package contract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// AnalyzeSubject is the subject of the analyze function's run endpoint.
const AnalyzeSubject = "phantom.analyze.run"

// The features [AnalyzeOptions].Features can list.
const (
	FeatureTempo    = "tempo"
	FeatureKey      = "key"
	FeatureWaveform = "waveform"
)

// Features lists every feature the analyze function computes, in the order of its
// result.
func Features() []string { return []string{FeatureTempo, FeatureKey, FeatureWaveform} }

// The names of the waveform files, under [AnalyzeRequest].OutputPrefix.
const (
	WaveformJSONName = "waveform.json"
	WaveformDatName  = "waveform.dat"
	WaveformPNGName  = "waveform.png"
)

// AnalyzeRequest asks the analyze function for the tempo, key and waveform of an
// object.
type AnalyzeRequest struct {
	Input ObjectRef `json:"input"`
	// OutputPrefix is the key prefix the waveform files are stored under
	// (OutputPrefix + "waveform.json", ".dat", ".png"), ending in "/", e.g.
	// "acme/jobs/<id>/artifacts/analyze/". Required when the waveform is requested.
	OutputPrefix string         `json:"output_prefix,omitempty"`
	Options      AnalyzeOptions `json:"options,omitzero"`
}

// Validate checks the request.
func (r AnalyzeRequest) Validate() error {
	if err := r.Input.Validate("input"); err != nil {
		return err
	}
	if err := r.Options.Validate(); err != nil {
		return err
	}
	if !r.Options.Wants(FeatureWaveform) {
		return nil
	}
	if r.OutputPrefix == "" {
		return fault.Errorf(fault.Invalid, "output_prefix is required when the waveform is requested")
	}
	if !strings.HasSuffix(r.OutputPrefix, "/") || blob.ValidateKey(r.OutputPrefix+WaveformJSONName) != nil {
		return fault.Errorf(fault.Invalid, "output_prefix %q must be a valid key prefix ending in /", r.OutputPrefix)
	}
	return nil
}

// AnalyzeOptions choose what the analyze function computes, and how. The zero value
// computes everything with the defaults.
type AnalyzeOptions struct {
	// Features lists what to compute: any of "tempo", "key" and "waveform"; empty
	// means all three.
	Features []string `json:"features,omitempty"`
	// Tempo, Key and Waveform tune each feature; options of a feature left out of
	// Features are an error.
	Tempo    AnalyzeTempoOptions    `json:"tempo,omitzero"`
	Key      AnalyzeKeyOptions      `json:"key,omitzero"`
	Waveform AnalyzeWaveformOptions `json:"waveform,omitzero"`
}

// Wants reports whether the options ask for feature.
func (o AnalyzeOptions) Wants(feature string) bool {
	return len(o.Features) == 0 || slices.Contains(o.Features, feature)
}

// Validate checks what can be checked without the analysis code: the feature
// names, signs and exclusive choices. The analyze function checks the rest (ranges,
// profile names, colours). Errors are fault.Invalid and name the option.
func (o AnalyzeOptions) Validate() error {
	for i, f := range o.Features {
		if !slices.Contains(Features(), f) {
			return invalidOption("features", "unknown feature %q (want %s)", f, strings.Join(Features(), ", "))
		}
		if slices.Contains(o.Features[:i], f) {
			return invalidOption("features", "%q listed twice", f)
		}
	}
	for _, f := range []struct {
		name  string
		given bool
	}{
		{FeatureTempo, o.Tempo != AnalyzeTempoOptions{}},
		{FeatureKey, o.Key != AnalyzeKeyOptions{}},
		{FeatureWaveform, o.Waveform != AnalyzeWaveformOptions{}},
	} {
		if f.given && !o.Wants(f.name) {
			return invalidOption(f.name, "given, but features does not list %s", f.name)
		}
	}
	t, w, p := o.Tempo, o.Waveform, o.Waveform.PNG
	switch {
	case t.MinBPM < 0:
		return invalidOption("tempo.min_bpm", "must not be negative, got %g", t.MinBPM)
	case t.MaxBPM < 0:
		return invalidOption("tempo.max_bpm", "must not be negative, got %g", t.MaxBPM)
	case w.SamplesPerPixel < 0:
		return invalidOption("waveform.samples_per_pixel", "must not be negative, got %d", w.SamplesPerPixel)
	case w.WidthPx < 0:
		return invalidOption("waveform.width_px", "must not be negative, got %d", w.WidthPx)
	case w.SamplesPerPixel > 0 && w.WidthPx > 0:
		return invalidOption("waveform.width_px", "cannot be combined with waveform.samples_per_pixel")
	case w.Bits != 0 && w.Bits != 8 && w.Bits != 16:
		return invalidOption("waveform.bits", "must be 8 or 16, got %d", w.Bits)
	case p.WidthPx < 0:
		return invalidOption("waveform.png.width_px", "must not be negative, got %d", p.WidthPx)
	case p.HeightPx < 0:
		return invalidOption("waveform.png.height_px", "must not be negative, got %d", p.HeightPx)
	}
	return nil
}

func invalidOption(name, format string, args ...any) error {
	return fault.Errorf(fault.Invalid, "options.%s: %s", name, fmt.Sprintf(format, args...))
}

// AnalyzeTempoOptions tune the tempo estimate.
type AnalyzeTempoOptions struct {
	// MinBPM and MaxBPM bound the reported tempo, in beats per minute: the beat
	// level is chosen within them. Zero means 40 and 240; MaxBPM must be at least
	// 2 × MinBPM so that every tempo has a metrical level in the range.
	MinBPM float64 `json:"min_bpm,omitempty"`
	MaxBPM float64 `json:"max_bpm,omitempty"`
}

// AnalyzeKeyOptions tune the key estimate.
type AnalyzeKeyOptions struct {
	// Profile names the key profiles: "corpus" (the default, an average of three
	// corpus profiles), "albrecht", "temperley", "aarden", "krumhansl", "shaath" or
	// "edma".
	Profile string `json:"profile,omitempty"`
}

// AnalyzeWaveformOptions describe the waveform peaks and their image.
type AnalyzeWaveformOptions struct {
	// SamplesPerPixel is the number of input samples per min/max pair (at least
	// 2). Zero means 256, unless WidthPx is set.
	SamplesPerPixel int `json:"samples_per_pixel,omitempty"`
	// WidthPx, instead of SamplesPerPixel, fits the whole input in at most this
	// many min/max pairs (1 to 16384).
	WidthPx int `json:"width_px,omitempty"`
	// Bits is the resolution of the peaks: 8 (the default, what peaks.js reads) or
	// 16.
	Bits int `json:"bits,omitempty"`
	// PNG describes the image drawn from the peaks.
	PNG AnalyzePNGOptions `json:"png,omitzero"`
}

// AnalyzePNGOptions describe the waveform image.
type AnalyzePNGOptions struct {
	// WidthPx (1 to 8192, default 1800) and HeightPx (1 to 2048, default 280) are
	// the image size in pixels.
	WidthPx  int `json:"width_px,omitempty"`
	HeightPx int `json:"height_px,omitempty"`
	// BackgroundColor (default "#d6d6d6") and WaveformColor (default "#3f4d9b")
	// are "#rrggbb" or "#rrggbbaa".
	BackgroundColor string `json:"background_color,omitempty"`
	WaveformColor   string `json:"waveform_color,omitempty"`
	// AxisColor, when set, draws the zero line; BorderColor a one-pixel border.
	AxisColor   string `json:"axis_color,omitempty"`
	BorderColor string `json:"border_color,omitempty"`
	// Scale is "linear" (the default) or "log" (60 dB from the edges to the
	// centre line).
	Scale string `json:"scale,omitempty"`
	// Gain multiplies the amplitudes (a factor, 0 means 1); AutoGain instead
	// scales the largest peak to the edge of the image.
	Gain     float64 `json:"gain,omitempty"`
	AutoGain bool    `json:"auto_gain,omitempty"`
}

// AnalyzeResult is what the analyze function found. A feature that was not
// requested is absent.
type AnalyzeResult struct {
	// DurationS is the decoded duration of the whole input, in seconds.
	DurationS float64 `json:"duration_s"`
	// SampleRateHz is the input's sample rate as decoded, in Hz.
	SampleRateHz int `json:"sample_rate_hz"`
	// AnalyzedS is how much of the input, from its start, the tempo and key
	// describe, in seconds: all of it, unless the input is longer than the
	// function's analysis limit (ANALYZE_MAX_PCM). Zero when neither was
	// requested.
	AnalyzedS float64          `json:"analyzed_s"`
	Tempo     *AnalyzeTempo    `json:"tempo,omitempty"`
	Key       *AnalyzeKey      `json:"key,omitempty"`
	Waveform  *AnalyzeWaveform `json:"waveform,omitempty"`
}

// AnalyzeTempo is the tempo of the analysed audio.
type AnalyzeTempo struct {
	// BPM is the tempo of the beat in beats per minute, to one decimal; null when
	// the audio has no pulse, and then Reason says why. When the tempo changes it
	// is the median of TempoCurve.
	BPM *float64 `json:"bpm"`
	// Confidence, from 0 to 1, is how strongly the onsets repeat at the beat
	// period (white noise: under 0.1; band recordings: about 0.25 to 0.65;
	// electronic and MIDI-rendered music: mostly above 0.6).
	Confidence float64 `json:"confidence"`
	// BeatsS are the beat times in seconds from the start of the input.
	BeatsS []float64 `json:"beats_s"`
	// TempoCurve is the local tempo every 2 s when the tempo changes; empty when
	// it is steady.
	TempoCurve []AnalyzeTempoPoint `json:"tempo_curve"`
	// Reason is set when BPM is null: "too_short" (under 3 s), "silent",
	// "no_onsets" (a drone or sustained tone) or "arrhythmic" (noise, free
	// rhythm).
	Reason string `json:"reason,omitempty"`
}

// AnalyzeTempoPoint is one point of a tempo curve.
type AnalyzeTempoPoint struct {
	// TimeS is the centre of the 8 s analysis window, in seconds.
	TimeS float64 `json:"time_s"`
	// BPM is the local tempo in beats per minute.
	BPM float64 `json:"bpm"`
}

// AnalyzeKey is the musical key of the analysed audio. Tonic, Mode, Label, Camelot,
// OpenKey and RunnerUp are null when no key can be named; Reason then says why.
type AnalyzeKey struct {
	// Tonic is the key's tonic: "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab",
	// "A", "Bb" or "B".
	Tonic *string `json:"tonic"`
	// Mode is "major" or "minor".
	Mode *string `json:"mode"`
	// Label is the key's name, e.g. "F# minor".
	Label *string `json:"label"`
	// Camelot ("11A") and OpenKey ("4m") are the key's names in the Camelot and
	// Open Key wheels DJs use.
	Camelot *string `json:"camelot"`
	OpenKey *string `json:"open_key"`
	// Confidence, from 0 to 1, is how clearly the key beats the runner-up
	// (1 − exp(−margin/0.05), margin being the difference of their scores).
	Confidence float64 `json:"confidence"`
	// Score is the key's correlation with the audio's pitch-class profile, from −1
	// to 1 (clearly tonal music: about 0.7 to 0.96).
	Score float64 `json:"score"`
	// RunnerUp is the next best key.
	RunnerUp *AnalyzeKeyCandidate `json:"runner_up"`
	// TuningCents is the offset of the audio's tuning from A4 = 440 Hz, in cents
	// (−50 to 50).
	TuningCents float64 `json:"tuning_cents"`
	// Reason is set when no key is named: "too_short" (under 1 s), "silence",
	// "unpitched" (noise, percussion) or "no_tonal_centre".
	Reason string `json:"reason,omitempty"`
}

// AnalyzeKeyCandidate is a key and its score.
type AnalyzeKeyCandidate struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// AnalyzeWaveform summarises the waveform peaks, which are stored as files, never
// sent in the reply.
type AnalyzeWaveform struct {
	// SampleRateHz, SamplesPerPixel, Bits and LengthPx (the number of min/max
	// pairs) are the peaks' header fields.
	SampleRateHz    int `json:"sample_rate_hz"`
	SamplesPerPixel int `json:"samples_per_pixel"`
	Bits            int `json:"bits"`
	LengthPx        int `json:"length_px"`
	// JSON is the peaks in audiowaveform's JSON format (version 2), which peaks.js
	// and waveform-data.js load; Dat the same in its binary format (version 2);
	// PNG the image. They are absent when the caller asked for no files (a local
	// run without an output folder).
	JSON *AnalyzeArtifact `json:"json,omitempty"`
	Dat  *AnalyzeArtifact `json:"dat,omitempty"`
	PNG  *AnalyzeArtifact `json:"png,omitempty"`
}

// AnalyzeArtifact is a file the analyze function wrote.
type AnalyzeArtifact struct {
	// Key is the object's key in the blob store (the file's path for a local run).
	Key         string `json:"key"`
	SizeBytes   int64  `json:"size_bytes"`
	ContentType string `json:"content_type"`
	// WidthPx and HeightPx are an image's size in pixels.
	WidthPx  int `json:"width_px,omitempty"`
	HeightPx int `json:"height_px,omitempty"`
}
