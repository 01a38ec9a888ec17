package blob

import (
	"context"
	"io"
)

// Multipart upload limits, S3's.
const (
	// MinPartSize is the smallest size of every part of a [Multipart] but the last.
	MinPartSize = 5 << 20
	// MaxParts is the highest part number.
	MaxParts = 10000
)

// MultipartStore is a [Store] that also takes an object in numbered parts sent in
// any order, as S3's multipart uploads do. The S3 driver implements it; callers
// check for it with a type assertion and fall back to Put.
type MultipartStore interface {
	Store
	// NewMultipart begins an object at key. Nothing is visible at key until
	// Complete succeeds; until then Get and Stat see the previous state.
	NewMultipart(ctx context.Context, key string, opts PutOptions) (Multipart, error)
}

// Multipart is an object being uploaded in parts. Its methods are safe for
// concurrent use; parts may be put in any order and at the same time.
type Multipart interface {
	// PutPart stores part n (1 to [MaxParts]) with exactly size bytes read
	// from r. Every part but the last must hold at least [MinPartSize] bytes.
	// Putting n again replaces it.
	PutPart(ctx context.Context, n int, r io.Reader, size int64) error
	// Complete publishes the object made of parts 1 to the highest part put,
	// in order; each of them must have been put. After Complete, whether it
	// succeeds or not, the upload is over.
	Complete(ctx context.Context) (Info, error)
	// Abort discards the parts put so far; nothing is published.
	Abort(ctx context.Context) error
}
