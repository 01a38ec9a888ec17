package ffmpeg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// EncodeArgs describes one encode of the job's input into an output file.
type EncodeArgs struct {
	// Output is the output's file name inside the job folder (see [Job.Path]).
	// Without a "-f" option its extension chooses the muxer, from the same
	// allow-list.
	Output string
	// Options are ffmpeg output options as flag/value pairs, e.g.
	// {"-c:a", "libmp3lame", "-b:a", "192k"}. Only the flags and values listed in
	// the package documentation are accepted; "-map 0:a:0" is always added first.
	Options []string
	// Lenient lets ffmpeg conceal decoding errors, as in [DecodeOptions].
	Lenient bool
}

// Encode sniffs the job's input and transcodes its first audio stream (and,
// with "-map 0:v? -c:v copy", its cover art) into args.Output. progress, when
// not nil, is called from another goroutine with ffmpeg's -progress reports as
// they come, Processed never decreasing, and once more with Done set after
// ffmpeg has exited successfully.
//
// Invalid options are fault.Invalid; an output of Config.MaxOutputBytes or more
// (ffmpeg's -fs stops writing there) is removed and reported as fault.TooLarge.
func (r *Runner) Encode(ctx context.Context, job *Job, args EncodeArgs, progress func(Progress)) error {
	out, err := job.Path(args.Output)
	if err != nil {
		return err
	}
	opts, cover, err := checkOptions(args.Options, args.Output)
	if err != nil {
		return err
	}
	f, err := job.Sniff()
	if err != nil {
		return err
	}
	decoders := audioDecoders
	if cover {
		decoders = slices.Concat(audioDecoders, coverDecoders)
	}
	argv := append(r.inputArgs(f, "error", args.Lenient, decoders),
		"-progress", "pipe:1", "-map", "0:a:0")
	argv = append(argv, opts...)
	argv = append(argv, "-threads", strconv.Itoa(r.cfg.Threads),
		"-fs", strconv.FormatInt(r.cfg.MaxOutputBytes, 10), "-y", "file:"+args.Output)

	pw := newProgressWriter(progress)
	if _, err := r.run(ctx, job, invocation{program: r.ffmpeg, args: argv, stdout: pw}); err != nil {
		os.Remove(out)
		return classify(err, "transcode failed")
	}
	fi, err := os.Stat(out)
	if err != nil {
		return fmt.Errorf("ffmpeg: encode: %w", err)
	}
	if fi.Size() >= r.cfg.MaxOutputBytes {
		os.Remove(out)
		return tooLarge(r.cfg.MaxOutputBytes)
	}
	pw.finish()
	return nil
}

// MeasureArgs describes a filter run whose result ffmpeg logs to stderr.
type MeasureArgs struct {
	// Filter is an allowed filter graph (see [Filters]), e.g. "ebur128=peak=true"
	// or "loudnorm=print_format=json".
	Filter string
	// Lenient lets ffmpeg conceal decoding errors, as in [DecodeOptions].
	Lenient bool
}

// Measure sniffs the job's input, runs its first audio stream through
// args.Filter into ffmpeg's null muxer at log level info, and returns the tail of
// stderr (at most Config.MaxStderrBytes), where filters such as ebur128 and
// loudnorm print their summaries last. progress is as in [Runner.Encode].
func (r *Runner) Measure(ctx context.Context, job *Job, args MeasureArgs, progress func(Progress)) ([]byte, error) {
	if !validFilter(args.Filter) {
		return nil, fault.Errorf(fault.Invalid, "filter graph not allowed")
	}
	f, err := job.Sniff()
	if err != nil {
		return nil, err
	}
	argv := append(r.inputArgs(f, "info", args.Lenient, audioDecoders),
		"-progress", "pipe:1", "-map", "0:a:0", "-af", args.Filter, "-f", "null", "-")
	pw := newProgressWriter(progress)
	stderr, err := r.run(ctx, job, invocation{program: r.ffmpeg, args: argv, stdout: pw})
	if err != nil {
		return nil, classify(err, "corrupt or truncated audio")
	}
	pw.finish()
	return stderr, nil
}

