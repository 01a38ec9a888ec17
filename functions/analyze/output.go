package analyze

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/phantomchain/phantomchain/platform/blob"
)

// Output stores the files an analysis writes: the waveform's JSON, .dat and PNG.
// Its methods may be called from another goroutine than the one calling [File],
// one call at a time.
type Output interface {
	// Put stores data as the file called name and returns where it went: the
	// object's key or the file's path.
	Put(ctx context.Context, name, contentType string, data []byte) (string, error)
}

// BlobOutput returns an Output that stores each file in s under prefix + name.
func BlobOutput(s blob.Store, prefix string) Output { return blobOutput{s, prefix} }

type blobOutput struct {
	store  blob.Store
	prefix string
}

func (o blobOutput) Put(ctx context.Context, name, contentType string, data []byte) (string, error) {
	key := o.prefix + name
	if _, err := o.store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), blob.PutOptions{ContentType: contentType}); err != nil {
		return "", fmt.Errorf("store %s: %w", key, err)
	}
	return key, nil
}

// DirOutput returns an Output that writes each file into the folder dir, which
// must exist.
func DirOutput(dir string) Output { return dirOutput(dir) }

type dirOutput string

func (d dirOutput) Put(_ context.Context, name, _ string, data []byte) (string, error) {
	path := filepath.Join(string(d), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return path, nil
}
