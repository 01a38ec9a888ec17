package transcode_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// formatCase is one target of TestTranscodeFormats and what its output must be.
type formatCase struct {
	target   map[string]any
	file     string // file name of the rendition
	codec    string // ffprobe's codec_name
	rate     int    // 0: the source's
	channels int    // 0: the source's
	bits     int    // stored bit depth, 0 for lossy codecs
}

var formatCases = []formatCase{
	{map[string]any{"preset": "mp3-320"}, "mp3-320.mp3", "mp3", 0, 0, 0},
	{map[string]any{"preset": "mp3-v2"}, "mp3-v2.mp3", "mp3", 0, 0, 0},
	{map[string]any{"format": "mp3", "bit_rate": 64000, "channels": 1, "sample_rate": 22050}, "mp3-64k-22050hz-mono.mp3", "mp3", 22050, 1, 0},
	{map[string]any{"preset": "aac-256"}, "aac-256.m4a", "aac", 0, 0, 0},
	{map[string]any{"preset": "opus-96"}, "opus-96.opus", "opus", 48000, 0, 0},
	{map[string]any{"preset": "vorbis-q6"}, "vorbis-q6.ogg", "vorbis", 0, 0, 0},
	{map[string]any{"format": "vorbis", "bit_rate": 128000, "channels": 1}, "vorbis-128k-mono.ogg", "vorbis", 0, 1, 0},
	{map[string]any{"preset": "flac"}, "flac.flac", "flac", 0, 0, 16},
	{map[string]any{"preset": "flac-24", "sample_rate": 48000}, "flac-24-48000hz.flac", "flac", 48000, 0, 24},
	{map[string]any{"preset": "wav-16-44k"}, "wav-16-44k.wav", "pcm_s16le", 44100, 0, 16},
	{map[string]any{"preset": "wav-24-48k"}, "wav-24-48k.wav", "pcm_s24le", 48000, 0, 24},
}

// TestTranscodeFormats transcodes shared test files into every format through
// the service on a real S3 server, then checks each stored rendition with
// ffprobe and an ffmpeg decode of its own.
func TestTranscodeFormats(t *testing.T) {
	b := setup(t, s3Store)
	targets := make([]map[string]any, len(formatCases))
	for i, fc := range formatCases {
		targets[i] = fc.target
	}
	for _, name := range []string{"msx_harp_harmony.mp3", "nott_jigs_captainwhite_x38.flac"} {
		t.Run(name, func(t *testing.T) {
			src := sharedAudio(t, name)
			srcProbe := ffprobe(t, src)
			srcRate, _ := strconv.Atoi(srcProbe.Streams[0].SampleRate)
			srcSeconds := decodedSeconds(t, src)
			res, err := b.transcode(t, b.put(t, name, src), map[string]any{"targets": targets}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Outputs) != len(formatCases) {
				t.Fatalf("%d outputs, want %d", len(res.Outputs), len(formatCases))
			}
			for i, fc := range formatCases {
				out := res.Outputs[i]
				t.Run(fc.file, func(t *testing.T) {
					if out.File != fc.file || out.Key != b.prefix+"out/"+fc.file {
						t.Errorf("file %q key %q, want %q under %q", out.File, out.Key, fc.file, b.prefix+"out/")
					}
					path := b.fetch(t, out.Key)
					checkStored(t, path, out)
					p := ffprobe(t, path)
					a := p.Streams[0]
					rate, _ := strconv.Atoi(a.SampleRate)
					wantRate, wantCh := cmpOr(fc.rate, srcRate), cmpOr(fc.channels, srcProbe.Streams[0].Channels)
					if a.CodecName != fc.codec || rate != wantRate || a.Channels != wantCh {
						t.Errorf("ffprobe: %s %d Hz %d ch, want %s %d Hz %d ch", a.CodecName, rate, a.Channels, fc.codec, wantRate, wantCh)
					}
					if out.Codec != a.CodecName || out.SampleRate != rate || out.Channels != a.Channels {
						t.Errorf("result: %s %d Hz %d ch, ffprobe says %s %d Hz %d ch", out.Codec, out.SampleRate, out.Channels, a.CodecName, rate, a.Channels)
					}
					if fc.bits != 0 && (out.BitDepth != fc.bits || bitsOf(a.BitsPerRawSample, a.SampleFmt) != fc.bits) {
						t.Errorf("bit depth: result %d, ffprobe %s/%s, want %d", out.BitDepth, a.BitsPerRawSample, a.SampleFmt, fc.bits)
					}
					decoded := decodedSeconds(t, path)
					// ffprobe counts an MP3's encoder delay (its start time, which
					// decoders skip) in the duration.
					header, _ := strconv.ParseFloat(p.Format.Duration, 64)
					start, _ := strconv.ParseFloat(p.Format.StartTime, 64)
					header -= start
					for what, d := range map[string]float64{"decoded": decoded, "header": header, "result": out.Duration} {
						if math.Abs(d-srcSeconds) > 0.05 {
							t.Errorf("%s duration %.4f s, source %.4f s: more than 50 ms apart", what, d, srcSeconds)
						}
					}
					if out.BitRate <= 0 || out.ContentType == "" {
						t.Errorf("bit rate %d, content type %q", out.BitRate, out.ContentType)
					}
					if strings.HasSuffix(fc.file, ".m4a") {
						checkFaststart(t, path)
					}
				})
			}
		})
	}
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// bitsOf is the stored bit depth ffprobe reports: bits_per_raw_sample, or the
// sample format's size for PCM.
func bitsOf(raw, sampleFmt string) int {
	if n, err := strconv.Atoi(raw); err == nil && n > 0 {
		return n
	}
	return map[string]int{"s16": 16, "s32": 32}[sampleFmt]
}

// checkStored compares the stored bytes with the result's size and digest.
func checkStored(t *testing.T, path string, out contract.TranscodeOutput) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != out.Size || hex.EncodeToString(sum[:]) != out.SHA256 {
		t.Errorf("stored %d bytes, sha256 %x; result says %d, %s", len(data), sum, out.Size, out.SHA256)
	}
}

