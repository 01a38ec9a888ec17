// Package analyze is PhantomChain's analysis function: the tempo (BPM, beats, tempo
// curve), the musical key (with Camelot and Open Key names) and the waveform peaks
// of an audio object, from one decode, served over NATS as phantom.analyze.run.
//
// # One decode
//
// The input is decoded once, by the hardened ffmpeg runner, to mono 32-bit float
// PCM at its own sample rate, streamed. Each chunk goes, as it arrives, to the
// waveform builder ([waveform.Builder]), which keeps only min/max peaks, and to a
// buffer for tempo and key, which keeps the first [Limits].MaxPCMBytes of samples
// (64 MiB by default: 6 min 20 s at 44.1 kHz) and drops the rest. Memory is so
// bounded whatever the input's length: the waveform covers the whole input, tempo
// and key its start, and the result says how much of it (analyzed_s). With the
// estimators' own working copies, an analysis of a long input peaks at about three
// times MaxPCMBytes.
//
// Tempo and key get the samples at the decoded rate, exactly as their development
// harnesses feed them, and bring them down to their own analysis rates (about
// 11 kHz) with their own anti-aliasing filters. A streaming decimator ahead of the
// buffer would save memory for long inputs, but it needs the sample rate before
// the first sample, and the runner learns it from ffmpeg's output header, which it
// consumes: the rate is known when the decode ends.
//
// Once the decode ends, tempo, key and the waveform's files (encoding and upload)
// run at the same time, each on its own goroutine. For a 20-second clip they take
// about 40 to 70 ms of CPU time together; the decode takes more, nearly all of it
// ffmpeg's start-up (a dynamically linked ffmpeg loads some 200 libraries).
//
// # Algorithms
//
// They live in three packages, each documented with its references: [tempo]
// (onset-strength envelope, autocorrelation and comb filtering with a tempo prior
// and a metrical-level choice, beat tracking by dynamic programming), [key] (spectral
// peaks, tuning by circular statistics, HPCP-weighted chroma, correlation with key
// profiles that include harmonics) and [waveform] (BBC audiowaveform's min/max
// peaks, its JSON and binary formats, a PNG rendering).
//
// # Requests and results
//
// A request ([contract.AnalyzeRequest]) names the input object, the key prefix for
// the waveform files and the options: which features to compute (tempo, key,
// waveform; all by default), the tempo range, the key profiles, the waveform's
// samples per pixel or width, its resolution (8 bits by default, what peaks.js
// reads) and the image's size and colours. Options are checked before the input
// is fetched; a bad one is a 400 error that names it ("options.waveform.bits: must
// be 8 or 16, got 12").
//
// The result ([contract.AnalyzeResult]) names every field with its unit. Audio
// without a pulse or a key gets a null BPM or key and a reason ("silent",
// "arrhythmic", "unpitched", …), never a made-up value. The waveform's peaks are
// stored as files (waveform.json, waveform.dat, waveform.png) and only named in
// the reply, which NATS limits to 1 MB. Results depend only on the input and the
// options.
package analyze
