package transcode

import (
	"encoding/binary"
	"errors"
	"io"
)

// mp3Info reads the first frame of an MP3 file written by LAME: its header,
// and the Xing/Info frame's frame count and the LAME tag's encoder delay and
// padding, which give the exact length. (ffprobe's duration counts the delay
// and padding too, up to about 60 ms at low sample rates.)
func mp3Info(r io.ReadSeeker) (fileInfo, error) {
	var id3 [10]byte
	if _, err := io.ReadFull(r, id3[:]); err != nil {
		return fileInfo{}, errContainer
	}
	off := int64(0)
	if string(id3[:3]) == "ID3" {
		off = 10 + (int64(id3[6]&0x7f)<<21 | int64(id3[7]&0x7f)<<14 | int64(id3[8]&0x7f)<<7 | int64(id3[9]&0x7f))
	}
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return fileInfo{}, err
	}
	frame := make([]byte, 2048)
	n, err := io.ReadFull(r, frame)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fileInfo{}, errContainer
	}
	return parseInfoFrame(frame[:n])
}

// mp3BitRates are the bit rates (kbit/s) of layer III by index, for MPEG-1 and
// for MPEG-2 and 2.5.
var mp3BitRates = [2][16]int{
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
}

// parseInfoFrame parses the first MPEG audio frame of b as a Xing/Info frame.
func parseInfoFrame(b []byte) (fileInfo, error) {
	if len(b) < 4 || b[0] != 0xff || b[1]&0xe0 != 0xe0 {
		return fileInfo{}, errContainer
	}
	version := b[1] >> 3 & 3 // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
	if version == 1 || b[1]>>1&3 != 1 {
		return fileInfo{}, errContainer // reserved version, or not layer III
	}
	ri := b[2] >> 2 & 3
	if ri == 3 {
		return fileInfo{}, errContainer
	}
	info := fileInfo{codec: "mp3", rate: map[byte][3]int{3: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 0: {11025, 12000, 8000}}[version][ri]}
	mono := b[3]>>6 == 3
	info.channels = 2
	if mono {
		info.channels = 1
	}
	mpeg1 := version == 3
	spf, table := 576, 1
	if mpeg1 {
		spf, table = 1152, 0
	}
	// The tag follows the side information, whose size depends on the version
	// and the channel mode.
	p := 4 + map[[2]bool]int{{true, false}: 32, {true, true}: 17, {false, false}: 17, {false, true}: 9}[[2]bool{mpeg1, mono}]
	if b[1]&1 == 0 { // a CRC follows the header
		p += 2
	}
	if len(b) < p+8 || (string(b[p:p+4]) != "Xing" && string(b[p:p+4]) != "Info") {
		return fileInfo{}, errContainer
	}
	cbr := string(b[p:p+4]) == "Info"
	flags := binary.BigEndian.Uint32(b[p+4:])
	p += 8
	if flags&1 == 0 || len(b) < p+4 {
		return fileInfo{}, errContainer
	}
	count := int64(binary.BigEndian.Uint32(b[p:]))
	p += 4
	var audioBytes int64
	if flags&2 != 0 && len(b) >= p+4 {
		audioBytes = int64(binary.BigEndian.Uint32(b[p:]))
		p += 4
	}
	if flags&4 != 0 {
		p += 100 // seek table
	}
	if flags&8 != 0 {
		p += 4 // quality
	}
	// LAME tag: 9 bytes of encoder version, 12 bytes of settings, then 12 bits
	// of delay and 12 of padding.
	if len(b) < p+24 {
		return fileInfo{}, errContainer
	}
	delay := int64(b[p+21])<<4 | int64(b[p+22]>>4)
	padding := int64(b[p+22]&0x0f)<<8 | int64(b[p+23])
	samples := count*int64(spf) - delay - padding
	if samples <= 0 {
		return fileInfo{}, errContainer
	}
	info.duration = frames(samples, info.rate)
	if kbps := mp3BitRates[table][b[2]>>4]; cbr && kbps > 0 {
		info.bitRate = int64(kbps) * 1000
	} else {
		info.bitRate = rateOf(audioBytes, info.duration)
	}
	return info, nil
}
