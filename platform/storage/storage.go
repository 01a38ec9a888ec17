// Package storage opens the blob store a PhantomChain process is configured for: S3
// (MinIO, AWS, any S3-compatible server) or a local folder.
package storage

import (
	"context"
	"fmt"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/config"
)

// Config selects and configures the blob store driver.
type Config struct {
	// Driver is "s3" or "file" (BLOB_DRIVER; default "s3" when S3_ENDPOINT is set,
	// else "file").
	Driver string
	// Dir is the local folder of the file driver (BLOB_DIR, default ./data/blobs).
	Dir string
	S3  s3blob.Config
}

// LoadConfig reads BLOB_DRIVER, BLOB_DIR and the S3_* variables.
func LoadConfig(e *config.Env) Config {
	def := "file"
	if e.String("S3_ENDPOINT", "") != "" {
		def = "s3"
	}
	c := Config{
		Driver: e.OneOf("BLOB_DRIVER", def, "s3", "file"),
		Dir:    e.String("BLOB_DIR", "./data/blobs"),
		S3: s3blob.Config{
			Endpoint:        e.String("S3_ENDPOINT", "127.0.0.1:9000"),
			AccessKey:       e.String("S3_ACCESS_KEY", ""),
			SecretKey:       e.Secret("S3_SECRET_KEY", "").Reveal(),
			Bucket:          e.String("S3_BUCKET", "phantom"),
			Region:          e.String("S3_REGION", ""),
			UseSSL:          e.Bool("S3_USE_SSL", false),
			PartSize:        uint64(e.Bytes("S3_PART_SIZE", 16<<20)),
			PartConcurrency: e.Int("S3_PART_CONCURRENCY", 2, 1, 64),
			CreateBucket:    e.Bool("S3_CREATE_BUCKET", true),
			PresignEndpoint: e.String("S3_PUBLIC_ENDPOINT", ""),
		},
	}
	if c.Driver == "s3" {
		if c.S3.AccessKey == "" {
			e.Fail("S3_ACCESS_KEY", "required when BLOB_DRIVER=s3")
		}
		if c.S3.SecretKey == "" {
			e.Fail("S3_SECRET_KEY", "required when BLOB_DRIVER=s3")
		}
		if c.S3.PartSize < s3blob.MinPartSize {
			e.Fail("S3_PART_SIZE", "must be at least %d bytes", s3blob.MinPartSize)
		}
	}
	return c
}

// Open returns the configured store.
func Open(ctx context.Context, c Config) (blob.Store, error) {
	switch c.Driver {
	case "file":
		return fileblob.New(c.Dir)
	case "s3":
		return s3blob.New(ctx, c.S3)
	}
	return nil, fmt.Errorf("storage: unknown driver %q", c.Driver)
}

// Describe returns loggable attributes of the configuration, secrets left out.
func (c Config) Describe() []any {
	if c.Driver == "file" {
		return []any{"driver", "file", "dir", c.Dir}
	}
	return []any{"driver", "s3", "endpoint", c.S3.Endpoint, "bucket", c.S3.Bucket, "part_size", c.S3.PartSize,
		"part_concurrency", c.S3.PartConcurrency}
}
