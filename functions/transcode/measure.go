package transcode

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// level is a loudness measurement of PCM as an encoder receives it (or as a
// decoder returns it).
type level struct {
	res   r128.Result
	stats ffmpeg.DecodeStats
}

// integrated returns the integrated loudness in LUFS and whether it is defined.
func (l level) integrated() (float64, bool) {
	return l.res.Integrated.Value, l.res.Integrated.Defined()
}

// truePeak returns the true peak in dBTP (−Inf for digital silence).
func (l level) truePeak() float64 { return l.res.TruePeak.Value }

// measure decodes the job's input through filter (or none), converted to rate
// Hz and channels with the given layout, into the Go loudness meter. progress
// gets the share decoded, 0 to 1, against expected seconds (0 when unknown).
func measure(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job, filter string, rate, channels int,
	layout string, expected float64, progress func(float64)) (level, error) {
	mw := &meterWriter{rate: rate, channels: channels, layout: layout, expected: expected, progress: progress}
	opts := ffmpeg.DecodeOptions{SampleRate: rate, Channels: channels, Filter: filter, Lenient: true}
	stats, err := runner.Decode(ctx, job, opts, mw)
	if err != nil {
		return level{}, err
	}
	if mw.meter == nil {
		return level{}, fmt.Errorf("transcode: measure: no samples reached the meter")
	}
	return level{res: mw.meter.Result(), stats: stats}, nil
}

// meterWriter feeds little-endian float32 PCM to an r128 meter, created at the
// first write for the rate and channels the decode was asked for (Decode checks
// that ffmpeg delivers them).
type meterWriter struct {
	meter    *r128.Meter
	rate     int
	channels int
	layout   string
	expected float64 // seconds
	progress func(float64)

	carry []byte
	buf   []float32
	n     int64 // samples written
}

var _ io.Writer = (*meterWriter)(nil)

func (w *meterWriter) init() error {
	if w.rate == 0 || w.channels == 0 {
		return fmt.Errorf("transcode: meter: format unknown")
	}
	m, err := r128.New(r128.Config{SampleRate: w.rate, Channels: w.channels, Layout: w.layout, TruePeak: true})
	if err != nil {
		// A layout the meter does not know: weigh every channel alike.
		m, err = r128.New(r128.Config{SampleRate: w.rate, Channels: w.channels, TruePeak: true})
	}
	w.meter = m
	return err
}

func (w *meterWriter) Write(p []byte) (int, error) {
	if w.meter == nil {
		if err := w.init(); err != nil {
			return 0, err
		}
	}
	n := len(p)
	if len(w.carry) > 0 {
		need := 4 - len(w.carry)
		if len(p) < need {
			w.carry = append(w.carry, p...)
			return n, nil
		}
		w.carry = append(w.carry, p[:need]...)
		w.meter.Write([]float32{math.Float32frombits(binary.LittleEndian.Uint32(w.carry))})
		w.carry, p = w.carry[:0], p[need:]
		w.n++
	}
	whole := len(p) / 4
	if cap(w.buf) < whole {
		w.buf = make([]float32, whole)
	}
	buf := w.buf[:whole]
	for i := range buf {
		buf[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
	}
	w.meter.Write(buf)
	w.carry = append(w.carry, p[4*whole:]...)
	w.n += int64(whole)
	if w.progress != nil && w.expected > 0 {
		w.progress(min(1, float64(w.n)/float64(w.channels*w.rate)/w.expected))
	}
	return n, nil
}
