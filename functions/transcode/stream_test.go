package transcode_test

import (
	"encoding/binary"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/phantomchain/phantomchain/platform/blob"
)

// TestStreamedUpload checks renditions that go up to S3 in parts while ffmpeg
// writes them, with the header the muxer fills in at the end: the stored bytes
// are those the same request stores through a plain upload to a local folder
// (encodes are bit-exact), their headers are right, and they decode whole.
func TestStreamedUpload(t *testing.T) {
	s3 := setup(t, s3Store)
	local := setup(t, fileStore)
	// 150 s of uncorrelated stereo pink noise, which FLAC cannot shrink much:
	// renditions of 20 to 30 MB, 4 to 6 parts. FLAC at level 12 encodes slowly
	// enough for parts to go up while it runs.
	src := synth(t, s3.dir, "noise.wav",
		"-f", "lavfi", "-i", "anoisesrc=d=150:c=pink:r=44100:a=0.3:seed=1",
		"-f", "lavfi", "-i", "anoisesrc=d=150:c=pink:r=44100:a=0.3:seed=2",
		"-filter_complex", "[0][1]amerge=inputs=2", "-c:a", "pcm_s16le")
	opts := map[string]any{"targets": []any{
		map[string]any{"format": "flac", "compression_level": 12, "name": "slow"},
		map[string]any{"preset": "wav-16-44k", "normalize": map[string]any{"integrated_lufs": -20, "true_peak_dbtp": -1}},
	}}
	res, err := s3.transcode(t, s3.put(t, "noise.wav", src), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := local.transcode(t, local.put(t, "noise.wav", src), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, out := range res.Outputs {
		t.Run(out.File, func(t *testing.T) {
			path := s3.fetch(t, out.Key)
			checkStored(t, path, out)
			if out.SHA256 != want.Outputs[i].SHA256 || out.Size != want.Outputs[i].Size {
				t.Errorf("S3 rendition: %d bytes, sha256 %s; the local folder's: %d bytes, %s",
					out.Size, out.SHA256, want.Outputs[i].Size, want.Outputs[i].SHA256)
			}
			if got := decodedSeconds(t, path); math.Abs(got-150) > 0.05 {
				t.Errorf("decodes to %.3f s, want 150", got)
			}
			if got, _ := strconv.ParseFloat(ffprobe(t, path).Format.Duration, 64); math.Abs(got-150) > 0.05 {
				t.Errorf("ffprobe duration %.3f s (from the header the muxer filled in last), want 150", got)
			}
			if out.File == "wav-16-44k.wav" {
				checkWAVSizes(t, path)
			}
		})
	}
	got := s3.counter(t, "phantom_transcode_early_upload_bytes_total")
	t.Logf("%.1f MB of %.1f MB sent while encoding", got/1e6, float64(res.Outputs[0].Size+res.Outputs[1].Size)/1e6)
	if got < blob.MinPartSize {
		t.Errorf("early upload bytes = %.0f, want at least one %d-byte part sent while encoding", got, blob.MinPartSize)
	}
	if got := local.counter(t, "phantom_transcode_early_upload_bytes_total"); got != 0 {
		t.Errorf("local folder: early upload bytes = %.0f, want 0", got)
	}
}

// checkWAVSizes checks the RIFF and data chunk sizes against the file's length.
func checkWAVSizes(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if riff := binary.LittleEndian.Uint32(data[4:]); int(riff) != len(data)-8 {
		t.Errorf("RIFF size %d, want %d", riff, len(data)-8)
	}
	for off := 12; off+8 <= len(data); {
		id, size := string(data[off:off+4]), int(binary.LittleEndian.Uint32(data[off+4:]))
		if id == "data" {
			if off+8+size != len(data) {
				t.Errorf("data chunk of %d bytes at %d, file of %d bytes", size, off, len(data))
			}
			return
		}
		off += 8 + size + size&1
	}
	t.Error("no data chunk")
}
