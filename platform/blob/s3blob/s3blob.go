// Package s3blob is a [blob.Store] on S3 or an S3-compatible server such as MinIO,
// through minio-go.
//
// # Uploads
//
// Put streams: an object of known size that fits in one part ([Config.PartSize]),
// or of unknown size under 1 MiB, is sent in one PUT; anything larger goes up as a
// multipart upload whose parts are read one after another into
// [Config.PartConcurrency] buffers and sent in parallel. A Put therefore holds
// about PartConcurrency × PartSize bytes (plus a 1 MiB look-ahead that decides, for
// an unknown size, whether one PUT will do) whatever the object's size. S3
// publishes an object only when its PUT or its multipart upload completes,
// which makes Put atomic; a failed or canceled multipart upload is aborted, so no
// parts are left behind.
//
// # Errors
//
// NoSuchKey and NoSuchBucket become [blob.ErrNotFound]; transport failures and
// server-side 5xx errors (and SlowDown) become [fault.Unavailable]; MinIO's
// refusal to store an object where a prefix of that name exists becomes
// [fault.Conflict]; a canceled context is returned as the context's error.
// Anything else (access denied, a bad signature) is an internal error: the
// configuration is wrong.
//
// # ETag and listing
//
// Info.ETag is the server's ETag without quotes: the MD5 of the content for a
// single PUT, a digest of the parts' MD5s followed by "-<parts>" for a multipart
// upload. List fills Key, Size, ETag and ModTime only.
package s3blob

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

// Part sizes and defaults.
const (
	// DefaultPartSize is the multipart part size when Config.PartSize is 0.
	DefaultPartSize = 16 << 20
	// MinPartSize is the smallest part S3 accepts (except for the last one).
	MinPartSize = 5 << 20
	// MaxPartSize is the largest part S3 accepts.
	MaxPartSize = 5 << 30
	// DefaultPartConcurrency is the number of parts uploaded at once when
	// Config.PartConcurrency is 0.
	DefaultPartConcurrency = 4
	// DefaultRegion is the region when Config.Region is empty, MinIO's default.
	DefaultRegion = "us-east-1"
)

// Config says how to reach the bucket.
type Config struct {
	// Endpoint is the server's host:port, e.g. "minio:9000" or "s3.amazonaws.com".
	Endpoint string
	// AccessKey and SecretKey are the credentials (AWS signature v4).
	AccessKey, SecretKey string
	// Bucket holds the objects.
	Bucket string
	// Region is the bucket's region; empty means DefaultRegion. Setting it saves
	// a request to look it up and lets PresignGet work without the network.
	Region string
	// UseSSL selects https.
	UseSSL bool
	// PartSize is the multipart part size in bytes: 0 means DefaultPartSize;
	// otherwise it must lie between MinPartSize and MaxPartSize. It bounds memory
	// (see the package documentation) and, times S3's 10,000 parts, the object
	// size (156 GiB at 16 MiB).
	PartSize uint64
	// PartConcurrency is the number of parts of one Put uploaded at once: 0 means
	// DefaultPartConcurrency.
	PartConcurrency int
	// MaxRetries is how many times minio-go tries a failing request (with
	// exponential backoff): 0 means its default, 10.
	MaxRetries int
	// CreateBucket makes New create the bucket when it does not exist.
	CreateBucket bool
	// PresignEndpoint, when set, is the host:port that presigned URLs name,
	// for clients that reach the server under another name than this process
	// does (e.g. "localhost:9000" outside docker compose, "minio:9000" inside). A
	// URL ("https://files.example.com") also sets the scheme; otherwise the
	// scheme follows UseSSL.
	PresignEndpoint string
}

// LogValue implements [slog.LogValuer] and leaves the secret key out.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", c.Endpoint),
		slog.String("bucket", c.Bucket),
		slog.String("region", c.Region),
		slog.Bool("use_ssl", c.UseSSL),
		slog.Uint64("part_size", c.PartSize),
		slog.Int("part_concurrency", c.PartConcurrency),
		slog.String("presign_endpoint", c.PresignEndpoint),
	)
}

// Store is a [blob.Store] on one S3 bucket. It is safe for concurrent use.
type Store struct {
	client  *minio.Client
	core    minio.Core
	presign *minio.Client // client for PresignGet; may be client itself
	bucket  string
	part    uint64
	threads int
}

var _ blob.Store = (*Store)(nil)

