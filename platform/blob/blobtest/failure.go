package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// invalidKeys break one rule of blob.ValidateKey each.
var invalidKeys = []string{"", "../x", "/abs", "a//b", "a/./b", "a/../b", "a/", ".", "..", "a b", `a\b`, "ä.wav", "a:b", strings.Repeat("k", blob.MaxKeyLen+1)}

func testInvalidKey(t *testing.T, s blob.Store) {
	ctx := t.Context()
	ops := []struct {
		name string
		call func(key string) error
	}{
		{"Put", func(key string) error {
			_, err := s.Put(ctx, key, strings.NewReader("x"), 1, blob.PutOptions{})
			return err
		}},
		{"Get", func(key string) error {
			rc, _, err := s.Get(ctx, key)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{"GetRange", func(key string) error {
			rc, err := s.GetRange(ctx, key, 0, 1)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{"Stat", func(key string) error { _, err := s.Stat(ctx, key); return err }},
		{"Delete", func(key string) error { return s.Delete(ctx, key) }},
		{"PresignGet", func(key string) error { _, err := s.PresignGet(ctx, key, time.Minute, ""); return err }},
	}
	for _, op := range ops {
		for _, key := range invalidKeys {
			t.Run(fmt.Sprintf("%s(%.20q)", op.name, key), func(t *testing.T) {
				err := op.call(key)
				if !errors.Is(err, blob.ErrInvalidKey) {
					t.Fatalf("%s(%q) error = %v, want ErrInvalidKey", op.name, key, err)
				}
				assertKind(t, op.name, err, fault.Invalid)
			})
		}
	}
	assertEmpty(t, s)
}

func testInvalidOptions(t *testing.T, s blob.Store) {
	tests := []struct {
		name string
		opts blob.PutOptions
	}{
		{"ContentType", blob.PutOptions{ContentType: "not a type"}},
		{"ContentTypeControl", blob.PutOptions{ContentType: "audio/wav\r\nX: y"}},
		{"MetadataKeyCase", blob.PutOptions{Metadata: map[string]string{"Job": "1"}}},
		{"MetadataKeyByte", blob.PutOptions{Metadata: map[string]string{"job_id": "1"}}},
		{"MetadataValue", blob.PutOptions{Metadata: map[string]string{"name": "é"}}},
		{"MetadataTooLarge", blob.PutOptions{Metadata: map[string]string{"big": strings.Repeat("v", blob.MaxMetadataLen)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Put(t.Context(), "opts/obj", strings.NewReader("data"), 4, tt.opts)
			assertKind(t, "Put", err, fault.Invalid)
			assertMissing(t, s, "opts/obj")
		})
	}
}

func testFailingReader(t *testing.T, s blob.Store) {
	errBoom := errors.New("reader exploded")
	tests := []struct {
		name  string
		after int   // bytes before the error
		size  int64 // declared size
	}{
		{"Unknown/Small", 1000, -1},
		{"Unknown/Big", bigSize, -1},
		{"Known/Small", 1000, 2000},
		{"Known/Big", bigSize, 2 * bigSize},
		{"Immediately", 0, -1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "fail/" + tt.name
			r := &failingReader{r: bytes.NewReader(content(uint64(i), tt.after)), err: errBoom}
			_, err := s.Put(t.Context(), key, r, tt.size, blob.PutOptions{})
			if !errors.Is(err, errBoom) {
				t.Fatalf("Put error = %v, want the reader's error", err)
			}
			assertMissing(t, s, key)
		})
	}
	// A failed overwrite keeps the previous object whole.
	old := content(9, 4096)
	mustPut(t, s, "fail/existing", old, blob.PutOptions{ContentType: "audio/wav"})
	r := &failingReader{r: bytes.NewReader(content(10, 2000)), err: errBoom}
	if _, err := s.Put(t.Context(), "fail/existing", r, -1, blob.PutOptions{}); !errors.Is(err, errBoom) {
		t.Fatalf("Put over an object: error = %v, want the reader's error", err)
	}
	got, info := mustGet(t, s, "fail/existing")
	assertContent(t, "object after failed overwrite", got, old)
	if info.ContentType != "audio/wav" {
		t.Errorf("ContentType after failed overwrite = %q, want audio/wav", info.ContentType)
	}
	if keys := listKeys(t, s, ""); len(keys) != 1 {
		t.Errorf("List after failures = %q, want only fail/existing", keys)
	}
}

func testSizeMismatch(t *testing.T, s blob.Store) {
	tests := []struct {
		name string
		n    int
		size int64
	}{
		{"Short", 50, 100},
		{"Long", 100, 50},
		{"EmptyDeclaredNonEmpty", 0, 10},
		{"NonEmptyDeclaredEmpty", 10, 0},
		{"BigShort", bigSize - 1, bigSize},
		{"BigLong", bigSize + 1, bigSize},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "mismatch/" + tt.name
			_, err := s.Put(t.Context(), key, unsized{bytes.NewReader(content(uint64(i), tt.n))}, tt.size, blob.PutOptions{})
			if !errors.Is(err, blob.ErrSizeMismatch) {
				t.Fatalf("Put(%d bytes, size %d) error = %v, want ErrSizeMismatch", tt.n, tt.size, err)
			}
			assertKind(t, "Put", err, fault.Invalid)
			assertMissing(t, s, key)
		})
	}
}

func testCanceled(t *testing.T, s blob.Store) {
	t.Run("Before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := s.Put(ctx, "cancel/before", strings.NewReader("data"), 4, blob.PutOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Put error = %v, want context.Canceled", err)
		}
		assertKind(t, "Put", err, fault.Canceled)
		assertMissing(t, s, "cancel/before")
	})
	for _, after := range []int64{64 << 10, bigSize} {
		t.Run(fmt.Sprintf("After%d", after), func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			key := fmt.Sprintf("cancel/after-%d", after)
			r := &endless{onRead: func(n int64) {
				if n >= after {
					cancel()
				}
			}}
			_, err := s.Put(ctx, key, r, -1, blob.PutOptions{})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Put error = %v, want context.Canceled", err)
			}
			assertKind(t, "Put", err, fault.Canceled)
			assertMissing(t, s, key)
		})
	}
	assertEmpty(t, s)
}

