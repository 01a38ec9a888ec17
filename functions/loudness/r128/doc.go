// Package r128 measures loudness as ITU-R BS.1770-4 defines it and EBU R 128 uses
// it: integrated loudness, loudness range, maximum momentary and short-term
// loudness, true peak and sample peak, from a stream of float32 PCM of any length,
// in fixed memory.
//
// # Use
//
//	m, err := r128.New(r128.Config{SampleRate: 48000, Channels: 2, Layout: "stereo", TruePeak: true})
//	...
//	m.Write(samples)  // interleaved, any chunking; or m.ReadFrom(ffmpegStdout) for f32le bytes
//	res := m.Result() // res.Integrated.Value in LUFS, res.LRA.Value in LU, …
//	for _, v := range r128.Verdicts(res) { … }
//
// A value that cannot be measured (silence, input below the −70 LUFS gate, input
// shorter than the window) is math.Inf(-1) with a [Reason], never NaN.
//
// # Algorithm
//
// Each channel is K-weighted (BS.1770-4 Annex 1): a high-shelf pre-filter and the
// RLB high-pass, designed for the actual sample rate by the bilinear transform of
// their analog prototype, as libebur128 does, so that at 48 kHz they reproduce the
// Recommendation's coefficient tables. The squared outputs, multiplied by the channel
// weights of BS.1770-4 Table 3 ([Weights]: 1.41 for the surround pair, 0 for LFE, 1.0
// otherwise), are summed per millisecond.
//
// Momentary loudness is the mean over 400 ms, short-term loudness over 3 s
// (EBU Tech 3341), both evaluated every millisecond, from sliding sums that never
// subtract, so that the maxima miss no alignment: the worst-case under-read of a
// 400 ms burst is 0.005 dB, where meters that update every 100 ms (ffmpeg's ebur128)
// lose up to 0.58 dB. Loudness is L = −0.691 + 10·log10(Σ G_i·mean(y_i²)) LUFS. An
// optional curve records both at a chosen step.
//
// Integrated loudness gates the 400 ms blocks that start every 100 ms: blocks at or
// below −70 LUFS are dropped, then blocks at or below 10 LU under the mean of the
// rest, and the remaining blocks' mean energy is the result (BS.1770-4 §2.8). The
// loudness range (EBU Tech 3342) takes the 3 s short-term values every 100 ms, gates
// them at −70 LUFS and 20 LU under their mean, and is the difference between the 95th
// and 10th percentiles. Both run on histograms of 0.01 LU bins that keep the exact
// energy sum of each bin, so memory is fixed and the gated means are exact.
//
// The true peak (BS.1770-4 Annex 2) is the largest magnitude of the signal
// oversampled 4× at any sample rate by a 96-tap Kaiser-windowed sinc interpolator,
// folded so that the three new phases cost 36 multiplies a sample, and skipped
// wherever a bound on the interpolated values shows they cannot exceed the running
// peak. The sample peak is the largest sample magnitude. Both cover every channel,
// LFE included.
//
// # Conformance
//
// The tests check every synthesisable case of EBU Tech 3341 (2023) and Tech 3342
// (2023) within their tolerances, including the maximum momentary loudness cases
// 13, and agreement with ffmpeg's ebur128 filter on music.
//
// # References
//
//   - ITU-R BS.1770-4 (2015), Algorithms to measure audio programme loudness and
//     true-peak audio level.
//   - EBU R 128 (2014, 2020), Loudness normalisation and permitted maximum level.
//   - EBU Tech 3341 (2023), Loudness metering: "EBU Mode" metering.
//   - EBU Tech 3342 (2023), Loudness range.
//   - libebur128 (github.com/jiixyj/libebur128): filter design and histogram gating.
package r128
