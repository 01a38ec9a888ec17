package blob

import (
	"fmt"
	"strings"
)

// MaxKeyLen is the longest key, in bytes (S3's limit).
const MaxKeyLen = 1024

// ValidateKey reports whether key is a valid object key: non-empty, at most
// [MaxKeyLen] bytes, and slash-separated segments that are each non-empty, made
// of [A-Za-z0-9._-] and neither "." nor "..". So "a/b.wav" is valid while "",
// "/a", "a/", "a//b", "a/./b", "../a" and "a b" are not. The error wraps
// [ErrInvalidKey].
func ValidateKey(key string) error {
	if key == "" {
		return invalidKey("empty key")
	}
	if len(key) > MaxKeyLen {
		return invalidKey(fmt.Sprintf("longer than %d bytes", MaxKeyLen))
	}
	for i, seg := range strings.Split(key, "/") {
		if err := validateSegment(seg); err != nil {
			return invalidKey(fmt.Sprintf("segment %d: %s", i+1, err))
		}
	}
	return nil
}

// ValidatePrefix reports whether prefix can begin a valid key, which is what
// List accepts: empty, or the start of a key, possibly ending in a slash or in
// part of a segment ("a/", "a/b", "a/b."). The error wraps [ErrInvalidKey].
func ValidatePrefix(prefix string) error {
	if len(prefix) > MaxKeyLen {
		return invalidKey(fmt.Sprintf("prefix longer than %d bytes", MaxKeyLen))
	}
	segs := strings.Split(prefix, "/")
	last := len(segs) - 1
	for i, seg := range segs[:last] {
		if err := validateSegment(seg); err != nil {
			return invalidKey(fmt.Sprintf("prefix segment %d: %s", i+1, err))
		}
	}
	// The last segment may be empty or a partial one such as "." (of ".x").
	if c, ok := badByte(segs[last]); ok {
		return invalidKey(fmt.Sprintf("prefix segment %d: byte %q not allowed", last+1, c))
	}
	return nil
}

func validateSegment(seg string) error {
	switch seg {
	case "":
		return fmt.Errorf("empty segment")
	case ".", "..":
		return fmt.Errorf("%q segment", seg)
	}
	if c, ok := badByte(seg); ok {
		return fmt.Errorf("byte %q not allowed", c)
	}
	return nil
}

// badByte returns the first byte of s outside [A-Za-z0-9._-].
func badByte(s string) (byte, bool) {
	for i := range len(s) {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return c, true
		}
	}
	return 0, false
}

func invalidKey(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidKey, reason)
}
