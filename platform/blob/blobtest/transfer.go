package blobtest

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func testDownloadUpload(t *testing.T, s blob.Store) {
	ctx := t.Context()
	dir := t.TempDir()
	data := content(3, mib+7)
	src := filepath.Join(dir, "src.wav")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := blob.PutOptions{ContentType: "audio/wav", Metadata: map[string]string{"origin": "upload"}}
	up, err := blob.Upload(ctx, s, "xfer/a.wav", src, opts)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if up.Size != int64(len(data)) || up.ContentType != "audio/wav" {
		t.Errorf("Upload Info: Size, ContentType = %d, %q, want %d, audio/wav", up.Size, up.ContentType, len(data))
	}

	dst := filepath.Join(dir, "out", "b.wav")
	if err := os.Mkdir(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte("stale content to be replaced"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, maxSize := range []int64{-1, int64(len(data))} {
		down, err := blob.Download(ctx, s, "xfer/a.wav", dst, maxSize)
		if err != nil {
			t.Fatalf("Download(maxSize %d): %v", maxSize, err)
		}
		if d := diffInfo(up, down); d != "" {
			t.Errorf("Download Info (-upload +download):\n%s", d)
		}
		got, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		assertContent(t, "downloaded file", got, data)
		fi, err := os.Stat(dst)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("downloaded file mode = %v, want 0600", fi.Mode().Perm())
		}
	}
	assertDirNames(t, filepath.Dir(dst), "b.wav")

	if _, err := blob.Download(ctx, s, "xfer/missing", filepath.Join(dir, "m"), -1); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Download(missing) error = %v, want ErrNotFound", err)
	}
	if _, err := blob.Upload(ctx, s, "xfer/none", filepath.Join(dir, "no-such-file"), blob.PutOptions{}); err == nil {
		t.Error("Upload(missing file) succeeded")
	}
	assertMissing(t, s, "xfer/none")
}

func testDownloadTooLarge(t *testing.T, s blob.Store) {
	data := content(4, 10000)
	mustPut(t, s, "big/obj", data, blob.PutOptions{})
	dir := t.TempDir()
	for _, maxSize := range []int64{0, int64(len(data)) - 1} {
		dst := filepath.Join(dir, "obj")
		_, err := blob.Download(t.Context(), s, "big/obj", dst, maxSize)
		if !errors.Is(err, blob.ErrTooLarge) {
			t.Fatalf("Download(maxSize %d) error = %v, want ErrTooLarge", maxSize, err)
		}
		assertKind(t, "Download", err, fault.TooLarge)
		assertDirNames(t, dir)
	}
}

// assertDirNames checks that dir holds exactly the given names: no partial files.
func assertDirNames(tb testing.TB, dir string, want ...string) {
	tb.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var got []string
	for _, de := range des {
		got = append(got, de.Name())
	}
	if len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
		tb.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

func testPresignGet(t *testing.T, s blob.Store) {
	ctx := t.Context()
	data := content(5, 5000)
	mustPut(t, s, "presign/obj.wav", data, blob.PutOptions{ContentType: "audio/wav"})
	_, err := s.PresignGet(ctx, "presign/obj.wav", time.Minute, "song.wav")
	if errors.Is(err, blob.ErrPresignUnsupported) {
		t.Log("driver does not presign; it must say so for every valid key")
		if _, err := s.PresignGet(ctx, "presign/missing", time.Minute, ""); !errors.Is(err, blob.ErrPresignUnsupported) {
			t.Errorf("PresignGet(missing) error = %v, want ErrPresignUnsupported", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("PresignGet: %v", err)
	}
	for _, name := range []string{"song.wav", "My Song (live), take \"2\".wav", "Ünïcødé 曲.flac", ""} {
		t.Run("name="+name, func(t *testing.T) {
			u, err := s.PresignGet(ctx, "presign/obj.wav", time.Minute, name)
			if err != nil {
				t.Fatalf("PresignGet: %v", err)
			}
			body, header := httpGet(t, u, http.StatusOK)
			assertContent(t, "presigned GET", body, data)
			cd := header.Get("Content-Disposition")
			if name == "" {
				if cd != "" {
					t.Errorf("Content-Disposition = %q, want none", cd)
				}
				return
			}
			disp, params, err := mime.ParseMediaType(cd)
			if err != nil || disp != "attachment" || params["filename"] != name {
				t.Errorf("Content-Disposition %q: got %q, filename %q (err %v); want attachment, %q", cd, disp, params["filename"], err, name)
			}
		})
	}
	t.Run("Missing", func(t *testing.T) {
		u, err := s.PresignGet(ctx, "presign/missing", time.Minute, "")
		if err != nil {
			t.Fatalf("PresignGet: %v", err)
		}
		httpGet(t, u, http.StatusNotFound)
	})
	for _, ttl := range []time.Duration{0, -time.Second, 8 * 24 * time.Hour} {
		if _, err := s.PresignGet(ctx, "presign/obj.wav", ttl, ""); fault.KindOf(err) != fault.Invalid {
			t.Errorf("PresignGet(ttl %v) error = %v, want kind invalid", ttl, err)
		}
	}
	if _, err := s.PresignGet(ctx, "presign/obj.wav", time.Minute, "bad\nname"); fault.KindOf(err) != fault.Invalid {
		t.Errorf("PresignGet(name with newline) error = %v, want kind invalid", err)
	}
}

// httpGet fetches u, checks the status and returns the body and header.
func httpGet(tb testing.TB, u string, wantStatus int) ([]byte, http.Header) {
	tb.Helper()
	req, err := http.NewRequestWithContext(tb.Context(), http.MethodGet, u, nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET presigned URL: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET presigned URL: read: %v", err)
	}
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET presigned URL: status %d, want %d: %.200s", resp.StatusCode, wantStatus, body)
	}
	return body, resp.Header
}
