package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
)

// growingFile is a file written the way an encoder writes its output: in
// chunks, while a FileUpload watches it.
type growingFile struct {
	t    *testing.T
	f    *os.File
	data []byte // what the file holds
}

func newGrowingFile(t *testing.T, path string) *growingFile {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &growingFile{t: t, f: f}
}

func (g *growingFile) write(b []byte) {
	if _, err := g.f.Write(b); err != nil {
		g.t.Fatal(err)
	}
	g.data = append(g.data, b...)
}

// writeAt goes back and overwrites, as a muxer fixing up a header does.
func (g *growingFile) writeAt(b []byte, off int64) {
	if _, err := g.f.WriteAt(b, off); err != nil {
		g.t.Fatal(err)
	}
	copy(g.data[off:], b)
}

// waitSent waits until u has sent at least n bytes early; a store that takes
// no parts sends nothing, and the wait is skipped.
func waitSent(t *testing.T, s blob.Store, u *blob.FileUpload, n int64) {
	t.Helper()
	if _, ok := s.(blob.MultipartStore); !ok {
		return
	}
	deadline := time.Now().Add(20 * time.Second)
	for u.SentEarly() < n {
		if time.Now().After(deadline) {
			t.Fatalf("SentEarly = %d after 20 s, want at least %d", u.SentEarly(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func testFileUpload(t *testing.T, s blob.Store) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "out.flac")
	opts := blob.PutOptions{ContentType: "audio/flac", Metadata: map[string]string{"rendition": "flac"}}
	u := blob.StartFileUpload(ctx, s, "grow/out.flac", path, opts, 2*time.Millisecond)
	g := newGrowingFile(t, path)
	data := content(11, 3*blob.MinPartSize+4321)
	g.write(data[:2*blob.MinPartSize+100])
	waitSent(t, s, u, blob.MinPartSize) // part 2 went up while the file grew
	assertMissing(t, s, "grow/out.flac")
	g.write(data[2*blob.MinPartSize+100:])
	// The muxer fills in its header, and changes a byte of part 2, already sent.
	g.writeAt([]byte("fLaC-final-header"), 0)
	g.writeAt([]byte{0xAB}, blob.MinPartSize+17)
	g.f.Close()

	info, sum, err := u.Finish(ctx)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	got, stat := mustGet(t, s, "grow/out.flac")
	assertContent(t, "stored object", got, g.data)
	if want := sha256.Sum256(g.data); sum != hex.EncodeToString(want[:]) {
		t.Errorf("Finish SHA-256 = %s, want %x", sum, want)
	}
	if info.Size != int64(len(g.data)) || info.ContentType != "audio/flac" || info.Metadata["rendition"] != "flac" {
		t.Errorf("Finish Info = %+v, want size %d, audio/flac, metadata rendition=flac", info, len(g.data))
	}
	if info.ETag != stat.ETag {
		t.Errorf("Finish ETag = %q, Get's = %q", info.ETag, stat.ETag)
	}
}

func testFileUploadSmall(t *testing.T, s blob.Store) {
	ctx := t.Context()
	for _, n := range []int{0, 1, blob.MinPartSize + 1} {
		path := filepath.Join(t.TempDir(), "out.wav")
		u := blob.StartFileUpload(ctx, s, "grow/small.wav", path, blob.PutOptions{}, time.Millisecond)
		data := content(uint64(n), n)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		info, sum, err := u.Finish(ctx)
		if err != nil {
			t.Fatalf("Finish(%d bytes): %v", n, err)
		}
		got, _ := mustGet(t, s, "grow/small.wav")
		assertContent(t, "stored object", got, data)
		if want := sha256.Sum256(data); sum != hex.EncodeToString(want[:]) || info.Size != int64(n) {
			t.Errorf("Finish(%d bytes) = size %d, SHA-256 %s; want %x", n, info.Size, sum, want)
		}
	}
}

// testFileUploadShrink: the writer starts over and writes less than it had
// (an encode run again); the object is the final file, not the early parts.
func testFileUploadShrink(t *testing.T, s blob.Store) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "out.mp3")
	u := blob.StartFileUpload(ctx, s, "grow/shrink.mp3", path, blob.PutOptions{}, 2*time.Millisecond)
	g := newGrowingFile(t, path)
	g.write(content(21, 3*blob.MinPartSize+1))
	waitSent(t, s, u, 2*blob.MinPartSize)
	if err := g.f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	short := content(22, blob.MinPartSize+5)
	if _, err := g.f.WriteAt(short, 0); err != nil {
		t.Fatal(err)
	}
	g.f.Close()
	if _, _, err := u.Finish(ctx); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	got, _ := mustGet(t, s, "grow/shrink.mp3")
	assertContent(t, "stored object", got, short)
}

func testFileUploadAbort(t *testing.T, s blob.Store) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "out.wav")
	u := blob.StartFileUpload(ctx, s, "grow/aborted.wav", path, blob.PutOptions{}, 2*time.Millisecond)
	g := newGrowingFile(t, path)
	g.write(content(31, 2*blob.MinPartSize+1))
	waitSent(t, s, u, blob.MinPartSize)
	u.Abort(context.WithoutCancel(ctx))
	assertMissing(t, s, "grow/aborted.wav")
	assertEmpty(t, s)
}

