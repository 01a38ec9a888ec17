package fileblob_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
)

// newExampleStore returns a store in a new temporary folder and a function that
// removes it.
func newExampleStore() (*fileblob.Store, func()) {
	dir, err := os.MkdirTemp("", "fileblob-example")
	if err != nil {
		log.Fatal(err)
	}
	s, err := fileblob.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	return s, func() { s.Close(); os.RemoveAll(dir) }
}

func ExampleNew() {
	parent, err := os.MkdirTemp("", "fileblob-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(parent)
	s, err := fileblob.New(filepath.Join(parent, "blobs")) // created, mode 0700
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Println(s.Ping(context.Background()))
	// Output: <nil>
}

func ExampleStore_Put() {
	s, done := newExampleStore()
	defer done()
	ctx := context.Background()

	// A stream of unknown length, e.g. an upload without Content-Length.
	body := io.MultiReader(strings.NewReader("RIFF"), strings.NewReader("....WAVE"))
	info, err := s.Put(ctx, "t/42/j/7/input.wav", body, -1, blob.PutOptions{
		ContentType: "audio/wav",
		Metadata:    map[string]string{"original-name": "take 1.wav"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Size, info.ContentType, info.Metadata["original-name"])
	fmt.Println("etag is hex SHA-256:", len(info.ETag) == 64)
	// Output:
	// 12 audio/wav take 1.wav
	// etag is hex SHA-256: true
}

func ExampleStore_Get() {
	s, done := newExampleStore()
	defer done()
	ctx := context.Background()
	if _, err := s.Put(ctx, "notes/a.txt", strings.NewReader("hello"), 5, blob.PutOptions{ContentType: "text/plain"}); err != nil {
		log.Fatal(err)
	}

	rc, info, err := s.Get(ctx, "notes/a.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s\n", b, info.ContentType)

	_, _, err = s.Get(ctx, "notes/missing.txt")
	fmt.Println(errors.Is(err, blob.ErrNotFound))
	// Output:
	// hello text/plain
	// true
}

func ExampleStore_GetRange() {
	s, done := newExampleStore()
	defer done()
	ctx := context.Background()
	if _, err := s.Put(ctx, "abc", strings.NewReader("abcdefghij"), 10, blob.PutOptions{}); err != nil {
		log.Fatal(err)
	}
	for _, r := range [][2]int64{{2, 3}, {7, -1}, {8, 100}, {20, 1}} {
		rc, err := s.GetRange(ctx, "abc", r[0], r[1])
		if err != nil {
			log.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		fmt.Printf("%d,%d: %q\n", r[0], r[1], b)
	}
	// Output:
	// 2,3: "cde"
	// 7,-1: "hij"
	// 8,100: "ij"
	// 20,1: ""
}

func ExampleStore_List() {
	s, done := newExampleStore()
	defer done()
	ctx := context.Background()
	for _, key := range []string{"j/7/out/b.mp3", "j/7/input.wav", "j/8/input.wav", "j/7/out/a.flac"} {
		if _, err := s.Put(ctx, key, strings.NewReader(key), int64(len(key)), blob.PutOptions{}); err != nil {
			log.Fatal(err)
		}
	}
	for info, err := range s.List(ctx, "j/7/") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(info.Key, info.Size)
	}
	// Output:
	// j/7/input.wav 13
	// j/7/out/a.flac 14
	// j/7/out/b.mp3 13
}

func ExampleStore_Delete() {
	s, done := newExampleStore()
	defer done()
	ctx := context.Background()
	if _, err := s.Put(ctx, "tmp/x", strings.NewReader("x"), 1, blob.PutOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Delete(ctx, "tmp/x"))
	fmt.Println(s.Delete(ctx, "tmp/x")) // already gone: not an error
	_, err := s.Stat(ctx, "tmp/x")
	fmt.Println(errors.Is(err, blob.ErrNotFound))
	// Output:
	// <nil>
	// <nil>
	// true
}

func ExampleStore_PresignGet() {
	s, done := newExampleStore()
	defer done()
	_, err := s.PresignGet(context.Background(), "t/42/out.mp3", 15*time.Minute, "out.mp3")
	if errors.Is(err, blob.ErrPresignUnsupported) {
		fmt.Println("stream it through the gateway instead")
	}
	// Output: stream it through the gateway instead
}