// muxers maps the allowed -f values to themselves and output extensions to
// the muxer they select.
var (
	muxers = []string{"mp3", "ipod", "mp4", "mov", "adts", "ogg", "opus", "flac", "wav",
		"w64", "aiff", "caf", "matroska", "webm", "wv", "ac3", "eac3", "au"}
	extMuxers = map[string]string{
		".mp3": "mp3", ".m4a": "ipod", ".m4b": "ipod", ".mp4": "mp4", ".mov": "mov",
		".aac": "adts", ".ogg": "ogg", ".oga": "ogg", ".opus": "opus", ".flac": "flac",
		".wav": "wav", ".w64": "w64", ".aif": "aiff", ".aiff": "aiff", ".caf": "caf",
		".mka": "matroska", ".mkv": "matroska", ".webm": "webm", ".wv": "wv",
		".ac3": "ac3", ".eac3": "eac3", ".au": "au",
	}
	encoders = []string{"aac", "libmp3lame", "libopus", "libvorbis", "flac", "alac",
		"wavpack", "mp2", "ac3", "eac3", "pcm_s16le", "pcm_s24le", "pcm_s32le",
		"pcm_f32le", "pcm_s16be", "pcm_s24be", "copy"}
	sampleFmts = []string{"u8", "s16", "s32", "s64", "flt", "dbl", "u8p", "s16p", "s32p", "s64p", "fltp", "dblp"}
)

// outputOptions are the allowed output flags and the check of their value.
var outputOptions = map[string]func(string) bool{
	"-c:a":               oneOf(encoders...),
	"-b:a":               func(v string) bool { n, ok := intSuffix(v, "k"); return ok && n > 0 && n <= 1536000 },
	"-q:a":               func(v string) bool { q, err := strconv.ParseFloat(v, 64); return err == nil && q >= 0 && q <= 100 },
	"-ar":                intIn(8000, 384000),
	"-ac":                intIn(1, 8),
	"-sample_fmt":        oneOf(sampleFmts...),
	"-af":                validFilter,
	"-f":                 oneOf(muxers...),
	"-movflags":          oneOf("+faststart", "faststart"),
	"-fflags":            oneOf("+bitexact"), // reproducible files: no random Ogg serial numbers, no version strings
	"-map_metadata":      oneOf("-1", "0", "0:g", "0:s:a:0"),
	"-map":               oneOf("0:v?"),
	"-c:v":               oneOf("copy"),
	"-disposition:v":     oneOf("attached_pic"),
	"-disposition:v:0":   oneOf("attached_pic"),
	"-id3v2_version":     oneOf("0", "3", "4"),
	"-write_id3v1":       oneOf("0", "1"),
	"-compression_level": intIn(0, 12),
	"-vbr":               oneOf("on", "off", "constrained"),
	"-metadata":          validMetadata,
	"-metadata:s:a:0":    validMetadata,
	"-metadata:s:v:0":    validMetadata,
}

// checkOptions validates options and returns them, with "-f" added when the
// output's extension chose the muxer, and whether cover art is copied.
func checkOptions(options []string, output string) ([]string, bool, error) {
	if len(options)%2 != 0 {
		return nil, false, fault.Errorf(fault.Invalid, "output options must be flag/value pairs")
	}
	seen := map[string]bool{}
	for i := 0; i < len(options); i += 2 {
		flag, val := options[i], options[i+1]
		check, ok := outputOptions[flag]
		if !ok {
			return nil, false, fault.Errorf(fault.Invalid, "output option %q not allowed", flag)
		}
		if seen[flag] && !strings.HasPrefix(flag, "-metadata") {
			return nil, false, fault.Errorf(fault.Invalid, "output option %q given twice", flag)
		}
		seen[flag] = true
		if !check(val) {
			return nil, false, fault.Errorf(fault.Invalid, "value %q not allowed for %s", val, flag)
		}
	}
	cover := seen["-map"]
	if cover != seen["-c:v"] {
		return nil, false, fault.Errorf(fault.Invalid, "cover art needs both -map 0:v? and -c:v copy")
	}
	out := slices.Clone(options)
	if !seen["-f"] {
		muxer, ok := extMuxers[strings.ToLower(filepath.Ext(output))]
		if !ok {
			return nil, false, fault.Errorf(fault.Invalid, "output %q needs -f: its extension names no allowed format", output)
		}
		out = append(out, "-f", muxer)
	}
	return out, cover, nil
}

func oneOf(vals ...string) func(string) bool {
	return func(v string) bool { return slices.Contains(vals, v) }
}

func intIn(lo, hi int) func(string) bool {
	return func(v string) bool {
		n, err := strconv.Atoi(v)
		return err == nil && n >= lo && n <= hi
	}
}

// intSuffix parses "192k" as 192000 and "128000" as itself.
func intSuffix(v, k string) (int, bool) {
	mult := 1
	if s, ok := strings.CutSuffix(v, k); ok {
		v, mult = s, 1000
	}
	n, err := strconv.Atoi(v)
	return n * mult, err == nil && len(v) <= 7
}

// validMetadata accepts key=value with a plain key and a value of at most 4 KiB
// without control characters other than newline and tab.
func validMetadata(v string) bool {
	key, val, ok := strings.Cut(v, "=")
	if !ok || key == "" || len(key) > 64 || len(val) > 4096 {
		return false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	for _, c := range val {
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7F {
			return false
		}
	}
	return true
}
