package s3blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/blobtest"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// testBundle is a store on a fresh bucket and a raw client to inspect it.
type testBundle struct {
	store  *s3blob.Store
	client *minio.Client
	cfg    s3blob.Config
}

// setup creates a bucket with a random name for the test and removes it, with
// everything in it, when the test ends. edit may change the configuration.
func setup(t *testing.T, edit func(*s3blob.Config)) testBundle {
	t.Helper()
	srv := testenv.S3Server(t)
	var rnd [6]byte
	rand.Read(rnd[:])
	cfg := s3blob.Config{
		Endpoint:     srv.Endpoint,
		AccessKey:    srv.AccessKey,
		SecretKey:    srv.SecretKey,
		UseSSL:       srv.UseSSL,
		Bucket:       "blobtest-" + hex.EncodeToString(rnd[:]),
		PartSize:     s3blob.MinPartSize, // so that the suite's 6 MiB objects take two parts
		CreateBucket: true,
	}
	if edit != nil {
		edit(&cfg)
	}
	client, err := minio.New(srv.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, ""), Secure: srv.UseSSL})
	if err != nil {
		t.Fatal(err)
	}
	store, err := s3blob.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { removeBucket(t, client, cfg.Bucket) })
	return testBundle{store: store, client: client, cfg: cfg}
}

func removeBucket(tb testing.TB, c *minio.Client, bucket string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for up := range c.ListIncompleteUploads(ctx, bucket, "", true) {
		if up.Err == nil {
			c.RemoveIncompleteUpload(ctx, bucket, up.Key)
		}
	}
	objs := c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true})
	for e := range c.RemoveObjects(ctx, bucket, objs, minio.RemoveObjectsOptions{}) {
		tb.Logf("cleanup %s: %v", bucket, e.Err)
	}
	// ForceDelete (a MinIO extension) also removes whatever a listing missed.
	err := c.RemoveBucketWithOptions(ctx, bucket, minio.RemoveBucketOptions{ForceDelete: true})
	if err != nil && minio.ToErrorResponse(err).Code != "NoSuchBucket" {
		tb.Logf("cleanup: %v", err)
	}
}

func TestConformance(t *testing.T) {
	blobtest.RunConformance(t, func(t *testing.T) blob.Store { return setup(t, nil).store })
}

// A failed or canceled multipart upload must be aborted, not left to linger.
func TestNoIncompleteUploads(t *testing.T) {
	b := setup(t, nil)
	errBoom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader(make([]byte, 3*s3blob.MinPartSize)), iotest.ErrReader(errBoom))
	if _, err := b.store.Put(t.Context(), "multi/fail", r, -1, blob.PutOptions{}); !errors.Is(err, errBoom) {
		t.Fatalf("Put error = %v, want the reader's error", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	r = io.MultiReader(bytes.NewReader(make([]byte, 3*s3blob.MinPartSize)), cancelReader(cancel))
	if _, err := b.store.Put(ctx, "multi/cancel", r, -1, blob.PutOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put error = %v, want context.Canceled", err)
	}
	for up := range b.client.ListIncompleteUploads(t.Context(), b.cfg.Bucket, "", true) {
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		t.Errorf("incomplete upload left behind: %s", up.Key)
	}
}

// cancelReader cancels when first read, then yields zeros.
type cancelReader context.CancelFunc

func (c cancelReader) Read(p []byte) (int, error) {
	c()
	clear(p)
	return len(p), nil
}

func TestMissingBucket(t *testing.T) {
	b := setup(t, nil)
	cfg := b.cfg
	cfg.Bucket += "-absent"
	cfg.CreateBucket = false
	s, err := s3blob.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Ping(t.Context()); fault.KindOf(err) != fault.Unavailable {
		t.Errorf("Ping error = %v, want kind unavailable", err)
	}
	if _, err := s.Stat(t.Context(), "x"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat error = %v, want ErrNotFound (NoSuchBucket)", err)
	}
}

func TestUnavailable(t *testing.T) {
	// Nothing listens on port 1; the request fails at once.
	s, err := s3blob.New(t.Context(), s3blob.Config{Endpoint: "127.0.0.1:1", Bucket: "nowhere", AccessKey: "k", SecretKey: "s", MaxRetries: 1})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx := t.Context()
	if err := s.Ping(ctx); fault.KindOf(err) != fault.Unavailable {
		t.Errorf("Ping error = %v, want kind unavailable", err)
	}
	if _, err := s.Stat(ctx, "x"); fault.KindOf(err) != fault.Unavailable {
		t.Errorf("Stat error = %v, want kind unavailable", err)
	}
	if _, err := s.Put(ctx, "x", strings.NewReader("data"), 4, blob.PutOptions{}); fault.KindOf(err) != fault.Unavailable {
		t.Errorf("Put error = %v, want kind unavailable", err)
	}
}

func TestPresignEndpoint(t *testing.T) {
	tests := []struct {
		name, endpoint string
		useSSL         bool
		want           string // scheme://host
	}{
		{"Default", "", false, "http://minio:9000"},
		{"Host", "localhost:19000", false, "http://localhost:19000"},
		{"HostSSL", "files.example.com", true, "https://files.example.com"},
		{"URL", "https://files.example.com", false, "https://files.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := s3blob.New(t.Context(), s3blob.Config{
				Endpoint: "minio:9000", Bucket: "media", AccessKey: "k", SecretKey: "s",
				UseSSL: tt.useSSL, PresignEndpoint: tt.endpoint,
			})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			raw, err := s.PresignGet(t.Context(), "t/1/out.mp3", time.Hour, "out.mp3")
			if err != nil {
				t.Fatalf("PresignGet: %v", err)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Scheme + "://" + u.Host; got != tt.want {
				t.Errorf("URL %s: scheme://host = %s, want %s", raw, got, tt.want)
			}
			if u.Path != "/media/t/1/out.mp3" || u.Query().Get("X-Amz-Expires") != "3600" {
				t.Errorf("URL %s: path %s, X-Amz-Expires %s; want /media/t/1/out.mp3, 3600", raw, u.Path, u.Query().Get("X-Amz-Expires"))
			}
		})
	}
}

func TestNewInvalid(t *testing.T) {
	base := s3blob.Config{Endpoint: "minio:9000", Bucket: "media"}
	tests := []struct {
		name string
		edit func(*s3blob.Config)
	}{
		{"NoEndpoint", func(c *s3blob.Config) { c.Endpoint = "" }},
		{"BadEndpoint", func(c *s3blob.Config) { c.Endpoint = "http://minio:9000/path" }},
		{"SmallParts", func(c *s3blob.Config) { c.PartSize = s3blob.MinPartSize - 1 }},
		{"HugeParts", func(c *s3blob.Config) { c.PartSize = s3blob.MaxPartSize + 1 }},
		{"NegativeConcurrency", func(c *s3blob.Config) { c.PartConcurrency = -1 }},
		{"NegativeRetries", func(c *s3blob.Config) { c.MaxRetries = -1 }},
		{"BadBucket", func(c *s3blob.Config) { c.Bucket = "Media_Files" }},
		{"NoBucket", func(c *s3blob.Config) { c.Bucket = "" }},
		{"BadPresignEndpoint", func(c *s3blob.Config) { c.PresignEndpoint = "ftp://files" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.edit(&cfg)
			if _, err := s3blob.New(t.Context(), cfg); err == nil {
				t.Errorf("New(%+v) succeeded", cfg)
			}
		})
	}
}
