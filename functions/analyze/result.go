package analyze

import (
	"bytes"
	"context"
	"image/png"
	"math"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
)

// Content types of the waveform files.
const (
	contentTypeJSON = "application/json"
	contentTypeDat  = "application/octet-stream"
	contentTypePNG  = "image/png"
)

func tempoResult(r tempo.Result) *contract.AnalyzeTempo {
	t := &contract.AnalyzeTempo{
		BPM:        r.BPM,
		Confidence: roundTo(r.Confidence, 1e3),
		BeatsS:     r.Beats,
		TempoCurve: make([]contract.AnalyzeTempoPoint, len(r.Curve)),
		Reason:     string(r.Reason),
	}
	if t.BeatsS == nil {
		t.BeatsS = []float64{}
	}
	for i, p := range r.Curve {
		t.TempoCurve[i] = contract.AnalyzeTempoPoint{TimeS: p.TimeS, BPM: p.BPM}
	}
	return t
}

func keyResult(r key.Result) *contract.AnalyzeKey {
	k := &contract.AnalyzeKey{
		Confidence:  r.Confidence,
		Score:       r.Score,
		TuningCents: r.TuningCents,
		Reason:      string(r.Reason),
	}
	if r.Label == "" {
		return k
	}
	mode := string(r.Mode)
	k.Tonic, k.Mode, k.Label, k.Camelot, k.OpenKey = &r.Tonic, &mode, &r.Label, &r.Camelot, &r.OpenKey
	if r.RunnerUp != nil {
		k.RunnerUp = &contract.AnalyzeKeyCandidate{Label: r.RunnerUp.Label, Score: r.RunnerUp.Score}
	}
	return k
}

// writeWaveform finishes the peaks of the decoded input, at rate Hz, and stores
// them in audiowaveform's JSON and binary formats with their PNG image. With a nil
// out it only describes them.
func writeWaveform(ctx context.Context, b *waveform.Builder, rate int, pngOpts waveform.PNGOptions, out Output) (*contract.AnalyzeWaveform, error) {
	peaks, err := b.Finish()
	if err != nil {
		return nil, err
	}
	peaks.SampleRate = rate // the builder counts samples; the rate labels them
	w := &contract.AnalyzeWaveform{
		SampleRateHz:    peaks.SampleRate,
		SamplesPerPixel: peaks.SamplesPerPixel,
		Bits:            peaks.Bits,
		LengthPx:        peaks.Length,
	}
	if out == nil {
		return w, nil
	}
	img, err := peaks.Image(pngOpts)
	if err != nil {
		return nil, optionError(err)
	}
	files := []struct {
		name, contentType string
		encode            func(*bytes.Buffer) error
		dst               **contract.AnalyzeArtifact
	}{
		{contract.WaveformJSONName, contentTypeJSON, func(b *bytes.Buffer) error { return peaks.WriteJSON(b) }, &w.JSON},
		{contract.WaveformDatName, contentTypeDat, func(b *bytes.Buffer) error { return peaks.WriteDat(b) }, &w.Dat},
		{contract.WaveformPNGName, contentTypePNG, func(b *bytes.Buffer) error { return png.Encode(b, img) }, &w.PNG},
	}
	var buf bytes.Buffer
	for _, f := range files {
		buf.Reset()
		if err := f.encode(&buf); err != nil {
			return nil, err
		}
		endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "upload", Percent: -1})
		where, err := out.Put(ctx, f.name, f.contentType, buf.Bytes())
		if err != nil {
			return nil, err
		}
		*f.dst = &contract.AnalyzeArtifact{Key: where, SizeBytes: int64(buf.Len()), ContentType: f.contentType}
	}
	w.PNG.WidthPx, w.PNG.HeightPx = img.Rect.Dx(), img.Rect.Dy()
	return w, nil
}

func roundTo(x, scale float64) float64 { return math.Round(x*scale) / scale }