// New returns a Store for cfg.Bucket. It does not contact the server unless
// cfg.CreateBucket is set; use Ping to check that the bucket is reachable.
func New(ctx context.Context, cfg Config) (*Store, error) {
	cfg.Region = cmp.Or(cfg.Region, DefaultRegion)
	cfg.PartSize = cmp.Or(cfg.PartSize, DefaultPartSize)
	cfg.PartConcurrency = cmp.Or(cfg.PartConcurrency, DefaultPartConcurrency)
	switch {
	case cfg.Endpoint == "":
		return nil, errors.New("s3blob: empty endpoint")
	case cfg.PartSize < MinPartSize || cfg.PartSize > MaxPartSize:
		return nil, fmt.Errorf("s3blob: part size %d outside [%d, %d]", cfg.PartSize, MinPartSize, MaxPartSize)
	case cfg.PartConcurrency < 1:
		return nil, fmt.Errorf("s3blob: part concurrency %d below 1", cfg.PartConcurrency)
	case cfg.MaxRetries < 0:
		return nil, fmt.Errorf("s3blob: negative max retries %d", cfg.MaxRetries)
	}
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("s3blob: bucket %q: %w", cfg.Bucket, err)
	}
	client, err := newClient(cfg, cfg.Endpoint, cfg.UseSSL)
	if err != nil {
		return nil, err
	}
	s := &Store{
		client:  client,
		core:    minio.Core{Client: client},
		presign: client,
		bucket:  cfg.Bucket,
		part:    cfg.PartSize,
		threads: cfg.PartConcurrency,
	}
	if cfg.PresignEndpoint != "" {
		host, secure, err := parseEndpoint(cfg.PresignEndpoint, cfg.UseSSL)
		if err != nil {
			return nil, err
		}
		if s.presign, err = newClient(cfg, host, secure); err != nil {
			return nil, err
		}
	}
	if cfg.CreateBucket {
		if err := s.createBucket(ctx, cfg.Region); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func newClient(cfg Config, endpoint string, secure bool) (*minio.Client, error) {
	c, err := minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: cfg.Region,
		// minio-go treats 0 as its default.
		MaxRetries: cfg.MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("s3blob: endpoint %q: %w", endpoint, err)
	}
	return c, nil
}

// parseEndpoint accepts "host:port" or "http(s)://host[:port]".
func parseEndpoint(s string, secure bool) (host string, _ bool, _ error) {
	if !strings.Contains(s, "://") {
		return s, secure, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", false, fmt.Errorf("s3blob: presign endpoint %q: want host:port or http(s)://host[:port]", s)
	}
	return u.Host, u.Scheme == "https", nil
}

func (s *Store) createBucket(ctx context.Context, region string) error {
	err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err != nil {
		switch minio.ToErrorResponse(err).Code {
		case "BucketAlreadyOwnedByYou", "BucketAlreadyExists":
			// Another instance won the race, or the bucket was there already.
			err = nil
		}
	}
	return s.mapErr(ctx, "create bucket", s.bucket, err)
}

// Ping checks that the bucket exists and the credentials work.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.mapErr(ctx, "ping", s.bucket, err)
	}
	if !ok {
		return fault.Wrap(fault.Unavailable, fmt.Errorf("s3blob: bucket %s does not exist", s.bucket), "storage unavailable")
	}
	return nil
}

// Stat implements [blob.Store].
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	if err := blob.ValidateKey(key); err != nil {
		return blob.Info{}, fmt.Errorf("s3blob: stat %s: %w", key, err)
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return blob.Info{}, s.mapErr(ctx, "stat", key, err)
	}
	return toInfo(key, oi), nil
}

// Delete implements [blob.Store].
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return fmt.Errorf("s3blob: delete %s: %w", key, err)
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		err = nil // S3 says nothing, but some servers do
	}
	return s.mapErr(ctx, "delete", key, err)
}

// toInfo converts minio's description of an object.
func toInfo(key string, oi minio.ObjectInfo) blob.Info {
	var md map[string]string
	if len(oi.UserMetadata) > 0 {
		md = make(map[string]string, len(oi.UserMetadata))
		for k, v := range oi.UserMetadata {
			// minio-go strips "X-Amz-Meta-" and keeps HTTP's canonical case.
			md[strings.ToLower(k)] = v
		}
	}
	return blob.Info{Key: key, Size: oi.Size, ContentType: oi.ContentType, ETag: oi.ETag, ModTime: oi.LastModified, Metadata: md}
}

// emptyReader is what reading past the end of an object gives.
func emptyReader() io.ReadCloser { return io.NopCloser(strings.NewReader("")) }
