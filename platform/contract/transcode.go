package contract

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// TranscodeSubject is the subject of the transcode function's run endpoint.
const TranscodeSubject = "phantom.transcode.run"

// TranscodeRequest asks the transcode function for renditions of an object.
type TranscodeRequest struct {
	Input ObjectRef `json:"input"`
	// OutputPrefix is the key prefix the renditions are written under, ending in
	// "/": each one is stored at OutputPrefix + its file name.
	OutputPrefix string           `json:"output_prefix"`
	Options      TranscodeOptions `json:"options,omitzero"`
}

// Validate checks the request, naming the first bad field.
func (r TranscodeRequest) Validate() error {
	if err := r.Input.Validate("input"); err != nil {
		return err
	}
	if !strings.HasSuffix(r.OutputPrefix, "/") || !keySegments.MatchString(strings.TrimSuffix(r.OutputPrefix, "/")) {
		return fault.Errorf(fault.Invalid, "output_prefix: %q is not a key prefix ending in \"/\"", r.OutputPrefix)
	}
	if _, err := r.Options.Resolve(); err != nil {
		return fault.Errorf(fault.Invalid, "options.%s", fault.Message(err))
	}
	return nil
}

// TranscodeOptions choose the renditions.
type TranscodeOptions struct {
	// Targets are the renditions to make; none means one, the "mp3-320" preset.
	Targets []TranscodeTarget `json:"targets,omitempty"`
	// Normalize applies to every target without a loudness target of its own
	// (from its options or its preset).
	Normalize *TranscodeNormalize `json:"normalize,omitempty"`
}

// TranscodeTarget describes one rendition: a preset, explicit parameters, or a
// preset with some parameters overridden. Zero fields take the preset's value,
// else the source's (sample rate, channels, bit depth) or the format's default.
type TranscodeTarget struct {
	// Name identifies the rendition in results and artifact URLs and is its file
	// name without the extension: 1–64 of [a-z0-9._-], starting with a letter or
	// digit. Default: the preset or format, with the overridden parameters
	// appended ("opus-64k", "mp3-320-mono").
	Name   string `json:"name,omitempty"`
	Preset string `json:"preset,omitempty"`
	// Format is mp3, aac (in M4A, moov atom first), opus (in Ogg), vorbis (in
	// Ogg), flac or wav.
	Format string `json:"format,omitempty"`
	// BitRate in bit/s: constant for mp3 (8000–320000; LAME caps it at 160000
	// below 32 kHz), average for aac, opus (variable) and vorbis. Not with
	// Quality.
	BitRate int `json:"bit_rate,omitempty"`
	// Quality selects variable bit rate by quality: mp3 0 (best, LAME V0) to 9,
	// vorbis 0 to 10 (best).
	Quality *float64 `json:"quality,omitempty"`
	// SampleRate in Hz; the default keeps the source's when the format allows it.
	SampleRate int `json:"sample_rate,omitempty"`
	// Channels is 1 (mono downmix) or 2 (stereo); the default keeps the
	// source's (at most 2 for mp3).
	Channels int `json:"channels,omitempty"`
	// BitDepth is 16 or 24 for flac and wav. Default: wav 16; flac 24 when the
	// source is lossless with more than 16 bits, else 16.
	BitDepth int `json:"bit_depth,omitempty"`
	// CompressionLevel is flac's (0–12, default 5) or opus's encoder complexity
	// (0–10, default 10).
	CompressionLevel *int `json:"compression_level,omitempty"`
	// Normalize sets a loudness target for this rendition.
	Normalize *TranscodeNormalize `json:"normalize,omitempty"`
	// StripTags drops the source's tags and cover art, which are otherwise
	// carried over where the format can hold them.
	StripTags bool `json:"strip_tags,omitempty"`
}

// TranscodeNormalize is a loudness target: integrated loudness and a true-peak
// ceiling.
type TranscodeNormalize struct {
	// IntegratedLUFS is the target programme loudness, −50 to −5 LUFS.
	IntegratedLUFS float64 `json:"integrated_lufs"`
	// TruePeakDBTP is the ceiling, −20 to 0 dBTP; default −1.
	TruePeakDBTP *float64 `json:"true_peak_dbtp,omitempty"`
}

// TranscodeResult is the transcode function's reply: one output per target, in
// the order of the targets.
type TranscodeResult struct {
	Outputs []TranscodeOutput `json:"outputs"`
}

