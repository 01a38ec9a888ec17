// Package blobtest is the conformance suite of [blob.Store] drivers: every driver's
// tests call [RunConformance], so the S3 and local folder drivers (and any fake)
// behave the same way as far as callers can tell.
//
// The suite writes objects of up to 16 MiB and a few hundred KiB in a tight loop
// (the atomicity check), so a driver under test should be configured with small
// parts (5 MiB for S3) to exercise multipart uploads. Drivers that implement
// [blob.MultipartStore] also get its contract checked, and every driver the
// [blob.FileUpload] of a file that grows and is rewritten in places.
package blobtest

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// mib is a mebibyte.
const mib = 1 << 20

// bigSize is the size of the multi-MiB objects: more than one 5 MiB part.
const bigSize = 6*mib + 123

// RunConformance runs the blob store contract against the stores that newStore
// returns. newStore is called once per subtest and must return an empty store,
// cleaned up with t.Cleanup; subtests run in parallel.
func RunConformance(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutGet", testPutGet},
		{"Info", testInfo},
		{"GetRange", testGetRange},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"ErrNotFound", testNotFound},
		{"List", testList},
		{"ListStop", testListStop},
		{"ErrInvalidKey", testInvalidKey},
		{"InvalidOptions", testInvalidOptions},
		{"FailingReader", testFailingReader},
		{"ErrSizeMismatch", testSizeMismatch},
		{"Canceled", testCanceled},
		{"ConcurrentPuts", testConcurrentPuts},
		{"AtomicOverwrite", testAtomicOverwrite},
		{"DownloadUpload", testDownloadUpload},
		{"DownloadTooLarge", testDownloadTooLarge},
		{"PresignGet", testPresignGet},
		{"FileUpload", testFileUpload},
		{"FileUploadSmall", testFileUploadSmall},
		{"FileUploadShrink", testFileUploadShrink},
		{"FileUploadAbort", testFileUploadAbort},
		{"Multipart", testMultipart},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newStore(t))
		})
	}
}

// content returns n pseudo-random bytes determined by seed.
func content(seed uint64, n int) []byte {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	b := make([]byte, n)
	rand.NewChaCha8(s).Read(b)
	return b
}

// unsized hides everything but Read, as a network stream would.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

func mustPut(tb testing.TB, s blob.Store, key string, data []byte, opts blob.PutOptions) blob.Info {
	tb.Helper()
	info, err := s.Put(tb.Context(), key, bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		tb.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

func mustGet(tb testing.TB, s blob.Store, key string) ([]byte, blob.Info) {
	tb.Helper()
	rc, info, err := s.Get(tb.Context(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatalf("Get(%q): read: %v", key, err)
	}
	return b, info
}

// listKeys returns the keys that List yields for prefix.
func listKeys(tb testing.TB, s blob.Store, prefix string) []string {
	tb.Helper()
	var keys []string
	for info, err := range s.List(tb.Context(), prefix) {
		if err != nil {
			tb.Fatalf("List(%q): %v", prefix, err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

// assertEmpty checks that the store lists no object at all.
func assertEmpty(tb testing.TB, s blob.Store) {
	tb.Helper()
	if keys := listKeys(tb, s, ""); len(keys) != 0 {
		tb.Errorf("List(\"\") = %q, want nothing", keys)
	}
}

// assertMissing checks that key does not exist.
func assertMissing(tb testing.TB, s blob.Store, key string) {
	tb.Helper()
	if _, err := s.Stat(tb.Context(), key); !errors.Is(err, blob.ErrNotFound) {
		tb.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
	}
}

// assertContent checks that got equals want without printing megabytes.
func assertContent(tb testing.TB, what string, got, want []byte) {
	tb.Helper()
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		tb.Errorf("%s: got %d bytes, want %d; first difference at byte %d", what, len(got), len(want), i)
	}
}

func assertKind(tb testing.TB, what string, err error, want fault.Kind) {
	tb.Helper()
	if got := fault.KindOf(err); got != want {
		tb.Errorf("%s: KindOf(%v) = %v, want %v", what, err, got, want)
	}
}

// infoOpts compares Infos from different calls: ModTime may lose sub-second
// precision on the way.
var infoOpts = cmpopts.EquateApproxTime(2 * time.Second)

func diffInfo(want, got blob.Info) string { return cmp.Diff(want, got, infoOpts) }

// assertRecent checks that t lies within a minute of now, allowing clock
// granularity and a little skew between the test and the storage server.
func assertRecent(tb testing.TB, what string, t time.Time) {
	tb.Helper()
	if now := time.Now(); t.Before(now.Add(-time.Minute)) || t.After(now.Add(time.Minute)) {
		tb.Errorf("%s = %v, want within a minute of %v", what, t, now)
	}
}

// failingReader returns its content and then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		err = f.err
	}
	return n, err
}

// endless yields pseudo-random bytes forever and calls onRead with the running
// total after every read.
type endless struct {
	n      int64
	onRead func(total int64)
	src    *rand.ChaCha8
}

func (e *endless) Read(p []byte) (int, error) {
	if e.src == nil {
		e.src = rand.NewChaCha8([32]byte{7})
	}
	n, _ := e.src.Read(p)
	e.n += int64(n)
	e.onRead(e.n)
	return n, nil
}
