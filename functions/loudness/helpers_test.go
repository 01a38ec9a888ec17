package loudness_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/functest"
)

type testBundle struct {
	nc    *nats.Conn
	blobs blob.Store
	dir   string // scratch folder for generated inputs
}

// setup serves the loudness function on an in-process NATS server with a
// local-folder blob store and the real ffmpeg.
func setup(t *testing.T) *testBundle {
	t.Helper()
	blobs := functest.FileStore(t)
	nc := functest.Serve(t, "loudness", func(runner *ffmpeg.Runner) []endpoint.Endpoint {
		return loudness.Endpoints(loudness.New(runner, blobs, 64<<20))
	})
	return &testBundle{nc: nc, blobs: blobs, dir: t.TempDir()}
}

// put stores the file at path under key.
func (b *testBundle) put(t *testing.T, key, path string) {
	t.Helper()
	functest.Put(t, b.blobs, key, path)
}

// synth makes an audio file with ffmpeg's lavfi sources.
func (b *testBundle) synth(t *testing.T, name string, args ...string) string {
	t.Helper()
	return synth(t, b.dir, name, args...)
}

func synth(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, b)
	}
	return out
}

// measure stores the file at path and asks the service to measure it.
func (b *testBundle) measure(t *testing.T, path string, opts contract.LoudnessOptions) (contract.LoudnessResult, error) {
	t.Helper()
	key := "in/" + filepath.Base(path)
	b.put(t, key, path)
	return b.call(t, contract.LoudnessRequest{Input: contract.ObjectRef{Key: key}, Options: opts})
}

// call sends req, which may be any JSON value, to the measure endpoint.
func (b *testBundle) call(t *testing.T, req any) (contract.LoudnessResult, error) {
	t.Helper()
	var res contract.LoudnessResult
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := endpoint.Call(ctx, b.nc, contract.LoudnessSubject, req, &res, endpoint.CallOptions{})
	return res, err
}

// amplitude converts a peak level in dBFS to a linear amplitude.
func amplitude(dBFS float64) float64 { return math.Pow(10, dBFS/20) }

// sines returns a lavfi source of len(levels) channels of sine waves, channel i at
// freqs[i] Hz and peak level levels[i] dBFS (-Inf: silent).
func sines(seconds float64, rate int, freqs, levels []float64) []string {
	exprs := make([]string, len(levels))
	for i, l := range levels {
		exprs[i] = fmt.Sprintf("%.9f*sin(2*PI*%g*t)", amplitude(l), freqs[i])
	}
	return []string{"-f", "lavfi", "-i", fmt.Sprintf("aevalsrc=%s:s=%d:d=%g", strings.Join(exprs, "|"), rate, seconds)}
}

// writeWAV writes interleaved samples as a 16-bit PCM WAV file.
func writeWAV(path string, rate, channels int, samples []float64) error {
	data := make([]byte, 44+2*len(samples))
	copy(data, "RIFF")
	binary.LittleEndian.PutUint32(data[4:], uint32(len(data)-8))
	copy(data[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(data[16:], 16)
	binary.LittleEndian.PutUint16(data[20:], 1)
	binary.LittleEndian.PutUint16(data[22:], uint16(channels))
	binary.LittleEndian.PutUint32(data[24:], uint32(rate))
	binary.LittleEndian.PutUint32(data[28:], uint32(rate*channels*2))
	binary.LittleEndian.PutUint16(data[32:], uint16(channels*2))
	binary.LittleEndian.PutUint16(data[34:], 16)
	copy(data[36:], "data")
	binary.LittleEndian.PutUint32(data[40:], uint32(2*len(samples)))
	for i, v := range samples {
		binary.LittleEndian.PutUint16(data[44+2*i:], uint16(int16(math.Round(max(-1, min(1, v))*32767))))
	}
	return os.WriteFile(path, data, 0o600)
}

// stereoSine returns seconds of a stereo sine at freq Hz and peak level dBFS.
func stereoSine(seconds float64, rate int, freq, dBFS float64) []float64 {
	n := int(seconds * float64(rate))
	x := make([]float64, 2*n)
	a := amplitude(dBFS)
	for i := range n {
		v := a * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
		x[2*i], x[2*i+1] = v, v
	}
	return x
}

// near reports whether got is a defined value within tol of want.
func near(got *float64, want, tol float64) bool {
	return got != nil && math.Abs(*got-want) <= tol
}

// show formats a nullable value for failure messages.
func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}
