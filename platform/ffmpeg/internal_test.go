package ffmpeg

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestProgressWriter(t *testing.T) {
	out := "bitrate=N/A\ntotal_size=253\nout_time_us=-9223372036854775807\nout_time_ms=N/A\n" +
		"speed=N/A\nprogress=continue\n" +
		"total_size=480906\nout_time_us=1500000\nspeed= 169x\nprogress=continue\n" +
		"out_time_us=1400000\nspeed=1.5x\nprogress=continue\n" + // a step back is not reported
		"junk=" + string(bytes.Repeat([]byte("x"), 2*maxProgressLine)) + "\n" +
		"out_time_ms=2000000\nspeed=170x\nprogress=end\n"
	want := []Progress{
		{Size: 253},
		{Processed: 1500 * time.Millisecond, Speed: 169, Size: 480906},
		{Processed: 1500 * time.Millisecond, Speed: 1.5, Size: 480906},
		{Processed: 2 * time.Second, Speed: 170, Size: 480906},
		{Processed: 2 * time.Second, Speed: 170, Size: 480906, Done: true},
	}
	// Any split of the stream into writes gives the same reports.
	for _, chunk := range []int{1, 7, 64, len(out)} {
		var got []Progress
		pw := newProgressWriter(func(p Progress) { got = append(got, p) })
		for b := []byte(out); len(b) > 0; {
			n := min(chunk, len(b))
			if _, err := pw.Write(b[:n]); err != nil {
				t.Fatal(err)
			}
			b = b[n:]
		}
		pw.finish()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chunk %d: reports (-want +got):\n%s", chunk, diff)
		}
	}
}

func TestParseProbe(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		p, err := parseProbe([]byte(`{"streams":[{"index":0,"codec_type":"audio","codec_name":"mp3",
			"sample_rate":"44100","channels":2,"bit_rate":"128000","duration":"1.044898",
			"disposition":{"default":1,"attached_pic":0},"tags":{"encoder":"x"}},
			{"index":1,"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":1}}],
			"format":{"format_name":"mp3","duration":"1.044898","size":"19165","bit_rate":"N/A","tags":{"title":"T"}}}`))
		if err != nil {
			t.Fatal(err)
		}
		want := &ProbeData{
			Format: ProbeFormat{FormatName: "mp3", Duration: 1044898 * time.Microsecond, Size: 19165, Tags: map[string]string{"title": "T"}},
			Streams: []Stream{
				{Index: 0, CodecType: "audio", CodecName: "mp3", SampleRate: 44100, Channels: 2, BitRate: 128000,
					Duration: 1044898 * time.Microsecond, Default: true, Tags: map[string]string{"encoder": "x"}},
				{Index: 1, CodecType: "video", CodecName: "mjpeg", AttachedPic: true},
			},
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("parseProbe (-want +got):\n%s", diff)
		}
		if !p.HasCoverArt() || p.HasVideo() {
			t.Errorf("HasCoverArt = %v, HasVideo = %v", p.HasCoverArt(), p.HasVideo())
		}
	})
	for name, in := range map[string]string{
		"NotJSON":          `ffprobe said no`,
		"BadSize":          `{"format":{"size":"12x"}}`,
		"NegativeDuration": `{"format":{"duration":"-1"}}`,
		"HugeDuration":     `{"streams":[{"duration":"1e300"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseProbe([]byte(in)); err == nil {
				t.Errorf("parseProbe(%s) succeeded", in)
			}
		})
	}
}

func TestWAVStripper(t *testing.T) {
	// The header ffmpeg 5.1 writes to a pipe for stereo pcm_f32le:
	// WAVE_FORMAT_EXTENSIBLE, unknown sizes, a LIST chunk before the data.
	hdr := []byte("RIFF\xff\xff\xff\xffWAVEfmt \x28\x00\x00\x00\xfe\xff\x02\x00\x44\xac\x00\x00\x20\x62\x05\x00" +
		"\x08\x00\x20\x00\x16\x00\x20\x00\x03\x00\x00\x00\x03\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71" +
		"LIST\x04\x00\x00\x00INFO" + "data\xff\xff\xff\xff")
	samples := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 100)
	t.Run("OK", func(t *testing.T) {
		for _, chunk := range []int{1, 13, len(hdr) + len(samples)} {
			var out bytes.Buffer
			s := &wavStripper{out: &out, wantTag: 3, wantBits: 32}
			for b := append(append([]byte(nil), hdr...), samples...); len(b) > 0; {
				n := min(chunk, len(b))
				if _, err := s.Write(b[:n]); err != nil {
					t.Fatal(err)
				}
				b = b[n:]
			}
			if !bytes.Equal(out.Bytes(), samples) || s.n != int64(len(samples)) {
				t.Errorf("chunk %d: passed on %d bytes, want the %d sample bytes", chunk, out.Len(), len(samples))
			}
			if want := (wavHeader{channels: 2, rate: 44100, blockAlign: 8}); s.hdr != want {
				t.Errorf("header = %+v, want %+v", s.hdr, want)
			}
		}
	})
	t.Run("WrongFormat", func(t *testing.T) {
		s := &wavStripper{out: &bytes.Buffer{}, wantTag: 1, wantBits: 16}
		if _, err := s.Write(hdr); !errors.Is(err, errBadWAV) {
			t.Errorf("Write = %v, want errBadWAV", err)
		}
	})
	t.Run("NotWAV", func(t *testing.T) {
		s := &wavStripper{out: &bytes.Buffer{}, wantTag: 3, wantBits: 32}
		if _, err := s.Write([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00")); !errors.Is(err, errBadWAV) {
			t.Errorf("Write = %v, want errBadWAV", err)
		}
	})
}
