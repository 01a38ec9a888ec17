// Package key estimates the musical key (tonic and mode) of a clip of audio.
//
// [Estimate] takes mono PCM samples at the file's native rate and returns a [Result]:
// the key ("F# minor"), its Camelot ("11A") and Open Key ("4m") names, a score and a
// confidence, the runner-up, and the tuning offset in cents. Audio with no key —
// silence, noise, unpitched percussion, a lone note — gets no key and a [Reason]
// instead of a made-up answer.
//
// # Algorithm
//
//  1. Decimation. The samples are low-pass filtered and decimated by an integer
//     factor to the lowest rate at or above 10 kHz (11.025 kHz from 44.1 kHz), with
//     a polyphase Kaiser-windowed-sinc FIR whose pass band reaches 4 kHz and whose
//     aliases are 50 dB down there.
//  2. Spectral peaks. Frames of about 0.37 s (4096 samples), Hann-windowed, hop
//     half a frame, are transformed with gonum's FFT. In each frame the strongest 60
//     local maxima between 50 Hz and 4 kHz, down to 60 dB below the strongest, are
//     kept, their frequency and magnitude refined by parabolic interpolation of the
//     log magnitude (Smith & Serra 1987).
//  3. Tuning. Each peak's offset from the nearest equal-tempered semitone (A4 =
//     440 Hz) is a phase on a 100-cent circle; the magnitude-weighted circular mean
//     is the tuning offset (circular statistics, after Dressler & Streich 2007).
//     Recordings and synthesisers tuned off 440 Hz are thus folded onto the right
//     pitch classes.
//  4. Chroma. Every peak adds its magnitude to the pitch class of the semitone nearest
//     to it on the shifted grid, weighted by cos² of its distance from that semitone
//     (the HPCP weighting of Gómez 2006), so partials between semitones, noise among
//     them, count little. Frames add by loudness.
//  5. Key profiles. Profiles of notes describe scores, not sound: a sounding note
//     also brings its harmonics, the third of which is a fifth above. So each profile
//     gets, as in Gómez (2006), its first 4 harmonics with weights 0.6^(h−1) folded
//     onto their pitch classes before the chroma is correlated (Pearson) with its 24
//     rotations (the Krumhansl–Schmuckler method, Krumhansl 1990). Without this step
//     many estimates land a fifth too high. The default [ProfileCorpus] averages the
//     correlations with three corpus-derived profiles — Temperley's (2007, classical
//     excerpts), Aarden's (2003, Essen folksongs) and Albrecht & Shanahan's (2013,
//     common-practice pieces) — whose near-zero weights outside the scale separate
//     relative and neighbouring keys better than Krumhansl & Kessler's probe-tone
//     ratings; other profiles can be chosen with [Options].
//  6. Decision. The best-correlated key is the answer, the second the runner-up; the
//     margin between them gives the confidence. No key is named when the RMS level
//     is below −70 dBFS ([ReasonSilence]); when less than 3% of the power is in
//     partials, peaks that stand 10 dB above the spectrum around them and persist
//     from one frame to the next, which noise of any colour and drum hits seldom
//     make ([ReasonUnpitched]); or when the chroma is nearly flat, holds fewer than
//     about three pitch classes, or correlates with no key at 0.4 or more
//     ([ReasonNoTonalCentre]).
//
// Weighting the bass register more, whitening the spectrum, compressing magnitudes
// and normalising frames were tried and left out: they did not help on folk tunes
// and MIDI renders, and whitening and compression hurt. Input is often an excerpt
// that does not end on a cadence, so the last seconds get no extra weight either.
//
// # Evaluation
//
// On the 30 key-labelled clips of the development set (folk tunes and two MIDI
// pieces rendered with a General MIDI sound font, many transposed) the MIREX
// weighted score is 0.933 with [ProfileCorpus] (Essentia's KeyExtractor: 0.857).
// With one profile alone it is 0.933 for Albrecht, 0.877 Temperley, 0.833 Aarden,
// 0.807 Krumhansl and Sha'ath, 0.650 EDMA; on 5–10 s excerpts of the same clips the
// average of three profiles is the steadiest. Adding white noise at 0 dB SNR leaves
// the score unchanged.
//
// For a 20 s clip at 44.1 kHz an estimate takes about 13 ms on one core of a current
// server CPU and allocates about 1.3 MB.
//
// # References
//
//   - Albrecht, J. & Shanahan, D. (2013). The use of large corpora to train a new
//     type of key-finding algorithm. Music Perception 31(1), 59–67.
//   - Aarden, B. (2003). Dynamic melodic expectancy. PhD thesis, Ohio State University.
//   - Dressler, K. & Streich, S. (2007). Tuning frequency estimation using circular
//     statistics. ISMIR 2007.
//   - Faraldo, Á., Gómez, E., Jordà, S. & Herrera, P. (2016). Key estimation in
//     electronic dance music. ECIR 2016.
//   - Gómez, E. (2006). Tonal description of polyphonic audio for music content
//     processing. INFORMS Journal on Computing 18(3), 294–304.
//   - Krumhansl, C. L. (1990). Cognitive Foundations of Musical Pitch. Oxford
//     University Press (Krumhansl & Kessler 1982 profiles).
//   - Sha'ath, I. (2011). Estimation of key in digital music recordings. MSc thesis,
//     Birkbeck College, University of London.
//   - Smith, J. O. & Serra, X. (1987). PARSHL: an analysis/synthesis program for
//     non-harmonic sounds based on a sinusoidal representation. ICMC 1987.
//   - Temperley, D. (2007). Music and Probability. MIT Press.
package key
