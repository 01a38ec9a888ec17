package ffmpeg_test

import (
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// peakWriter records the largest magnitude of f32le samples.
type peakWriter struct {
	buf  []byte
	peak float64
}

func (w *peakWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	n := len(w.buf) / 4 * 4
	for i := 0; i < n; i += 4 {
		w.peak = max(w.peak, math.Abs(float64(math.Float32frombits(binary.LittleEndian.Uint32(w.buf[i:])))))
	}
	w.buf = w.buf[n:]
	return len(p), nil
}

func TestDecodeFilter(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	// lavfi's sine has amplitude 1/8.
	job := newJobFile(t, r, makeSine(t, t.TempDir(), "sine.flac"))
	var plain peakWriter
	if _, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{}, &plain); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		filter   string
		gainDB   float64 // expected peak change
		channels int
	}{
		{"Volume", "volume=-6dB", -6, 2},
		{"VolumeThenLimiter", "volume=12dB,alimiter=limit=0.25:level=0:latency=1", 20 * math.Log10(0.25/plain.peak), 2},
		// swresample downmixes stereo as (L+R)/√2: +3.01 dB for L = R.
		{"DownmixFirst", "aformat=channel_layouts=mono,volume=2.5dB", 2.5 + 20*math.Log10(math.Sqrt2), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w peakWriter
			st, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{Filter: tt.filter}, &w)
			if err != nil {
				t.Fatal(err)
			}
			got := 20 * math.Log10(w.peak/plain.peak)
			if math.Abs(got-tt.gainDB) > 0.05 {
				t.Errorf("peak changed by %.3f dB, want %.3f dB", got, tt.gainDB)
			}
			if st.Frames < sineSeconds*sineRate-256 || st.Channels != tt.channels {
				t.Errorf("decoded %d frames × %d channels, want about %d × %d", st.Frames, st.Channels, sineSeconds*sineRate, tt.channels)
			}
		})
	}
	t.Run("NotAllowed", func(t *testing.T) {
		for _, f := range []string{"amovie=/etc/passwd", "volume=1;anullsrc", "volume='1'"} {
			_, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{Filter: f}, &peakWriter{})
			if fault.KindOf(err) != fault.Invalid {
				t.Errorf("Filter %q: err = %v, want invalid", f, err)
			}
		}
	})
}
