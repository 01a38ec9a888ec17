package s3blob

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/internal/blobio"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// Put implements [blob.Store]; see the package documentation for how it streams.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts blob.PutOptions) (blob.Info, error) {
	err := blob.ValidateKey(key)
	if err == nil {
		err = opts.Validate()
	}
	if err == nil && size < -1 {
		err = fault.Errorf(fault.Invalid, "blob: invalid size %d", size)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return blob.Info{}, fmt.Errorf("s3blob: put %s: %w", key, err)
	}

	br := blobio.NewReader(ctx, r, size)
	var src io.Reader = br
	if size <= 0 {
		// Read ahead up to smallObject bytes: a small object then goes up in a
		// single PUT instead of a multipart upload with PartConcurrency idle
		// buffers. (Reading ahead a whole part would add one part's worth of
		// garbage to every large upload.) An
		// empty object is read too, as a PUT of no bytes would not look at r
		// and miss a stream that is longer than promised.
		head, err := readHead(br, smallObject)
		if err != nil {
			return blob.Info{}, fmt.Errorf("s3blob: put %s: %w", key, blobio.Cause(ctx, br, err))
		}
		if len(head) < smallObject {
			src, size = bytes.NewReader(head), int64(len(head))
		} else {
			src = io.MultiReader(bytes.NewReader(head), br)
		}
	}

	po := minio.PutObjectOptions{
		ContentType:           cmp.Or(opts.ContentType, blob.DefaultContentType),
		PartSize:              s.part,
		NumThreads:            uint(s.threads),
		ConcurrentStreamParts: s.threads > 1,
	}
	po.UserMetadata = userMetadata(opts.Metadata)
	ui, err := s.client.PutObject(ctx, s.bucket, key, src, size, po)
	if err != nil {
		if cause := blobio.Cause(ctx, br, nil); cause != nil {
			return blob.Info{}, fmt.Errorf("s3blob: put %s: %w", key, cause)
		}
		return blob.Info{}, s.mapErr(ctx, "put", key, err)
	}
	if ui.Size != br.N() { // a safety net: br enforces the size
		return blob.Info{}, fmt.Errorf("s3blob: put %s: stored %d bytes, read %d", key, ui.Size, br.N())
	}
	info := blob.Info{
		Key:         key,
		Size:        ui.Size,
		ContentType: po.ContentType,
		ETag:        ui.ETag,
		// S3 does not return Last-Modified on PUT; the local clock is within
		// the same second as the server's in any sane deployment.
		ModTime: cmp.Or(ui.LastModified, time.Now()),
	}
	if len(opts.Metadata) > 0 {
		info.Metadata = maps.Clone(opts.Metadata)
	}
	return info, nil
}

// userMetadata returns the object's metadata as minio-go sends it, or nil.
func userMetadata(md map[string]string) map[string]string {
	if len(md) == 0 {
		return nil
	}
	um := make(map[string]string, len(md))
	for k, v := range md {
		// The explicit prefix keeps minio-go from sending a key such as
		// "content-type" as a standard header.
		um["x-amz-meta-"+k] = v
	}
	return um
}

// smallObject is the size below which an object of unknown size is sent in one PUT.
const smallObject = 1 << 20

// readHead reads from r until it has max bytes or r ends. It grows its buffer
// as data arrives, so a small object costs little memory.
func readHead(r io.Reader, max int) ([]byte, error) {
	buf := make([]byte, 0, min(64<<10, max))
	for len(buf) < max {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), max-len(buf)))
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), max)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}
