package fileblob

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"slices"
	"strings"

	"github.com/phantomchain/phantomchain/platform/blob"
)

// List implements [blob.Store]. It walks only the directory that the prefix
// names up to its last slash, and fills every field of the yielded Info.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[blob.Info, error] {
	return func(yield func(blob.Info, error) bool) {
		if err := blob.ValidatePrefix(prefix); err != nil {
			yield(blob.Info{}, fmt.Errorf("fileblob: list %q: %w", prefix, err))
			return
		}
		dir := ""
		if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
			dir = prefix[:i]
		}
		if err := s.walk(ctx, dir, prefix, yield); err != nil && err != errStop {
			yield(blob.Info{}, fmt.Errorf("fileblob: list %q: %w", prefix, err))
		}
	}
}

// errStop ends a walk whose consumer stopped.
var errStop = errors.New("stop")

// entry is a directory entry seen as part of a key: a directory "x" is "x/", an
// object file "x@" is "x". Sorting entries by this name gives lexical key order
// over the whole tree, since "x" < "x/..." and no name contains a '/'.
type entry struct {
	name string
	dir  bool
}

// walk yields, in key order, the objects under the directory of key prefix dir
// ("" for the top) whose keys start with prefix.
func (s *Store) walk(ctx context.Context, dir, prefix string, yield func(blob.Info, error) bool) error {
	entries, err := s.readDir(dir)
	if err != nil {
		if isNotExist(err) { // nothing stored there (any more)
			return nil
		}
		return err
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := e.name
		if dir != "" {
			key = dir + "/" + e.name
		}
		if e.dir {
			// Descend when the directory's keys can match: its path starts with
			// the prefix, or the prefix goes deeper into it.
			if strings.HasPrefix(key, prefix) || strings.HasPrefix(prefix, key) {
				if err := s.walk(ctx, strings.TrimSuffix(key, "/"), prefix, yield); err != nil {
					return err
				}
			}
			continue
		}
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		f, t, fi, err := s.open(ctx, key)
		if errors.Is(err, blob.ErrNotFound) { // deleted since readDir
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		f.Close()
		if !yield(t.info(key, fi.ModTime()), nil) {
			return errStop
		}
	}
	return nil
}

// readDir returns the objects and subdirectories of dir sorted by key, skipping
// temporary files and anything else that is not part of the store.
func (s *Store) readDir(dir string) ([]entry, error) {
	d, err := s.root.Open(filepath.FromSlash(cmp.Or(dir, ".")))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	des, err := d.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	entries := make([]entry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		switch {
		case de.IsDir() && blob.ValidateKey(name) == nil:
			entries = append(entries, entry{name: name + "/", dir: true})
		case de.Type().IsRegular() && strings.HasSuffix(name, objSuffix):
			if base := strings.TrimSuffix(name, objSuffix); blob.ValidateKey(base) == nil {
				entries = append(entries, entry{name: base})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return entries, nil
}
