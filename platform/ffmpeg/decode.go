package ffmpeg

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// DecodeOptions selects the PCM that Decode produces.
type DecodeOptions struct {
	// SampleRate resamples to this rate in Hz (8000 to 384000); 0 keeps the
	// stream's rate.
	SampleRate int
	// Channels downmixes or upmixes to this many channels (1 to 8); 0 keeps the
	// stream's channels.
	Channels int
	// Format is "f32le" (the default when empty: 32-bit float) or "s16le".
	Format string
	// Lenient lets ffmpeg conceal decoding errors and go on, as it does by
	// default. Without it (-xerror) the first corrupt frame fails the decode.
	Lenient bool
	// Filter is an allowed filter graph (see [Filters]) run on the decoded
	// audio before the conversion to SampleRate, Channels and Format, e.g.
	// "volume=-3dB,alimiter=limit=0.9:level=0". Empty means none.
	Filter string
}

// DecodeStats describes the PCM that Decode wrote, as counted from the decoded
// data itself rather than read from the container's headers.
type DecodeStats struct {
	Frames     int64 // samples per channel
	SampleRate int
	Channels   int
	Duration   time.Duration // Frames / SampleRate
	Bytes      int64         // PCM bytes written
}

// Decode sniffs the job's input and decodes its first audio stream to raw
// interleaved little-endian PCM, streamed into w as ffmpeg produces it. ffmpeg
// writes a WAV stream whose header is checked and stripped here, so the sample
// rate and channel count in the result are those of the actual decode.
//
// Errors: a filter graph that is not allowed, no audio stream and no decoded
// samples are fault.Invalid ([ErrNoAudioStream], [ErrNoAudio]); a decoding
// failure is fault.Invalid "corrupt or truncated audio: <ffmpeg's line>"; more than
// Config.MaxOutputBytes of PCM is fault.TooLarge; an error from w is returned
// wrapped, its own fault kind intact. On error, w may have received part of the
// audio.
func (r *Runner) Decode(ctx context.Context, job *Job, opts DecodeOptions, w io.Writer) (DecodeStats, error) {
	codec, tag, bits := "pcm_f32le", uint16(3), uint16(32)
	switch opts.Format {
	case "", "f32le":
	case "s16le":
		codec, tag, bits = "pcm_s16le", 1, 16
	default:
		return DecodeStats{}, fmt.Errorf("ffmpeg: decode: unknown PCM format %q", opts.Format)
	}
	if opts.SampleRate != 0 && (opts.SampleRate < 8000 || opts.SampleRate > 384000) ||
		opts.Channels < 0 || opts.Channels > 8 {
		return DecodeStats{}, fmt.Errorf("ffmpeg: decode: bad options %+v", opts)
	}
	if opts.Filter != "" && !validFilter(opts.Filter) {
		return DecodeStats{}, fault.Errorf(fault.Invalid, "filter graph not allowed")
	}
	f, err := job.Sniff()
	if err != nil {
		return DecodeStats{}, err
	}
	args := append(r.inputArgs(f, "error", opts.Lenient, audioDecoders),
		"-map", "0:a:0", "-map_metadata", "-1", "-fflags", "+bitexact")
	if opts.Filter != "" {
		args = append(args, "-af", opts.Filter)
	}
	args = append(args, "-c:a", codec)
	if opts.SampleRate > 0 {
		args = append(args, "-ar", strconv.Itoa(opts.SampleRate))
	}
	if opts.Channels > 0 {
		args = append(args, "-ac", strconv.Itoa(opts.Channels))
	}
	args = append(args, "-threads", strconv.Itoa(r.cfg.Threads), "-f", "wav", "pipe:1")

	var pcm *wavStripper
	for program := r.decoder; ; program = r.ffmpeg {
		pcm = &wavStripper{
			out:     &limitWriter{w: w, max: r.cfg.MaxOutputBytes, err: tooLarge(r.cfg.MaxOutputBytes)},
			wantTag: tag, wantBits: bits,
		}
		_, err := r.run(ctx, job, invocation{program: program, args: args, stdout: pcm})
		if err == nil {
			break
		}
		// The static decoder build lacks a few whitelisted decoders that need
		// external libraries (speex); the distribution's ffmpeg has them.
		if program == r.ffmpeg || pcm.n > 0 || !missingDecoder(err) {
			return DecodeStats{}, classify(err, "corrupt or truncated audio")
		}
	}
	h := pcm.hdr
	if !pcm.done || pcm.n == 0 {
		return DecodeStats{}, fault.Wrap(fault.Invalid, ErrNoAudio, "no audio decoded")
	}
	if opts.Channels > 0 && h.channels != opts.Channels || opts.SampleRate > 0 && h.rate != opts.SampleRate {
		return DecodeStats{}, fmt.Errorf("ffmpeg: decode: got %d Hz × %d channels, want %d × %d",
			h.rate, h.channels, opts.SampleRate, opts.Channels)
	}
	frames := pcm.n / int64(h.blockAlign)
	return DecodeStats{
		Frames:     frames,
		SampleRate: h.rate,
		Channels:   h.channels,
		Duration:   time.Duration(float64(frames) / float64(h.rate) * float64(time.Second)),
		Bytes:      pcm.n,
	}, nil
}

