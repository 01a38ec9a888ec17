package ffmpeg_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// TestEncodeBitexact checks that "-fflags +bitexact" makes encodes
// reproducible: without it the Ogg muxer picks a random stream serial number,
// so encoding the same input twice gives different files.
func TestEncodeBitexact(t *testing.T) {
	r := newRunner(t, ffmpeg.Config{})
	wav := makeSine(t, t.TempDir(), "sine.wav")
	encode := func(opts ...string) []byte {
		t.Helper()
		job := newJobFile(t, r, wav)
		err := r.Encode(context.Background(), job, ffmpeg.EncodeArgs{Output: "out.ogg", Options: append([]string{"-c:a", "libvorbis"}, opts...)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		path, _ := job.Path("out.ogg")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if a, b := encode("-fflags", "+bitexact"), encode("-fflags", "+bitexact"); !bytes.Equal(a, b) {
		t.Error("two bitexact encodes of the same input differ")
	}
	if a, b := encode(), encode(); bytes.Equal(a, b) {
		t.Error("two encodes without bitexact are identical: the test no longer shows what the flag does")
	}
	job := newJobFile(t, r, wav)
	err := r.Encode(context.Background(), job, ffmpeg.EncodeArgs{Output: "out.ogg", Options: []string{"-c:a", "libvorbis", "-fflags", "+genpts"}}, nil)
	if fault.KindOf(err) != fault.Invalid {
		t.Errorf("-fflags +genpts: err = %v, want invalid", err)
	}
}
