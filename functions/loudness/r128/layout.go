package r128

import (
	"fmt"
	"strconv"
	"strings"
)

// Channel weights of BS.1770-4 Table 3, by loudspeaker position: 1.41 (+1.5 dB) for
// elevation below 30° and azimuth between 60° and 120° (the surround pair), 1.0 for
// every other full-range channel, and 0 for LFE, which is excluded from loudness.
const (
	weightFront    = 1.0
	weightSurround = 1.41
	weightLFE      = 0.0
)

// layouts maps ffmpeg's standard layout names (libavutil/channel_layout.c, as printed
// by `ffmpeg -layouts`) to their channels in stream order.
var layouts = map[string]string{
	"mono":           "FC",
	"stereo":         "FL+FR",
	"2.1":            "FL+FR+LFE",
	"3.0":            "FL+FR+FC",
	"3.0(back)":      "FL+FR+BC",
	"4.0":            "FL+FR+FC+BC",
	"quad":           "FL+FR+BL+BR",
	"quad(side)":     "FL+FR+SL+SR",
	"3.1":            "FL+FR+FC+LFE",
	"5.0":            "FL+FR+FC+BL+BR",
	"5.0(side)":      "FL+FR+FC+SL+SR",
	"4.1":            "FL+FR+FC+LFE+BC",
	"5.1":            "FL+FR+FC+LFE+BL+BR",
	"5.1(side)":      "FL+FR+FC+LFE+SL+SR",
	"6.0":            "FL+FR+FC+BC+SL+SR",
	"6.0(front)":     "FL+FR+FLC+FRC+SL+SR",
	"3.1.2":          "FL+FR+FC+LFE+TFL+TFR",
	"hexagonal":      "FL+FR+FC+BL+BR+BC",
	"6.1":            "FL+FR+FC+LFE+BC+SL+SR",
	"6.1(back)":      "FL+FR+FC+LFE+BL+BR+BC",
	"6.1(front)":     "FL+FR+LFE+FLC+FRC+SL+SR",
	"7.0":            "FL+FR+FC+BL+BR+SL+SR",
	"7.0(front)":     "FL+FR+FC+FLC+FRC+SL+SR",
	"7.1":            "FL+FR+FC+LFE+BL+BR+SL+SR",
	"7.1(wide)":      "FL+FR+FC+LFE+BL+BR+FLC+FRC",
	"7.1(wide-side)": "FL+FR+FC+LFE+FLC+FRC+SL+SR",
	"7.1(top)":       "FL+FR+FC+LFE+BL+BR+TFL+TFR",
	"5.1.2":          "FL+FR+FC+LFE+BL+BR+TFL+TFR", // SL, SR in place of BL, BR since ffmpeg 7.1: same weights
	"5.1.2(back)":    "FL+FR+FC+LFE+BL+BR+TFL+TFR",
	"octagonal":      "FL+FR+FC+BL+BR+BC+SL+SR",
	"cube":           "FL+FR+BL+BR+TFL+TFR+TBL+TBR",
	"5.1.4":          "FL+FR+FC+LFE+BL+BR+TFL+TFR+TBL+TBR",
	"7.1.2":          "FL+FR+FC+LFE+BL+BR+SL+SR+TFL+TFR",
	"7.1.4":          "FL+FR+FC+LFE+BL+BR+SL+SR+TFL+TFR+TBL+TBR",
	"7.2.3":          "FL+FR+FC+LFE+BL+BR+SL+SR+TFL+TFR+TBC+LFE2",
	"9.1.4":          "FL+FR+FC+LFE+BL+BR+FLC+FRC+SL+SR+TFL+TFR+TBL+TBR",
	"hexadecagonal":  "FL+FR+FC+BL+BR+BC+SL+SR+TFL+TFC+TFR+TBL+TBC+TBR+WL+WR",
	"downmix":        "DL+DR",
	"22.2":           "FL+FR+FC+LFE+BL+BR+FLC+FRC+BC+SL+SR+TC+TFL+TFC+TFR+TBL+TBC+TBR+LFE2+TSL+TSR+BFC+BFL+BFR",
}

// defaultLayouts is the layout assumed for an unknown layout, by channel count: the
// common WAVE/ffmpeg layouts, with quad and 5.0 taken as L R Ls Rs and L R C Ls Rs
// as libebur128 does.
var defaultLayouts = map[int]string{1: "mono", 2: "stereo", 3: "3.0", 4: "quad", 5: "5.0", 6: "5.1", 7: "6.1", 8: "7.1"}