// checkFaststart checks that an MP4 file's moov atom precedes its mdat, so a
// player can start before the whole file has arrived.
func checkFaststart(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var atoms []string
	for off := 0; off+8 <= len(data); {
		size := int(binary.BigEndian.Uint32(data[off:]))
		atoms = append(atoms, string(data[off+4:off+8]))
		if size == 1 && off+16 <= len(data) {
			size = int(binary.BigEndian.Uint64(data[off+8:]))
		}
		if size < 8 {
			break
		}
		off += size
	}
	moov, mdat := indexOf(atoms, "moov"), indexOf(atoms, "mdat")
	if moov < 0 || mdat < 0 || moov > mdat {
		t.Errorf("top-level atoms %v: want moov before mdat", atoms)
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestTranscodeErrors checks that invalid options are a 4xx naming the option,
// that an encoder failure is a 5xx with ffmpeg's message, and the input errors.
func TestTranscodeErrors(t *testing.T) {
	b := setup(t, fileStore)
	key := b.put(t, "tone.wav", synth(t, b.dir, "tone.wav", "-f", "lavfi", "-i", "sine=duration=2:sample_rate=44100"))
	tests := []struct {
		name    string
		opts    map[string]any
		code    int
		message string // a part of the message
	}{
		{"UnknownPreset", map[string]any{"targets": []any{map[string]any{"preset": "mp3-999"}}}, 400, `options.targets[0].preset: unknown preset "mp3-999"`},
		{"UnknownFormat", map[string]any{"targets": []any{map[string]any{"format": "wma"}}}, 400, `options.targets[0].format: unknown format "wma"`},
		{"BitRateRange", map[string]any{"targets": []any{map[string]any{"format": "mp3", "bit_rate": 999000}}}, 400, "options.targets[0].bit_rate: 999000 is out of range for mp3"},
		{"OpusRate", map[string]any{"targets": []any{map[string]any{"preset": "opus-96", "sample_rate": 44100}}}, 400, "options.targets[0].sample_rate: 44100 Hz is not one of opus's rates"},
		{"LosslessBitRate", map[string]any{"targets": []any{map[string]any{"format": "flac", "bit_rate": 128000}}}, 400, "options.targets[0].bit_rate: flac has no bit rate"},
		{"Channels", map[string]any{"targets": []any{map[string]any{"format": "wav", "channels": 6}}}, 400, "options.targets[0].channels: 6"},
		{"BitDepth", map[string]any{"targets": []any{map[string]any{"format": "wav", "bit_depth": 20}}}, 400, "options.targets[0].bit_depth: 20"},
		{"BothRateControls", map[string]any{"targets": []any{map[string]any{"format": "mp3", "bit_rate": 128000, "quality": 2}}}, 400, "options.targets[0].quality: give bit_rate or quality, not both"},
		{"DuplicateName", map[string]any{"targets": []any{map[string]any{"preset": "flac"}, map[string]any{"format": "flac"}}}, 400, `options.targets[1].name: "flac" is also the name of targets[0]`},
		{"BadName", map[string]any{"targets": []any{map[string]any{"preset": "flac", "name": "../x"}}}, 400, "options.targets[0].name"},
		{"Loudness", map[string]any{"normalize": map[string]any{"integrated_lufs": 3}}, 400, "options.normalize.integrated_lufs: 3 is out of range"},
		{"UnknownField", map[string]any{"targets": []any{map[string]any{"preset": "flac", "bitrate": 1}}}, 400, `unknown field "bitrate"`},
		// libvorbis has no setup for 500 kbit/s at 8 kHz: the options are valid,
		// the encoder refuses them.
		{"EncoderFailure", map[string]any{"targets": []any{map[string]any{"format": "vorbis", "bit_rate": 500000, "sample_rate": 8000}}}, 503, "encoding failed: libvorbis: encoder setup failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.transcode(t, key, tt.opts, nil)
			var re *endpoint.RemoteError
			if !errors.As(err, &re) || re.Code != tt.code {
				t.Fatalf("err = %v, want a %d reply", err, tt.code)
			}
			if msg := fault.Message(err); !strings.Contains(msg, tt.message) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.message)
			}
			if tt.code == 503 && len(fault.Message(err)) > 400 {
				t.Errorf("message is %d bytes, want ffmpeg's output trimmed", len(fault.Message(err)))
			}
		})
	}
	t.Run("MissingObject", func(t *testing.T) {
		_, err := b.transcode(t, b.prefix+"no/such/object", nil, nil)
		if fault.KindOf(err) != fault.NotFound {
			t.Errorf("err = %v, want not_found", err)
		}
	})
	t.Run("NotAudio", func(t *testing.T) {
		text := b.dir + "/notes.mp3"
		if err := os.WriteFile(text, []byte("these are my notes, not a song\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := b.transcode(t, b.put(t, "notes.mp3", text), nil, nil)
		if fault.KindOf(err) != fault.Unsupported || fault.Message(err) != "text file, not audio" {
			t.Errorf("err = %v, want unsupported: text file, not audio", err)
		}
	})
	t.Run("BadPrefix", func(t *testing.T) {
		req := map[string]any{"input": map[string]string{"key": key}, "output_prefix": "../elsewhere"}
		err := endpoint.Call(context.Background(), b.nc, contract.TranscodeSubject, req, nil, endpoint.CallOptions{})
		if fault.KindOf(err) != fault.Invalid || !strings.Contains(fault.Message(err), "output_prefix") {
			t.Errorf("err = %v, want invalid output_prefix", err)
		}
	})
}

// TestReproducible checks that the same request stores the same bytes twice,
// so that an encode repeated after a lost call leaves the digest in the first
// result true. (Ogg's stream serial numbers are random unless bit-exact.)
func TestReproducible(t *testing.T) {
	b := setup(t, fileStore)
	key := b.put(t, "tone.flac", synth(t, b.dir, "tone.flac", "-f", "lavfi", "-i", "sine=duration=3", "-ac", "2"))
	opts := map[string]any{"targets": []any{map[string]any{"preset": "opus-64"}, map[string]any{"preset": "vorbis-q4"},
		map[string]any{"preset": "aac-128"}, map[string]any{"preset": "mp3-v2"}}}
	first, err := b.transcode(t, key, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.transcode(t, key, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, out := range first.Outputs {
		if second.Outputs[i].SHA256 != out.SHA256 {
			t.Errorf("%s: sha256 %s, then %s", out.Name, out.SHA256, second.Outputs[i].SHA256)
		}
	}
}
