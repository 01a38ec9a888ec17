package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/config"
	"github.com/phantomchain/phantomchain/platform/storage"
)

func load(env map[string]string) (storage.Config, error) {
	e := config.NewEnv(func(k string) string { return env[k] })
	c := storage.LoadConfig(e)
	return c, e.Err()
}

func TestDriverChoice(t *testing.T) {
	c, err := load(nil)
	if err != nil || c.Driver != "file" {
		t.Errorf("no env: driver %q, %v; want file", c.Driver, err)
	}
	c, err = load(map[string]string{"S3_ENDPOINT": "minio:9000", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b"})
	if err != nil || c.Driver != "s3" || c.S3.Bucket != "phantom" || c.S3.PartConcurrency != 2 {
		t.Errorf("S3_ENDPOINT set: %+v, %v; want s3 with defaults", c, err)
	}
	_, err = load(map[string]string{"BLOB_DRIVER": "s3"})
	if err == nil || !strings.Contains(err.Error(), "S3_ACCESS_KEY") || !strings.Contains(err.Error(), "S3_SECRET_KEY") {
		t.Errorf("s3 without keys: %v, want both keys named", err)
	}
	_, err = load(map[string]string{"BLOB_DRIVER": "ftp"})
	if err == nil || !strings.Contains(err.Error(), "BLOB_DRIVER") {
		t.Errorf("BLOB_DRIVER=ftp: %v", err)
	}
	c, _ = load(map[string]string{"S3_ENDPOINT": "m:9000", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "topsecret"})
	if d := fmt.Sprint(c.Describe()...); strings.Contains(d, "topsecret") {
		t.Errorf("Describe leaks the secret key: %s", d)
	}
}

func TestOpenFile(t *testing.T) {
	c := storage.Config{Driver: "file", Dir: t.TempDir()}
	s, err := storage.Open(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
