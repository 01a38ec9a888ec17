package blob_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestValidateKey(t *testing.T) {
	tests := []struct {
		key   string
		valid bool
	}{
		{"a", true},
		{"a/b.wav", true},
		{"t/0190c3f4/j/8d1e/input.wav", true},
		{"A-Z_a-z.0-9", true},
		{".hidden/...", true},
		{strings.Repeat("k", blob.MaxKeyLen), true},
		{strings.Repeat("k/", blob.MaxKeyLen/2-1) + "kk", true},
		{"", false},
		{"/abs", false},
		{"a/", false},
		{"a//b", false},
		{".", false},
		{"..", false},
		{"../x", false},
		{"a/./b", false},
		{"a/../b", false},
		{"a/..", false},
		{"a b", false},
		{`a\b`, false},
		{"a:b", false},
		{"a\x00b", false},
		{"ä", false},
		{"a%2fb", false},
		{strings.Repeat("k", blob.MaxKeyLen+1), false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%.30q", tt.key), func(t *testing.T) {
			err := blob.ValidateKey(tt.key)
			if tt.valid {
				if err != nil {
					t.Errorf("ValidateKey(%q) = %v, want nil", tt.key, err)
				}
				return
			}
			if !errors.Is(err, blob.ErrInvalidKey) {
				t.Fatalf("ValidateKey(%q) = %v, want ErrInvalidKey", tt.key, err)
			}
			if k := fault.KindOf(err); k != fault.Invalid {
				t.Errorf("KindOf = %v, want invalid", k)
			}
		})
	}
}

func TestValidatePrefix(t *testing.T) {
	tests := []struct {
		prefix string
		valid  bool
	}{
		{"", true},
		{"a", true},
		{"a/", true},
		{"a/b", true},
		{"a/b/", true},
		{"a/.", true}, // the start of "a/.x"
		{"a/..", true},
		{"/", false},
		{"/a", false},
		{"a//", false},
		{"../", false},
		{"a/./", false},
		{"a/../b", false},
		{"a b", false},
		{"a/b c", false},
		{strings.Repeat("p", blob.MaxKeyLen+1), false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%.30q", tt.prefix), func(t *testing.T) {
			err := blob.ValidatePrefix(tt.prefix)
			if got := err == nil; got != tt.valid {
				t.Errorf("ValidatePrefix(%q) = %v, want valid %v", tt.prefix, err, tt.valid)
			}
			if err != nil && !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("ValidatePrefix(%q) = %v, want ErrInvalidKey", tt.prefix, err)
			}
		})
	}
}
