package blobio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/internal/blobio"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestReader(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		src     io.Reader
		size    int64
		wantN   int64
		wantErr error
	}{
		{"Unknown", strings.NewReader("hello"), -1, 5, nil},
		{"Exact", strings.NewReader("hello"), 5, 5, nil},
		{"ExactOneByteReads", iotest.OneByteReader(strings.NewReader("hello")), 5, 5, nil},
		{"ExactDataErrEOF", iotest.DataErrReader(strings.NewReader("hello")), 5, 5, nil},
		{"EmptyExact", strings.NewReader(""), 0, 0, nil},
		{"Short", strings.NewReader("hell"), 5, 4, blob.ErrSizeMismatch},
		{"Long", strings.NewReader("hello!"), 5, 5, blob.ErrSizeMismatch},
		{"LongFromEmpty", strings.NewReader("x"), 0, 0, blob.ErrSizeMismatch},
		{"SourceError", iotest.ErrReader(errBoom), -1, 0, errBoom},
		{"SourceErrorAtBoundary", io.MultiReader(strings.NewReader("hello"), iotest.ErrReader(errBoom)), 5, 5, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := blobio.NewReader(t.Context(), tt.src, tt.size)
			got, err := io.ReadAll(r)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadAll error = %v, want %v", err, tt.wantErr)
			}
			if !errors.Is(r.Err(), tt.wantErr) {
				t.Errorf("Err() = %v, want %v", r.Err(), tt.wantErr)
			}
			if r.N() != tt.wantN || int64(len(got)) != tt.wantN {
				t.Errorf("N() = %d, read %d bytes, want %d", r.N(), len(got), tt.wantN)
			}
			if tt.wantErr == nil {
				if _, err := r.Read(make([]byte, 1)); err != io.EOF {
					t.Errorf("Read after the end = %v, want io.EOF", err)
				}
			}
		})
	}
}

// A consumer that reads exactly size bytes, as an HTTP body with a
// Content-Length does, still learns that the stream is longer.
func TestReaderBoundary(t *testing.T) {
	r := blobio.NewReader(t.Context(), strings.NewReader("hello!"), 5)
	buf := make([]byte, 5)
	n, err := r.Read(buf)
	if n != 5 || !errors.Is(err, blob.ErrSizeMismatch) {
		t.Errorf("Read = %d, %v; want 5, ErrSizeMismatch", n, err)
	}
}

func TestReaderCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	r := blobio.NewReader(ctx, bytes.NewReader(make([]byte, 100)), -1)
	if _, err := r.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after cancel = %v, want context.Canceled", err)
	}
	if err := blobio.Cause(ctx, r, errors.New("backend")); !errors.Is(err, context.Canceled) {
		t.Errorf("Cause = %v, want context.Canceled", err)
	}
}

func TestCause(t *testing.T) {
	backend := errors.New("backend")
	r := blobio.NewReader(t.Context(), strings.NewReader("x"), -1)
	if err := blobio.Cause(t.Context(), r, backend); err != backend {
		t.Errorf("Cause with a healthy reader = %v, want the backend's error", err)
	}
}

func TestCheckRange(t *testing.T) {
	tests := []struct {
		offset, length int64
		valid          bool
	}{
		{0, -1, true}, {0, 0, true}, {10, 5, true}, {1 << 40, -1, true},
		{-1, 5, false}, {0, -2, false},
	}
	for _, tt := range tests {
		err := blobio.CheckRange(tt.offset, tt.length)
		if got := err == nil; got != tt.valid {
			t.Errorf("CheckRange(%d, %d) = %v, want valid %v", tt.offset, tt.length, err, tt.valid)
		}
		if err != nil && fault.KindOf(err) != fault.Invalid {
			t.Errorf("CheckRange(%d, %d): kind %v, want invalid", tt.offset, tt.length, fault.KindOf(err))
		}
	}
}
