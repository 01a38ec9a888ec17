package fileblob

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/internal/blobio"
	"github.com/phantomchain/phantomchain/platform/fault"
)

const (
	objSuffix = "@"
	tmpInfix  = "@tmp-"
	dirMode   = 0o700
	fileMode  = 0o600
)

// copyBufs recycles the buffers Put copies through.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// Store is a [blob.Store] in a local folder. It is safe for concurrent use, also
// by several processes sharing the folder.
type Store struct {
	root *os.Root
	dir  string
}

var _ blob.Store = (*Store)(nil)

// New returns a Store keeping its objects in dir, which is created (mode 0700)
// if missing. Close releases it.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("fileblob: empty folder name")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("fileblob: %w", err)
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("fileblob: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("fileblob: %w", err)
	}
	return &Store{root: root, dir: dir}, nil
}

// Close releases the folder. The Store must not be used afterwards.
func (s *Store) Close() error { return s.root.Close() }

// Put implements [blob.Store].
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, opts blob.PutOptions) (blob.Info, error) {
	name, err := objectName(key)
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
		return blob.Info{}, fmt.Errorf("fileblob: put %s: %w", key, err)
	}
	info, err := s.put(ctx, name, key, r, size, opts)
	if err != nil {
		return blob.Info{}, fmt.Errorf("fileblob: put %s: %w", key, err)
	}
	return info, nil
}

func (s *Store) put(ctx context.Context, name, key string, r io.Reader, size int64, opts blob.PutOptions) (_ blob.Info, err error) {
	f, tmp, err := s.createTemp(name)
	if err != nil {
		return blob.Info{}, err
	}
	defer func() {
		if err != nil {
			f.Close()
			s.root.Remove(tmp)
		}
	}()

	br := blobio.NewReader(ctx, r, size)
	h := sha256.New()
	buf := copyBufs.Get().(*[]byte)
	// MultiWriter hides os.File's ReadFrom, so the copy uses buf.
	n, err := io.CopyBuffer(io.MultiWriter(f, h), br, *buf)
	copyBufs.Put(buf)
	if err != nil {
		return blob.Info{}, blobio.Cause(ctx, br, err)
	}
	t := trailer{
		Size:        n,
		ContentType: cmp.Or(opts.ContentType, blob.DefaultContentType),
		ETag:        hex.EncodeToString(h.Sum(nil)),
		Metadata:    cloneMeta(opts.Metadata),
	}
	foot, err := t.appendFooter(nil)
	if err != nil {
		return blob.Info{}, err
	}
	if _, err = f.Write(foot); err != nil {
		return blob.Info{}, err
	}
	if err = f.Sync(); err != nil {
		return blob.Info{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return blob.Info{}, err
	}
	if err = f.Close(); err != nil {
		return blob.Info{}, err
	}
	// The last chance to give up: after the rename the object exists.
	if err = ctx.Err(); err != nil {
		return blob.Info{}, err
	}
	if err = s.root.Rename(tmp, name); err != nil {
		return blob.Info{}, err
	}
	// The object is in place; a failed directory sync only weakens durability
	// across a crash and must not report a Put that took effect as failed.
	s.syncDir(filepath.Dir(name))
	return t.info(key, fi.ModTime()), nil
}

// createTemp creates a new temporary file beside the object file name, creating
// its directory as needed. A concurrent Delete may remove an empty directory
// between the two steps, hence the retries.
func (s *Store) createTemp(name string) (*os.File, string, error) {
	var rnd [8]byte
	for attempt := 0; ; attempt++ {
		rand.Read(rnd[:])
		tmp := strings.TrimSuffix(name, objSuffix) + tmpInfix + hex.EncodeToString(rnd[:])
		f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
		if err == nil {
			return f, tmp, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt == 3 {
			return nil, "", err
		}
		if dir := filepath.Dir(name); dir != "." {
			if err := s.root.MkdirAll(dir, dirMode); err != nil {
				return nil, "", err
			}
		}
	}
}

func (s *Store) syncDir(dir string) {
	if d, err := s.root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Get implements [blob.Store].
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	f, t, fi, err := s.open(ctx, key)
	if err != nil {
		return nil, blob.Info{}, fmt.Errorf("fileblob: get %s: %w", key, err)
	}
	return &reader{io.NewSectionReader(f, 0, t.Size), f}, t.info(key, fi.ModTime()), nil
}

// GetRange implements [blob.Store].
func (s *Store) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := blobio.CheckRange(offset, length); err != nil {
		return nil, fmt.Errorf("fileblob: get %s: %w", key, err)
	}
	f, t, _, err := s.open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("fileblob: get %s: %w", key, err)
	}
	offset = min(offset, t.Size)
	n := t.Size - offset
	if length >= 0 {
		n = min(n, length)
	}
	return &reader{io.NewSectionReader(f, offset, n), f}, nil
}

