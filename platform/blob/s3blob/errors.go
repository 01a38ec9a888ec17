package s3blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/minio/minio-go/v7"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// mapErr translates an error of minio-go for the operation op on key into the
// blob vocabulary; see the package documentation.
func (s *Store) mapErr(ctx context.Context, op, key string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		// The request failed because the caller gave up, whatever minio-go
		// made of that.
		return fmt.Errorf("s3blob: %s %s: %w", op, key, cerr)
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || resp.Code == "NoSuchBucket":
		return fmt.Errorf("s3blob: %s %s: %w", op, key, blob.ErrNotFound)
	case resp.Code == "XMinioObjectExistsAsDirectory" || resp.Code == "XMinioParentIsObject":
		return fault.Wrap(fault.Conflict, fmt.Errorf("s3blob: %s %s: %w", op, key, err), "object key clashes with an existing prefix or object")
	case resp.StatusCode >= 500 || resp.Code == "SlowDown" || resp.Code == "RequestTimeout" || transportErr(err):
		return fault.Wrap(fault.Unavailable, fmt.Errorf("s3blob: %s %s: %w", op, key, err), "storage unavailable")
	}
	// Errors a caller can cause (an invalid key, a bad range) are checked before
	// the request, so what is left is a misconfiguration or a bug.
	return fmt.Errorf("s3blob: %s %s: %w", op, key, err)
}

// transportErr reports whether err comes from the network rather than from S3.
func transportErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, http.ErrHandlerTimeout)
}

// body wraps the body of a GET so that read errors speak the blob vocabulary.
type body struct {
	rc  io.ReadCloser
	ctx context.Context
	s   *Store
	key string
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF {
		err = b.s.mapErr(b.ctx, "read", b.key, err)
		if fault.KindOf(err) == fault.Internal {
			// A body that breaks off is the network's doing.
			err = fault.Wrap(fault.Unavailable, err, "storage unavailable")
		}
	}
	return n, err
}

func (b *body) Close() error { return b.rc.Close() }
