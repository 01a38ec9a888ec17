package transcode

import (
	"encoding/binary"
	"errors"
	"io"
)

// errNotFaststart is returned for an M4A file whose moov atom follows its media
// data: players would have to fetch the whole file before starting.
var errNotFaststart = errors.New("moov atom after mdat")

// m4aInfo reads an M4A file's top-level atoms and its moov atom: the movie's
// time scale, the edit list's duration (the media less the encoder's priming),
// the audio track's time scale (its sample rate) and its channel count. It
// checks that moov comes before mdat.
func m4aInfo(r io.ReadSeeker, size int64) (fileInfo, error) {
	var moov []byte
	var mdat int64
	for off := int64(0); off+8 <= size; {
		var h [16]byte
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			return fileInfo{}, err
		}
		if _, err := io.ReadFull(r, h[:8]); err != nil {
			return fileInfo{}, errContainer
		}
		n, hdr := int64(binary.BigEndian.Uint32(h[:])), int64(8)
		if n == 1 {
			if _, err := io.ReadFull(r, h[8:]); err != nil {
				return fileInfo{}, errContainer
			}
			n, hdr = int64(binary.BigEndian.Uint64(h[8:])), 16
		}
		if n < hdr || off+n > size {
			return fileInfo{}, errContainer
		}
		switch string(h[4:8]) {
		case "moov":
			if mdat > 0 {
				return fileInfo{}, errNotFaststart
			}
			if n > 64<<20 {
				return fileInfo{}, errContainer
			}
			moov = make([]byte, n-hdr)
			if _, err := io.ReadFull(r, moov); err != nil {
				return fileInfo{}, errContainer
			}
		case "mdat":
			mdat = n - hdr
		}
		off += n
	}
	if moov == nil || mdat == 0 {
		return fileInfo{}, errContainer
	}
	mvhd, ok := child(moov, "mvhd")
	if !ok {
		return fileInfo{}, errContainer
	}
	movieScale, movieDur := timing(mvhd)
	trak, _ := child(moov, "trak")
	mdia, _ := child(trak, "mdia")
	mdhd, ok := child(mdia, "mdhd")
	if !ok || movieScale == 0 {
		return fileInfo{}, errContainer
	}
	scale, dur := timing(mdhd)
	info := fileInfo{rate: int(scale)}
	if edts, ok := child(trak, "edts"); ok {
		if elst, ok := child(edts, "elst"); ok && len(elst) >= 12 && binary.BigEndian.Uint32(elst[4:]) == 1 {
			movieDur = int64(binary.BigEndian.Uint32(elst[8:])) // version 0 entry
			if elst[0] == 1 && len(elst) >= 16 {
				movieDur = int64(binary.BigEndian.Uint64(elst[8:]))
			}
			dur, scale = 0, 0
		}
	}
	if scale > 0 {
		info.duration = frames(dur, int(scale))
	} else {
		info.duration = frames(movieDur, int(movieScale))
	}
	minf, _ := child(mdia, "minf")
	stbl, _ := child(minf, "stbl")
	if stsd, ok := child(stbl, "stsd"); ok && len(stsd) >= 8+8+28 {
		// stsd: version, flags, entry count, then the mp4a sample entry:
		// size, type, 6 reserved, data reference, 8 reserved, channels.
		// The sample entry's channel count is fixed at 2 in MP4 files; the
		// AAC decoder configuration in its esds atom has the real one.
		if string(stsd[12:16]) == "mp4a" {
			info.codec = "aac"
			if esds, ok := child(stsd[8+8+28:], "esds"); ok {
				info.channels = aacChannels(esds)
			}
		}
	}
	info.bitRate = rateOf(mdat, info.duration)
	return info, nil
}

// child returns the payload of the first atom of the given type in b.
func child(b []byte, typ string) ([]byte, bool) {
	for len(b) >= 8 {
		n := int(binary.BigEndian.Uint32(b))
		if n < 8 || n > len(b) {
			return nil, false
		}
		if string(b[4:8]) == typ {
			return b[8:n], true
		}
		b = b[n:]
	}
	return nil, false
}

// timing returns the time scale and duration of an mvhd or mdhd payload.
func timing(b []byte) (scale uint32, duration int64) {
	if len(b) >= 32 && b[0] == 1 {
		return binary.BigEndian.Uint32(b[20:]), int64(binary.BigEndian.Uint64(b[24:]))
	}
	if len(b) >= 20 {
		return binary.BigEndian.Uint32(b[12:]), int64(binary.BigEndian.Uint32(b[16:]))
	}
	return 0, 0
}

// aacChannels returns the channel configuration of the AudioSpecificConfig in
// an esds payload (ISO/IEC 14496-1 descriptors: ES, decoder configuration,
// decoder specific information), or 0.
func aacChannels(esds []byte) int {
	if len(esds) < 4 {
		return 0
	}
	b := esds[4:] // version and flags
	for len(b) >= 2 {
		tag := b[0]
		b = b[1:]
		n := 0
		for i := 0; i < 4 && len(b) > 0; i++ {
			c := b[0]
			b = b[1:]
			n = n<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		switch {
		case tag == 0x03 && len(b) >= 3: // ES descriptor: ID, flags, optional fields, then nested
			flags := b[2]
			b = b[3:]
			if flags&0x80 != 0 {
				b = b[min(2, len(b)):]
			}
			if flags&0x40 != 0 && len(b) > 0 {
				b = b[min(1+int(b[0]), len(b)):]
			}
			if flags&0x20 != 0 {
				b = b[min(2, len(b)):]
			}
		case tag == 0x04 && len(b) >= 13: // decoder configuration: 13 bytes, then nested
			b = b[13:]
		case tag == 0x05 && n >= 2 && len(b) >= 2: // AudioSpecificConfig
			return int(b[1] >> 3 & 0x0f)
		default:
			b = b[min(n, len(b)):]
		}
	}
	return 0
}
