package ffmpeg

import (
	"slices"
	"strconv"
	"strings"
)

// audioDecoders is the -codec_whitelist of every run: ffmpeg's native decoders
// for the codecs the accepted containers carry. Names are decoder names as
// `ffmpeg -decoders` lists them (ffmpeg 5.1), not codec names: MP3 is decoded by
// mp3float, MP2 by mp2float. libopus and libvorbis are left out because ffmpeg
// picks its native opus and vorbis decoders.
var audioDecoders = []string{
	"mp1", "mp1float", "mp2", "mp2float", "mp3", "mp3float",
	"aac", "aac_fixed", "aac_latm", "als", "alac", "flac", "vorbis", "opus", "speex",
	"wavpack", "ape", "tta", "ac3", "ac3_fixed", "eac3", "truehd", "mlp", "dca",
	"amrnb", "amrwb", "wmav1", "wmav2", "wmapro", "wmalossless",
	"adpcm_ms", "adpcm_ima_wav", "adpcm_ima_qt", "gsm_ms",
	"pcm_alaw", "pcm_mulaw", "pcm_s8", "pcm_u8",
	"pcm_s16le", "pcm_s16be", "pcm_u16le", "pcm_u16be",
	"pcm_s24le", "pcm_s24be", "pcm_u24le", "pcm_u24be",
	"pcm_s32le", "pcm_s32be", "pcm_u32le", "pcm_u32be", "pcm_s64le", "pcm_s64be",
	"pcm_f16le", "pcm_f24le", "pcm_f32le", "pcm_f32be", "pcm_f64le", "pcm_f64be",
}

// coverDecoders are added to the whitelist when an encode copies cover art:
// ffmpeg 5.1 learns a picture's size only by decoding it in
// avformat_find_stream_info, and muxers refuse a picture without one.
var coverDecoders = []string{"mjpeg", "png"}

// probeVideoDecoders and probeSubtitleDecoders are whitelisted for ffprobe's
// non-audio streams only. ffprobe 5.1 opens a decoder for every stream and exits
// when one is refused; with the container-level whitelist still audio-only, these
// decoders are initialised but never given a packet.
var (
	probeVideoDecoders = []string{"mjpeg", "png", "bmp", "gif", "webp", "tiff",
		"h264", "hevc", "mpeg4", "mpeg1video", "mpeg2video", "vp8", "vp9", "av1", "libdav1d", "theora"}
	probeSubtitleDecoders = []string{"subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"}
)

// AudioDecoders returns the decoders ffmpeg may use on inputs, in the order of
// the -codec_whitelist.
func AudioDecoders() []string { return slices.Clone(audioDecoders) }

// inputArgs returns ffmpeg's global and input options for the job's input in
// format f; loglevel is "error" unless stderr carries a result.
func (r *Runner) inputArgs(f Format, loglevel string, lenient bool, decoders []string) []string {
	threads := strconv.Itoa(r.cfg.Threads)
	args := []string{"-nostdin", "-hide_banner", "-nostats", "-loglevel", loglevel}
	if !lenient {
		args = append(args, "-xerror")
	}
	return append(args,
		"-filter_threads", threads,
		"-protocol_whitelist", "file",
		"-format_whitelist", f.Name,
		"-codec_whitelist", strings.Join(decoders, ","),
		"-threads", threads,
		"-f", f.Name,
		"-i", "file:"+InputName,
	)
}

// filters may appear in -af graphs given to Encode and Measure. None of them
// reads or writes files.
var filters = []string{
	"acompressor", "aformat", "afade", "alimiter", "apad", "aresample", "asetnsamples",
	"asetpts", "astats", "atrim", "bandpass", "dynaudnorm", "ebur128", "equalizer",
	"highpass", "loudnorm", "lowpass", "pan", "replaygain", "silencedetect",
	"silenceremove", "volume", "volumedetect",
}

// Filters returns the names of the filters allowed in filter graphs.
func Filters() []string { return slices.Clone(filters) }

// validFilter checks a filter graph: a comma-separated chain of allowed filters,
// each optionally followed by "=" and arguments made of letters, digits and
// ._:=+-*|/() characters. Quotes, escapes, labels, ';' and white space are
// refused, so a graph is always one linear chain.
func validFilter(graph string) bool {
	if graph == "" || len(graph) > 2048 {
		return false
	}
	for f := range strings.SplitSeq(graph, ",") {
		name, args, _ := strings.Cut(f, "=")
		if !slices.Contains(filters, name) {
			return false
		}
		for _, c := range args {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				strings.ContainsRune("._:=+-*|/()", c)) {
				return false
			}
		}
	}
	return true
}
