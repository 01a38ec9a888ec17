package ffmpeg_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

func ExampleSniff() {
	f, err := ffmpeg.Sniff([]byte("fLaC\x80\x00\x00\x22" + strings.Repeat("\x00", 34)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, f.MIMEType)
	// Output: flac audio/flac
}

func ExampleSniff_rejected() {
	_, err := ffmpeg.Sniff([]byte("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nhttp://example.com/0.ts\n"))
	fmt.Println(fault.KindOf(err), fault.Message(err))
	// Output: unsupported HLS playlist, not audio
}

func ExampleSniffFile() {
	path := filepath.Join(os.TempDir(), "example.wav")
	defer os.Remove(path)
	if err := os.WriteFile(path, []byte("RIFF\x24\x00\x00\x00WAVEfmt "), 0o600); err != nil {
		log.Fatal(err)
	}
	f, err := ffmpeg.SniffFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name)
	// Output: wav
}

// A job holds one untrusted input under a fixed name; Decode sniffs it, then
// streams the first audio stream as PCM.
func ExampleRunner_Decode() {
	r, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	job, err := r.NewJob()
	if err != nil {
		log.Fatal(err)
	}
	defer job.Close()
	upload, err := os.Open("upload.bin") // from the blob store in real use
	if err != nil {
		log.Fatal(err)
	}
	defer upload.Close()
	if _, err := job.WriteInput(upload); err != nil {
		log.Fatal(err)
	}
	st, err := r.Decode(context.Background(), job, ffmpeg.DecodeOptions{SampleRate: 44100, Channels: 2}, io.Discard)
	if err != nil {
		log.Fatal(fault.Message(err))
	}
	fmt.Printf("%d frames, %v\n", st.Frames, st.Duration)
}

func ExampleRunner_Probe() {
	r, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	job, err := r.NewJob()
	if err != nil {
		log.Fatal(err)
	}
	defer job.Close()
	if _, err := job.WriteInput(strings.NewReader("...the uploaded bytes...")); err != nil {
		log.Fatal(err)
	}
	p, err := r.Probe(context.Background(), job)
	if err != nil {
		log.Fatal(fault.Message(err)) // here: "text file, not audio"
	}
	if a, ok := p.Audio(); ok {
		fmt.Println(a.CodecName, a.SampleRate, a.Channels, p.HasCoverArt())
	}
}

func ExampleRunner_Encode() {
	r, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	job, err := r.NewJob()
	if err != nil {
		log.Fatal(err)
	}
	defer job.Close()
	// ... job.WriteInput(upload) ...
	err = r.Encode(context.Background(), job, ffmpeg.EncodeArgs{
		Output:  "rendition.mp3",
		Options: []string{"-c:a", "libmp3lame", "-b:a", "192k", "-map", "0:v?", "-c:v", "copy", "-id3v2_version", "3"},
	}, func(p ffmpeg.Progress) {
		log.Printf("encoded %v at %.0fx (done %v)", p.Processed, p.Speed, p.Done)
	})
	if err != nil {
		log.Fatal(err)
	}
	out, _ := job.Path("rendition.mp3")
	fmt.Println(out)
}

func ExampleRunner_Measure() {
	r, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	job, err := r.NewJob()
	if err != nil {
		log.Fatal(err)
	}
	defer job.Close()
	// ... job.WriteInput(upload) ...
	stderr, err := r.Measure(context.Background(), job, ffmpeg.MeasureArgs{Filter: "loudnorm=print_format=json"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	// loudnorm prints its JSON summary last.
	if i := strings.LastIndex(string(stderr), "{"); i >= 0 {
		fmt.Println(string(stderr[i:]))
	}
}