// testMultipart checks the parts contract of drivers that implement it.
func testMultipart(t *testing.T, s blob.Store) {
	ms, ok := s.(blob.MultipartStore)
	if !ok {
		t.Skipf("%T does not implement blob.MultipartStore", s)
	}
	ctx := t.Context()
	parts := [][]byte{content(41, blob.MinPartSize), content(42, blob.MinPartSize+3), content(43, 1000)}

	m, err := ms.NewMultipart(ctx, "mp/whole.bin", blob.PutOptions{ContentType: "audio/ogg"})
	if err != nil {
		t.Fatalf("NewMultipart: %v", err)
	}
	// Out of order, one part replaced, one sent as a plain stream.
	for _, n := range []int{3, 1} {
		if err := m.PutPart(ctx, n, bytes.NewReader(parts[n-1]), int64(len(parts[n-1]))); err != nil {
			t.Fatalf("PutPart(%d): %v", n, err)
		}
	}
	if err := m.PutPart(ctx, 2, bytes.NewReader(content(99, blob.MinPartSize+3)), blob.MinPartSize+3); err != nil {
		t.Fatalf("PutPart(2): %v", err)
	}
	if err := m.PutPart(ctx, 2, unsized{bytes.NewReader(parts[1])}, int64(len(parts[1]))); err != nil {
		t.Fatalf("PutPart(2) again: %v", err)
	}
	assertMissing(t, s, "mp/whole.bin")
	info, err := m.Complete(ctx)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	want := slices.Concat(parts...)
	got, stat := mustGet(t, s, "mp/whole.bin")
	assertContent(t, "completed object", got, want)
	if info.Size != int64(len(want)) || stat.ContentType != "audio/ogg" || info.ETag != stat.ETag {
		t.Errorf("Complete Info = %+v, Stat = %+v; want size %d, audio/ogg, equal ETags", info, stat, len(want))
	}

	// A part shorter than promised fails, and a gap in the parts fails Complete.
	m, err = ms.NewMultipart(ctx, "mp/gap.bin", blob.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = m.PutPart(ctx, 1, unsized{io.LimitReader(bytes.NewReader(parts[0]), 10)}, int64(len(parts[0])))
	if err == nil {
		t.Error("PutPart with a short reader: no error")
	}
	if err := m.PutPart(ctx, 2, bytes.NewReader(parts[2]), int64(len(parts[2]))); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Complete(ctx); err == nil {
		t.Error("Complete without part 1: no error")
	}
	assertMissing(t, s, "mp/gap.bin")

	// Abort leaves nothing.
	m, err = ms.NewMultipart(ctx, "mp/aborted.bin", blob.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.PutPart(ctx, 1, bytes.NewReader(parts[0]), int64(len(parts[0]))); err != nil {
		t.Fatal(err)
	}
	if err := m.Abort(ctx); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if _, err := m.Complete(ctx); err == nil {
		t.Error("Complete after Abort: no error")
	}
	assertMissing(t, s, "mp/aborted.bin")
	if keys := listKeys(t, s, "mp/"); !slices.Equal(keys, []string{"mp/whole.bin"}) {
		t.Errorf("List(mp/) = %q, want only mp/whole.bin", keys)
	}
}
