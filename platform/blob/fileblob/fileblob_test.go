package fileblob_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/blobtest"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func mustOpenStore(tb testing.TB, dir string) *fileblob.Store {
	tb.Helper()
	s, err := fileblob.New(dir)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	blobtest.RunConformance(t, func(t *testing.T) blob.Store {
		return mustOpenStore(t, t.TempDir())
	})
}

// put stores data under key or fails the test.
func put(tb testing.TB, s *fileblob.Store, key string, data []byte) {
	tb.Helper()
	if _, err := s.Put(tb.Context(), key, bytes.NewReader(data), int64(len(data)), blob.PutOptions{}); err != nil {
		tb.Fatalf("Put(%q): %v", key, err)
	}
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenStore(t, dir)
	data := []byte("RIFF....WAVE")
	put(t, s, "a/b/c.wav", data)

	tests := []struct {
		path string
		mode fs.FileMode
	}{
		{"a", fs.ModeDir | 0o700},
		{"a/b", fs.ModeDir | 0o700},
		{"a/b/c.wav@", 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.path)))
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode() != tt.mode {
			t.Errorf("%s: mode %v, want %v", tt.path, fi.Mode(), tt.mode)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "a", "b", "c.wav@"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, data) {
		t.Errorf("object file starts with %q, want the content %q", raw[:len(data)], data)
	}
	info, err := s.Stat(t.Context(), "a/b/c.wav")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); info.ETag != want {
		t.Errorf("ETag = %q, want hex SHA-256 %q", info.ETag, want)
	}
}

// Unlike MinIO, the folder stores an object beside longer keys that it prefixes.
func TestObjectAndPrefix(t *testing.T) {
	s := mustOpenStore(t, t.TempDir())
	for _, key := range []string{"a/b", "a", "a/b/c"} {
		put(t, s, key, []byte(key))
	}
	var got []string
	for info, err := range s.List(t.Context(), "") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, info.Key)
	}
	if d := cmp.Diff([]string{"a", "a/b", "a/b/c"}, got); d != "" {
		t.Errorf("List (-want +got):\n%s", d)
	}
	if err := s.Delete(t.Context(), "a/b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(t.Context(), "a/b/c"); err != nil {
		t.Errorf("Stat(a/b/c) after Delete(a/b): %v", err)
	}
}

func TestDeletePrunesDirectories(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenStore(t, dir)
	put(t, s, "p/q/r/obj", []byte("x"))
	put(t, s, "p/keep", []byte("y"))
	if err := s.Delete(t.Context(), "p/q/r/obj"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "q")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("p/q still there after its last object went: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p")); err != nil {
		t.Errorf("p, which still holds an object, is gone: %v", err)
	}
}

// Files that are not objects, such as the temporary file of a Put cut short by a
// crash, are invisible.
func TestForeignFilesIgnored(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenStore(t, dir)
	put(t, s, "a/x", []byte("x"))
	for _, name := range []string{"a/x@tmp-0123456789abcdef", "a/y@tmp-1", "a/notes.txt", "a/bad name@", "top.txt"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for info, err := range s.List(t.Context(), "") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, info.Key)
	}
	if d := cmp.Diff([]string{"a/x"}, got); d != "" {
		t.Errorf("List (-want +got):\n%s", d)
	}
	if _, err := s.Stat(t.Context(), "a/y"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat(a/y) = %v, want ErrNotFound", err)
	}
}

func TestCorruptObject(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenStore(t, dir)
	put(t, s, "ok", []byte("fine"))
	for name, data := range map[string]string{"short@": "x", "nofooter@": "0123456789abcdefghij"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{"short", "nofooter"} {
		_, err := s.Stat(t.Context(), key)
		if err == nil || errors.Is(err, blob.ErrNotFound) || fault.KindOf(err) != fault.Internal {
			t.Errorf("Stat(%q) error = %v, want an internal error", key, err)
		}
	}
	var errs int
	for _, err := range s.List(t.Context(), "") {
		if err != nil {
			errs++
		}
	}
	if errs != 1 {
		t.Errorf("List yielded %d errors, want 1 (and then stopped)", errs)
	}
}

// A symbolic link planted in the folder cannot lead a key outside it.
func TestSymlinkEscape(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("skipping: symbolic links need privileges on Windows")
	}
	dir, outside := t.TempDir(), t.TempDir()
	s := mustOpenStore(t, dir)
	if err := os.WriteFile(filepath.Join(outside, "secret@"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "evil")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(t.Context(), "evil/secret"); err == nil {
		t.Error("Stat through a symlink out of the folder succeeded")
	}
	if _, err := s.Put(t.Context(), "evil/planted", bytes.NewReader([]byte("x")), 1, blob.PutOptions{}); err == nil {
		t.Error("Put through a symlink out of the folder succeeded")
	}
	des, err := os.ReadDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != 1 {
		t.Errorf("outside folder holds %d entries, want only the secret", len(des))
	}
}

func TestPingRemovedFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := mustOpenStore(t, dir)
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); fault.KindOf(err) != fault.Unavailable {
		t.Errorf("Ping after removal = %v, want kind unavailable", err)
	}
}

func TestNewInvalid(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", file} {
		if s, err := fileblob.New(dir); err == nil {
			s.Close()
			t.Errorf("New(%q) succeeded", dir)
		}
	}
}