// Weights returns the BS.1770-4 weight of each channel of an ffmpeg channel layout:
// a standard name such as "stereo", "5.1(side)" or "7.1"; an explicit list such as
// "FL+FR+LFE"; or ffmpeg's description of a custom order, "3 channels (FL+FR+LFE)".
// An empty layout, "unknown" or "N channels" selects a default by channel count
// (mono, stereo, 3.0, quad, 5.0, 5.1, 6.1, 7.1); more than eight channels of unknown
// position all weigh 1.0.
//
// Weights follow the positions of ITU-R BS.775 and BS.2051: side channels (SL, SR,
// SDL, SDR) and the wide pair (WL, WR, at ±60°) weigh 1.41; back channels (BL, BR)
// weigh 1.41 when they are the surround pair of a layout without side channels (quad,
// 5.0, 5.1, 7.1(wide): ±110°), and 1.0 when side channels are also present (7.1,
// octagonal: ±135–150°); LFE and LFE2 weigh 0; all other channels weigh 1.0. (ffmpeg's
// ebur128 filter gives 1.41 to BL and BR in every layout, so 7.1 material reads up to
// 1.5 dB louder there when its back pair carries the programme.)
func Weights(layout string, channels int) ([]float64, error) {
	names, err := channelNames(layout, channels)
	if err != nil {
		return nil, err
	}
	if names == nil { // unknown positions
		w := make([]float64, channels)
		for i := range w {
			w[i] = weightFront
		}
		return w, nil
	}
	if len(names) != channels {
		return nil, fmt.Errorf("r128: layout %q has %d channels, not %d: %w", layout, len(names), channels, ErrInvalidConfig)
	}
	hasSide := false
	for _, n := range names {
		if _, ok := channelKinds[n]; !ok {
			return nil, fmt.Errorf("r128: channel %q in layout %q: %w", n, layout, ErrUnknownLayout)
		}
		hasSide = hasSide || n == "SL" || n == "SR"
	}
	w := make([]float64, channels)
	for i, n := range names {
		switch channelKinds[n] {
		case lfe:
			w[i] = weightLFE
		case surround:
			w[i] = weightSurround
		case back:
			w[i] = weightSurround
			if hasSide {
				w[i] = weightFront
			}
		default:
			w[i] = weightFront
		}
	}
	return w, nil
}

// channelKind classifies ffmpeg's channel names by their BS.1770-4 weight.
type channelKind int

const (
	front    channelKind = iota // 1.0: azimuth under 60°, 180°, or elevated 30° and more
	surround                    // 1.41: azimuth 60°–120°
	back                        // BL, BR: surround (±110°) or rear (±135–150°) by layout
	lfe                         // 0
)

var channelKinds = map[string]channelKind{
	"FL": front, "FR": front, "FC": front, "FLC": front, "FRC": front, "BC": front,
	"TC": front, "TFL": front, "TFC": front, "TFR": front, "TBL": front, "TBC": front, "TBR": front,
	"TSL": front, "TSR": front, "BFC": front, "BFL": front, "BFR": front, "DL": front, "DR": front,
	"SL": surround, "SR": surround, "SDL": surround, "SDR": surround, "WL": surround, "WR": surround,
	"BL": back, "BR": back,
	"LFE": lfe, "LFE2": lfe,
}

// channelNames returns the channels of layout in order, or nil (and no error) when
// their positions are unknown and there are more than eight of them.
func channelNames(layout string, channels int) ([]string, error) {
	l := strings.TrimSpace(layout)
	if desc, ok := strings.CutSuffix(l, ")"); ok {
		// ffmpeg describes custom orders as "N channels (A+B+…)".
		if count, list, ok := strings.Cut(desc, " channels ("); ok && isCount(count) {
			return strings.Split(list, "+"), nil
		}
	}
	if l == "" || strings.EqualFold(l, "unknown") || isCountLayout(l) {
		d, ok := defaultLayouts[channels]
		if !ok {
			return nil, nil
		}
		l = d
	}
	if list, ok := layouts[strings.ToLower(l)]; ok {
		return strings.Split(list, "+"), nil
	}
	if _, ok := channelKinds[l]; ok || strings.Contains(l, "+") {
		return strings.Split(l, "+"), nil // explicit list, or a single channel such as "FC"
	}
	return nil, fmt.Errorf("r128: layout %q: %w", layout, ErrUnknownLayout)
}

// isCountLayout reports whether l is ffmpeg's name for an unknown layout: "N channels"
// (or "1 channel").
func isCountLayout(l string) bool {
	count, unit, ok := strings.Cut(l, " ")
	return ok && isCount(count) && (unit == "channels" || unit == "channel")
}

func isCount(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0
}