// wavHeader is what Decode needs from the fmt chunk.
type wavHeader struct {
	channels   int
	rate       int
	blockAlign int
}

// maxWAVHeader bounds the bytes buffered before the data chunk.
const maxWAVHeader = 64 << 10

// wavStripper parses the WAV header ffmpeg writes to a pipe (sizes unknown),
// checks it describes the requested PCM, and passes the data chunk's bytes on.
type wavStripper struct {
	out      io.Writer
	wantTag  uint16 // 1 PCM integer, 3 IEEE float
	wantBits uint16
	buf      []byte
	done     bool
	hdr      wavHeader
	n        int64 // data bytes passed on
}

// missingDecoder reports whether ffmpeg failed because it was built without
// the input's decoder.
func missingDecoder(err error) bool {
	var xe *ExitError
	return errors.As(err, &xe) && bytes.Contains(xe.Stderr, []byte("Decoder (codec ")) &&
		bytes.Contains(xe.Stderr, []byte(") not found"))
}

var errBadWAV = errors.New("ffmpeg: unexpected WAV header from ffmpeg")

func (s *wavStripper) Write(p []byte) (int, error) {
	if s.done {
		n, err := s.out.Write(p)
		s.n += int64(n)
		return n, err
	}
	s.buf = append(s.buf, p...)
	hdr, off, err := s.parse()
	switch {
	case err != nil:
		return 0, err
	case off == 0: // need more
		if len(s.buf) > maxWAVHeader {
			return 0, errBadWAV
		}
		return len(p), nil
	}
	s.hdr, s.done = hdr, true
	rest := s.buf[off:]
	s.buf = nil
	n, err := s.out.Write(rest)
	s.n += int64(n)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// parse returns the header and the offset of the sample data, or offset 0 when
// more bytes are needed.
func (s *wavStripper) parse() (wavHeader, int, error) {
	b := s.buf
	if len(b) < 12 {
		return wavHeader{}, 0, nil
	}
	if string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wavHeader{}, 0, errBadWAV
	}
	var h wavHeader
	for pos := 12; pos+8 <= len(b); {
		id, size := string(b[pos:pos+4]), int(binary.LittleEndian.Uint32(b[pos+4:]))
		if id == "data" {
			if h.blockAlign == 0 {
				return wavHeader{}, 0, errBadWAV
			}
			return h, pos + 8, nil
		}
		if size > maxWAVHeader {
			return wavHeader{}, 0, errBadWAV
		}
		end := pos + 8 + size
		if end > len(b) {
			return wavHeader{}, 0, nil
		}
		if id == "fmt " {
			c := b[pos+8 : end]
			if len(c) < 16 {
				return wavHeader{}, 0, errBadWAV
			}
			tag := binary.LittleEndian.Uint16(c)
			if tag == 0xFFFE && len(c) >= 26 { // WAVE_FORMAT_EXTENSIBLE: the sub-format's tag
				tag = binary.LittleEndian.Uint16(c[24:])
			}
			h = wavHeader{
				channels:   int(binary.LittleEndian.Uint16(c[2:])),
				rate:       int(binary.LittleEndian.Uint32(c[4:])),
				blockAlign: int(binary.LittleEndian.Uint16(c[12:])),
			}
			bits := binary.LittleEndian.Uint16(c[14:])
			if tag != s.wantTag || bits != s.wantBits || h.channels == 0 || h.rate == 0 ||
				h.blockAlign != h.channels*int(bits)/8 {
				return wavHeader{}, 0, errBadWAV
			}
		}
		pos = end + size&1
	}
	return wavHeader{}, 0, nil
}
