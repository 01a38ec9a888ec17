// Package blobio holds the stream handling that every blob driver shares: a
// reader that enforces the size promised to Put and notices cancellation, and the
// range rules of GetRange.
package blobio

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// Reader wraps the reader given to Put. It fails with the context's error once ctx
// is done, fails with [blob.ErrSizeMismatch] when the stream is shorter or longer
// than a known size, and remembers the first error it returned so that a driver
// can report the cause rather than the backend's reaction to it.
//
// With a known size, the Read that delivers the last byte also checks that the
// stream ends there, so a consumer that stops after size bytes (as an HTTP
// request body with a Content-Length does) still detects a longer stream.
type Reader struct {
	ctx  context.Context
	r    io.Reader
	size int64
	n    int64
	err  error
}

// NewReader returns a Reader over r; size is the promised length or -1.
func NewReader(ctx context.Context, r io.Reader, size int64) *Reader {
	return &Reader{ctx: ctx, r: r, size: size}
}

// Read implements [io.Reader].
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		return 0, r.fail(err)
	}
	if r.size >= 0 {
		left := r.size - r.n
		if left == 0 {
			return 0, r.atEnd()
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := r.r.Read(p)
	r.n += int64(n)
	switch {
	case err == io.EOF:
		if r.size >= 0 && r.n < r.size {
			return n, r.fail(fmt.Errorf("%w: got %d bytes, want %d", blob.ErrSizeMismatch, r.n, r.size))
		}
		return n, io.EOF
	case err != nil:
		return n, r.fail(err)
	case r.size >= 0 && r.n == r.size:
		return n, r.atEnd()
	}
	return n, nil
}

// N returns the number of bytes read so far.
func (r *Reader) N() int64 { return r.n }

// Err returns the first error other than io.EOF that Read returned: the context's
// error, the source's error or a size mismatch.
func (r *Reader) Err() error { return r.err }

// atEnd checks that the source holds no byte past the promised size.
func (r *Reader) atEnd() error {
	var b [1]byte
	for {
		n, err := r.r.Read(b[:])
		if n > 0 {
			return r.fail(fmt.Errorf("%w: more than %d bytes", blob.ErrSizeMismatch, r.size))
		}
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return r.fail(err)
		}
	}
}

func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

// Cause returns the error to report for a failed Put: the first error br met,
// which caused the backend's failure, or else backendErr. A context error is
// returned as the context's own error even when it is wrapped in backendErr.
func Cause(ctx context.Context, br *Reader, backendErr error) error {
	if err := br.Err(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return backendErr
}

// CheckRange validates the arguments of GetRange.
func CheckRange(offset, length int64) error {
	if offset < 0 {
		return fault.Errorf(fault.Invalid, "blob: negative range offset %d", offset)
	}
	if length < -1 {
		return fault.Errorf(fault.Invalid, "blob: invalid range length %d", length)
	}
	return nil
}

// IsContext reports whether err is a context cancellation or deadline error.
func IsContext(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
