package transcode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// fileInfo is what a rendition's own container says of its audio. Renditions
// are read here, in Go, rather than by another ffprobe process: the files are
// ffmpeg's own output in one of five containers, and their headers give the
// exact length (less the encoder delay and padding) at no cost.
type fileInfo struct {
	codec    string // as ffprobe names it
	rate     int    // the rate a decoder outputs (48000 for Opus)
	channels int
	bits     int // PCM and FLAC
	duration time.Duration
	bitRate  int64 // of the audio stream, bit/s
}

var errContainer = errors.New("transcode: unexpected container structure")

// readInfo reads the rendition at path, written in container.
func readInfo(path, container string) (fileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileInfo{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileInfo{}, err
	}
	var info fileInfo
	switch container {
	case "mp3":
		info, err = mp3Info(f)
	case "wav":
		info, err = wavInfo(f)
	case "flac":
		info, err = flacInfo(f, fi.Size())
	case "ogg":
		info, err = oggInfo(f, fi.Size())
	case "m4a":
		info, err = m4aInfo(f, fi.Size())
	default:
		err = fmt.Errorf("transcode: no reader for %s", container)
	}
	if err == nil && (info.rate <= 0 || info.channels <= 0 || info.duration <= 0) {
		err = errContainer
	}
	if err != nil {
		return fileInfo{}, fmt.Errorf("transcode: read %s: %w", container, err)
	}
	return info, nil
}

func frames(n int64, rate int) time.Duration {
	return time.Duration(n) * time.Second / time.Duration(rate)
}

func rateOf(bytes int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(bytes) * 8 / d.Seconds())
}

// wavInfo reads the fmt and data chunks.
func wavInfo(r io.ReadSeeker) (fileInfo, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WAVE" {
		return fileInfo{}, errContainer
	}
	var info fileInfo
	blockAlign := 0
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return fileInfo{}, errContainer
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		pad := size & 1
		switch string(ch[:4]) {
		case "fmt ":
			var fmtc [16]byte
			if size < 16 {
				return fileInfo{}, errContainer
			}
			if _, err := io.ReadFull(r, fmtc[:]); err != nil {
				return fileInfo{}, errContainer
			}
			info.channels = int(binary.LittleEndian.Uint16(fmtc[2:]))
			info.rate = int(binary.LittleEndian.Uint32(fmtc[4:]))
			blockAlign = int(binary.LittleEndian.Uint16(fmtc[12:]))
			info.bits = int(binary.LittleEndian.Uint16(fmtc[14:]))
			info.codec = fmt.Sprintf("pcm_s%dle", info.bits)
			size -= 16
		case "data":
			if blockAlign == 0 || info.rate == 0 {
				return fileInfo{}, errContainer
			}
			info.duration = frames(size/int64(blockAlign), info.rate)
			info.bitRate = int64(info.rate * info.channels * info.bits)
			return info, nil
		}
		if _, err := r.Seek(size+pad, io.SeekCurrent); err != nil {
			return fileInfo{}, err
		}
	}
}

// flacInfo reads STREAMINFO, and skips the metadata blocks (tags, pictures) to
// find where the audio frames begin.
func flacInfo(r io.ReadSeeker, size int64) (fileInfo, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != "fLaC" {
		return fileInfo{}, errContainer
	}
	info := fileInfo{codec: "flac"}
	off := int64(4)
	for last := false; !last; {
		var h [4]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return fileInfo{}, errContainer
		}
		last = h[0]&0x80 != 0
		n := int64(h[1])<<16 | int64(h[2])<<8 | int64(h[3])
		off += 4 + n
		if h[0]&0x7f == 0 { // STREAMINFO
			var si [34]byte
			if n != 34 {
				return fileInfo{}, errContainer
			}
			if _, err := io.ReadFull(r, si[:]); err != nil {
				return fileInfo{}, errContainer
			}
			v := binary.BigEndian.Uint64(si[10:])
			info.rate = int(v >> 44)
			info.channels = int(v>>41&7) + 1
			info.bits = int(v>>36&31) + 1
			total := int64(v & (1<<36 - 1))
			if info.rate > 0 {
				info.duration = frames(total, info.rate)
			}
			continue
		}
		if _, err := r.Seek(n, io.SeekCurrent); err != nil {
			return fileInfo{}, err
		}
	}
	info.bitRate = rateOf(size-off, info.duration)
	return info, nil
}

// oggInfo reads the identification header of the first page and the granule
// position of the last: Opus counts 48 kHz samples from the pre-skip on,
// Vorbis samples at its rate.
func oggInfo(r io.ReadSeeker, size int64) (fileInfo, error) {
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	if len(head) < 28 || string(head[:4]) != "OggS" || len(head) < 27+int(head[26]) {
		return fileInfo{}, errContainer
	}
	body := head[27+int(head[26]):] // after the segment table
	var info fileInfo
	var preSkip int64
	switch {
	case len(body) >= 19 && string(body[:8]) == "OpusHead":
		info.codec, info.channels, info.rate = "opus", int(body[9]), 48000
		preSkip = int64(binary.LittleEndian.Uint16(body[10:]))
	case len(body) >= 16 && string(body[:7]) == "\x01vorbis":
		info.codec, info.channels = "vorbis", int(body[11])
		info.rate = int(binary.LittleEndian.Uint32(body[12:]))
	default:
		return fileInfo{}, errContainer
	}
	tail := make([]byte, min(size, 64<<10))
	if _, err := r.Seek(size-int64(len(tail)), io.SeekStart); err != nil {
		return fileInfo{}, err
	}
	if _, err := io.ReadFull(r, tail); err != nil {
		return fileInfo{}, err
	}
	// The last page: version 0, end of stream.
	i := len(tail)
	for {
		i = bytes.LastIndex(tail[:i], []byte("OggS"))
		if i < 0 || info.rate == 0 {
			return fileInfo{}, errContainer
		}
		if len(tail) >= i+14 && tail[i+4] == 0 && tail[i+5]&4 != 0 {
			break
		}
	}
	granule := int64(binary.LittleEndian.Uint64(tail[i+6:]))
	info.duration = frames(granule-preSkip, info.rate)
	info.bitRate = rateOf(size, info.duration)
	return info, nil
}
