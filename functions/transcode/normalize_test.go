package transcode_test

import (
	"math"
	"testing"

	"github.com/phantomchain/phantomchain/platform/contract"
)

// TestNormalize normalises shared music of very different loudness into lossy
// and lossless formats and measures every rendition with ffmpeg's ebur128
// filter, independently of the function's own meter.
func TestNormalize(t *testing.T) {
	b := setup(t, s3Store)
	norm := func(i, tp float64) map[string]any { return map[string]any{"integrated_lufs": i, "true_peak_dbtp": tp} }
	tests := []struct {
		name   string
		source string // shared file: its loudness (ebur128) in the comment
		target map[string]any
		lufs   float64
		ceil   float64
		method string
	}{
		// −8.0 LUFS, +1.7 dBTP (clipped): down by 15 dB.
		{"LoudToBroadcast", "fof_muldjord_chaosgod_040.mp3", map[string]any{"preset": "mp3-320", "normalize": norm(-23, -1)}, -23, -1, contract.NormalizeGain},
		{"LoudToFLAC", "fof_muldjord_chaosgod_040.mp3", map[string]any{"preset": "flac", "normalize": norm(-14, -2)}, -14, -2, contract.NormalizeGain},
		// −21.0 LUFS, −7.1 dBTP: up by 5 dB, the peaks still fit.
		{"QuietUp", "lmms_Alf42redMauiwowi.mp3", map[string]any{"preset": "aac-256", "normalize": norm(-16, -1)}, -16, -1, contract.NormalizeGain},
		// −26.0 LUFS, −8.8 dBTP: up by 12 dB needs the limiter.
		{"QuietToStreamingOpus", "msx_slow_neasy_redfarn.mp3", map[string]any{"preset": "opus-96", "normalize": norm(-14, -1)}, -14, -1, contract.NormalizeLimiter},
		{"QuietToHotWAV", "msx_slow_neasy_redfarn.mp3", map[string]any{"preset": "wav-16-44k", "normalize": norm(-10, -0.5)}, -10, -0.5, contract.NormalizeLimiter},
		// −23.4 LUFS, −8.0 dBTP, stereo: the podcast preset downmixes to mono.
		{"Podcast", "msx_harp_harmony.mp3", map[string]any{"preset": "podcast"}, -16, -1, contract.NormalizeLimiter},
		{"Streaming", "msx_harp_harmony.mp3", map[string]any{"preset": "streaming"}, -14, -1, contract.NormalizeLimiter},
		{"VorbisFromFLAC", "nott_jigs_captainwhite_x38.flac", map[string]any{"preset": "vorbis-q6", "normalize": norm(-18, -1)}, -18, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := b.transcode(t, b.put(t, tt.source, sharedAudio(t, tt.source)),
				map[string]any{"targets": []any{tt.target}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			out := res.Outputs[0]
			l := out.Loudness
			if l == nil || l.IntegratedLUFS == nil || l.TruePeakDBTP == nil || l.SourceLUFS == nil {
				t.Fatalf("loudness = %+v, want the source's and the rendition's measurements", l)
			}
			gotI, gotTP := ebur128(t, b.fetch(t, out.Key))
			t.Logf("%-22s %-8s gain %+6.2f dB  ebur128 I %6.2f LUFS TP %5.2f dBTP | own I %6.2f TP %5.2f | encodes %d",
				tt.name, l.Method, l.GainDB, gotI, gotTP, *l.IntegratedLUFS, *l.TruePeakDBTP, l.Encodes)
			if math.Abs(gotI-tt.lufs) > 0.5 {
				t.Errorf("ebur128: I = %.2f LUFS, want %g ± 0.5", gotI, tt.lufs)
			}
			// ebur128 oversamples to 192 kHz, the function's meter 4×: their true
			// peaks may differ by a few hundredths of a dB.
			if gotTP > tt.ceil+0.1 || *l.TruePeakDBTP > tt.ceil {
				t.Errorf("true peak: ebur128 %.2f dBTP, own %.2f dBTP, want at most %g", gotTP, *l.TruePeakDBTP, tt.ceil)
			}
			if math.Abs(*l.IntegratedLUFS-gotI) > 0.2 {
				t.Errorf("own I = %.2f LUFS, ebur128 %.2f: the meters disagree", *l.IntegratedLUFS, gotI)
			}
			if !l.Within || l.TargetLUFS != tt.lufs || l.CeilingDBTP != tt.ceil {
				t.Errorf("loudness = %+v, want within the target %g/%g", *l, tt.lufs, tt.ceil)
			}
			if tt.method != "" && l.Method != tt.method {
				t.Errorf("method = %s, want %s", l.Method, tt.method)
			}
			if (l.Method == contract.NormalizeLimiter) != (l.LimiterDBTP != nil) {
				t.Errorf("limiter threshold %v with method %s", l.LimiterDBTP, l.Method)
			}
		})
	}
	t.Run("Silence", func(t *testing.T) {
		silence := synth(t, b.dir, "silence.wav", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3")
		res, err := b.transcode(t, b.put(t, "silence.wav", silence),
			map[string]any{"targets": []any{map[string]any{"preset": "flac"}}, "normalize": norm(-14, -1)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		l := res.Outputs[0].Loudness
		if l == nil || l.Method != contract.NormalizeNone || l.Within || l.Note == "" || l.IntegratedLUFS != nil {
			t.Errorf("loudness = %+v, want method none with a note and no integrated loudness", l)
		}
	})
}
