package ffmpeg

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// rejectHead explains why b, which matched no accepted container, is refused:
// a recognised non-audio file, a playlist or other text, or an unknown format.
func rejectHead(b []byte) error {
	at := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case at(0, "MThd\x00\x00\x00\x06") || at(0, "RIFF") && at(8, "RMID"):
		return reject(ErrMIDI, "MIDI is not audio: it holds notes, not sound")
	case at(0, "\x89PNG\r\n\x1a\n"):
		return notAudio("PNG image")
	case at(0, "\xFF\xD8\xFF"):
		return notAudio("JPEG image")
	case at(0, "GIF87a") || at(0, "GIF89a"):
		return notAudio("GIF image")
	case at(0, "RIFF") && at(8, "WEBP"):
		return notAudio("WebP image")
	case at(0, "II*\x00") || at(0, "MM\x00*"):
		return notAudio("TIFF image")
	case at(0, "BM") && at(6, "\x00\x00\x00\x00"):
		return notAudio("BMP image")
	case at(4, "ftyp"):
		return notAudio("HEIF/AVIF image") // sniffFtyp refused only image brands
	case at(0, "\xFF\x0A") || at(0, "\x00\x00\x00\x0cJXL \r\n\x87\n"):
		return notAudio("JPEG XL image")
	case at(0, "8BPS"):
		return notAudio("Photoshop image")
	case at(0, "%PDF-"):
		return notAudio("PDF document")
	case at(0, "PK\x03\x04"):
		return notAudio("ZIP archive")
	case at(0, "\x1f\x8b"), at(0, "BZh"), at(0, "\xFD7zXZ\x00"), at(0, "\x28\xB5\x2F\xFD"),
		at(0, "7z\xBC\xAF\x27\x1C"), at(0, "Rar!\x1A\x07"):
		return notAudio("compressed archive")
	case at(0, "\x7fELF"), at(0, "MZ"):
		return notAudio("executable")
	case at(0, "RIFF") && at(8, "AVI "):
		return unsupported("AVI")
	case at(0, "RIFF"):
		return unsupported("RIFF file of type " + typeField(b))
	case at(0, "FORM"):
		return unsupported("IFF file of type " + typeField(b))
	case at(0, "FLV\x01"):
		return unsupported("FLV")
	case at(0, "\x00\x00\x01\xBA"):
		return unsupported("MPEG program stream")
	case at(0, "\x00\x00\x01\xB3"):
		return unsupported("MPEG video")
	case isMPEGTS(b):
		return unsupported("MPEG transport stream")
	case at(0, "DKIF"):
		return unsupported("IVF video")
	case at(0, "YUV4MPEG2 "):
		return unsupported("YUV4MPEG video")
	case at(0, ".RMF"):
		return unsupported("RealMedia")
	case bytes.HasPrefix(b, ebmlMagic):
		return unsupported("EBML document that is not Matroska or WebM")
	}
	if text, ok := decodeText(b); ok {
		return rejectText(text)
	}
	return unsupported("")
}

// isMPEGTS looks for the transport stream sync byte at three packet starts.
func isMPEGTS(b []byte) bool {
	return len(b) > 2*188 && b[0] == 0x47 && b[188] == 0x47 && b[376] == 0x47
}

