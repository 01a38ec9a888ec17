package blob_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func ExampleValidateKey() {
	for _, key := range []string{"t/42/j/7/input.wav", "../etc/passwd", "a//b"} {
		err := blob.ValidateKey(key)
		fmt.Printf("%-20s valid=%v invalid-kind=%v\n", key, err == nil, fault.KindOf(err) == fault.Invalid)
	}
	// Output:
	// t/42/j/7/input.wav   valid=true invalid-kind=false
	// ../etc/passwd        valid=false invalid-kind=true
	// a//b                 valid=false invalid-kind=true
}

func ExamplePutOptions_Validate() {
	ok := blob.PutOptions{ContentType: "audio/flac", Metadata: map[string]string{"job-id": "7"}}
	bad := blob.PutOptions{Metadata: map[string]string{"Job_ID": "7"}}
	fmt.Println(ok.Validate())
	fmt.Println(fault.Message(bad.Validate()))
	// Output:
	// <nil>
	// blob: metadata key "Job_ID" is not a lowercase name
}

// Upload a local file, then Download it into a private working folder with a
// size limit, as a function does before running ffmpeg on it.
func ExampleDownload() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := fileblob.New(filepath.Join(dir, "store"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	src := filepath.Join(dir, "take1.wav")
	if err := os.WriteFile(src, []byte("RIFF and some samples"), 0o600); err != nil {
		log.Fatal(err)
	}
	if _, err := blob.Upload(ctx, store, "t/42/j/7/input.wav", src, blob.PutOptions{ContentType: "audio/wav"}); err != nil {
		log.Fatal(err)
	}

	info, err := blob.Download(ctx, store, "t/42/j/7/input.wav", filepath.Join(dir, "input.wav"), 1<<20)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Size, info.ContentType)

	_, err = blob.Download(ctx, store, "t/42/j/7/input.wav", filepath.Join(dir, "small.wav"), 10)
	fmt.Println(errors.Is(err, blob.ErrTooLarge), fault.KindOf(err))
	// Output:
	// 21 audio/wav
	// true too_large
}

func ExampleUpload() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := fileblob.New(filepath.Join(dir, "store"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	out := filepath.Join(dir, "out.mp3")
	if err := os.WriteFile(out, []byte("ID3 encoded frames"), 0o600); err != nil {
		log.Fatal(err)
	}
	info, err := blob.Upload(ctx, store, "t/42/j/7/out/128k.mp3", out, blob.PutOptions{ContentType: "audio/mpeg"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Key, info.Size, info.ContentType)
	// Output:
	// t/42/j/7/out/128k.mp3 18 audio/mpeg
}
