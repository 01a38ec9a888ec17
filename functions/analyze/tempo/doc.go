// Package tempo estimates the tempo, the beat times and the tempo curve of
// mono audio, in pure Go.
//
// [Estimate] takes PCM samples at their native rate (8–192 kHz) and works in
// five stages:
//
//  1. Decimation. A cascade of Kaiser-windowed half-band FIR filters halves
//     the rate until it lies in 8–16 kHz (44.1 kHz → 11.025 kHz), computing
//     only the kept samples (Crochiere & Rabiner 1983).
//  2. Onset strength. A 256-point Hann STFT every 10 ms, 40 triangular mel
//     bands from 30 Hz up, log compression log(1+E/mean E), and the
//     half-wave rectified frame-to-frame increase summed over the bands
//     (spectral flux; Ellis 2007, Böck et al. 2012). It rises at drum hits
//     and at new notes alike, including legato ones, and its log scale makes
//     it independent of the input level.
//  3. Periodicity. The unbiased autocorrelation of the (lightly smoothed,
//     high-passed) envelope and its Fourier magnitude, both from one FFT
//     (gonum dsp/fourier).
//  4. Metrical level. An anchor on the metrical grid from the product of
//     autocorrelation and spectrum (Peeters 2007); the chain of levels
//     through it, grouped by two or by three according to a duple/triple
//     test on the autocorrelation (Gouyon & Herrera 2003); and the beat
//     chosen on that chain by comb-filtered autocorrelation (Davies &
//     Plumbley 2007) times a log-normal tempo prior (Parncutt 1994; van
//     Noorden & Moelants 1999). The chain is what counts a 6/8 jig in
//     dotted quarters and fast metal in quarters: see metre.go.
//  5. Beats and tempo curve. A local tempogram (autocorrelation in 8 s
//     windows every 2 s, followed from window to window near the chosen
//     level; Grosche & Müller 2011) gives the tempo curve, reported when at
//     least a quarter of it departs by more than 4% from the global tempo.
//     Beats come from dynamic programming over the onset envelope with the
//     local beat period (Ellis 2007).
//
// Input without a pulse gets no tempo and a [Reason]: too short (under
// [MinDuration]), silent (under -70 dBFS RMS), without onsets (a sustained
// tone or drone), or arrhythmic (noise, free rhythm: the comb-filtered
// autocorrelation at the best beat is under six standard errors of an
// autocorrelation estimate, 6/√frames).
//
// The estimate is deterministic and takes about 20 ms for 20 s of 44.1 kHz
// audio on one core of a current server (BenchmarkEstimate).
//
// References:
//
//   - S. Böck, F. Krebs, M. Schedl, "Evaluating the online capabilities of
//     onset detection methods", ISMIR 2012.
//   - R. E. Crochiere, L. R. Rabiner, Multirate Digital Signal Processing,
//     Prentice-Hall 1983.
//   - M. E. P. Davies, M. D. Plumbley, "Context-dependent beat tracking of
//     musical audio", IEEE TASLP 15(3), 2007.
//   - D. P. W. Ellis, "Beat tracking by dynamic programming", J. New Music
//     Research 36(1), 2007.
//   - F. Gouyon, P. Herrera, "Determination of the meter of musical audio
//     signals: seeking recurrences in beat segment descriptors", AES 114th
//     Convention, 2003.
//   - P. Grosche, M. Müller, "Extracting predominant local pulse information
//     from music recordings", IEEE TASLP 19(6), 2011.
//   - A. Klapuri, A. Eronen, J. Astola, "Analysis of the meter of acoustic
//     musical signals", IEEE TASLP 14(1), 2006.
//   - R. Parncutt, "A perceptual model of pulse salience and metrical accent
//     in musical rhythms", Music Perception 11(4), 1994.
//   - G. Peeters, "Template-based estimation of time-varying tempo", EURASIP
//     J. Advances in Signal Processing, 2007.
//   - L. van Noorden, D. Moelants, "Resonance in the perception of musical
//     pulse", J. New Music Research 28(1), 1999.
package tempo
