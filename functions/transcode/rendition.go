package transcode

import (
	"cmp"
	"strconv"

	"github.com/phantomchain/phantomchain/platform/contract"
)

// codecInfo is how one target format is written.
type codecInfo struct {
	ext         string // file extension; it picks the muxer
	container   string // as results name it
	encoder     string // ffmpeg encoder
	contentType string
	lossy       bool
	cover       bool // the container can carry cover art
	// streamable: the muxer writes the file front to back, going back at
	// most to fill in headers, so it can be stored while it is written. The
	// MP4 muxer's faststart rewrites the whole file at the end.
	streamable bool
}

var codecs = map[string]codecInfo{
	"mp3":    {ext: ".mp3", container: "mp3", encoder: "libmp3lame", contentType: "audio/mpeg", lossy: true, cover: true, streamable: true},
	"aac":    {ext: ".m4a", container: "m4a", encoder: "aac", contentType: "audio/mp4", lossy: true, cover: true},
	"opus":   {ext: ".opus", container: "ogg", encoder: "libopus", contentType: "audio/ogg; codecs=opus", lossy: true, streamable: true},
	"vorbis": {ext: ".ogg", container: "ogg", encoder: "libvorbis", contentType: "audio/ogg; codecs=vorbis", lossy: true, streamable: true},
	"flac":   {ext: ".flac", container: "flac", encoder: "flac", contentType: "audio/flac", cover: true, streamable: true},
	"wav":    {ext: ".wav", container: "wav", encoder: "pcm_s16le", contentType: "audio/wav", streamable: true},
}

// Format defaults where neither the target nor the source decides.
const (
	defaultAACBitRate     = 192000 // per stereo pair; mono gets half
	defaultOpusBitRate    = 96000  // stereo; mono gets 64000
	defaultVorbisQuality  = 6.0    // about 192 kbit/s stereo
	defaultOpusComplexity = 10
)

// rendition is a resolved target made concrete for its source: everything the
// encode needs.
type rendition struct {
	target   contract.TranscodeTarget
	info     codecInfo
	file     string // name.ext, inside the job folder
	codec    string // the codec name ffprobe reports for the output
	rate     int
	channels int
	layout   string // of the encoded audio, for the loudness meter
	bits     int    // flac and wav
	tags     bool   // the source's tags are carried over
	cover    bool   // the source's cover art is carried over
}

// newRendition fills in what the target leaves to the source.
func newRendition(t contract.TranscodeTarget, src source) rendition {
	info := codecs[t.Format]
	r := rendition{target: t, info: info, file: t.Name + info.ext, codec: t.Format}
	f, _ := contract.TranscodeFormatInfo(t.Format)
	r.rate = t.SampleRate
	if r.rate == 0 {
		r.rate = nearestRate(f, src.rate)
	}
	r.channels, r.layout = t.Channels, src.layout
	if r.channels == 0 {
		r.channels = min(src.channels, 8)
		if t.Format == "mp3" {
			r.channels = min(r.channels, 2)
		}
	}
	switch {
	case r.channels == 1:
		r.layout = "mono"
	case r.channels == 2:
		r.layout = "stereo"
	case r.channels != src.channels:
		r.layout = ""
	}
	r.bits = t.BitDepth
	switch t.Format {
	case "wav":
		r.bits = cmp.Or(r.bits, 16)
		r.codec = "pcm_s" + strconv.Itoa(r.bits) + "le"
	case "flac":
		if r.bits == 0 {
			r.bits = 16
			if src.bits > 16 {
				r.bits = 24
			}
		}
	}
	r.tags = !t.StripTags && len(src.tags) > 0
	r.cover = !t.StripTags && src.cover && info.cover
	return r
}

// nearestRate returns rate when the format accepts it, else the lowest accepted
// rate above it, else the highest below.
func nearestRate(f contract.TranscodeFormat, rate int) int {
	if f.AcceptsRate(rate) {
		return rate
	}
	if f.SampleRates == nil {
		return min(max(rate, f.MinRate), f.MaxRate)
	}
	for _, r := range f.SampleRates {
		if r > rate {
			return r
		}
	}
	return f.SampleRates[len(f.SampleRates)-1]
}

// normalized reports whether the rendition has a loudness target.
func (r rendition) normalized() bool { return r.target.Normalize != nil }

// options returns ffmpeg's output options for the rendition, with filter (a
// graph for -af, or "") and the source's tags.
func (r rendition) options(filter string, src source) []string {
	t := r.target
	opts := []string{"-c:a", r.info.encoder}
	switch t.Format {
	case "mp3":
		if t.Quality != nil {
			opts = append(opts, "-q:a", formatFloat(*t.Quality))
		} else {
			opts = append(opts, "-b:a", strconv.Itoa(t.BitRate))
		}
		opts = append(opts, "-id3v2_version", "3")
	case "aac":
		br := t.BitRate
		if br == 0 {
			br = max(defaultAACBitRate*r.channels/2, 64000)
		}
		opts = append(opts, "-b:a", strconv.Itoa(br), "-movflags", "+faststart")
	case "opus":
		br := t.BitRate
		if br == 0 {
			br = max(defaultOpusBitRate*r.channels/2, 64000)
		}
		level := defaultOpusComplexity
		if t.CompressionLevel != nil {
			level = *t.CompressionLevel
		}
		opts = append(opts, "-b:a", strconv.Itoa(br), "-vbr", "on", "-compression_level", strconv.Itoa(level))
	case "vorbis":
		if t.BitRate != 0 {
			opts = append(opts, "-b:a", strconv.Itoa(t.BitRate))
		} else {
			q := defaultVorbisQuality
			if t.Quality != nil {
				q = *t.Quality
			}
			opts = append(opts, "-q:a", formatFloat(q))
		}
	case "flac":
		opts = append(opts, "-sample_fmt", map[int]string{16: "s16", 24: "s32"}[r.bits])
		if t.CompressionLevel != nil {
			opts = append(opts, "-compression_level", strconv.Itoa(*t.CompressionLevel))
		}
	case "wav":
		opts[1] = r.codec
	}
	// Bit-exact output makes a rendition reproducible (Ogg serial numbers are
	// random otherwise): an encode repeated after a lost call stores the same
	// bytes, and the digest in the result stays true.
	opts = append(opts, "-ar", strconv.Itoa(r.rate), "-ac", strconv.Itoa(r.channels), "-fflags", "+bitexact")
	if filter != "" {
		opts = append(opts, "-af", filter)
	}
	// Tags are set one by one rather than mapped: Ogg and Opus sources keep
	// theirs in the stream, where other muxers would not look for them.
	opts = append(opts, "-map_metadata", "-1")
	if r.tags {
		for _, kv := range src.tags {
			opts = append(opts, "-metadata", kv[0]+"="+kv[1])
		}
	}
	if r.cover {
		opts = append(opts, "-map", "0:v?", "-c:v", "copy", "-disposition:v", "attached_pic",
			"-metadata:s:v:0", "comment=Cover (front)")
	}
	return opts
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
