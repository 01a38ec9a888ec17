// Package fault is PhantomChain's error vocabulary: every error that may reach a
// client carries a [Kind] (what went wrong, in terms a caller can act on) and a
// user-safe message, while the wrapped cause stays internal.
//
// Functions report a Kind as a numeric NATS micro error code and the gateway as an
// HTTP status; both use the same numbers ([Kind.Code]). 4xx codes mean the input is
// at fault and retrying cannot help; 5xx codes are worth retrying.
package fault

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds, in the order of their HTTP status codes.
const (
	// Internal is a bug or an unexpected failure; its message is never shown.
	Internal Kind = iota
	// Invalid means the request or its input is malformed or not acceptable.
	Invalid
	// NotFound means a named object or job does not exist.
	NotFound
	// Conflict means the request clashes with the current state.
	Conflict
	// TooLarge means the input exceeds a configured size limit.
	TooLarge
	// Unsupported means the input is of a type or format that is not handled.
	Unsupported
	// Canceled means the caller gave up before the work finished.
	Canceled
	// Unavailable means a dependency is down or the process is shutting down;
	// retrying later may succeed.
	Unavailable
	// Timeout means the work did not finish within its deadline.
	Timeout
)

var kindInfo = [...]struct {
	name string
	code int
}{
	Internal:    {"internal", 500},
	Invalid:     {"invalid", 400},
	NotFound:    {"not_found", 404},
	Conflict:    {"conflict", 409},
	TooLarge:    {"too_large", 413},
	Unsupported: {"unsupported", 415},
	Canceled:    {"canceled", 499},
	Unavailable: {"unavailable", 503},
	Timeout:     {"timeout", 504},
}

// String returns the kind's snake_case name, e.g. "not_found".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindInfo) {
		return "internal"
	}
	return kindInfo[k].name
}

// Code returns the kind's HTTP status code, which is also its NATS micro error code.
func (k Kind) Code() int {
	if k < 0 || int(k) >= len(kindInfo) {
		return 500
	}
	return kindInfo[k].code
}

// Retryable reports whether an error of this kind may succeed when tried again.
func (k Kind) Retryable() bool {
	switch k {
	case Internal, Unavailable, Timeout:
		return true
	}
	return false
}

// KindFromCode maps an HTTP status or micro error code back to a Kind. Unknown 4xx
// codes map to Invalid and everything else unknown to Internal.
func KindFromCode(code int) Kind {
	for k, info := range kindInfo {
		if info.code == code {
			return Kind(k)
		}
	}
	if code >= 400 && code < 500 {
		return Invalid
	}
	return Internal
}

// Error is an error with a Kind and a message that is safe to show to a client.
type Error struct {
	Kind Kind
	// Msg is shown to clients; it must not contain internal details.
	Msg string
	// Err is the internal cause, if any; it is logged but never shown.
	Err error
}

// Error returns the message followed by the cause, for logs.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	if e.Msg == "" {
		return e.Err.Error()
	}
	return e.Msg + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error of the given kind whose formatted message is shown to
// clients. A %w verb wraps its operand as the cause, and its text becomes part of the
// message, so use %w only with errors whose text is itself user-safe.
func Errorf(kind Kind, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{Kind: kind, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// Wrap returns an error of the given kind with a user-safe message and err as its
// internal cause. Wrap returns nil when err is nil.
func Wrap(kind Kind, err error, msg string) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: kind, Msg: msg, Err: err}
}

// KindOf returns the kind of the outermost [*Error] in err's chain. Without one,
// context cancellation maps to Canceled, an expired deadline to Timeout and anything
// else to Internal. KindOf(nil) is Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.Is(err, context.Canceled):
		return Canceled
	}
	return Internal
}

// Message returns the user-safe message of the outermost [*Error] in err's chain, or a
// generic text for its kind when there is none. Internal errors always read
// "internal error".
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal && e.Msg != "" {
		return e.Msg
	}
	switch KindOf(err) {
	case Timeout:
		return "deadline exceeded"
	case Canceled:
		return "canceled"
	}
	return "internal error"
}
