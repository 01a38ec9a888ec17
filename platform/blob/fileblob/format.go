package fileblob

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// An object file is the content followed by a footer:
//
//	content | trailer JSON | uint32 big-endian length of the JSON | magic
//
// Keeping the attributes in the same file as the content means one rename
// publishes both, so a reader can never pair new content with old attributes.
const (
	magic         = "PCBLOB01"
	footerLen     = 4 + len(magic)
	maxTrailerLen = 64 << 10
)

// trailer holds an object's attributes.
type trailer struct {
	Size        int64             `json:"size"`
	ContentType string            `json:"content_type"`
	ETag        string            `json:"etag"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// appendFooter returns the footer that follows the content.
func (t trailer) appendFooter(b []byte) ([]byte, error) {
	j, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	b = append(b, j...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(j)))
	return append(b, magic...), nil
}

// readTrailer reads the attributes of the object file r of fileSize bytes.
func readTrailer(r io.ReaderAt, fileSize int64) (trailer, error) {
	var t trailer
	if fileSize < int64(footerLen) {
		return t, errCorrupt("too short")
	}
	var foot [footerLen]byte
	if _, err := r.ReadAt(foot[:], fileSize-int64(footerLen)); err != nil {
		return t, err
	}
	if !bytes.Equal(foot[4:], []byte(magic)) {
		return t, errCorrupt("no footer")
	}
	n := int64(binary.BigEndian.Uint32(foot[:4]))
	if n > maxTrailerLen || n > fileSize-int64(footerLen) {
		return t, errCorrupt("trailer length out of range")
	}
	j := make([]byte, n)
	if _, err := r.ReadAt(j, fileSize-int64(footerLen)-n); err != nil {
		return t, err
	}
	if err := json.Unmarshal(j, &t); err != nil {
		return t, errCorrupt(err.Error())
	}
	if t.Size != fileSize-int64(footerLen)-n {
		return t, errCorrupt("size does not match")
	}
	return t, nil
}

func errCorrupt(why string) error {
	return fmt.Errorf("corrupt object file: %s", why)
}
