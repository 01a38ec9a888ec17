package blob_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		kind        fault.Kind
		wantMessage bool // whether fault.Message shows the sentinel's text
	}{
		{"ErrNotFound", blob.ErrNotFound, fault.NotFound, true},
		{"ErrInvalidKey", blob.ErrInvalidKey, fault.Invalid, true},
		{"ErrSizeMismatch", blob.ErrSizeMismatch, fault.Invalid, true},
		{"ErrTooLarge", blob.ErrTooLarge, fault.TooLarge, true},
		{"ErrPresignUnsupported", blob.ErrPresignUnsupported, fault.Internal, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wrapped := fmt.Errorf("get t/1/x: %w", tt.err)
			if !errors.Is(wrapped, tt.err) {
				t.Fatal("errors.Is fails through a wrap")
			}
			if k := fault.KindOf(wrapped); k != tt.kind {
				t.Errorf("KindOf = %v, want %v", k, tt.kind)
			}
			msg := fault.Message(wrapped)
			if got := msg == tt.err.Error(); got != tt.wantMessage {
				t.Errorf("Message = %q; shows the error text: %v, want %v", msg, got, tt.wantMessage)
			}
		})
	}
}
