// Package ffmpeg runs ffmpeg and ffprobe on untrusted media. Every byte of an
// upload reaches ffmpeg through this package, which layers these defences:
//
//  1. Magic bytes first. [Sniff] identifies the container in pure Go before ffmpeg
//     sees the file. Only these are accepted, each mapped to the one demuxer that
//     reads it: MP3/MP2/MP1 ("mp3"), FLAC ("flac"), Ogg ("ogg"), WAV/RF64/BW64
//     ("wav"), Wave64 ("w64"), AIFF/AIFC ("aiff"), MP4/M4A/3GP/MOV ("mov"),
//     Matroska/WebM ("matroska"), ADTS AAC ("aac"), AC-3 ("ac3"), E-AC-3 ("eac3"),
//     WavPack ("wv"), CAF ("caf"), Sun AU ("au"), AMR ("amr"), ASF/WMA ("asf") and
//     Monkey's Audio ("ape"). ID3v2 tags may precede MP3, FLAC, ADTS and AC-3.
//     Raw frame streams (MP3, ADTS, AC-3) need two consecutive valid, compatible
//     frame headers at the distance the first gives, so random binary is not taken
//     for audio. Empty input is fault.Invalid; everything else refused is
//     fault.Unsupported, with a message saying what it is: a playlist or script
//     that would make ffmpeg open other files or URLs (HLS, M3U, PLS, XSPF, ASX,
//     DASH, SMIL, SDP, ffconcat), other text ("text file, not audio"), MIDI,
//     images, archives, unsupported media containers (AVI, FLV, MPEG-TS...) or an
//     unknown format ("unsupported container"). The cause is one of the Err
//     values, for errors.Is.
//  2. A private folder per [Job]: mode 0700, random name, the input always under
//     the fixed name [InputName], outputs under validated names ([Job.Path]).
//     ffmpeg runs in that folder and is given "file:input", never a path or URL
//     from a user. [Runner.Probe], [Runner.Decode], [Runner.Encode] and
//     [Runner.Measure] sniff the input themselves, so no caller can forget.
//  3. Locked-down ffmpeg options: -nostdin -hide_banner -nostats -loglevel error,
//     -protocol_whitelist file, the sniffed demuxer forced with -f and alone in
//     -format_whitelist, -codec_whitelist of audio decoders ([AudioDecoders]),
//     -map 0:a:0, -threads and -filter_threads from [Config.Threads], and -xerror
//     unless the caller asks for lenient decoding. Encode accepts only an
//     allow-list of output options; filter graphs are linear chains of allowed
//     filters that touch no files ([Filters]).
//  4. A contained process: absolute program paths resolved once by [New], an
//     empty environment (no secrets can leak), stdin from /dev/null, its own
//     process group, SIGKILL to the whole group when [Config.Timeout] passes or
//     the caller's context ends (and again, before reaping, after the leader
//     exits, so nothing it started survives), an address-space limit through
//     util-linux prlimit ([Config.MemoryLimitBytes]), a bounded stderr tail
//     ([Config.MaxStderrBytes]) and bounded outputs ([Config.MaxOutputBytes]:
//     counted in Go for decoded PCM, -fs plus a size check for files).
//
// Failures are *fault.Error values. A non-zero exit carries an [*ExitError] whose
// [ExitError.Line] (ffmpeg's last meaningful stderr lines, cleaned) ends the
// user-facing message, e.g. "corrupt or truncated audio: flac: invalid residual".
//
// # Decoding
//
// [Runner.Decode] asks ffmpeg for a WAV stream on stdout and strips its header in
// Go, so the sample rate, channel count and frame count it reports come from the
// decode itself, never from container headers.
//
// # What ffmpeg 5.1 (Debian 12) requires
//
//   - ffprobe opens a decoder for every stream and exits when one is refused, even
//     with -select_streams. Probe therefore passes the audio decoders as the
//     container-level -codec_whitelist (so avformat_find_stream_info decodes no
//     picture or video frame) and stream-specific lists (-codec_whitelist:v,
//     -codec_whitelist:s) that let cover-art, video and subtitle decoders be
//     opened but, with no -show_frames or -count_frames, never fed a packet. Cover
//     art is reported with Width and Height 0 for that reason.
//   - Copying cover art needs its size, which ffmpeg learns only by decoding the
//     picture in avformat_find_stream_info; muxers refuse it otherwise ("dimensions
//     not set"). Encode adds mjpeg and png to the whitelist only when the caller
//     asks for "-map 0:v? -c:v copy".
//   - -fs stops writing at the limit but exits with status 0, so Encode checks the
//     output's size itself.
//   - Debian's ffmpeg maps about 300 MiB of shared libraries before main, so a
//     memory limit below that makes it fail to start (reported as fault.Internal).
//   - ffprobe has no -nostdin; its stdin is /dev/null like ffmpeg's.
//   - -progress prints out_time_ms in microseconds, like out_time_us.
package ffmpeg
