package waveform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Binary format constants, from audiowaveform's doc/DataFormat.md.
const (
	// flag8Bit is bit 0 of the flags field: set for 8-bit data.
	flag8Bit = 1
	// headerSizeV1 and headerSizeV2 are the header sizes of the two versions.
	headerSizeV1 = 20
	headerSizeV2 = 24
	// readChunkPixels bounds how many pixels ReadDat reads at once, so that
	// a forged length cannot make it allocate more than the input holds.
	readChunkPixels = 1 << 16
)

// WriteJSON writes p in audiowaveform's JSON format, byte for byte as
// audiowaveform writes it: one line with the fields version, channels,
// sample_rate, samples_per_pixel, bits, length and data, in that order.
func (p *Peaks) WriteJSON(w io.Writer) error {
	if err := p.Validate(); err != nil {
		return err
	}
	// At most 6 bytes per value plus the fields.
	buf := make([]byte, 0, 128+7*len(p.Data))
	buf = append(buf, `{"version":`...)
	buf = strconv.AppendInt(buf, int64(p.Version), 10)
	buf = append(buf, `,"channels":`...)
	buf = strconv.AppendInt(buf, int64(p.Channels), 10)
	buf = append(buf, `,"sample_rate":`...)
	buf = strconv.AppendInt(buf, int64(p.SampleRate), 10)
	buf = append(buf, `,"samples_per_pixel":`...)
	buf = strconv.AppendInt(buf, int64(p.SamplesPerPixel), 10)
	buf = append(buf, `,"bits":`...)
	buf = strconv.AppendInt(buf, int64(p.Bits), 10)
	buf = append(buf, `,"length":`...)
	buf = strconv.AppendInt(buf, int64(p.Length), 10)
	buf = append(buf, `,"data":[`...)
	for i, v := range p.Data {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(v), 10)
	}
	buf = append(buf, "]}\n"...)
	_, err := w.Write(buf)
	return err
}

// WriteDat writes p in audiowaveform's binary format, version 2.
func (p *Peaks) WriteDat(w io.Writer) error {
	if err := p.Validate(); err != nil {
		return err
	}
	size := 2
	var flags uint32
	if p.Bits == 8 {
		size, flags = 1, flag8Bit
	}
	buf := make([]byte, 0, headerSizeV2+size*len(p.Data))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(p.Version))
	buf = binary.LittleEndian.AppendUint32(buf, flags)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(p.SampleRate))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(p.SamplesPerPixel))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(p.Length))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(p.Channels))
	for _, v := range p.Data {
		if size == 1 {
			buf = append(buf, byte(int8(v)))
		} else {
			buf = binary.LittleEndian.AppendUint16(buf, uint16(v))
		}
	}
	_, err := w.Write(buf)
	return err
}

// ReadDat reads waveform data in audiowaveform's binary format, version 1 or
// 2, with one channel. Bytes after the data are not read. Errors about the
// content wrap [ErrInvalidDat]; a short input gives one wrapping
// [io.ErrUnexpectedEOF].
func ReadDat(r io.Reader) (*Peaks, error) {
	var head [headerSizeV2]byte
	if _, err := io.ReadFull(r, head[:headerSizeV1]); err != nil {
		return nil, datReadError("header", err)
	}
	le := binary.LittleEndian
	version := int32(le.Uint32(head[0:]))
	flags := le.Uint32(head[4:])
	p := &Peaks{
		Version:         Version,
		Channels:        Channels,
		SampleRate:      int(int32(le.Uint32(head[8:]))),
		SamplesPerPixel: int(int32(le.Uint32(head[12:]))),
		Bits:            16,
	}
	length := le.Uint32(head[16:])
	switch version {
	case 1:
	case 2:
		if _, err := io.ReadFull(r, head[headerSizeV1:]); err != nil {
			return nil, datReadError("header", err)
		}
		if ch := int32(le.Uint32(head[20:])); ch != Channels {
			return nil, fmt.Errorf("%w: %d channels, only 1 is supported", ErrInvalidDat, ch)
		}
	default:
		return nil, fmt.Errorf("%w: version %d, want 1 or 2", ErrInvalidDat, version)
	}
	if p.SampleRate < 1 {
		return nil, fmt.Errorf("%w: sample rate %d Hz, minimum 1 Hz", ErrInvalidDat, p.SampleRate)
	}
	if p.SamplesPerPixel < MinSamplesPerPixel {
		return nil, fmt.Errorf("%w: %d samples per pixel, minimum %d", ErrInvalidDat, p.SamplesPerPixel, MinSamplesPerPixel)
	}
	size := 2
	if flags&flag8Bit != 0 {
		p.Bits, size = 8, 1
	}
	if uint64(length) > math.MaxInt/2 {
		return nil, fmt.Errorf("%w: length %d", ErrInvalidDat, length)
	}
	p.Length = int(length)
	p.Data = make([]int16, 0, 2*min(p.Length, readChunkPixels))
	buf := make([]byte, 2*size*min(p.Length, readChunkPixels))
	for left := p.Length; left > 0; {
		n := min(left, readChunkPixels)
		chunk := buf[:2*size*n]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, datReadError(fmt.Sprintf("data (%d of %d pixels)", p.Length-left, p.Length), err)
		}
		for i := 0; i < len(chunk); i += size {
			if size == 1 {
				p.Data = append(p.Data, int16(int8(chunk[i])))
			} else {
				p.Data = append(p.Data, int16(le.Uint16(chunk[i:])))
			}
		}
		left -= n
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDat, err)
	}
	return p, nil
}

// datReadError describes a failed read of part of a .dat input.
func datReadError(part string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("waveform: read dat %s: %w", part, err)
}