// TranscodeOutput describes one rendition as written.
type TranscodeOutput struct {
	// Name is the target's name.
	Name string `json:"name"`
	// Key is the rendition's blob key (empty when run on a local file).
	Key string `json:"key,omitempty"`
	// File is the rendition's file name (a path when run on a local file).
	File string `json:"file"`
	// Format is the container: mp3, m4a, ogg, flac or wav.
	Format      string `json:"format"`
	Codec       string `json:"codec"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// Duration in seconds: decoded when the rendition was normalised (and so
	// measured), else from the container's header.
	Duration float64 `json:"duration"`
	// BitRate in bit/s: the audio stream's when the container states it, else
	// size × 8 / duration.
	BitRate    int64 `json:"bit_rate"`
	SampleRate int   `json:"sample_rate"`
	Channels   int   `json:"channels"`
	// BitDepth is the stored sample depth of flac and wav; omitted for lossy
	// codecs.
	BitDepth int `json:"bit_depth,omitempty"`
	// SHA256 is the hex digest of the stored bytes.
	SHA256 string `json:"sha256"`
	// Tags and CoverArt say whether the source's tags and cover art were
	// carried over.
	Tags     bool `json:"tags"`
	CoverArt bool `json:"cover_art"`
	// Loudness is present when the rendition was normalised.
	Loudness *TranscodeLoudness `json:"loudness,omitempty"`
	// ElapsedS is the time the rendition took, in seconds.
	ElapsedS float64 `json:"elapsed_s"`
}

// The methods of loudness normalisation.
const (
	// NormalizeGain is a linear gain: the source's true peak allowed it.
	NormalizeGain = "gain"
	// NormalizeLimiter is a gain followed by a true-peak limiter (4× oversampled).
	NormalizeLimiter = "limiter"
	// NormalizeNone means nothing was done: the source's loudness is undefined
	// (silence or below the −70 LUFS gate), see Note.
	NormalizeNone = "none"
)

// TranscodeLoudness reports the normalisation of one rendition. Levels that are
// undefined (silence) are null.
type TranscodeLoudness struct {
	TargetLUFS  float64 `json:"target_lufs"`
	CeilingDBTP float64 `json:"ceiling_dbtp"`
	// Method is NormalizeGain, NormalizeLimiter or NormalizeNone.
	Method string  `json:"method"`
	GainDB float64 `json:"gain_db"`
	// LimiterDBTP is the limiter's threshold when one was used.
	LimiterDBTP *float64 `json:"limiter_dbtp,omitempty"`
	// SourceLUFS and SourceTruePeakDBTP are the source's, as the rendition's
	// channels and sample rate give it.
	SourceLUFS         *float64 `json:"source_lufs"`
	SourceTruePeakDBTP *float64 `json:"source_true_peak_dbtp"`
	// IntegratedLUFS, TruePeakDBTP and LRA are measured on the rendition itself
	// (decoded), after encoding.
	IntegratedLUFS *float64 `json:"integrated_lufs"`
	TruePeakDBTP   *float64 `json:"true_peak_dbtp"`
	LRA            *float64 `json:"lra"`
	// Within reports whether the rendition is within ±0.5 LU of the target and
	// not above the ceiling.
	Within bool `json:"within"`
	// Encodes is how many times the rendition was encoded (more than one when a
	// lossy codec's peaks overshot the ceiling and it was redone with more
	// headroom).
	Encodes int    `json:"encodes"`
	Note    string `json:"note,omitempty"`
}

// DefaultTruePeakDBTP is the ceiling of a [TranscodeNormalize] that names none.
const DefaultTruePeakDBTP = -1.0

// Ceiling returns the true-peak ceiling in dBTP.
func (n TranscodeNormalize) Ceiling() float64 {
	if n.TruePeakDBTP == nil {
		return DefaultTruePeakDBTP
	}
	return *n.TruePeakDBTP
}

// TranscodeFormat describes what a target format accepts.
type TranscodeFormat struct {
	Name string
	// SampleRates lists the accepted rates; nil means any from MinRate to MaxRate.
	SampleRates      []int
	MinRate, MaxRate int
	// MinBitRate and MaxBitRate bound BitRate; both zero when it does not apply.
	MinBitRate, MaxBitRate int
	// MinQuality and MaxQuality bound Quality; both zero when it does not apply.
	MinQuality, MaxQuality float64
	// BitDepths lists the accepted bit depths; nil when they do not apply.
	BitDepths []int
	// MaxCompression bounds CompressionLevel; -1 when it does not apply.
	MaxCompression int
}

// transcodeFormats are the target formats; the limits are the encoders' own
// (LAME, ffmpeg's aac, libopus, libvorbis, ffmpeg's flac and PCM).
var transcodeFormats = map[string]TranscodeFormat{
	"mp3": {Name: "mp3", SampleRates: []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}, MinBitRate: 8000, MaxBitRate: 320000,
		MinQuality: 0, MaxQuality: 9, MaxCompression: -1},
	"aac": {Name: "aac", SampleRates: []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000},
		MinBitRate: 16000, MaxBitRate: 512000, MaxCompression: -1},
	"opus": {Name: "opus", SampleRates: []int{8000, 12000, 16000, 24000, 48000},
		MinBitRate: 6000, MaxBitRate: 510000, MaxCompression: 10},
	"vorbis": {Name: "vorbis", MinRate: 8000, MaxRate: 192000, MinBitRate: 32000, MaxBitRate: 500000,
		MinQuality: 0, MaxQuality: 10, MaxCompression: -1},
	"flac": {Name: "flac", MinRate: 8000, MaxRate: 384000, BitDepths: []int{16, 24}, MaxCompression: 12},
	"wav":  {Name: "wav", MinRate: 8000, MaxRate: 384000, BitDepths: []int{16, 24}, MaxCompression: -1},
}

// TranscodeFormatInfo returns what the named target format accepts.
func TranscodeFormatInfo(name string) (TranscodeFormat, bool) {
	f, ok := transcodeFormats[name]
	return f, ok
}

// AcceptsRate reports whether the format can be encoded at rate Hz.
func (f TranscodeFormat) AcceptsRate(rate int) bool {
	if f.SampleRates != nil {
		return slices.Contains(f.SampleRates, rate)
	}
	return rate >= f.MinRate && rate <= f.MaxRate
}

// DefaultTranscodePreset is the rendition of a transcode asked for without targets.
const DefaultTranscodePreset = "mp3-320"

func floatPtr(v float64) *float64 { return &v }

// transcodePresets are the named targets.
var transcodePresets = map[string]TranscodeTarget{
	"mp3-320":    {Format: "mp3", BitRate: 320000},
	"mp3-256":    {Format: "mp3", BitRate: 256000},
	"mp3-192":    {Format: "mp3", BitRate: 192000},
	"mp3-128":    {Format: "mp3", BitRate: 128000},
	"mp3-v0":     {Format: "mp3", Quality: floatPtr(0.0)},
	"mp3-v2":     {Format: "mp3", Quality: floatPtr(2.0)},
	"aac-256":    {Format: "aac", BitRate: 256000},
	"aac-192":    {Format: "aac", BitRate: 192000},
	"aac-128":    {Format: "aac", BitRate: 128000},
	"opus-128":   {Format: "opus", BitRate: 128000},
	"opus-96":    {Format: "opus", BitRate: 96000},
	"opus-64":    {Format: "opus", BitRate: 64000},
	"vorbis-q6":  {Format: "vorbis", Quality: floatPtr(6.0)},
	"vorbis-q4":  {Format: "vorbis", Quality: floatPtr(4.0)},
	"flac":       {Format: "flac"},
	"flac-16":    {Format: "flac", BitDepth: 16},
	"flac-24":    {Format: "flac", BitDepth: 24},
	"wav-16-44k": {Format: "wav", BitDepth: 16, SampleRate: 44100},
	"wav-16-48k": {Format: "wav", BitDepth: 16, SampleRate: 48000},
	"wav-24-48k": {Format: "wav", BitDepth: 24, SampleRate: 48000},
	"podcast": {Format: "mp3", BitRate: 96000, Channels: 1, SampleRate: 44100,
		Normalize: &TranscodeNormalize{IntegratedLUFS: -16, TruePeakDBTP: floatPtr(-1.0)}},
	"streaming": {Format: "aac", BitRate: 256000,
		Normalize: &TranscodeNormalize{IntegratedLUFS: -14, TruePeakDBTP: floatPtr(-1.0)}},
}

// TranscodePresets returns the named targets by name.
func TranscodePresets() map[string]TranscodeTarget { return maps.Clone(transcodePresets) }

// Resolve applies presets and defaults and validates the result: every target
// comes back with its preset expanded (Preset emptied), Name set and Normalize
// resolved (the options' own applied, TruePeakDBTP filled in). An error is
// fault.Invalid and names the field, e.g. "targets[1].bit_rate: …".
func (o TranscodeOptions) Resolve() ([]TranscodeTarget, error) {
	if o.Normalize != nil {
		if err := o.Normalize.validate("normalize"); err != nil {
			return nil, err
		}
	}
	targets := o.Targets
	if len(targets) == 0 {
		targets = []TranscodeTarget{{Preset: DefaultTranscodePreset}}
	}
	if len(targets) > maxTargets {
		return nil, fault.Errorf(fault.Invalid, "targets: %d targets, at most %d", len(targets), maxTargets)
	}
	out := make([]TranscodeTarget, 0, len(targets))
	names := map[string]int{}
	for i, t := range targets {
		field := fmt.Sprintf("targets[%d]", i)
		r, err := t.resolve(field, o.Normalize)
		if err != nil {
			return nil, err
		}
		if j, dup := names[r.Name]; dup {
			return nil, fault.Errorf(fault.Invalid, "%s.name: %q is also the name of targets[%d]; give one a name", field, r.Name, j)
		}
		names[r.Name] = i
		out = append(out, r)
	}
	return out, nil
}

// maxTargets bounds the renditions of one request.
const maxTargets = 16

var (
	targetName  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	keySegments = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$`)
)

