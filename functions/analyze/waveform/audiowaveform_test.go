package waveform_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/analyze/waveform"
)

// TestMatchesAudiowaveform compares the package's output with BBC
// audiowaveform's on the same 16-bit WAV file. audiowaveform is optional (it
// is not packaged in Debian bookworm), so the test skips without it.
func TestMatchesAudiowaveform(t *testing.T) {
	bin, err := exec.LookPath("audiowaveform")
	if err != nil {
		t.Skip("audiowaveform is not installed; skipping the comparison with it")
	}
	// A clipping sine ramp, noise and silence, as 16-bit PCM. The float
	// samples ffmpeg decodes from 16-bit PCM are s / 32768, which this
	// package quantises back to s exactly.
	var pcm []int16
	for _, x := range append(append(sineRamp(30011, 1.5), noise(20000, 0.7, 5)...), make([]float32, 999)...) {
		pcm = append(pcm, int16(toS16(x)))
	}
	samples := make([]float32, len(pcm))
	for i, s := range pcm {
		samples[i] = float32(s) / 32768
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "in.wav")
	if err := os.WriteFile(wav, wavFile(testRate, pcm), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, spp := range []int{2, 256, 441} {
		for _, bits := range []int{8, 16} {
			t.Run(fmt.Sprintf("spp_%d_bits_%d", spp, bits), func(t *testing.T) {
				p := mustCompute(t, waveform.Config{SampleRate: testRate, SamplesPerPixel: spp, Bits: bits}, samples)

				jsonPath := filepath.Join(dir, fmt.Sprintf("out-%d-%d.json", spp, bits))
				runAudiowaveform(t, bin, "-i", wav, "-o", jsonPath, "-z", fmt.Sprint(spp), "-b", fmt.Sprint(bits))
				want, err := os.ReadFile(jsonPath)
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := p.WriteJSON(&got); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(want, got.Bytes()) {
					t.Errorf("JSON differs from audiowaveform's:\n got %.300s\nwant %.300s", got.Bytes(), want)
				}

				datPath := filepath.Join(dir, fmt.Sprintf("out-%d-%d.dat", spp, bits))
				runAudiowaveform(t, bin, "-i", wav, "-o", datPath, "-z", fmt.Sprint(spp), "-b", fmt.Sprint(bits))
				f, err := os.Open(datPath)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				theirs, err := waveform.ReadDat(f)
				if err != nil {
					t.Fatalf("ReadDat(audiowaveform's .dat): %v", err)
				}
				if diff := cmp.Diff(theirs, p); diff != "" {
					t.Errorf("peaks differ from audiowaveform's .dat (-theirs +ours):\n%s", diff)
				}
			})
		}
	}
}

func runAudiowaveform(tb testing.TB, bin string, args ...string) {
	tb.Helper()
	out, err := exec.Command(bin, append([]string{"-q"}, args...)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("audiowaveform %v: %v\n%s", args, err, out)
	}
}

// wavFile returns a mono 16-bit PCM WAV file.
func wavFile(rate int, pcm []int16) []byte {
	le := binary.LittleEndian
	size := uint32(2 * len(pcm))
	b := []byte("RIFF")
	b = le.AppendUint32(b, 36+size)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // channels
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(2*rate)) // bytes per second
	b = le.AppendUint16(b, 2)              // block align
	b = le.AppendUint16(b, 16)             // bits per sample
	b = append(b, "data"...)
	b = le.AppendUint32(b, size)
	for _, s := range pcm {
		b = le.AppendUint16(b, uint16(s))
	}
	return b
}
