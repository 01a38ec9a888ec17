package funcmain

import (
	"context"
	"errors"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// FetchInput downloads the object key into job's input file, the first stage of
// every function's request, reporting it as the "download" stage. A missing object
// is a NotFound error naming the key; one larger than maxSize is TooLarge.
func FetchInput(ctx context.Context, blobs blob.Store, key string, job *ffmpeg.Job, maxSize int64) error {
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "download", Percent: -1})
	if _, err := blob.Download(ctx, blobs, key, job.Input(), maxSize); err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return fault.Errorf(fault.NotFound, "input object %q not found", key)
		}
		return err
	}
	return nil
}
