// Package loudness measures the loudness of audio objects as ITU-R BS.1770-4 and
// EBU R 128 define it, and serves the measurement as the NATS micro service
// "loudness" (subject phantom.loudness.measure).
//
// A request names an object in the blob store. The function fetches it into a
// private job folder, asks ffprobe for its sample rate, channel count and channel
// layout, then decodes it once with the hardened ffmpeg runner to 32-bit float PCM
// at that rate and channel count (never resampled or downmixed), and streams the
// PCM through an [io.Pipe] into an [r128.Meter], so memory stays flat whatever the
// file's length (the optional curve aside: 16 bytes a point, at most
// [contract.LoudnessCurveMaxPoints] points).
//
// The result (see [contract.LoudnessResult]) holds the integrated loudness, the
// loudness range with its percentiles and gates, the maximum momentary and
// short-term loudness, the true peak and sample peak, the decoded format and
// the channel weights applied (LFE excluded, surrounds +1.5 dB), the optional
// short-term loudness curve, and a compliance verdict for each requested delivery
// target (EBU R 128, streaming, podcast, ATSC A/85). A value that cannot be
// measured (silence, input shorter than the window) is null with a reason beside
// it, never NaN.
//
// The measurement itself is package [r128]; its documentation describes the
// algorithms and their conformance to EBU Tech 3341 and Tech 3342.
package loudness
