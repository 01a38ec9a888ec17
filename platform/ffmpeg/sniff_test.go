package ffmpeg_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// Crafted headers: the smallest byte strings each check must accept.

// frames repeats a frame header, each copy padded with zeros to length bytes.
func frames(header []byte, length, n int) []byte {
	var b []byte
	for range n {
		f := make([]byte, length)
		copy(f, header)
		b = append(b, f...)
	}
	return b
}

var (
	// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
	mp3Header = []byte{0xFF, 0xFB, 0x90, 0x00}
	mp3Frames = frames(mp3Header, 417, 3)
	// MPEG-2 layer II, 64 kbit/s, 22.05 kHz: 417-byte frames.
	mp2Frames = frames([]byte{0xFF, 0xF5, 0x80, 0x00}, 417, 2)
	// AC-3, 48 kHz, frmsizecod 16 (128 kbit/s): 256 words.
	ac3Frames = frames([]byte{0x0B, 0x77, 0, 0, 0x10, 8 << 3}, 512, 2)
	// E-AC-3, frmsiz 255: 512 bytes.
	eac3Frames = frames([]byte{0x0B, 0x77, 0x00, 0xFF, 0x30, 16 << 3}, 512, 2)
	adtsFrames = frames(adtsHeader(300), 300, 2)
	flacHead   = append([]byte("fLaC\x80\x00\x00\x22"), make([]byte, 34)...)
)

// adtsHeader is an ADTS header (AAC LC, 44.1 kHz, stereo) for a frame of n bytes.
func adtsHeader(n int) []byte {
	return []byte{0xFF, 0xF1, 0x50, 0x80 | byte(n>>11)&3, byte(n >> 3), byte(n&7)<<5 | 0x1F, 0xFC}
}

// id3 is an ID3v2.4 tag with size bytes of zeroed frames.
func id3(size int) []byte {
	h := []byte{'I', 'D', '3', 4, 0, 0, byte(size >> 21 & 0x7F), byte(size >> 14 & 0x7F), byte(size >> 7 & 0x7F), byte(size & 0x7F)}
	return append(h, make([]byte, size)...)
}

func oggPage(packet string) []byte {
	b := append([]byte("OggS\x00\x02"), make([]byte, 20)...)
	b = append(b, 1, byte(len(packet)))
	return append(b, packet...)
}

func ebml(docType string) []byte {
	body := append([]byte{0x42, 0x82, 0x80 | byte(len(docType))}, docType...)
	return append(append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x80 | byte(len(body))}, body...), 0x18, 0x53, 0x80, 0x67)
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestSniffAccepts(t *testing.T) {
	w64 := cat([]byte{'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00},
		make([]byte, 8), []byte{'w', 'a', 'v', 'e', 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A})
	asf := []byte{0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C, 0, 0}
	tests := []struct {
		name string
		in   []byte
		want string // Format.Name
	}{
		{"MP3", mp3Frames, "mp3"},
		{"MP3SingleFrameFile", frames(mp3Header, 417, 1), "mp3"},
		{"MP2", mp2Frames, "mp3"},
		{"ID3ThenMP3", cat(id3(100), mp3Frames), "mp3"},
		{"ID3PaddingThenMP3", cat(id3(100), make([]byte, 300), mp3Frames), "mp3"},
		{"TwoID3TagsThenMP3", cat(id3(10), id3(20), mp3Frames), "mp3"},
		{"ID3ThenFLAC", cat(id3(50), flacHead), "flac"},
		{"ID3ThenADTS", cat(id3(50), adtsFrames), "aac"},
		{"FLAC", flacHead, "flac"},
		{"OggVorbis", oggPage("\x01vorbis"), "ogg"},
		{"OggOpus", oggPage("OpusHead"), "ogg"},
		{"WAV", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), "wav"},
		{"RF64", []byte("RF64\xff\xff\xff\xffWAVEds64"), "wav"},
		{"BW64", []byte("BW64\xff\xff\xff\xffWAVEds64"), "wav"},
		{"Wave64", w64, "w64"},
		{"AIFF", []byte("FORM\x00\x00\x00\x00AIFFCOMM"), "aiff"},
		{"AIFC", []byte("FORM\x00\x00\x00\x00AIFCFVER"), "aiff"},
		{"M4A", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), "mov"},
		{"MP4", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00"), "mov"},
		{"3GP", []byte("\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00"), "mov"},
		{"QuickTime", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), "mov"},
		{"Matroska", ebml("matroska"), "matroska"},
		{"WebM", ebml("webm"), "matroska"},
		{"ADTS", adtsFrames, "aac"},
		{"AC3", ac3Frames, "ac3"},
		{"EAC3", eac3Frames, "eac3"},
		{"WavPack", cat([]byte("wvpk\x00\x01\x00\x00"), le16(0x410)), "wv"},
		{"CAF", []byte("caff\x00\x01\x00\x00desc"), "caf"},
		{"AU", []byte(".snd\x00\x00\x00\x18\xff\xff\xff\xff"), "au"},
		{"AMRNB", []byte("#!AMR\n\x3c\x00"), "amr"},
		{"AMRWB", []byte("#!AMR-WB\n\x04"), "amr"},
		{"ASF", asf, "asf"},
		{"APE", cat([]byte("MAC "), le16(3990)), "ape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ffmpeg.Sniff(tt.in)
			if err != nil {
				t.Fatalf("Sniff: %v", err)
			}
			if f.Name != tt.want || f.Description == "" || f.MIMEType == "" {
				t.Errorf("Sniff = %+v, want Name %q with a description and MIME type", f, tt.want)
			}
			if !slices.Contains(ffmpeg.Demuxers(), f.Name) {
				t.Errorf("Name %q is not in Demuxers()", f.Name)
			}
		})
	}
}

