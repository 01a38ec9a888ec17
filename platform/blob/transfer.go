package blob

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Download copies the object at key into the local file path, created with mode
// 0600 (an existing file is replaced), streaming. The copy is written beside path
// under a temporary name and renamed into place, so path never holds a partial
// object. An object larger than maxSize bytes fails with an error wrapping
// [ErrTooLarge] before anything is written, or as soon as more bytes arrive
// than the limit; a negative maxSize means no limit. The file is not synced: it is
// a working copy.
func Download(ctx context.Context, s Store, key, path string, maxSize int64) (Info, error) {
	rc, info, err := s.Get(ctx, key)
	if err != nil {
		return Info{}, err
	}
	defer rc.Close()
	if maxSize >= 0 && info.Size > maxSize {
		return Info{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, info.Size, maxSize)
	}
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, "."+base+".part-*")
	if err != nil {
		return Info{}, fmt.Errorf("blob: download %s: %w", key, err)
	}
	tmp := f.Name()
	err = copyLimited(ctx, f, rc, info.Size, maxSize)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return Info{}, fmt.Errorf("blob: download %s: %w", key, err)
	}
	return info, nil
}

// copyLimited copies src, which should hold want bytes, to dst. It fails when src
// holds more than maxSize bytes (if maxSize >= 0) or not exactly want; it reads at
// most one byte more than want to tell.
func copyLimited(ctx context.Context, dst io.Writer, src io.Reader, want, maxSize int64) error {
	n, err := io.Copy(dst, &ctxReader{ctx: ctx, r: io.LimitReader(src, want+1)})
	switch {
	case err != nil:
		return err
	case maxSize >= 0 && n > maxSize:
		return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
	case n != want:
		return fmt.Errorf("object changed while reading: got %d bytes, want %d", n, want)
	}
	return nil
}

// Upload stores the local file at path under key, streaming it with its size
// known.
func Upload(ctx context.Context, s Store, key, path string, opts PutOptions) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, fmt.Errorf("blob: upload %s: %w", key, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("blob: upload %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("blob: upload %s: %s is not a regular file", key, path)
	}
	return s.Put(ctx, key, f, fi.Size(), opts)
}

// ctxReader fails once ctx is done, so long copies stop on cancellation.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r *ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
