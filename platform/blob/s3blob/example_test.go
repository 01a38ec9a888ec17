package s3blob_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
)

// New needs a running server, so this example is compiled but not run.
func ExampleNew() {
	ctx := context.Background()
	s, err := s3blob.New(ctx, s3blob.Config{
		Endpoint:        "minio:9000",
		AccessKey:       "phantom",
		SecretKey:       "phantom-secret",
		Bucket:          "phantom",
		CreateBucket:    true,
		PresignEndpoint: "localhost:9000", // what browsers outside docker compose reach
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		log.Fatal(err)
	}
	body := strings.NewReader("ID3 encoded frames")
	if _, err := s.Put(ctx, "t/42/j/7/out/128k.mp3", body, -1, blob.PutOptions{ContentType: "audio/mpeg"}); err != nil {
		log.Fatal(err)
	}
	url, err := s.PresignGet(ctx, "t/42/j/7/out/128k.mp3", 15*time.Minute, "My Song.mp3")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(url)
}
