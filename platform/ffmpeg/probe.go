package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ProbeData is what ffprobe reports about a file (-show_format -show_streams),
// with ffprobe's decimal strings parsed. Fields ffprobe leaves out (its "N/A")
// are zero.
type ProbeData struct {
	Format  ProbeFormat
	Streams []Stream
}

// ProbeFormat describes the container.
type ProbeFormat struct {
	FormatName     string // the demuxer, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	FormatLongName string
	Duration       time.Duration // from the headers; Decode measures the real one
	Size           int64
	BitRate        int64 // bit/s
	Tags           map[string]string
}

// Stream describes one stream of the container.
type Stream struct {
	Index            int
	CodecType        string // "audio", "video", "subtitle", "data", "attachment"
	CodecName        string
	CodecLongName    string
	Profile          string
	SampleFmt        string
	SampleRate       int
	Channels         int
	ChannelLayout    string
	BitsPerSample    int
	BitsPerRawSample int
	BitRate          int64
	Duration         time.Duration
	Width, Height    int  // video; 0 for cover art, whose size the probe does not decode
	AttachedPic      bool // the stream is cover art (disposition attached_pic)
	Default          bool // disposition default
	Tags             map[string]string
}

// Audio returns the first audio stream, the one Decode and Encode read.
func (p *ProbeData) Audio() (Stream, bool) {
	for _, s := range p.Streams {
		if s.CodecType == "audio" {
			return s, true
		}
	}
	return Stream{}, false
}

// HasCoverArt reports whether a video stream is an attached picture.
func (p *ProbeData) HasCoverArt() bool {
	for _, s := range p.Streams {
		if s.CodecType == "video" && s.AttachedPic {
			return true
		}
	}
	return false
}

// HasVideo reports whether a video stream is real video, not cover art.
func (p *ProbeData) HasVideo() bool {
	for _, s := range p.Streams {
		if s.CodecType == "video" && !s.AttachedPic {
			return true
		}
	}
	return false
}

// maxProbeJSON bounds ffprobe's output.
const maxProbeJSON = 8 << 20

// Probe sniffs the job's input and runs ffprobe -show_format -show_streams on it.
// Besides the hardening every run has, ffprobe gets the audio decoders as the
// container-level whitelist, so no picture or video frame is decoded, and
// stream-specific whitelists for video and subtitle streams that only let their
// decoders be opened (see the package documentation).
func (r *Runner) Probe(ctx context.Context, job *Job) (*ProbeData, error) {
	f, err := job.Sniff()
	if err != nil {
		return nil, err
	}
	args := []string{"-hide_banner", "-loglevel", "error",
		"-protocol_whitelist", "file",
		"-format_whitelist", f.Name,
		"-codec_whitelist", strings.Join(audioDecoders, ","),
		"-codec_whitelist:v", strings.Join(probeVideoDecoders, ","),
		"-codec_whitelist:s", strings.Join(probeSubtitleDecoders, ","),
		"-threads", strconv.Itoa(r.cfg.Threads),
		"-show_format", "-show_streams", "-of", "json",
		"-f", f.Name,
		"-i", "file:" + InputName,
	}
	var out bytes.Buffer
	lw := &limitWriter{w: &out, max: maxProbeJSON, err: tooLarge(maxProbeJSON)}
	if _, err := r.run(ctx, job, invocation{program: r.ffprobe, args: args, stdout: lw}); err != nil {
		return nil, classify(err, "unreadable media")
	}
	return parseProbe(out.Bytes())
}

// probeJSON mirrors ffprobe's JSON writer: most numbers are strings.
type probeJSON struct {
	Format struct {
		FormatName     string            `json:"format_name"`
		FormatLongName string            `json:"format_long_name"`
		Duration       string            `json:"duration"`
		Size           string            `json:"size"`
		BitRate        string            `json:"bit_rate"`
		Tags           map[string]string `json:"tags"`
	} `json:"format"`
	Streams []struct {
		Index            int               `json:"index"`
		CodecType        string            `json:"codec_type"`
		CodecName        string            `json:"codec_name"`
		CodecLongName    string            `json:"codec_long_name"`
		Profile          string            `json:"profile"`
		SampleFmt        string            `json:"sample_fmt"`
		SampleRate       string            `json:"sample_rate"`
		Channels         int               `json:"channels"`
		ChannelLayout    string            `json:"channel_layout"`
		BitsPerSample    int               `json:"bits_per_sample"`
		BitsPerRawSample string            `json:"bits_per_raw_sample"`
		BitRate          string            `json:"bit_rate"`
		Duration         string            `json:"duration"`
		Width            int               `json:"width"`
		Height           int               `json:"height"`
		Disposition      map[string]int    `json:"disposition"`
		Tags             map[string]string `json:"tags"`
	} `json:"streams"`
}

func parseProbe(data []byte) (*ProbeData, error) {
	var raw probeJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("ffmpeg: parse ffprobe output: %w", err)
	}
	var p numParser
	out := &ProbeData{Format: ProbeFormat{
		FormatName:     raw.Format.FormatName,
		FormatLongName: raw.Format.FormatLongName,
		Duration:       p.duration(raw.Format.Duration),
		Size:           p.int(raw.Format.Size),
		BitRate:        p.int(raw.Format.BitRate),
		Tags:           raw.Format.Tags,
	}}
	for _, s := range raw.Streams {
		out.Streams = append(out.Streams, Stream{
			Index:            s.Index,
			CodecType:        s.CodecType,
			CodecName:        s.CodecName,
			CodecLongName:    s.CodecLongName,
			Profile:          s.Profile,
			SampleFmt:        s.SampleFmt,
			SampleRate:       int(p.int(s.SampleRate)),
			Channels:         s.Channels,
			ChannelLayout:    s.ChannelLayout,
			BitsPerSample:    s.BitsPerSample,
			BitsPerRawSample: int(p.int(s.BitsPerRawSample)),
			BitRate:          p.int(s.BitRate),
			Duration:         p.duration(s.Duration),
			Width:            s.Width,
			Height:           s.Height,
			AttachedPic:      s.Disposition["attached_pic"] == 1,
			Default:          s.Disposition["default"] == 1,
			Tags:             s.Tags,
		})
	}
	if p.err != nil {
		return nil, fmt.Errorf("ffmpeg: parse ffprobe output: %w", p.err)
	}
	return out, nil
}

// numParser parses ffprobe's numeric strings, keeping the first error.
type numParser struct{ err error }

func (p *numParser) int(s string) int64 {
	if s == "" || s == "N/A" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil && p.err == nil {
		p.err = err
	}
	return v
}

// duration parses seconds such as "1.044898" to the microsecond.
func (p *numParser) duration(s string) time.Duration {
	if s == "" || s == "N/A" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
	case v < 0 || v > math.MaxInt64/float64(time.Second) || math.IsNaN(v):
		err = fmt.Errorf("duration %q out of range", s)
	default:
		return time.Duration(math.Round(v*1e6)) * time.Microsecond
	}
	if p.err == nil {
		p.err = err
	}
	return 0
}
