package blob

import (
	"context"
	"errors"
	"io"
	"iter"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// DefaultContentType is the content type of an object stored without one.
const DefaultContentType = "application/octet-stream"

var (
	// ErrNotFound is returned, possibly wrapped, when an object does not exist.
	// It is a [*fault.Error] of kind [fault.NotFound].
	ErrNotFound error = &fault.Error{Kind: fault.NotFound, Msg: "blob: object not found"}

	// ErrInvalidKey is wrapped by the error of every operation given a key or a
	// prefix that breaks the rules of [ValidateKey]. Its kind is [fault.Invalid].
	ErrInvalidKey error = &fault.Error{Kind: fault.Invalid, Msg: "blob: invalid key"}

	// ErrSizeMismatch is returned, wrapped, by a Put whose reader does not hold
	// exactly the size it was given. Nothing is stored. Its kind is [fault.Invalid].
	ErrSizeMismatch error = &fault.Error{Kind: fault.Invalid, Msg: "blob: content length does not match the declared size"}

	// ErrTooLarge is returned, wrapped, by [Download] when the object exceeds its
	// size limit. Its kind is [fault.TooLarge].
	ErrTooLarge error = &fault.Error{Kind: fault.TooLarge, Msg: "blob: object exceeds the size limit"}

	// ErrPresignUnsupported is returned by PresignGet when the driver cannot make
	// presigned URLs (the local folder driver); the caller then streams the object
	// itself.
	ErrPresignUnsupported = errors.New("blob: presigned URLs are not supported by this store")
)

// Info describes a stored object.
type Info struct {
	// Key is the object's key.
	Key string
	// Size is the content length in bytes.
	Size int64
	// ContentType is the media type given to Put, or [DefaultContentType].
	ContentType string
	// ETag is an opaque, non-empty validator that changes when the content
	// changes. Drivers document what it is.
	ETag string
	// ModTime is when the object was last written.
	ModTime time.Time
	// Metadata is the user metadata given to Put, nil when there is none.
	Metadata map[string]string
}

// PutOptions are the optional attributes of a new object; see [PutOptions.Validate]
// for their rules.
type PutOptions struct {
	// ContentType is a media type such as "audio/wav"; empty means
	// [DefaultContentType].
	ContentType string
	// Metadata is stored with the object and returned in [Info.Metadata].
	Metadata map[string]string
}

// Store is a flat namespace of immutable-while-read objects addressed by key.
// Implementations are safe for concurrent use. Every method that takes a key
// rejects an invalid one (see [ValidateKey]) with an error wrapping [ErrInvalidKey].
type Store interface {
	// Put streams r into key and returns the new object's Info. size is the exact
	// length of r, or -1 when unknown; a reader that does not hold exactly size
	// bytes fails with [ErrSizeMismatch]. Put is atomic: readers see the whole new
	// object or the previous state, and a Put that fails (including when r returns
	// an error, which Put wraps) or whose ctx is canceled leaves nothing behind.
	// Cancellation is noticed between reads of r; a Read blocked in r is not
	// interrupted, so a caller streaming from the network should close r too.
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Info, error)

	// Get opens the object for reading. The caller must close the reader. Errors
	// met while reading are of kind [fault.Unavailable] or the context's.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)

	// GetRange opens length bytes of the object starting at offset; length -1
	// reads to the end. A range that runs past the end is cut short, and one that
	// starts at or after the end reads nothing (it is not an error). A negative
	// offset or a length below -1 is a [fault.Invalid] error.
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)

	// Stat returns the object's Info.
	Stat(ctx context.Context, key string) (Info, error)

	// Delete removes the object. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error

	// List yields the objects whose keys start with prefix, in lexical byte order
	// of keys; an empty prefix lists everything. prefix need not end at a slash
	// ("a/b" matches "a/b", "a/b/c" and "a/bc") and must satisfy [ValidatePrefix].
	// The yielded Info always has Key, Size, ETag and ModTime; ContentType and
	// Metadata are filled only when the driver gets them for free (call Stat for
	// them). An error ends the sequence after being yielded once.
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]

	// PresignGet returns a URL that lets anyone holding it download the object
	// with a plain GET for ttl (at most 7 days), offering it under downloadName
	// (Content-Disposition: attachment) unless downloadName is empty. It does not
	// check that the object exists. Drivers that cannot do it return
	// [ErrPresignUnsupported].
	PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error)

	// Ping checks that the store is reachable and usable, for readiness checks.
	Ping(ctx context.Context) error
}
