package analyze

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
	"github.com/phantomchain/phantomchain/functions/analyze/tempo"
	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// DefaultBits is the resolution of the waveform peaks when the options leave it
// out: 8 bits, what peaks.js reads.
const DefaultBits = 8

// profiles are the key profiles the options may name.
var profiles = []key.Profile{
	key.ProfileCorpus, key.ProfileAlbrecht, key.ProfileTemperley, key.ProfileAarden,
	key.ProfileKrumhansl, key.ProfileShaath, key.ProfileEDMA,
}

// plan is a validated [Options]: what to compute, with the options of the
// packages that compute it.
type plan struct {
	tempo, key, waveform bool
	tempoOpts            tempo.Options
	keyOpts              key.Options
	wave                 waveform.Config // SampleRate is set once the decode tells it
	png                  waveform.PNGOptions
}

// newPlan checks o completely (the contract's checks, then the analysis packages'
// own) and returns the plan. Errors are fault.Invalid and name the option as the
// request spells it, e.g. "options.waveform.png.width_px".
func newPlan(o Options) (plan, error) {
	if err := o.Validate(); err != nil {
		return plan{}, err
	}
	p := plan{
		tempo:     o.Wants(contract.FeatureTempo),
		key:       o.Wants(contract.FeatureKey),
		waveform:  o.Wants(contract.FeatureWaveform),
		tempoOpts: tempo.Options{MinBPM: o.Tempo.MinBPM, MaxBPM: o.Tempo.MaxBPM},
		keyOpts:   key.Options{Profile: key.Profile(o.Key.Profile)},
		wave: waveform.Config{
			SampleRate:      1, // labels the output only; see run
			SamplesPerPixel: o.Waveform.SamplesPerPixel,
			Width:           o.Waveform.WidthPx,
			Bits:            o.Waveform.Bits,
		},
		png: waveform.PNGOptions{
			Width: o.Waveform.PNG.WidthPx, Height: o.Waveform.PNG.HeightPx,
			BackgroundColor: o.Waveform.PNG.BackgroundColor, WaveformColor: o.Waveform.PNG.WaveformColor,
			AxisColor: o.Waveform.PNG.AxisColor, BorderColor: o.Waveform.PNG.BorderColor,
			Scale: o.Waveform.PNG.Scale, Gain: o.Waveform.PNG.Gain, AutoGain: o.Waveform.PNG.AutoGain,
		},
	}
	if p.wave.Bits == 0 {
		p.wave.Bits = DefaultBits
	}
	// Each estimator checks its options before it looks at the samples, so a call
	// without samples validates them and does nothing else.
	if _, err := tempo.Estimate(nil, tempo.MinSampleRate, p.tempoOpts); errors.Is(err, tempo.ErrOptions) {
		lo, hi := cmp.Or(p.tempoOpts.MinBPM, tempo.DefaultMinBPM), cmp.Or(p.tempoOpts.MaxBPM, tempo.DefaultMaxBPM)
		return plan{}, fault.Wrap(fault.Invalid, err, fmt.Sprintf(
			"options.tempo: min_bpm %g and max_bpm %g: want 0 < min_bpm, 2 × min_bpm ≤ max_bpm ≤ 1000 (defaults %g and %g)",
			lo, hi, tempo.DefaultMinBPM, tempo.DefaultMaxBPM))
	}
	if _, err := key.Estimate(nil, key.MinSampleRate, p.keyOpts); errors.Is(err, key.ErrUnknownProfile) {
		names := make([]string, len(profiles))
		for i, pr := range profiles {
			names[i] = string(pr)
		}
		return plan{}, fault.Wrap(fault.Invalid, err, fmt.Sprintf("options.key.profile: unknown profile %q (want one of %s)",
			o.Key.Profile, strings.Join(names, ", ")))
	}
	if _, err := waveform.NewBuilder(p.wave); err != nil {
		return plan{}, optionError(err)
	}
	// Drawing an empty waveform checks the image options with the renderer's own
	// rules.
	empty := &waveform.Peaks{Version: waveform.Version, Channels: waveform.Channels, SampleRate: 1,
		SamplesPerPixel: waveform.MinSamplesPerPixel, Bits: p.wave.Bits}
	if _, err := empty.Image(p.png); err != nil {
		return plan{}, optionError(err)
	}
	return p, nil
}

// requestNames maps the waveform package's option names to the request's.
var requestNames = map[string]string{
	"bits":              "waveform.bits",
	"width":             "waveform.width_px",
	"samples_per_pixel": "waveform.samples_per_pixel",
	"image_width":       "waveform.png.width_px",
	"image_height":      "waveform.png.height_px",
	"background_color":  "waveform.png.background_color",
	"waveform_color":    "waveform.png.waveform_color",
	"axis_color":        "waveform.png.axis_color",
	"border_color":      "waveform.png.border_color",
	"scale":             "waveform.png.scale",
	"gain":              "waveform.png.gain",
}

// optionError turns a waveform option error into a fault.Invalid naming the
// request's option.
func optionError(err error) error {
	var oe *waveform.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	name, ok := requestNames[oe.Option]
	if !ok {
		name = "waveform." + oe.Option
	}
	return fault.Wrap(fault.Invalid, err, "options."+name+": "+oe.Reason)
}
