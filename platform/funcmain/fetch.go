package funcmain

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/endpoint"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// WithInput is the first stage of every function's request: it makes a private
// job folder, downloads the object key into its input file (reported as the
// "download" stage) and runs fn on the job, which is closed afterwards. A missing
// object is a NotFound error naming the key; one larger than maxSize is TooLarge.
func WithInput[R any](ctx context.Context, runner *ffmpeg.Runner, blobs blob.Store, key string, maxSize int64,
	fn func(*ffmpeg.Job) (R, error)) (R, error) {
	var zero R
	job, err := runner.NewJob()
	if err != nil {
		return zero, err
	}
	defer job.Close()
	endpoint.ReportProgress(ctx, endpoint.Progress{Stage: "download", Percent: -1})
	if _, err := blob.Download(ctx, blobs, key, job.Input(), maxSize); err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return zero, fault.Errorf(fault.NotFound, "input object %q not found", key)
		}
		return zero, err
	}
	return fn(job)
}

// DecodeOptions decodes the --options of a local run strictly (see
// [endpoint.Decode]); none means T's zero value.
func DecodeOptions[T any](raw json.RawMessage) (T, error) {
	if len(raw) == 0 {
		var zero T
		return zero, nil
	}
	return endpoint.Decode[T](raw)
}
