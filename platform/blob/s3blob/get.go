package s3blob

import (
	"context"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/minio/minio-go/v7"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/internal/blobio"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// MaxPresignTTL is the longest validity of a presigned URL (SigV4's limit).
const MaxPresignTTL = 7 * 24 * time.Hour

// Get implements [blob.Store].
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, blob.Info{}, fmt.Errorf("s3blob: get %s: %w", key, err)
	}
	rc, oi, _, err := s.core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, blob.Info{}, s.mapErr(ctx, "get", key, err)
	}
	return &body{rc: rc, ctx: ctx, s: s, key: key}, toInfo(key, oi), nil
}

// GetRange implements [blob.Store].
func (s *Store) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, fmt.Errorf("s3blob: get %s: %w", key, err)
	}
	if err := blobio.CheckRange(offset, length); err != nil {
		return nil, fmt.Errorf("s3blob: get %s: %w", key, err)
	}
	if length == 0 { // HTTP cannot ask for no bytes; still report a missing object
		if _, err := s.Stat(ctx, key); err != nil {
			return nil, err
		}
		return emptyReader(), nil
	}
	var opts minio.GetObjectOptions
	switch {
	case length > 0:
		opts.SetRange(offset, offset+length-1)
	case offset > 0:
		opts.SetRange(offset, 0) // to the end
	}
	rc, _, _, err := s.core.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "InvalidRange" || resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
			// The object exists (it would be NoSuchKey) but the range starts at
			// or past its end.
			return emptyReader(), nil
		}
		return nil, s.mapErr(ctx, "get", key, err)
	}
	return &body{rc: rc, ctx: ctx, s: s, key: key}, nil
}

// List implements [blob.Store]. S3 lists keys in lexical byte order.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[blob.Info, error] {
	return func(yield func(blob.Info, error) bool) {
		if err := blob.ValidatePrefix(prefix); err != nil {
			yield(blob.Info{}, fmt.Errorf("s3blob: list %q: %w", prefix, err))
			return
		}
		// Canceling stops minio-go's listing when the consumer stops early.
		lctx, cancel := context.WithCancel(ctx)
		defer cancel()
		opts := minio.ListObjectsOptions{Prefix: prefix, Recursive: true}
		for oi := range s.client.ListObjectsIter(lctx, s.bucket, opts) {
			if oi.Err != nil {
				yield(blob.Info{}, s.mapErr(ctx, "list", prefix, oi.Err))
				return
			}
			if !yield(toInfo(oi.Key, oi), nil) {
				return
			}
		}
	}
}

// PresignGet implements [blob.Store]: a SigV4 presigned GET, signed locally, with
// a response-content-disposition parameter naming downloadName (RFC 6266, with
// an RFC 5987 filename* for non-ASCII names). ttl must lie between a second and
// [MaxPresignTTL]; downloadName must not contain control characters.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error) {
	if err := blob.ValidateKey(key); err != nil {
		return "", fmt.Errorf("s3blob: presign %s: %w", key, err)
	}
	if ttl < time.Second || ttl > MaxPresignTTL {
		return "", fault.Errorf(fault.Invalid, "blob: presigned URL lifetime %v outside [1s, %v]", ttl, MaxPresignTTL)
	}
	params := url.Values{}
	if downloadName != "" {
		cd := mime.FormatMediaType("attachment", map[string]string{"filename": downloadName})
		if cd == "" || len(downloadName) > 255 || !utf8.ValidString(downloadName) || strings.ContainsFunc(downloadName, unicode.IsControl) {
			return "", fault.Errorf(fault.Invalid, "blob: download name %q is not a valid file name", downloadName)
		}
		params.Set("response-content-disposition", cd)
	}
	u, err := s.presign.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", s.mapErr(ctx, "presign", key, err)
	}
	return u.String(), nil
}
