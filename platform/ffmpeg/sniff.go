package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Sniff identifies the container of a file from its leading bytes, which it treats
// as the whole file: pass the complete file or at least its first [HeadSize] bytes
// (a raw MP3, AAC or AC-3 stream is only accepted when a second frame header
// follows the first at the computed distance, or the data ends exactly there). A
// file that starts with ID3v2 tags larger than head needs [SniffFile].
//
// Sniff never runs ffmpeg. It accepts only the containers listed in the package
// documentation; everything else is an error whose kind is fault.Unsupported
// (fault.Invalid for empty input) and whose cause is one of this package's Err
// values: ErrEmpty, ErrPlaylist, ErrText, ErrMIDI, ErrNotAudio or
// ErrUnsupportedFormat.
func Sniff(head []byte) (Format, error) {
	return sniff(bytes.NewReader(head), int64(len(head)))
}

// SniffFile is [Sniff] for a file on disk. It reads at most twice [HeadSize] bytes:
// the start of the file and, when the file begins with ID3v2 tags, the bytes after
// them. Only regular files are accepted.
func SniffFile(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return Format{}, fmt.Errorf("ffmpeg: sniff: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Format{}, fmt.Errorf("ffmpeg: sniff: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return Format{}, fault.Errorf(fault.Invalid, "not a regular file")
	}
	return sniff(f, fi.Size())
}

// maxID3Tags bounds how many consecutive ID3v2 tags are skipped.
const maxID3Tags = 4

func sniff(r io.ReaderAt, size int64) (Format, error) {
	if size <= 0 {
		return Format{}, reject(ErrEmpty, "empty file")
	}
	head, err := readAt(r, 0, size)
	if err != nil {
		return Format{}, err
	}
	var off int64
	for n := 0; n < maxID3Tags; n++ {
		tagLen, ok := id3v2Len(head)
		if !ok {
			break
		}
		off += tagLen
		if off >= size {
			return Format{}, unsupported("ID3 tag without audio")
		}
		if head, err = readAt(r, off, size); err != nil {
			return Format{}, err
		}
	}
	if off == 0 {
		return sniffHead(head, size)
	}
	// After ID3 tags only the raw streams that carry them in practice are taken.
	if f, ok := sniffRawStream(head, size-off); ok {
		return f, nil
	}
	if f, ok := sniffFLAC(head); ok {
		return f, nil
	}
	return Format{}, unsupported("ID3 tag not followed by MP3, FLAC, AAC or AC-3 audio")
}

// readAt reads up to HeadSize bytes at off.
func readAt(r io.ReaderAt, off, size int64) ([]byte, error) {
	buf := make([]byte, min(size-off, HeadSize))
	n, err := r.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("ffmpeg: sniff: %w", err)
	}
	return buf[:n], nil
}

// id3v2Len returns the length of the ID3v2 tag at the start of b, header (and
// footer) included.
func id3v2Len(b []byte) (int64, bool) {
	if len(b) < 10 || string(b[:3]) != "ID3" || b[3] < 2 || b[3] > 4 || b[4] == 0xFF {
		return 0, false
	}
	var n int64
	for _, c := range b[6:10] {
		if c&0x80 != 0 {
			return 0, false
		}
		n = n<<7 | int64(c)
	}
	n += 10
	if b[5]&0x10 != 0 { // footer present
		n += 10
	}
	return n, true
}

// sniffHead recognises everything except what follows ID3 tags: accepted
// containers first, then the rejections with their specific messages.
func sniffHead(b []byte, size int64) (Format, error) {
	if f, ok := sniffContainer(b); ok {
		return f, nil
	}
	if f, ok := sniffRawStream(b, size); ok {
		return f, nil
	}
	return Format{}, rejectHead(b)
}

var (
	asfGUID    = []byte{0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C}
	w64RIFF    = []byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00}
	w64WAVE    = []byte{'w', 'a', 'v', 'e', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A}
	ebmlMagic  = []byte{0x1A, 0x45, 0xDF, 0xA3}
	amrNBMagic = []byte("#!AMR\n")
	amrWBMagic = []byte("#!AMR-WB\n")
)