func TestSniffRejects(t *testing.T) {
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name      string
		in        []byte
		wantCause error
		wantMsg   string
	}{
		{"Empty", nil, ffmpeg.ErrEmpty, "empty file"},
		{"Text", []byte("Dear diary,\ntoday I uploaded a text file.\n"), ffmpeg.ErrText, "text file, not audio"},
		{"UTF16Text", cat([]byte{0xFF, 0xFE}, []byte("h\x00i\x00\n\x00")), ffmpeg.ErrText, "text file, not audio"},
		{"HLS", []byte("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nseg0.ts\n"), ffmpeg.ErrPlaylist, "HLS playlist, not audio"},
		{"HLSWithBOM", []byte("\xEF\xBB\xBF#EXTM3U\n#EXT-X-TARGETDURATION:4\n"), ffmpeg.ErrPlaylist, "HLS playlist, not audio"},
		{"M3U", []byte("#EXTM3U\n#EXTINF:-1,Radio\nhttp://radio.example/stream\n"), ffmpeg.ErrPlaylist, "M3U playlist, not audio"},
		{"BareM3U", []byte("music/a.mp3\nmusic/b.mp3\n"), ffmpeg.ErrPlaylist, "M3U playlist, not audio"},
		{"FFconcat", []byte("ffconcat version 1.0\nfile 'a.wav'\n"), ffmpeg.ErrPlaylist, "ffconcat script, not audio"},
		{"ConcatWithoutHeader", []byte("file '/etc/passwd'\n"), ffmpeg.ErrPlaylist, "ffconcat script, not audio"},
		{"PLS", []byte("[playlist]\nFile1=http://x/y\n"), ffmpeg.ErrPlaylist, "PLS playlist, not audio"},
		{"XSPF", []byte(`<?xml version="1.0"?><playlist version="1" xmlns="http://xspf.org/ns/0/">`), ffmpeg.ErrPlaylist, "XSPF playlist, not audio"},
		{"ASX", []byte(`<ASX version="3.0"><Entry><Ref href="http://x"/></Entry></ASX>`), ffmpeg.ErrPlaylist, "ASX playlist, not audio"},
		{"DASH", []byte(`<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011">`), ffmpeg.ErrPlaylist, "DASH manifest, not audio"},
		{"SDP", []byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nm=audio 5004 RTP/AVP 96\r\n"), ffmpeg.ErrPlaylist, "SDP session description, not audio"},
		{"HTML", []byte("<!DOCTYPE html>\n<html><head><title>404</title></head></html>"), ffmpeg.ErrText, "HTML page, not audio"},
		{"XML", []byte("<?xml version='1.0'?><note>hi</note>"), ffmpeg.ErrText, "XML document, not audio"},
		{"MIDI", []byte("MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk"), ffmpeg.ErrMIDI, "MIDI is not audio: it holds notes, not sound"},
		{"RIFFMIDI", []byte("RIFF\x00\x00\x00\x00RMIDdata"), ffmpeg.ErrMIDI, "MIDI is not audio: it holds notes, not sound"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), ffmpeg.ErrNotAudio, "PNG image, not audio"},
		{"JPEG", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), ffmpeg.ErrNotAudio, "JPEG image, not audio"},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00"), ffmpeg.ErrNotAudio, "GIF image, not audio"},
		{"WebP", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), ffmpeg.ErrNotAudio, "WebP image, not audio"},
		{"HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), ffmpeg.ErrNotAudio, "HEIF/AVIF image, not audio"},
		{"PDF", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), ffmpeg.ErrNotAudio, "PDF document, not audio"},
		{"ZIP", []byte("PK\x03\x04\x14\x00\x00\x00"), ffmpeg.ErrNotAudio, "ZIP archive, not audio"},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00"), ffmpeg.ErrNotAudio, "executable, not audio"},
		{"AVI", []byte("RIFF\x00\x00\x00\x00AVI LIST"), ffmpeg.ErrUnsupportedFormat, "unsupported container: AVI"},
		{"FLV", []byte("FLV\x01\x05\x00\x00\x00\x09"), ffmpeg.ErrUnsupportedFormat, "unsupported container: FLV"},
		{"MPEGTS", frames([]byte{0x47, 0x40, 0x00, 0x10}, 188, 4), ffmpeg.ErrUnsupportedFormat, "unsupported container: MPEG transport stream"},
		{"EBMLOther", ebml("foo"), ffmpeg.ErrUnsupportedFormat, "unsupported container: EBML document that is not Matroska or WebM"},
		{"Random", random, ffmpeg.ErrUnsupportedFormat, "unsupported container"},
		{"Zeros", make([]byte, 1000), ffmpeg.ErrUnsupportedFormat, "unsupported container"},
		{"MP3HeaderThenGarbage", cat(mp3Header, random), ffmpeg.ErrUnsupportedFormat, "unsupported container"},
		{"MP3FramesOfDifferentRates", cat(frames(mp3Header, 417, 1), frames([]byte{0xFF, 0xFB, 0x94, 0x00}, 400, 1)), ffmpeg.ErrUnsupportedFormat, "unsupported container"},
		{"ADTSHeaderOnly", cat(adtsHeader(300), make([]byte, 400)), ffmpeg.ErrUnsupportedFormat, "unsupported container"},
		{"ID3Only", id3(100), ffmpeg.ErrUnsupportedFormat, "unsupported container: ID3 tag without audio"},
		{"ID3ThenText", cat(id3(20), []byte("hello there\n")), ffmpeg.ErrUnsupportedFormat, "unsupported container: ID3 tag not followed by MP3, FLAC, AAC or AC-3 audio"},
		{"BadAPEVersion", cat([]byte("MAC "), le16(5000)), ffmpeg.ErrUnsupportedFormat, "unsupported container"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ffmpeg.Sniff(tt.in)
			if err == nil {
				t.Fatalf("Sniff = %+v, want an error", f)
			}
			if !errors.Is(err, tt.wantCause) {
				t.Errorf("Sniff error %v, want cause %v", err, tt.wantCause)
			}
			wantKind := fault.Unsupported
			if tt.wantCause == ffmpeg.ErrEmpty {
				wantKind = fault.Invalid
			}
			if got := fault.KindOf(err); got != wantKind {
				t.Errorf("kind = %v, want %v", got, wantKind)
			}
			if got := fault.Message(err); got != tt.wantMsg {
				t.Errorf("message = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

// TestSniffRealFiles sniffs files made by ffmpeg in every accepted container,
// plus an MP3 with cover art and a FLAC file behind an ID3 tag larger than
// HeadSize, which only SniffFile can see past.
func TestSniffRealFiles(t *testing.T) {
	dir := t.TempDir()
	for _, tf := range testFormats {
		t.Run(tf.file, func(t *testing.T) {
			f, err := ffmpeg.SniffFile(makeSine(t, dir, tf.file, tf.args...))
			if err != nil {
				t.Fatal(err)
			}
			if f.Name != tf.demuxer {
				t.Errorf("Name = %q (%s), want %q", f.Name, f.Description, tf.demuxer)
			}
		})
	}
	t.Run("BigID3ThenFLAC", func(t *testing.T) {
		flac, err := os.ReadFile(makeSine(t, dir, "id3.flac"))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "big-id3.flac")
		if err := os.WriteFile(path, cat(id3(3*ffmpeg.HeadSize), flac), 0o600); err != nil {
			t.Fatal(err)
		}
		if f, err := ffmpeg.SniffFile(path); err != nil || f.Name != "flac" {
			t.Errorf("SniffFile = %+v, %v; want flac", f, err)
		}
		head := cat(id3(3*ffmpeg.HeadSize), flac)[:ffmpeg.HeadSize]
		if _, err := ffmpeg.Sniff(head); fault.KindOf(err) != fault.Unsupported {
			t.Errorf("Sniff of the head alone: %v, want Unsupported", err)
		}
	})
	t.Run("Directory", func(t *testing.T) {
		if _, err := ffmpeg.SniffFile(dir); fault.KindOf(err) != fault.Invalid {
			t.Errorf("SniffFile(dir) = %v, want Invalid", err)
		}
	})
}
