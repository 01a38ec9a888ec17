// Package transcode renders an audio file in other formats: MP3 (CBR or VBR),
// AAC in M4A with the moov atom first (so it streams), Opus in Ogg, Vorbis in Ogg,
// FLAC and WAV (16 or 24-bit PCM), with the bit rate or quality, sample rate,
// channels (mono or stereo downmix) and bit depth each allows, optionally
// loudness-normalised. It is served as the NATS micro service "transcode"
// (phantom.transcode.run) and runs locally as `transcode run --out DIR FILE`.
//
// # Targets
//
// A request names one or more targets (see [contract.TranscodeTarget]): a preset
// such as "mp3-320", "opus-96", "flac", "wav-16-44k", "podcast" (mono MP3 at
// −16 LUFS) or "streaming" (AAC at −14 LUFS), explicit parameters, or a preset
// with parameters overridden. [contract.TranscodeOptions.Resolve] expands presets
// and validates every parameter against the format, so an invalid option is a
// 4xx error that names it ("options.targets[0].sample_rate: 44100 Hz is not one
// of opus's rates …"); the gateway resolves the same options at upload. What a
// target leaves open comes from the source: its sample rate when the format
// accepts it (else the nearest it does, e.g. 48 kHz for Opus), its channels
// (at most two for MP3), and for FLAC 24 bits when the source is lossless with
// more than 16.
//
// Tags are carried over where the container holds them (all six formats); they
// are read from both the container and the stream (Ogg keeps them in the
// stream) and set explicitly, leaving out those that describe the old encoding
// (encoder, iTunes gapless data, ReplayGain). Cover art (PNG or JPEG attached
// pictures) is copied into MP3, M4A and FLAC, which can carry it.
//
// # Loudness normalisation
//
// Loudness follows ITU-R BS.1770-4 / EBU R 128, measured by the Go meter of
// [github.com/phantomchain/phantomchain/functions/loudness/r128] on PCM decoded by
// the hardened runner, never on container metadata:
//
//  1. Measure the source as the encoder will receive it: decoded at the
//     rendition's sample rate and channels (a downmix changes loudness), giving
//     its integrated loudness I and true peak P.
//  2. The gain is G = target − I. When P + G stays under the ceiling by a
//     headroom (0.1 dB for FLAC and WAV, 0.5 dB for lossy codecs, whose encoders
//     add peaks of their own), the rendition gets the linear gain alone (the
//     volume filter), which leaves the dynamics untouched.
//  3. Otherwise the gain feeds a true-peak limiter: the signal is upsampled 4×
//     (2× above 48 kHz), so that the limiter sees the peaks between samples that
//     a true-peak meter sees, limited (ffmpeg's alimiter, lookahead 5 ms, release
//     50 ms, delay compensated) to the ceiling minus the headroom, and resampled
//     back. Limiting costs loudness, so the gain is searched by secant steps on
//     the measured output of the limiter until it lands within 0.05 LU.
//  4. After encoding, the rendition itself is decoded and measured. If a lossy
//     codec pushed the true peak over the ceiling, or moved the loudness by more
//     than 0.25 LU, it is encoded again with more headroom or a corrected aim
//     (at most three encodes). The result reports the method, the gain, the
//     source's and the rendition's measurements and whether the rendition is
//     within ±0.5 LU of the target and under the ceiling.
//
// A source whose loudness is undefined (digital silence, or below the −70 LUFS
// gate) is rendered unchanged, with method "none" and a note.
//
// # Hardening and storage
//
// Every ffmpeg and ffprobe run goes through [ffmpeg.Runner]: the input is
// sniffed, copied into a private job folder and decoded with whitelisted
// demuxers and decoders; outputs use only allow-listed encoder options and
// filters, under time, memory and size limits. A rendition is written in the job
// folder and checked there: its container is read in Go (MP3 Xing and LAME
// tags, WAV chunks, FLAC STREAMINFO, Ogg identification header and last
// granule, M4A atoms, with moov required before mdat), which gives the exact
// length without the encoder's delay and padding and costs no second ffprobe
// process; codec, sample rate, channels and bit depth must be those asked for.
// It is stored in the blob store at the request's output prefix atomically: a
// failed, interrupted or killed transcode leaves no partial object. On a store
// that takes multipart uploads (S3), a rendition in a format whose muxer writes
// front to back (MP3, Ogg, FLAC, WAV: all but M4A, whose faststart moves the
// index to the front at the end) goes up in 5 MiB parts while ffmpeg writes it,
// the first part last, since muxers go back to fill in their headers; once
// ffmpeg exits, the file is read once more, hashed, and every part sent early is
// checked against a checksum of what was sent and sent again if it changed
// ([blob.FileUpload]). Only the first and last parts are usually left to send,
// so a lossless rendition of tens of megabytes costs little more than its
// encode. Encodes are bit-exact (-fflags +bitexact; Ogg stream serial
// numbers are random otherwise), so a request repeated after a lost call stores
// the same bytes and the digest of the first result stays true. The SHA-256 in the
// result is that of the stored bytes. Progress (measure,
// encode, verify, upload) is reported from ffmpeg's -progress output with
// [endpoint.ReportProgress], and the runtime's heartbeats keep a long encode
// from being taken for a lost one.
//
// An encode that fails because ffmpeg could not open or run the encoder, or
// write the container, is not the input's fault: it is a 503 whose message ends
// with ffmpeg's own (trimmed) line; a corrupt input is a 4xx as everywhere else.
//
// # References
//
//   - ITU-R BS.1770-4 (2015), Algorithms to measure audio programme loudness and
//     true-peak audio level.
//   - EBU R 128 (2020) and EBU Tech 3341/3342: loudness normalisation, metering
//     and range.
//   - AES TD1004.1.15-10 (2015), Recommendation for loudness of audio streaming
//     and network file playback (−16 LUFS for podcasts, −1 dBTP).
//   - RFC 7845, Ogg encapsulation for the Opus audio codec (48 kHz decoding, the
//     .opus extension); ISO/IEC 14496-12 (the moov atom before mdat for
//     progressive playback).
package transcode
