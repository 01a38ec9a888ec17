package blobtest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/platform/blob"
)

// listKeysFixture has names that sort between a directory-like prefix and its
// children ("a-b" and "a.b" < "a/" < "a0"; "c-d" and "c.d" < "c/"), so that
// only a true lexical order of whole keys passes. No key is also a prefix
// followed by a slash, which the contract leaves undefined.
var listKeysFixture = []string{"z", "a/b/c/x", "a-b", "a.b", "a/b/c-d", "a/bc", "ab", "b/x/y", "a/b/c.d/e", "a0", "a/b.", "a/b/cd"}

func testList(t *testing.T, s blob.Store) {
	sizes := map[string]int64{}
	for i, key := range listKeysFixture {
		data := content(uint64(i), 10*i)
		mustPut(t, s, key, data, blob.PutOptions{})
		sizes[key] = int64(len(data))
	}
	sorted := slices.Sorted(slices.Values(listKeysFixture))
	for _, prefix := range []string{"", "a", "a/", "a/b", "a/b/", "a/b/c", "a/b/c/", "a/b/c.", "b/", "b/x/y", "a.", "nothing", "b/x/y/z", "z"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			var want []string
			for _, k := range sorted {
				if strings.HasPrefix(k, prefix) {
					want = append(want, k)
				}
			}
			var got []string
			for info, err := range s.List(t.Context(), prefix) {
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				got = append(got, info.Key)
				if info.Size != sizes[info.Key] {
					t.Errorf("%s: Size = %d, want %d", info.Key, info.Size, sizes[info.Key])
				}
				if info.ETag == "" {
					t.Errorf("%s: empty ETag", info.Key)
				}
				assertRecent(t, info.Key+": ModTime", info.ModTime)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("List(%q) keys (-want +got):\n%s", prefix, d)
			}
		})
	}
	for _, prefix := range []string{"/", "/a", "a//", "../", "a/../b", "a/./", "a b", "ä"} {
		t.Run("invalid="+prefix, func(t *testing.T) {
			n := 0
			for _, err := range s.List(t.Context(), prefix) {
				n++
				if !errors.Is(err, blob.ErrInvalidKey) {
					t.Errorf("List(%q) yielded error %v, want ErrInvalidKey", prefix, err)
				}
			}
			if n != 1 {
				t.Errorf("List(%q) yielded %d times, want one error", prefix, n)
			}
		})
	}
}

func testListStop(t *testing.T, s blob.Store) {
	for _, key := range []string{"s/1", "s/2", "s/3", "s/4/5"} {
		mustPut(t, s, key, []byte(key), blob.PutOptions{})
	}
	var got []string
	for info, err := range s.List(t.Context(), "s/") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		got = append(got, info.Key)
		if len(got) == 2 {
			break
		}
	}
	if d := cmp.Diff([]string{"s/1", "s/2"}, got); d != "" {
		t.Errorf("first two keys (-want +got):\n%s", d)
	}
}
