package ffmpeg

import (
	"errors"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Format is an input container recognised by [Sniff].
type Format struct {
	// Name is the ffmpeg demuxer that reads the container: it is forced with -f
	// and is the only entry of -format_whitelist, e.g. "mov" or "matroska".
	Name string
	// Description names the container (and the codec when the header tells it)
	// for people, e.g. "Ogg Opus" or "MP4 audio (brand M4A )".
	Description string
	// MIMEType is the container's usual media type, e.g. "audio/flac".
	MIMEType string
}

// HeadSize is how many leading bytes [Sniff] needs to decide: the whole file when
// it is shorter. [SniffFile] reads this much at the start of the file and again
// after any ID3v2 tags.
const HeadSize = 64 << 10

// Errors that [Sniff] returns as causes of its *fault.Error values, so callers can
// tell them apart with errors.Is. The fault kind is Invalid for [ErrEmpty] and
// Unsupported for all the others.
var (
	// ErrEmpty is the cause when the input has no bytes at all.
	ErrEmpty = errors.New("ffmpeg: empty file")
	// ErrPlaylist is the cause for playlists, manifests and scripts that make
	// ffmpeg open other files or URLs: HLS, M3U, PLS, XSPF, ASX, DASH, SMIL, SDP,
	// ffconcat.
	ErrPlaylist = errors.New("ffmpeg: playlist or manifest")
	// ErrText is the cause for other text files, HTML and XML included.
	ErrText = errors.New("ffmpeg: text file")
	// ErrMIDI is the cause for Standard MIDI files, which hold notes, not sound.
	ErrMIDI = errors.New("ffmpeg: midi file")
	// ErrNotAudio is the cause for recognised files that are not media at all:
	// images, archives, documents, executables.
	ErrNotAudio = errors.New("ffmpeg: not audio")
	// ErrUnsupportedFormat is the cause for media containers that are not
	// accepted (AVI, FLV, MPEG-TS, ...) and for anything unrecognised.
	ErrUnsupportedFormat = errors.New("ffmpeg: unsupported container")
)

// Demuxers returns the names of the ffmpeg demuxers that [Sniff] may choose, i.e.
// every value a [Format.Name] can take.
func Demuxers() []string {
	return []string{"aac", "ac3", "aiff", "amr", "ape", "asf", "au", "caf", "eac3",
		"flac", "matroska", "mov", "mp3", "ogg", "w64", "wav", "wv"}
}

func reject(cause error, msg string) error {
	kind := fault.Unsupported
	if cause == ErrEmpty {
		kind = fault.Invalid
	}
	return fault.Wrap(kind, cause, msg)
}

func unsupported(what string) error {
	if what == "" {
		return reject(ErrUnsupportedFormat, "unsupported container")
	}
	return reject(ErrUnsupportedFormat, "unsupported container: "+what)
}

func notAudio(what string) error { return reject(ErrNotAudio, what+", not audio") }
