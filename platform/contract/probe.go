package contract

// ProbeSubject is the subject of the probe function's inspect endpoint.
const ProbeSubject = "phantom.probe.inspect"

// ProbeRequest asks the probe function to describe an object.
type ProbeRequest struct {
	Input   ObjectRef    `json:"input"`
	Options ProbeOptions `json:"options,omitzero"`
}

// ProbeOptions tune a probe.
type ProbeOptions struct {
	// SkipDecode trusts the container's header for the duration instead of decoding
	// the whole stream (faster for long files, but a lying header goes unnoticed).
	SkipDecode bool `json:"skip_decode,omitempty"`
}

// Validate checks the request.
func (r ProbeRequest) Validate() error { return r.Input.Validate("input") }

// ProbeResult is what a user needs to know about an audio file.
type ProbeResult struct {
	// Format is the container: "mp3", "flac", "ogg", "wav", "m4a", "mp4", "matroska", …
	Format string `json:"format"`
	// FormatLong is ffmpeg's description of the container.
	FormatLong string `json:"format_long,omitempty"`
	// Duration in seconds, measured by decoding the first audio stream (or taken from
	// the header when the request skipped decoding; see DurationSource).
	Duration float64 `json:"duration"`
	// DurationSource is "decode" or "header".
	DurationSource string `json:"duration_source"`
	// HeaderDuration is the duration the container claims, in seconds, present when it
	// differs from the decoded one by more than 50 ms (or is missing from the decode).
	HeaderDuration *float64 `json:"header_duration,omitempty"`
	// Size of the object in bytes.
	Size int64 `json:"size"`
	// BitRate is the overall bit rate in bits per second (size × 8 / duration).
	BitRate int64 `json:"bit_rate"`
	// Streams lists the audio streams; the first is the one other functions use.
	Streams []ProbeStream `json:"streams"`
	// Tags are the container's and first audio stream's metadata, keys lowercased
	// (title, artist, album, date, genre, track, …).
	Tags map[string]string `json:"tags"`
	// CoverArt is true when the file carries an attached picture.
	CoverArt bool `json:"cover_art"`
	// Video is true when the file has a video stream that is not cover art.
	Video bool `json:"video"`
}

// ProbeStream describes one audio stream.
type ProbeStream struct {
	Index     int    `json:"index"`
	Codec     string `json:"codec"`
	CodecLong string `json:"codec_long,omitempty"`
	Profile   string `json:"profile,omitempty"`
	// SampleRate in Hz.
	SampleRate int `json:"sample_rate"`
	Channels   int `json:"channels"`
	// ChannelLayout as ffmpeg names it: "mono", "stereo", "5.1(side)", …
	ChannelLayout string `json:"channel_layout,omitempty"`
	// BitsPerSample is the stored sample depth of lossless and PCM codecs (16, 24, …);
	// null for lossy codecs, which have none.
	BitsPerSample *int `json:"bits_per_sample"`
	// SampleFormat is the decoder's output format: "s16", "s32", "fltp", …
	SampleFormat string `json:"sample_format,omitempty"`
	// BitRate of the stream in bits per second, when known.
	BitRate int64 `json:"bit_rate,omitempty"`
	// Duration of the stream in seconds, from its header, when known.
	Duration float64 `json:"duration,omitempty"`
}
