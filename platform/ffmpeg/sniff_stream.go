package ffmpeg

// Raw audio streams (MPEG audio, ADTS AAC, AC-3 and E-AC-3) have no file header,
// only a sync word at the start of every frame. Two bytes of sync match random data
// far too often, so a stream is accepted only when a valid header is followed by a
// second valid, compatible header at the distance the first one gives, or when the
// data ends exactly there (a file of a single frame).

// maxPadding is how many NUL bytes may precede the first frame (some taggers pad
// after the ID3 tag beyond its declared size).
const maxPadding = 4096

// frameHeader is what the three raw formats have in common.
type frameHeader struct {
	length int    // bytes, header included
	key    uint32 // fields every frame of one stream shares
	format Format
}

type frameParser func(b []byte) (frameHeader, bool)

// sniffRawStream tries each raw stream format on b, which holds the first bytes of
// the remaining remain bytes of the file.
func sniffRawStream(b []byte, remain int64) (Format, bool) {
	pad := 0
	for pad < len(b) && pad < maxPadding && b[pad] == 0 {
		pad++
	}
	b, remain = b[pad:], remain-int64(pad)
	for _, parse := range []frameParser{parseMPEGAudio, parseADTS, parseAC3} {
		h, ok := parse(b)
		if !ok {
			continue
		}
		next := h.length
		if int64(next) == remain {
			return h.format, true
		}
		if h2, ok := parse(b[min(next, len(b)):]); ok && h2.key == h.key {
			return h.format, true
		}
	}
	return Format{}, false
}

// MPEG audio bitrates in kbit/s, indexed by [table][bitrate index].
var mpegBitrates = [5][16]int{
	{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
	{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},    // MPEG-1 layer II
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},     // MPEG-1 layer III
	{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},    // MPEG-2/2.5 layer I
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},         // MPEG-2/2.5 layers II, III
}

var mpegSampleRates = [4][3]int{
	{11025, 12000, 8000},  // MPEG-2.5
	{},                    // reserved
	{22050, 24000, 16000}, // MPEG-2
	{44100, 48000, 32000}, // MPEG-1
}

// parseMPEGAudio reads an MPEG-1/2/2.5 layer I/II/III frame header. Free-format
// frames (bitrate index 0) are refused: their length cannot be computed.
func parseMPEGAudio(b []byte) (frameHeader, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return frameHeader{}, false
	}
	version := b[1] >> 3 & 3 // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
	layer := 4 - int(b[1]>>1&3)
	brIndex := b[2] >> 4
	srIndex := b[2] >> 2 & 3
	padding := int(b[2] >> 1 & 1)
	if version == 1 || layer == 4 || brIndex == 0 || brIndex == 15 || srIndex == 3 || b[3]&3 == 2 {
		return frameHeader{}, false
	}
	table := layer - 1
	if version != 3 {
		table = min(3+table, 4)
	}
	bitrate := mpegBitrates[table][brIndex] * 1000
	rate := mpegSampleRates[version][srIndex]
	var length int
	switch {
	case layer == 1:
		length = (12*bitrate/rate + padding) * 4
	case layer == 3 && version != 3:
		length = 72*bitrate/rate + padding
	default:
		length = 144*bitrate/rate + padding
	}
	desc := [...]string{"", "MP1", "MP2", "MP3"}[layer] + " (" +
		[...]string{"MPEG-2.5", "", "MPEG-2", "MPEG-1"}[version] + " audio layer " +
		[...]string{"", "I", "II", "III"}[layer] + ")"
	return frameHeader{
		length: length,
		key:    uint32(b[1])&0xFE<<8 | uint32(srIndex),
		format: Format{"mp3", desc, "audio/mpeg"},
	}, true
}

// parseADTS reads an ADTS (MPEG-2/4 AAC) frame header.
func parseADTS(b []byte) (frameHeader, bool) {
	if len(b) < 7 || b[0] != 0xFF || b[1]&0xF6 != 0xF0 {
		return frameHeader{}, false
	}
	srIndex := b[2] >> 2 & 0xF
	channels := (b[2]&1)<<2 | b[3]>>6
	length := int(b[3]&3)<<11 | int(b[4])<<3 | int(b[5])>>5
	headerLen := 7
	if b[1]&1 == 0 { // CRC present
		headerLen = 9
	}
	if srIndex > 12 || length <= headerLen {
		return frameHeader{}, false
	}
	return frameHeader{
		length: length,
		key:    uint32(b[1])<<16 | uint32(b[2]&0xFD)<<8 | uint32(channels),
		format: Format{"aac", "AAC (ADTS)", "audio/aac"},
	}, true
}

// AC-3 bitrates in kbit/s, indexed by frmsizecod/2.
var ac3Bitrates = [19]int{32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640}

// parseAC3 reads an AC-3 (bsid ≤ 10) or E-AC-3 (bsid 11–16) sync frame header.
func parseAC3(b []byte) (frameHeader, bool) {
	if len(b) < 6 || b[0] != 0x0B || b[1] != 0x77 {
		return frameHeader{}, false
	}
	bsid := b[5] >> 3
	fscod := b[4] >> 6
	switch {
	case bsid <= 10:
		code := int(b[4] & 0x3F)
		if fscod == 3 || code >= 38 {
			return frameHeader{}, false
		}
		br := ac3Bitrates[code/2]
		words := [3]int{2 * br, br*320/147 + code&1, 3 * br}[fscod]
		return frameHeader{
			length: 2 * words,
			key:    uint32(fscod)<<8 | uint32(bsid),
			format: Format{"ac3", "AC-3", "audio/ac3"},
		}, true
	case bsid <= 16:
		if b[2]>>6 == 3 || (fscod == 3 && b[4]>>4&3 == 3) {
			return frameHeader{}, false
		}
		words := (int(b[2]&7)<<8 | int(b[3])) + 1
		return frameHeader{
			length: 2 * words,
			key:    1 << 16, // substreams may differ in rate and size
			format: Format{"eac3", "E-AC-3", "audio/eac3"},
		}, true
	}
	return frameHeader{}, false
}
