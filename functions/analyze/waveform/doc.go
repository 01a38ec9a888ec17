// Package waveform computes min/max waveform peaks from mono PCM samples and
// writes them in the formats of BBC audiowaveform, which peaks.js and
// waveform-data.js read: JSON version 2 and binary .dat version 2. It also
// renders the peaks as a PNG image.
//
// # Peaks
//
// The samples are cut into consecutive windows of samples_per_pixel samples,
// starting at sample 0; the last window may be shorter. Each window gives one
// pixel: the minimum and the maximum sample in it. This is the algorithm of
// audiowaveform's WaveformGenerator (itself after Audacity's
// BlockFile::CalcSummary), so the number of pixels is
// ceil(samples / samples_per_pixel).
//
// audiowaveform works on 16-bit integer samples. A float sample x is
// quantised the way ffmpeg converts float to 16-bit PCM (libswresample:
// lrintf(x * 32768), clipped): round(x * 32768) with ties to even, clipped to
// [-32768, 32767]. Values outside [-1, 1] and infinities therefore clip; NaN
// counts as silence (0). Because this quantisation is monotonic, the package
// finds the minimum and maximum float sample of each pixel and quantises only
// those two values, which gives exactly the same result as quantising every
// sample. It compares the samples through integer keys that order as the
// floats do, so that the inner loop compiles to conditional moves instead of
// branches that a waveform's trends mispredict; it costs about 1.3 ns per
// sample.
//
// 16-bit output keeps those values. 8-bit output divides them by 256 the way
// audiowaveform does (C++ integer division, which truncates toward zero, not
// an arithmetic shift): -1 becomes 0, -257 becomes -1, -32768 becomes -128
// and 32767 becomes 127.
//
// # Streaming and the Width mode
//
// A [Builder] takes the samples in chunks of any size and keeps only peaks,
// never the PCM. The same samples give the same peaks whatever the chunking.
//
// With [Config.SamplesPerPixel] the window size is fixed. With [Config.Width]
// the window size is chosen at the end so that the whole input fits in at
// most Width pixels, without knowing the input's length in advance: the
// builder keeps exact peaks at a base window B, starting with single samples
// (B = 1), and doubles B, merging pairs of pixels (which is exact), whenever
// 32 * Width pixels have accumulated. Finish merges k consecutive base pixels,
// k the smallest integer that fits the input in Width pixels (and makes the
// window at least 2 samples), so samples_per_pixel is k * B: the smallest
// multiple of B not below the ideal max(2, ceil(samples / Width)). The peaks
// are exact for that window and cover every sample. For inputs shorter than
// 32 * Width samples, B is 1 and samples_per_pixel is the ideal value; for
// longer ones it exceeds the ideal by less than B, which is at most 1/16 of
// it. Memory stays below 256 bytes per pixel of Width, and the result depends
// only on the samples, never on how they were chunked.
//
// # Formats
//
// [Peaks.WriteJSON] writes the bytes audiowaveform's JSON writer
// (WaveformBuffer::saveAsJson) writes: {"version":2,"channels":1,"sample_rate":…,"samples_per_pixel":…,
// "bits":…,"length":…,"data":[min,max,…]} followed by a newline.
// [Peaks.WriteDat] writes the binary format version 2 (all little-endian): a
// 24-byte header of int32 version, uint32 flags (bit 0 set for 8-bit data),
// int32 sample rate, int32 samples per pixel, uint32 length and int32
// channels, then int8 or int16 min, max pairs. audiowaveform itself writes
// version 1 (the same header without the channels field) for mono data;
// waveform-data.js and audiowaveform read both, and so does [ReadDat].
//
// # Image
//
// [Peaks.RenderPNG] draws the peaks, resampled to the image width (each column
// takes the minimum of the minima and the maximum of the maxima of the pixels
// it covers), with the vertical mapping of audiowaveform's GdImageRenderer.
// The default image is 1800x280 pixels, the size of the ffmpeg showwavespic
// images PhantomChain produced before, in audiowaveform's default "audacity"
// colours: waveform #3f4d9b on #d6d6d6.
//
// References: https://github.com/bbc/audiowaveform (doc/DataFormat.md,
// src/WaveformGenerator.cpp, src/WaveformBuffer.cpp, src/GdImageRenderer.cpp)
// and https://github.com/bbc/waveform-data.js.
package waveform
