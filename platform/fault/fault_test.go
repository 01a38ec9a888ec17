package fault_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want fault.Kind
	}{
		{"Nil", nil, fault.Internal},
		{"Plain", io.EOF, fault.Internal},
		{"Errorf", fault.Errorf(fault.Invalid, "sample rate %d not supported", 7), fault.Invalid},
		{"Wrapped", fmt.Errorf("probe: %w", fault.Wrap(fault.NotFound, io.EOF, "object not found")), fault.NotFound},
		{"OuterWins", fault.Wrap(fault.Unavailable, fault.Errorf(fault.Invalid, "x"), "storage unavailable"), fault.Unavailable},
		{"Deadline", fmt.Errorf("run: %w", context.DeadlineExceeded), fault.Timeout},
		{"Canceled", context.Canceled, fault.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fault.KindOf(tt.err); got != tt.want {
				t.Errorf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMessageHidesInternals(t *testing.T) {
	secret := errors.New("dial tcp 10.0.0.7:5432: password=hunter2")
	if got := fault.Message(fault.Wrap(fault.Internal, secret, "db down")); got != "internal error" {
		t.Errorf("Message(internal) = %q", got)
	}
	if got := fault.Message(secret); got != "internal error" {
		t.Errorf("Message(plain) = %q", got)
	}
	err := fault.Wrap(fault.Unavailable, secret, "storage unavailable")
	if got := fault.Message(err); got != "storage unavailable" {
		t.Errorf("Message = %q, want %q", got, "storage unavailable")
	}
	if !errors.Is(err, secret) {
		t.Error("Wrap lost its cause")
	}
}

func TestErrorfWrapsCause(t *testing.T) {
	err := fault.Errorf(fault.Invalid, "read header: %w", io.ErrUnexpectedEOF)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is lost the %w operand")
	}
	if got, want := fault.Message(err), "read header: unexpected EOF"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestCodes(t *testing.T) {
	for k := fault.Internal; k <= fault.Timeout; k++ {
		if got := fault.KindFromCode(k.Code()); got != k {
			t.Errorf("KindFromCode(%d) = %v, want %v", k.Code(), got, k)
		}
	}
	if got := fault.KindFromCode(418); got != fault.Invalid {
		t.Errorf("KindFromCode(418) = %v, want invalid", got)
	}
	if got := fault.KindFromCode(502); got != fault.Internal {
		t.Errorf("KindFromCode(502) = %v, want internal", got)
	}
	if fault.Invalid.Retryable() || !fault.Unavailable.Retryable() {
		t.Error("Retryable: 4xx must not be retried, 503 must")
	}
}