func (t TranscodeTarget) resolve(field string, jobNorm *TranscodeNormalize) (TranscodeTarget, error) {
	r := t
	suffix := t.suffix()
	base := t.Format
	if t.Preset != "" {
		p, ok := transcodePresets[t.Preset]
		if !ok {
			return r, fault.Errorf(fault.Invalid, "%s.preset: unknown preset %q (have %s)", field, t.Preset,
				strings.Join(slices.Sorted(maps.Keys(transcodePresets)), ", "))
		}
		if t.Format != "" && t.Format != p.Format {
			return r, fault.Errorf(fault.Invalid, "%s.format: %q conflicts with preset %q, which is %s", field, t.Format, t.Preset, p.Format)
		}
		r = p.merge(t)
		base = t.Preset
	}
	r.Preset = ""
	if r.Format == "" {
		return r, fault.Errorf(fault.Invalid, "%s: a preset or a format is required", field)
	}
	f, ok := transcodeFormats[r.Format]
	if !ok {
		return r, fault.Errorf(fault.Invalid, "%s.format: unknown format %q (want mp3, aac, opus, vorbis, flac or wav)", field, r.Format)
	}
	if err := r.validate(field, f); err != nil {
		return r, err
	}
	if r.Normalize == nil && jobNorm != nil {
		r.Normalize = jobNorm
	}
	if r.Normalize != nil {
		n := *r.Normalize
		n.TruePeakDBTP = floatPtr(n.Ceiling())
		r.Normalize = &n
	}
	if r.Name == "" {
		r.Name = base + suffix
		if len(r.Name) > 64 {
			r.Name = r.Name[:64]
		}
	}
	if !targetName.MatchString(r.Name) {
		return r, fault.Errorf(fault.Invalid, "%s.name: %q must be 1–64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit", field, r.Name)
	}
	return r, nil
}

