package s3blob

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/internal/blobio"
	"github.com/phantomchain/phantomchain/platform/fault"
)

var _ blob.MultipartStore = (*Store)(nil)

// NewMultipart implements [blob.MultipartStore] with an S3 multipart upload.
// An upload that is neither completed nor aborted (the process died) stays
// invisible and holds storage until the bucket's lifecycle rule for incomplete
// multipart uploads, or MinIO's stale-upload cleanup, removes it.
func (s *Store) NewMultipart(ctx context.Context, key string, opts blob.PutOptions) (blob.Multipart, error) {
	err := blob.ValidateKey(key)
	if err == nil {
		err = opts.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("s3blob: multipart %s: %w", key, err)
	}
	po := minio.PutObjectOptions{ContentType: cmp.Or(opts.ContentType, blob.DefaultContentType),
		UserMetadata: userMetadata(opts.Metadata)}
	id, err := s.core.NewMultipartUpload(ctx, s.bucket, key, po)
	if err != nil {
		return nil, s.mapErr(ctx, "multipart", key, err)
	}
	return &multipart{s: s, key: key, id: id, opts: opts, contentType: po.ContentType, parts: map[int]part{}}, nil
}

type multipart struct {
	s           *Store
	key, id     string
	opts        blob.PutOptions
	contentType string

	mu    sync.Mutex
	parts map[int]part
	over  bool
}

type sizedSeeker interface {
	io.ReadSeeker
	Size() int64
}

type part struct {
	etag string
	size int64
}

func (m *multipart) PutPart(ctx context.Context, n int, r io.Reader, size int64) error {
	if n < 1 || n > blob.MaxParts || size < 0 {
		return fault.Errorf(fault.Invalid, "s3blob: multipart %s: part %d of %d bytes", m.key, n, size)
	}
	if m.done() {
		return fmt.Errorf("s3blob: multipart %s: upload is over", m.key)
	}
	// A seekable reader of exactly size bytes (a *bytes.Reader or an
	// *io.SectionReader) goes to minio-go as it is, which can then retry the
	// request; anything else is checked for its length as Put does.
	br := blobio.NewReader(ctx, r, size)
	var body io.Reader = br
	if rs, ok := r.(sizedSeeker); ok && rs.Size() == size {
		if at, err := rs.Seek(0, io.SeekCurrent); err == nil && at == 0 {
			body = r
		}
	}
	p, err := m.s.core.PutObjectPart(ctx, m.s.bucket, m.key, m.id, n, body, size, minio.PutObjectPartOptions{})
	if err != nil {
		if cause := blobio.Cause(ctx, br, nil); cause != nil {
			return fmt.Errorf("s3blob: multipart %s: part %d: %w", m.key, n, cause)
		}
		return m.s.mapErr(ctx, fmt.Sprintf("put part %d of", n), m.key, err)
	}
	m.mu.Lock()
	m.parts[n] = part{etag: p.ETag, size: size}
	m.mu.Unlock()
	return nil
}

func (m *multipart) Complete(ctx context.Context) (blob.Info, error) {
	m.mu.Lock()
	if m.over {
		m.mu.Unlock()
		return blob.Info{}, fmt.Errorf("s3blob: multipart %s: upload is over", m.key)
	}
	m.over = true
	nums := slices.Sorted(maps.Keys(m.parts))
	parts := make([]minio.CompletePart, len(nums))
	var size int64
	var missing int
	for i, n := range nums {
		parts[i] = minio.CompletePart{PartNumber: n, ETag: m.parts[n].etag}
		size += m.parts[n].size
		if n != i+1 && missing == 0 {
			missing = i + 1
		}
	}
	m.mu.Unlock()
	if len(nums) == 0 || missing != 0 {
		_ = m.Abort(context.WithoutCancel(ctx))
		return blob.Info{}, fmt.Errorf("s3blob: multipart %s: part %d was never put", m.key, max(missing, 1))
	}
	ui, err := m.s.core.CompleteMultipartUpload(ctx, m.s.bucket, m.key, m.id, parts, minio.PutObjectOptions{})
	if err != nil {
		_ = m.abort(context.WithoutCancel(ctx))
		return blob.Info{}, m.s.mapErr(ctx, "complete", m.key, err)
	}
	info := blob.Info{Key: m.key, Size: size, ContentType: m.contentType, ETag: ui.ETag,
		ModTime: cmp.Or(ui.LastModified, time.Now())}
	if len(m.opts.Metadata) > 0 {
		info.Metadata = maps.Clone(m.opts.Metadata)
	}
	return info, nil
}

func (m *multipart) Abort(ctx context.Context) error {
	m.mu.Lock()
	m.over = true
	m.mu.Unlock()
	return m.abort(ctx)
}

func (m *multipart) abort(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := m.s.core.AbortMultipartUpload(ctx, m.s.bucket, m.key, m.id)
	if minio.ToErrorResponse(err).Code == "NoSuchUpload" {
		err = nil
	}
	return m.s.mapErr(ctx, "abort", m.key, err)
}

func (m *multipart) done() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.over
}
