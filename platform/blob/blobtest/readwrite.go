package blobtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func testPutGet(t *testing.T, s blob.Store) {
	for i, size := range []int{0, 1, 1000, bigSize} {
		data := content(uint64(i), size)
		for _, known := range []bool{true, false} {
			name := fmt.Sprintf("size=%d/known=%v", size, known)
			t.Run(name, func(t *testing.T) {
				key := fmt.Sprintf("putget/%d-%v.bin", size, known)
				var r io.Reader = bytes.NewReader(data)
				n := int64(len(data))
				if !known {
					r, n = unsized{r}, -1
				}
				put, err := s.Put(t.Context(), key, r, n, blob.PutOptions{ContentType: "audio/wav"})
				if err != nil {
					t.Fatalf("Put: %v", err)
				}
				if put.Key != key || put.Size != int64(size) {
					t.Errorf("Put: Key, Size = %q, %d, want %q, %d", put.Key, put.Size, key, size)
				}
				got, info := mustGet(t, s, key)
				assertContent(t, "Get", got, data)
				if d := diffInfo(put, info); d != "" {
					t.Errorf("Get Info differs from Put Info (-put +get):\n%s", d)
				}
			})
		}
	}
}

func testInfo(t *testing.T, s blob.Store) {
	tests := []struct {
		name string
		opts blob.PutOptions
		want blob.PutOptions // as stored
	}{
		{"Defaults", blob.PutOptions{}, blob.PutOptions{ContentType: blob.DefaultContentType}},
		{"ContentType", blob.PutOptions{ContentType: "audio/flac"}, blob.PutOptions{ContentType: "audio/flac"}},
		{"ContentTypeParams", blob.PutOptions{ContentType: "text/plain; charset=utf-8"}, blob.PutOptions{ContentType: "text/plain; charset=utf-8"}},
		{
			"Metadata",
			blob.PutOptions{ContentType: "audio/mpeg", Metadata: map[string]string{"job-id": "8d1e", "tenant": "t1", "note": "a b=c;d"}},
			blob.PutOptions{ContentType: "audio/mpeg", Metadata: map[string]string{"job-id": "8d1e", "tenant": "t1", "note": "a b=c;d"}},
		},
		{"EmptyMetadata", blob.PutOptions{Metadata: map[string]string{}}, blob.PutOptions{ContentType: blob.DefaultContentType}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "info/" + tt.name
			data := content(uint64(i), 100+i)
			put := mustPut(t, s, key, data, tt.opts)
			want := blob.Info{
				Key:         key,
				Size:        int64(len(data)),
				ContentType: tt.want.ContentType,
				ETag:        put.ETag,
				ModTime:     put.ModTime,
				Metadata:    tt.want.Metadata,
			}
			if d := diffInfo(want, put); d != "" {
				t.Errorf("Put Info mismatch (-want +got):\n%s", d)
			}
			if put.ETag == "" {
				t.Error("Put: empty ETag")
			}
			assertRecent(t, "Put ModTime", put.ModTime)
			stat, err := s.Stat(t.Context(), key)
			if err != nil {
				t.Fatalf("Stat: %v", err)
			}
			if d := diffInfo(want, stat); d != "" {
				t.Errorf("Stat Info mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func testGetRange(t *testing.T, s blob.Store) {
	data := content(1, 1000)
	mustPut(t, s, "range/obj", data, blob.PutOptions{})
	mustPut(t, s, "range/empty", nil, blob.PutOptions{})
	size := int64(len(data))
	tests := []struct {
		name           string
		key            string
		offset, length int64
		want           []byte
	}{
		{"Start", "range/obj", 0, 10, data[:10]},
		{"Middle", "range/obj", 100, 50, data[100:150]},
		{"ToEnd", "range/obj", 900, -1, data[900:]},
		{"Whole", "range/obj", 0, -1, data},
		{"LastByte", "range/obj", size - 1, 1, data[size-1:]},
		{"PastEnd", "range/obj", 990, 100, data[990:]},
		{"AtEnd", "range/obj", size, -1, nil},
		{"BeyondEnd", "range/obj", size + 1000, 5, nil},
		{"ZeroLength", "range/obj", 10, 0, nil},
		{"EmptyObject", "range/empty", 0, -1, nil},
		{"EmptyObjectPastEnd", "range/empty", 3, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := s.GetRange(t.Context(), tt.key, tt.offset, tt.length)
			if err != nil {
				t.Fatalf("GetRange(%d, %d): %v", tt.offset, tt.length, err)
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("GetRange(%d, %d): read: %v", tt.offset, tt.length, err)
			}
			assertContent(t, fmt.Sprintf("GetRange(%d, %d)", tt.offset, tt.length), got, tt.want)
		})
	}
	for _, r := range [][2]int64{{-1, 5}, {0, -2}, {-5, -1}} {
		t.Run(fmt.Sprintf("Invalid(%d,%d)", r[0], r[1]), func(t *testing.T) {
			rc, err := s.GetRange(t.Context(), "range/obj", r[0], r[1])
			if err == nil {
				rc.Close()
			}
			assertKind(t, "GetRange", err, fault.Invalid)
		})
	}
}

func testOverwrite(t *testing.T, s blob.Store) {
	const key = "overwrite/obj"
	v1 := content(1, 5000)
	v2 := content(2, 3000)
	old := mustPut(t, s, key, v1, blob.PutOptions{ContentType: "text/plain", Metadata: map[string]string{"version": "1", "old": "x"}})
	put := mustPut(t, s, key, v2, blob.PutOptions{ContentType: "audio/wav", Metadata: map[string]string{"version": "2"}})
	got, info := mustGet(t, s, key)
	assertContent(t, "Get after overwrite", got, v2)
	want := blob.Info{Key: key, Size: int64(len(v2)), ContentType: "audio/wav", ETag: put.ETag, ModTime: put.ModTime, Metadata: map[string]string{"version": "2"}}
	if d := diffInfo(want, info); d != "" {
		t.Errorf("Info after overwrite (-want +got):\n%s", d)
	}
	if put.ETag == old.ETag {
		t.Errorf("ETag %q did not change with the content", put.ETag)
	}
	if keys := listKeys(t, s, ""); len(keys) != 1 {
		t.Errorf("List = %q, want the one key", keys)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := t.Context()
	a, b := content(1, 10), content(2, 20)
	mustPut(t, s, "del/x/a", a, blob.PutOptions{})
	mustPut(t, s, "del/x/b", b, blob.PutOptions{})
	if err := s.Delete(ctx, "del/x/a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	assertMissing(t, s, "del/x/a")
	if _, _, err := s.Get(ctx, "del/x/a"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Get after Delete: error = %v, want ErrNotFound", err)
	}
	got, _ := mustGet(t, s, "del/x/b")
	assertContent(t, "sibling after Delete", got, b)

	for _, key := range []string{"del/x/a", "del/never", "never/was/here"} {
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("Delete(missing %q) = %v, want nil", key, err)
		}
	}
	if err := s.Delete(ctx, "del/x/b"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	assertEmpty(t, s)
	// The emptied prefix can be written again.
	mustPut(t, s, "del/x/a", a, blob.PutOptions{})
	got, _ = mustGet(t, s, "del/x/a")
	assertContent(t, "Get after re-Put", got, a)
}

func testNotFound(t *testing.T, s blob.Store) {
	mustPut(t, s, "nf/present", []byte("x"), blob.PutOptions{})
	ops := []struct {
		name string
		call func(key string) error
	}{
		{"Get", func(key string) error {
			rc, _, err := s.Get(t.Context(), key)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{"GetRange", func(key string) error {
			rc, err := s.GetRange(t.Context(), key, 0, -1)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{"Stat", func(key string) error { _, err := s.Stat(t.Context(), key); return err }},
	}
	// A missing key, a missing key beside an object, one below an object and one
	// that is only a prefix of an object.
	keys := []string{"missing", "nf/absent", "nf/present/below", "nf"}
	for _, op := range ops {
		for _, key := range keys {
			t.Run(op.name+"/"+key, func(t *testing.T) {
				err := op.call(key)
				if !errors.Is(err, blob.ErrNotFound) {
					t.Fatalf("%s(%q) error = %v, want ErrNotFound", op.name, key, err)
				}
				assertKind(t, op.name, err, fault.NotFound)
				if got, want := fault.Message(err), fault.Message(blob.ErrNotFound); got != want {
					t.Errorf("Message = %q, want %q", got, want)
				}
			})
		}
	}
}

func testPing(t *testing.T, s blob.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping = %v, want nil", err)
	}
}
