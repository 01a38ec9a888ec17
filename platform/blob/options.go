package blob

import (
	"mime"
	"strings"

	"github.com/phantomchain/phantomchain/platform/fault"
)

const (
	// MaxMetadataLen is the largest total length, in bytes, of the metadata keys
	// and values of one object (S3's limit for user metadata).
	MaxMetadataLen = 2048
	maxMetaKeyLen  = 128
	maxContentType = 255
)

// Validate reports whether the options can be stored by every driver, as a
// [fault.Invalid] error. The rules come from what S3 carries faithfully in HTTP
// headers:
//
//   - ContentType is empty or a media type "type/subtype" (RFC 2045 syntax,
//     parameters allowed) of at most 255 printable ASCII bytes.
//   - Metadata keys are lowercase: a letter followed by letters, digits or '-',
//     at most 128 bytes (S3 header names are case-insensitive, so drivers return
//     keys in lowercase).
//   - Metadata values are printable ASCII (0x20-0x7E) without leading or trailing
//     spaces, which HTTP would trim.
//   - Keys and values together take at most [MaxMetadataLen] bytes.
func (o PutOptions) Validate() error {
	if ct := o.ContentType; ct != "" {
		if len(ct) > maxContentType || !printable(ct) {
			return fault.Errorf(fault.Invalid, "blob: content type is not %d printable ASCII bytes or fewer", maxContentType)
		}
		if mt, _, err := mime.ParseMediaType(ct); err != nil || !typeSlashSubtype(mt) {
			return fault.Errorf(fault.Invalid, "blob: content type %q is not a media type", ct)
		}
	}
	total := 0
	for k, v := range o.Metadata {
		if !metaKey(k) {
			return fault.Errorf(fault.Invalid, "blob: metadata key %q is not a lowercase name", k)
		}
		if !printable(v) || (v != "" && (v[0] == ' ' || v[len(v)-1] == ' ')) {
			return fault.Errorf(fault.Invalid, "blob: metadata %q: value is not trimmed printable ASCII", k)
		}
		total += len(k) + len(v)
	}
	if total > MaxMetadataLen {
		return fault.Errorf(fault.Invalid, "blob: metadata takes %d bytes, more than %d", total, MaxMetadataLen)
	}
	return nil
}

func typeSlashSubtype(mt string) bool {
	typ, sub, ok := strings.Cut(mt, "/")
	return ok && typ != "" && sub != ""
}

func metaKey(k string) bool {
	if k == "" || len(k) > maxMetaKeyLen || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := range len(k) {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