// Stat implements [blob.Store].
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	f, t, fi, err := s.open(ctx, key)
	if err != nil {
		return blob.Info{}, fmt.Errorf("fileblob: stat %s: %w", key, err)
	}
	f.Close()
	return t.info(key, fi.ModTime()), nil
}

// open opens the object file of key and reads its trailer.
func (s *Store) open(ctx context.Context, key string) (*os.File, trailer, fs.FileInfo, error) {
	name, err := objectName(key)
	if err != nil {
		return nil, trailer{}, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, trailer{}, nil, err
	}
	f, err := s.root.Open(name)
	if err != nil {
		return nil, trailer{}, nil, notFound(err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errCorrupt("not a regular file")
	}
	var t trailer
	if err == nil {
		t, err = readTrailer(f, fi.Size())
	}
	if err != nil {
		f.Close()
		return nil, trailer{}, nil, err
	}
	return f, t, fi, nil
}

// Delete implements [blob.Store]. It also removes the directories it leaves empty.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := objectName(key)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.root.Remove(name)
		if isNotExist(err) {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("fileblob: delete %s: %w", key, err)
	}
	// Removing a directory fails harmlessly once it is not empty.
	for dir := path.Dir(key); dir != "."; dir = path.Dir(dir) {
		if s.root.Remove(filepath.FromSlash(dir)) != nil {
			break
		}
	}
	return nil
}

// PresignGet returns [blob.ErrPresignUnsupported] for any valid key.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration, downloadName string) (string, error) {
	if err := blob.ValidateKey(key); err != nil {
		return "", fmt.Errorf("fileblob: presign %s: %w", key, err)
	}
	return "", blob.ErrPresignUnsupported
}

// Ping checks that the folder is still there under its name: a Store keeps
// using a folder that was removed or replaced, which is never what is meant.
func (s *Store) Ping(ctx context.Context) error {
	held, err := s.root.Stat(".")
	if err == nil {
		var named fs.FileInfo
		if named, err = os.Stat(s.dir); err == nil && !os.SameFile(held, named) {
			err = fmt.Errorf("%s was replaced", s.dir)
		}
	}
	if err != nil {
		return fault.Wrap(fault.Unavailable, fmt.Errorf("fileblob: ping: %w", err), "storage unavailable")
	}
	return nil
}

// objectName returns the path of key's object file inside the folder.
func objectName(key string) (string, error) {
	if err := blob.ValidateKey(key); err != nil {
		return "", err
	}
	name := filepath.FromSlash(key) + objSuffix
	if !filepath.IsLocal(name) { // cannot happen for a valid key; os.Root checks again
		return "", fmt.Errorf("key %q escapes the folder", key)
	}
	return name, nil
}

// reader is an object's content; closing it closes the file.
type reader struct {
	*io.SectionReader
	f *os.File
}

func (r *reader) Close() error { return r.f.Close() }

func (t trailer) info(key string, mod time.Time) blob.Info {
	return blob.Info{Key: key, Size: t.Size, ContentType: t.ContentType, ETag: t.ETag, ModTime: mod, Metadata: cloneMeta(t.Metadata)}
}

func notFound(err error) error {
	if isNotExist(err) {
		return blob.ErrNotFound
	}
	return err
}

// isNotExist reports a missing file, or a missing directory on its path.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// cloneMeta copies m, or returns nil when it is empty, as Info.Metadata wants.
func cloneMeta(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}