// merge returns the preset p with t's parameters on top. A rate control (bit
// rate or quality) given in t replaces the preset's.
func (p TranscodeTarget) merge(t TranscodeTarget) TranscodeTarget {
	r := p
	r.Name, r.StripTags = t.Name, t.StripTags
	if t.BitRate != 0 || t.Quality != nil {
		r.BitRate, r.Quality = t.BitRate, t.Quality
	}
	if t.SampleRate != 0 {
		r.SampleRate = t.SampleRate
	}
	if t.Channels != 0 {
		r.Channels = t.Channels
	}
	if t.BitDepth != 0 {
		r.BitDepth = t.BitDepth
	}
	if t.CompressionLevel != nil {
		r.CompressionLevel = t.CompressionLevel
	}
	if t.Normalize != nil {
		r.Normalize = t.Normalize
	}
	return r
}

// suffix names the parameters t sets explicitly, for its default name.
func (t TranscodeTarget) suffix() string {
	var b strings.Builder
	if t.BitRate != 0 {
		fmt.Fprintf(&b, "-%sk", strconv.FormatFloat(float64(t.BitRate)/1000, 'f', -1, 64))
	}
	if t.Quality != nil {
		fmt.Fprintf(&b, "-q%s", strconv.FormatFloat(*t.Quality, 'f', -1, 64))
	}
	if t.SampleRate != 0 {
		fmt.Fprintf(&b, "-%dhz", t.SampleRate)
	}
	if t.BitDepth != 0 {
		fmt.Fprintf(&b, "-%dbit", t.BitDepth)
	}
	switch t.Channels {
	case 1:
		b.WriteString("-mono")
	case 2:
		b.WriteString("-stereo")
	}
	return b.String()
}