// rejectText names the kind of text: the playlists and scripts that would make
// ffmpeg fetch other files get their own message.
func rejectText(text string) error {
	t := strings.ToLower(strings.TrimLeft(text, " \t\r\n"))
	if len(t) > 4096 {
		t = t[:4096]
	}
	first := firstLine(t)
	switch {
	case strings.HasPrefix(t, "#extm3u") && strings.Contains(t, "#ext-x-"):
		return reject(ErrPlaylist, "HLS playlist, not audio")
	case strings.HasPrefix(t, "#extm3u") || strings.HasPrefix(t, "#extinf"):
		return reject(ErrPlaylist, "M3U playlist, not audio")
	case strings.HasPrefix(t, "ffconcat version"):
		return reject(ErrPlaylist, "ffconcat script, not audio")
	case strings.HasPrefix(t, "[playlist]"):
		return reject(ErrPlaylist, "PLS playlist, not audio")
	case first == "v=0" && strings.Contains(t, "\no="):
		return reject(ErrPlaylist, "SDP session description, not audio")
	case strings.HasPrefix(t, "<"):
		switch {
		case strings.Contains(t, "<playlist") && strings.Contains(t, "xspf"):
			return reject(ErrPlaylist, "XSPF playlist, not audio")
		case strings.Contains(t, "<asx"):
			return reject(ErrPlaylist, "ASX playlist, not audio")
		case strings.Contains(t, "<mpd"):
			return reject(ErrPlaylist, "DASH manifest, not audio")
		case strings.Contains(t, "<smil"):
			return reject(ErrPlaylist, "SMIL presentation, not audio")
		case strings.Contains(t, "<html") || strings.HasPrefix(t, "<!doctype html"):
			return reject(ErrText, "HTML page, not audio")
		case strings.Contains(t, "<svg"):
			return notAudio("SVG image")
		}
		return reject(ErrText, "XML document, not audio")
	case strings.HasPrefix(first, "file "):
		return reject(ErrPlaylist, "ffconcat script, not audio")
	case looksLikeM3U(t):
		return reject(ErrPlaylist, "M3U playlist, not audio")
	}
	return reject(ErrText, "text file, not audio")
}

func firstLine(t string) string {
	line, _, _ := strings.Cut(t, "\n")
	return strings.TrimSpace(line)
}

// looksLikeM3U reports whether the first line that is not a comment is a URL or
// a path to a media file, as in an M3U playlist without its #EXTM3U header.
func looksLikeM3U(t string) bool {
	for line := range strings.Lines(t) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.Contains(line, "://") {
			return true
		}
		for _, ext := range []string{".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".wav", ".ts", ".m3u", ".m3u8"} {
			if strings.HasSuffix(line, ext) {
				return true
			}
		}
		return false
	}
	return false
}

// textProbe is how many leading bytes decide whether a file is text.
const textProbe = 8 << 10

// decodeText returns b as a string when its start is text: UTF-8 (a byte-order
// mark allowed), or UTF-16 with a byte-order mark, without NULs or control
// characters other than white space and escape.
func decodeText(b []byte) (string, bool) {
	b = b[:min(len(b), textProbe)]
	switch {
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		b = b[3:]
	case bytes.HasPrefix(b, []byte("\xFF\xFE")), bytes.HasPrefix(b, []byte("\xFE\xFF")):
		return decodeUTF16(b[2:], b[0] == 0xFE)
	}
	if len(b) == 0 {
		return "", false
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			// A rune cut off by the probe's end is still text.
			return "", len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) && i > 0
		}
		if !textRune(r) {
			return "", false
		}
		i += n
	}
	return string(b), true
}

func decodeUTF16(b []byte, bigEndian bool) (string, bool) {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	runes := utf16.Decode(units)
	if len(runes) == 0 {
		return "", false
	}
	for i, r := range runes {
		// A surrogate pair cut by the probe's end decodes to U+FFFD.
		if !textRune(r) && !(r == utf8.RuneError && i == len(runes)-1) {
			return "", false
		}
	}
	return string(runes), true
}

func textRune(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == '\f', r == '\v', r == 0x1B:
		return true
	case r < 0x20, r == 0x7F, r == utf8.RuneError:
		return false
	}
	return true
}

// typeField returns the printable part of bytes 8 to 12, the form type of RIFF
// and IFF files.
func typeField(b []byte) string {
	if len(b) < 12 {
		return "unknown"
	}
	return strings.TrimSpace(printable(b[8:12]))
}

// printable keeps the ASCII letters, digits and spaces of b, for messages.
func printable(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c == ' ' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
