package loudness_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/phantomchain/phantomchain/functions/loudness"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/funcmain"
)

// ExampleFile measures a file already in a job folder, as local invocation does.
func ExampleFile() {
	runner, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	job, err := runner.NewJob()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer job.Close()
	// 10 s of a 1 kHz stereo sine at −23 dBFS: EBU Tech 3341's first test signal.
	if err := writeWAV(job.Input(), 48000, 2, stereoSine(10, 48000, 1000, -23)); err != nil {
		fmt.Println(err)
		return
	}
	res, err := loudness.File(context.Background(), runner, job, contract.LoudnessOptions{Targets: []string{"ebu_r128"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("I %.1f LUFS, LRA %.1f LU, true peak %.1f dBTP\n", *res.IntegratedLUFS, *res.RangeLU, *res.TruePeakDBTP)
	fmt.Println(res.Compliance[0].Title, res.Compliance[0].Pass)
	// Output:
	// I -23.0 LUFS, LRA 0.0 LU, true peak -23.0 dBTP
	// EBU R 128 true
}

// ExampleMeasurer_Measure measures an object in a blob store, as the service does
// for each request.
func ExampleMeasurer_Measure() {
	dir, err := os.MkdirTemp("", "loudness-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	store, err := fileblob.New(filepath.Join(dir, "blobs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	runner, err := ffmpeg.New(ffmpeg.Config{WorkDir: filepath.Join(dir, "work")})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 300 ms is shorter than the 400 ms gating block.
	short := filepath.Join(dir, "blip.wav")
	if err := writeWAV(short, 44100, 2, stereoSine(0.3, 44100, 1000, -20)); err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := blob.Upload(ctx, store, "uploads/blip.wav", short, blob.PutOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	m := loudness.New(runner, store, 1<<30)
	res, err := m.Measure(ctx, loudness.Request{Input: contract.ObjectRef{Key: "uploads/blip.wav"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("integrated:", res.IntegratedLUFS, res.IntegratedReason)
	fmt.Printf("sample peak: %.1f dBFS over %.1f s\n", *res.SamplePeakDBFS, res.DurationS)
	// Output:
	// integrated: <nil> too_short
	// sample peak: -20.0 dBFS over 0.3 s
}

// ExampleSpec runs the loudness command once on a local file, as
// `loudness run --options '{"targets":["podcast"]}' FILE` does.
func ExampleSpec() {
	dir, err := os.MkdirTemp("", "loudness-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "episode.wav")
	if err := writeWAV(path, 44100, 2, stereoSine(8, 44100, 1000, -16)); err != nil {
		fmt.Println(err)
		return
	}
	args := []string{"run", "--options", `{"targets":["podcast"]}`, path}
	code := funcmain.Main(context.Background(), loudness.Spec("1.0.0"), args, os.Getenv, os.Stdout, os.Stdout)
	fmt.Println("exit", code)
	// Output:
	// {
	//   "integrated_lufs": -15.99,
	//   "integrated_gate_lufs": -25.99,
	//   "range_lu": 0,
	//   "range_low_lufs": -15.99,
	//   "range_high_lufs": -15.99,
	//   "range_gate_lufs": -35.99,
	//   "max_momentary_lufs": -15.99,
	//   "max_short_term_lufs": -15.99,
	//   "true_peak_dbtp": -15.99,
	//   "sample_peak_dbfs": -16,
	//   "duration_s": 8,
	//   "sample_rate_hz": 44100,
	//   "channels": 2,
	//   "channel_layout": "unknown",
	//   "channel_weights": [
	//     1,
	//     1
	//   ],
	//   "compliance": [
	//     {
	//       "target": "podcast",
	//       "title": "Podcast",
	//       "source": "Apple Podcasts for Creators, Audio requirements (−16 LKFS ±1 dB, −1 dBTP)",
	//       "target_lufs": -16,
	//       "tolerance_lu": 1,
	//       "max_true_peak_dbtp": -1,
	//       "pass": true,
	//       "reason": "-16.0 LUFS is within -16 ± 1 LU; true peak -16.0 dBTP is within -1 dBTP"
	//     }
	//   ]
	// }
	// exit 0
}