func (t TranscodeTarget) validate(field string, f TranscodeFormat) error {
	bad := func(name, format string, args ...any) error {
		return fault.Errorf(fault.Invalid, "%s.%s: %s", field, name, fmt.Sprintf(format, args...))
	}
	switch {
	case t.BitRate != 0 && t.Quality != nil:
		return bad("quality", "give bit_rate or quality, not both")
	case t.BitRate != 0 && f.MaxBitRate == 0:
		return bad("bit_rate", "%s has no bit rate (it is lossless)", f.Name)
	case t.BitRate != 0 && (t.BitRate < f.MinBitRate || t.BitRate > f.MaxBitRate):
		return bad("bit_rate", "%d is out of range for %s (%d–%d bit/s)", t.BitRate, f.Name, f.MinBitRate, f.MaxBitRate)
	case t.Quality != nil && f.MaxQuality == 0:
		return bad("quality", "%s has no quality setting (use bit_rate)", f.Name)
	case t.Quality != nil && (*t.Quality < f.MinQuality || *t.Quality > f.MaxQuality || math.IsNaN(*t.Quality)):
		return bad("quality", "%g is out of range for %s (%g–%g)", *t.Quality, f.Name, f.MinQuality, f.MaxQuality)
	case t.SampleRate != 0 && !f.AcceptsRate(t.SampleRate):
		if f.SampleRates != nil {
			return bad("sample_rate", "%d Hz is not one of %s's rates %v", t.SampleRate, f.Name, f.SampleRates)
		}
		return bad("sample_rate", "%d Hz is out of range for %s (%d–%d)", t.SampleRate, f.Name, f.MinRate, f.MaxRate)
	case t.Channels != 0 && t.Channels != 1 && t.Channels != 2:
		return bad("channels", "%d: want 1 (mono) or 2 (stereo), or leave it out to keep the source's", t.Channels)
	case t.BitDepth != 0 && f.BitDepths == nil:
		return bad("bit_depth", "%s has no bit depth", f.Name)
	case t.BitDepth != 0 && !slices.Contains(f.BitDepths, t.BitDepth):
		return bad("bit_depth", "%d: want 16 or 24", t.BitDepth)
	case t.CompressionLevel != nil && f.MaxCompression < 0:
		return bad("compression_level", "%s has no compression level", f.Name)
	case t.CompressionLevel != nil && (*t.CompressionLevel < 0 || *t.CompressionLevel > f.MaxCompression):
		return bad("compression_level", "%d is out of range for %s (0–%d)", *t.CompressionLevel, f.Name, f.MaxCompression)
	}
	if t.Normalize != nil {
		return t.Normalize.validate(field + ".normalize")
	}
	return nil
}

func (n TranscodeNormalize) validate(field string) error {
	switch {
	case math.IsNaN(n.IntegratedLUFS) || n.IntegratedLUFS < -50 || n.IntegratedLUFS > -5:
		return fault.Errorf(fault.Invalid, "%s.integrated_lufs: %g is out of range (−50 to −5 LUFS)", field, n.IntegratedLUFS)
	case n.TruePeakDBTP != nil && (math.IsNaN(*n.TruePeakDBTP) || *n.TruePeakDBTP < -20 || *n.TruePeakDBTP > 0):
		return fault.Errorf(fault.Invalid, "%s.true_peak_dbtp: %g is out of range (−20 to 0 dBTP)", field, *n.TruePeakDBTP)
	}
	return nil
}
