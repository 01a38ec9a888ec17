package test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// newBucket creates a bucket of the test's own and removes it, with everything in
// it, when the test ends.
func newBucket(t *testing.T, s services) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "e2e-" + hex.EncodeToString(b)
	mc, err := minio.New(s.S3.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(s.S3.AccessKey, s.S3.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := mc.MakeBucket(ctx, name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		objects := mc.ListObjects(ctx, name, minio.ListObjectsOptions{Recursive: true})
		for e := range mc.RemoveObjects(ctx, name, objects, minio.RemoveObjectsOptions{}) {
			t.Logf("remove %s: %v", e.ObjectName, e.Err)
		}
		if err := mc.RemoveBucket(ctx, name); err != nil {
			t.Logf("remove bucket %s: %v", name, err)
		}
	})
	return name
}
