package r128_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// wavPCM is a decoded WAV file.
type wavPCM struct {
	rate, channels int
	samples        []float32 // interleaved, full scale ±1
}

// readWAV decodes an integer PCM WAV file (16, 24 or 32 bits; plain or
// WAVE_FORMAT_EXTENSIBLE), as sox writes the EBU test signals.
func readWAV(path string) (wavPCM, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return wavPCM{}, err
	}
	if len(b) < 12 || !bytes.Equal(b[0:4], []byte("RIFF")) || !bytes.Equal(b[8:12], []byte("WAVE")) {
		return wavPCM{}, fmt.Errorf("%s: not a RIFF/WAVE file", path)
	}
	var w wavPCM
	bits := 0
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8 : min(p+8+size, len(b))]
		switch id {
		case "fmt ":
			if len(body) < 16 {
				return wavPCM{}, fmt.Errorf("%s: short fmt chunk", path)
			}
			format := binary.LittleEndian.Uint16(body[0:])
			if format == 0xFFFE && len(body) >= 26 {
				format = binary.LittleEndian.Uint16(body[24:]) // sub-format GUID's first two bytes
			}
			if format != 1 {
				return wavPCM{}, fmt.Errorf("%s: format %#x is not integer PCM", path, format)
			}
			w.channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits == 0 {
				return wavPCM{}, errors.New(path + ": data before fmt")
			}
			w.samples = decodePCM(body, bits)
			return w, nil
		}
		p += 8 + size + size&1
	}
	return wavPCM{}, fmt.Errorf("%s: no data chunk", path)
}

func decodePCM(b []byte, bits int) []float32 {
	n := bits / 8
	out := make([]float32, len(b)/n)
	scale := 1 / float32(int64(1)<<(bits-1))
	for i := range out {
		var v int32
		switch n {
		case 2:
			v = int32(int16(binary.LittleEndian.Uint16(b[2*i:])))
		case 3:
			v = int32(uint32(b[3*i])<<8|uint32(b[3*i+1])<<16|uint32(b[3*i+2])<<24) >> 8
		case 4:
			v = int32(binary.LittleEndian.Uint32(b[4*i:]))
		}
		out[i] = float32(v) * scale
	}
	return out
}
