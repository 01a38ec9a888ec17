package transcode

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// source is what rendering needs to know of the input, from ffprobe.
type source struct {
	format   ffmpeg.Format
	duration time.Duration // from the header; 0 when unknown
	rate     int
	channels int
	layout   string
	// bits is the stored sample depth of a lossless or PCM source, 0 for lossy.
	bits int
	// tags are the container's and first audio stream's tags that can be
	// carried over, as key/value pairs sorted by key.
	tags [][2]string
	// cover is set when every video stream is an attached picture ffmpeg can
	// copy (PNG or JPEG), so "-map 0:v?" maps cover art and nothing else.
	cover bool
}

// inspect probes the job's input.
func inspect(ctx context.Context, runner *ffmpeg.Runner, job *ffmpeg.Job) (source, error) {
	format, err := job.Sniff()
	if err != nil {
		return source{}, err
	}
	data, err := runner.Probe(ctx, job)
	if err != nil {
		return source{}, err
	}
	audio, ok := data.Audio()
	if !ok {
		return source{}, fault.Wrap(fault.Invalid, ffmpeg.ErrNoAudioStream, "no audio stream")
	}
	src := source{
		format:   format,
		duration: cmpDuration(data.Format.Duration, audio.Duration),
		rate:     audio.SampleRate,
		channels: audio.Channels,
		layout:   audio.ChannelLayout,
		bits:     storedBits(audio),
		tags:     carriedTags(data, audio),
	}
	pictures := 0
	for _, s := range data.Streams {
		if s.CodecType != "video" {
			continue
		}
		if !s.AttachedPic || (s.CodecName != "mjpeg" && s.CodecName != "png") {
			pictures = -1
			break
		}
		pictures++
	}
	src.cover = pictures > 0
	if src.rate <= 0 || src.channels <= 0 {
		return source{}, fault.Errorf(fault.Invalid, "audio stream has no sample rate or channel count")
	}
	return src, nil
}

func cmpDuration(a, b time.Duration) time.Duration {
	if a > 0 {
		return a
	}
	return max(b, 0)
}

// storedBits returns the sample depth of lossless and PCM codecs, 0 for lossy
// ones (whose decoders output float).
func storedBits(s ffmpeg.Stream) int {
	lossless := strings.HasPrefix(s.CodecName, "pcm_") || slices.Contains(
		[]string{"flac", "alac", "wavpack", "ape", "tta", "truehd", "mlp", "als"}, s.CodecName)
	if !lossless {
		return 0
	}
	if s.BitsPerRawSample > 0 {
		return s.BitsPerRawSample
	}
	return s.BitsPerSample
}

// maxTags bounds the tags carried over; values longer than the runner accepts
// (4 KiB, e.g. embedded lyrics) are left out.
const maxTags = 64

// tagKey is what the runner accepts as a -metadata key.
var tagKey = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// carriedTags merges the container's and the audio stream's tags (Ogg, Opus and
// FLAC-in-Ogg keep theirs in the stream), keys lowercased. Technical tags that
// describe the old encoding (encoder, ISO brands, iTunes gapless and loudness
// data, ReplayGain) are left out: they would be wrong for the rendition.
func carriedTags(data *ffmpeg.ProbeData, audio ffmpeg.Stream) [][2]string {
	merged := map[string]string{}
	for _, src := range []map[string]string{audio.Tags, data.Format.Tags} {
		for k, v := range src {
			k = strings.ToLower(k)
			if !tagKey.MatchString(k) || technicalTag(k) || len(v) > 4096 || !cleanValue(v) {
				continue
			}
			merged[k] = v
		}
	}
	keys := slices.Sorted(maps.Keys(merged))
	if len(keys) > maxTags {
		keys = keys[:maxTags]
	}
	tags := make([][2]string, len(keys))
	for i, k := range keys {
		tags[i] = [2]string{k, merged[k]}
	}
	return tags
}

func technicalTag(k string) bool {
	switch k {
	case "encoder", "encoded_by", "encoder_options", "major_brand", "minor_version", "compatible_brands",
		"handler_name", "vendor_id", "duration", "itunsmpb", "itunnorm", "creation_time":
		return true
	}
	return strings.HasPrefix(k, "replaygain_") || strings.HasPrefix(k, "r128_") || strings.HasPrefix(k, "id3v2_priv")
}

// cleanValue reports whether v has no control characters but newline and tab.
func cleanValue(v string) bool {
	for _, c := range v {
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7F {
			return false
		}
	}
	return true
}