func testConcurrentPuts(t *testing.T, s blob.Store) {
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			key := fmt.Sprintf("conc/%d/obj", i)
			data := content(uint64(i), 64<<10+i)
			if _, err := s.Put(t.Context(), key, unsized{bytes.NewReader(data)}, -1, blob.PutOptions{}); err != nil {
				t.Errorf("Put(%q): %v", key, err)
			}
		})
	}
	wg.Wait()
	for i := range n {
		got, _ := mustGet(t, s, fmt.Sprintf("conc/%d/obj", i))
		assertContent(t, fmt.Sprintf("object %d", i), got, content(uint64(i), 64<<10+i))
	}
}

// testAtomicOverwrite overwrites one key with two versions while readers check
// that they always see one version whole.
func testAtomicOverwrite(t *testing.T, s blob.Store) {
	const key = "atomic/obj"
	versions := [][]byte{bytes.Repeat([]byte{'A'}, 300<<10), bytes.Repeat([]byte{'B'}, 200<<10)}
	mustPut(t, s, key, versions[0], blob.PutOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				rc, info, err := s.Get(ctx, key)
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("Get during overwrites: %v", err)
					}
					return
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("read during overwrites: %v", err)
					}
					return
				}
				if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) || int64(len(got)) != info.Size {
					t.Errorf("read %d bytes (Info.Size %d) that are neither version whole", len(got), info.Size)
					return
				}
			}
		})
	}
	for i := range 20 {
		mustPut(t, s, key, versions[i%2], blob.PutOptions{})
	}
	cancel()
	wg.Wait()
}
