package transcode_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// toneWAV writes seconds of a 440 Hz stereo tone at 44.1 kHz, 16-bit, at peak
// level dBFS.
func toneWAV(path string, seconds, dBFS float64) error {
	const rate = 44100
	n := int(seconds * rate)
	data := make([]byte, 44+4*n)
	copy(data, "RIFF")
	binary.LittleEndian.PutUint32(data[4:], uint32(36+4*n))
	copy(data[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(data[16:], 16)
	binary.LittleEndian.PutUint16(data[20:], 1) // PCM
	binary.LittleEndian.PutUint16(data[22:], 2)
	binary.LittleEndian.PutUint32(data[24:], rate)
	binary.LittleEndian.PutUint32(data[28:], rate*4)
	binary.LittleEndian.PutUint16(data[32:], 4)
	binary.LittleEndian.PutUint16(data[34:], 16)
	copy(data[36:], "data")
	binary.LittleEndian.PutUint32(data[40:], uint32(4*n))
	a := 32767 * math.Pow(10, dBFS/20)
	for i := range n {
		v := uint16(int16(math.Round(a * math.Sin(2*math.Pi*440*float64(i)/rate))))
		binary.LittleEndian.PutUint16(data[44+4*i:], v)
		binary.LittleEndian.PutUint16(data[46+4*i:], v)
	}
	return os.WriteFile(path, data, 0o600)
}

// ExampleFile renders a file already in a job folder into a local folder, as
// `transcode run --out DIR FILE` does.
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
	if err := toneWAV(job.Input(), 5, -20); err != nil {
		fmt.Println(err)
		return
	}
	out, err := os.MkdirTemp("", "transcode-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(out)
	opts := transcode.Options{Targets: []transcode.Target{{Preset: "opus-96"}, {Format: "flac", Channels: 1}}}
	res, err := transcode.File(context.Background(), runner, job, opts, out)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range res.Outputs {
		fmt.Printf("%s: %s in %s, %d Hz, %d ch, %.1f s\n", filepath.Base(o.File), o.Codec, o.Format, o.SampleRate, o.Channels, o.Duration)
	}
	// Output:
	// opus-96.opus: opus in ogg, 48000 Hz, 2 ch, 5.0 s
	// flac-mono.flac: flac in flac, 44100 Hz, 1 ch, 5.0 s
}

// ExampleTranscoder_Transcode renders an object of a blob store at −16 LUFS,
// as the service does for each request.
func ExampleTranscoder_Transcode() {
	dir, err := os.MkdirTemp("", "transcode-example-")
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
	src := filepath.Join(dir, "tone.wav")
	if err := toneWAV(src, 5, -30); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := blob.Upload(context.Background(), store, "acme/uploads/tone", src, blob.PutOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	t := transcode.New(runner, store, 1<<30, nil)
	res, err := t.Transcode(context.Background(), transcode.Request{
		Input:        contract.ObjectRef{Key: "acme/uploads/tone"},
		OutputPrefix: "acme/renditions/tone/",
		Options: transcode.Options{
			Targets:   []transcode.Target{{Preset: "wav-16-48k"}},
			Normalize: &contract.TranscodeNormalize{IntegratedLUFS: -16},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	o := res.Outputs[0]
	fmt.Println(o.Key, o.Codec, o.SampleRate)
	fmt.Printf("%s: %+.1f dB, %.1f LUFS, within %v\n", o.Loudness.Method, o.Loudness.GainDB, *o.Loudness.IntegratedLUFS, o.Loudness.Within)
	// Output:
	// acme/renditions/tone/wav-16-48k.wav pcm_s16le 48000
	// gain: +14.7 dB, -16.0 LUFS, within true
}

// ExampleOptions_Resolve shows presets expanded and default names given, as
// the gateway plans one step per target.
func ExampleOptions_Resolve() {
	opts := transcode.Options{Targets: []transcode.Target{
		{Preset: "podcast"},
		{Preset: "mp3-320", Channels: 1},
		{Format: "opus", BitRate: 64000},
		{Format: "wav", BitDepth: 24, SampleRate: 96000, Name: "master"},
	}}
	targets, err := opts.Resolve()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range targets {
		fmt.Printf("%-12s %-4s %6d bit/s %d ch, normalised %v\n", t.Name, t.Format, t.BitRate, t.Channels, t.Normalize != nil)
	}
	// Output:
	// podcast      mp3   96000 bit/s 1 ch, normalised true
	// mp3-320-mono mp3  320000 bit/s 1 ch, normalised false
	// opus-64k     opus  64000 bit/s 0 ch, normalised false
	// master       wav       0 bit/s 0 ch, normalised false
}