// sniffContainer recognises the accepted containers that start with a magic
// number.
func sniffContainer(b []byte) (Format, bool) {
	at := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case (at(0, "RIFF") || at(0, "RF64") || at(0, "BW64")) && at(8, "WAVE"):
		return Format{"wav", "WAV (" + string(b[:4]) + ")", "audio/wav"}, true
	case bytes.HasPrefix(b, w64RIFF) && len(b) >= 40 && bytes.Equal(b[24:40], w64WAVE):
		return Format{"w64", "Sony Wave64", "audio/x-w64"}, true
	case at(0, "FORM") && (at(8, "AIFF") || at(8, "AIFC")):
		return Format{"aiff", string(b[8:12]), "audio/aiff"}, true
	case at(0, "OggS") && len(b) > 4 && b[4] == 0:
		return Format{"ogg", oggDescription(b), "audio/ogg"}, true
	case at(4, "ftyp"):
		return sniffFtyp(b)
	case bytes.HasPrefix(b, ebmlMagic):
		return sniffEBML(b)
	case at(0, "caff") && len(b) >= 6 && binary.BigEndian.Uint16(b[4:]) == 1:
		return Format{"caf", "Apple Core Audio Format", "audio/x-caf"}, true
	case at(0, ".snd") && len(b) >= 8 && binary.BigEndian.Uint32(b[4:]) >= 24:
		return Format{"au", "Sun AU", "audio/basic"}, true
	case bytes.HasPrefix(b, amrNBMagic):
		return Format{"amr", "AMR-NB", "audio/amr"}, true
	case bytes.HasPrefix(b, amrWBMagic):
		return Format{"amr", "AMR-WB", "audio/amr-wb"}, true
	case bytes.HasPrefix(b, asfGUID):
		return Format{"asf", "ASF (WMA)", "audio/x-ms-wma"}, true
	case at(0, "MAC ") && len(b) >= 6:
		// ffmpeg's ape demuxer reads file versions 3800 to 3990.
		if v := binary.LittleEndian.Uint16(b[4:]); v >= 3800 && v <= 3990 {
			return Format{"ape", "Monkey's Audio", "audio/x-ape"}, true
		}
	case at(0, "wvpk") && len(b) >= 10:
		if v := binary.LittleEndian.Uint16(b[8:]); v >= 0x402 && v <= 0x410 {
			return Format{"wv", "WavPack", "audio/x-wavpack"}, true
		}
	}
	return sniffFLAC(b)
}

func sniffFLAC(b []byte) (Format, bool) {
	// "fLaC", then the mandatory STREAMINFO block (type 0, 34 bytes).
	if len(b) >= 8 && string(b[:4]) == "fLaC" && b[4]&0x7F == 0 &&
		b[5] == 0 && b[6] == 0 && b[7] == 34 {
		return Format{"flac", "FLAC", "audio/flac"}, true
	}
	return Format{}, false
}

// oggDescription names the codec of the first logical stream when its
// beginning-of-stream packet says so.
func oggDescription(b []byte) string {
	if len(b) < 27 {
		return "Ogg"
	}
	start := 27 + int(b[26])
	if start >= len(b) {
		return "Ogg"
	}
	p := b[start:]
	for _, c := range []struct{ magic, name string }{
		{"\x01vorbis", "Ogg Vorbis"},
		{"OpusHead", "Ogg Opus"},
		{"\x7fFLAC", "Ogg FLAC"},
		{"Speex   ", "Ogg Speex"},
		{"\x80theora", "Ogg (Theora video first)"},
	} {
		if bytes.HasPrefix(p, []byte(c.magic)) {
			return c.name
		}
	}
	return "Ogg"
}

// sniffFtyp handles ISO base media files (MP4, M4A, 3GP, QuickTime): the
// ftyp box's major brand tells audio and video apart from HEIF/AVIF images.
func sniffFtyp(b []byte) (Format, bool) {
	if len(b) < 12 || binary.BigEndian.Uint32(b) < 12 {
		return Format{}, false
	}
	brand := string(b[8:12])
	switch brand {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis", "avci", "crx ":
		return Format{}, false // an image; rejectHead says so
	case "M4A ", "M4B ", "M4P ", "F4A ", "F4B ":
		return Format{"mov", "MP4 audio (brand " + brand + ")", "audio/mp4"}, true
	case "qt  ":
		return Format{"mov", "QuickTime", "video/quicktime"}, true
	}
	if brand[:3] == "3gp" || brand[:3] == "3g2" {
		return Format{"mov", "3GPP (brand " + brand + ")", "audio/3gpp"}, true
	}
	return Format{"mov", "MP4 (brand " + brand + ")", "audio/mp4"}, true
}

// sniffEBML reads the EBML header's DocType, which must be matroska or webm.
func sniffEBML(b []byte) (Format, bool) {
	id, n := ebmlVint(b, false)
	if n == 0 || id != 0x1A45DFA3 {
		return Format{}, false
	}
	size, m := ebmlVint(b[n:], true)
	if m == 0 {
		return Format{}, false
	}
	hdr := b[n+m:]
	if size < uint64(len(hdr)) {
		hdr = hdr[:size]
	}
	for len(hdr) > 0 {
		id, n := ebmlVint(hdr, false)
		if n == 0 {
			break
		}
		size, m := ebmlVint(hdr[n:], true)
		if m == 0 || size > uint64(len(hdr)-n-m) {
			break
		}
		val := hdr[n+m : n+m+int(size)]
		if id == 0x4282 { // DocType
			switch string(bytes.TrimRight(val, "\x00")) {
			case "matroska":
				return Format{"matroska", "Matroska", "audio/x-matroska"}, true
			case "webm":
				return Format{"matroska", "WebM", "audio/webm"}, true
			}
			return Format{}, false
		}
		hdr = hdr[n+m+int(size):]
	}
	return Format{}, false
}

// ebmlVint reads an EBML variable-length integer; IDs keep their length marker,
// sizes drop it. It returns the number of bytes read, 0 when b is too short or
// malformed.
func ebmlVint(b []byte, isSize bool) (uint64, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	n := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 || len(b) < n {
		return 0, 0
	}
	v := uint64(b[0])
	if isSize {
		v &= uint64(0xFF >> n)
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}
