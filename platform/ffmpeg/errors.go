package ffmpeg

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"syscall"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// Causes of the *fault.Error values that Probe, Decode, Encode and Measure
// return, for errors.Is.
var (
	// ErrNoAudioStream is the cause when the input has no audio stream
	// (fault.Invalid).
	ErrNoAudioStream = errors.New("ffmpeg: no audio stream")
	// ErrNoAudio is the cause when the audio stream decodes to no samples
	// (fault.Invalid).
	ErrNoAudio = errors.New("ffmpeg: no audio decoded")
	// ErrOutputTooLarge is the cause when an output passes Config.MaxOutputBytes
	// (fault.TooLarge).
	ErrOutputTooLarge = errors.New("ffmpeg: output too large")
)

// ExitError reports that ffmpeg or ffprobe exited with a non-zero status, or was
// killed by a signal the Runner did not send. Runner methods return it wrapped in
// a *fault.Error; use errors.As to reach it.
type ExitError struct {
	Program string         // "ffmpeg" or "ffprobe" (the base name of the binary)
	Code    int            // exit status, -1 when killed by a signal
	Signal  syscall.Signal // the signal that killed it, or 0
	Stderr  []byte         // the tail of its stderr, at most Config.MaxStderrBytes
	dir     string         // the job folder, removed from messages
}

// Error returns the program, its status and [ExitError.Line].
func (e *ExitError) Error() string {
	var s string
	if e.Signal != 0 {
		s = fmt.Sprintf("%s killed by signal %v", e.Program, e.Signal)
	} else {
		s = fmt.Sprintf("%s exited with status %d", e.Program, e.Code)
	}
	if line := e.Line(); line != "" {
		s += ": " + line
	}
	return s
}

// maxLine bounds the length of [ExitError.Line].
const maxLine = 300

// Line returns the last one or two meaningful lines of stderr, joined by "; ",
// made fit for a user-facing message: "[flac @ 0x55d0…] invalid residual"
// becomes "flac: invalid residual", the job folder's path is removed, generic
// lines such as "Conversion failed!" are skipped, and the result is cut at 300
// bytes.
func (e *ExitError) Line() string {
	var lines []string
	all := strings.Split(string(e.Stderr), "\n")
	for i := len(all) - 1; i >= 0 && len(lines) < 2; i-- {
		line := cleanLine(all[i], e.dir)
		if line == "" || genericLine(line) || len(lines) > 0 && lines[0] == line {
			continue
		}
		lines = append([]string{line}, lines...)
	}
	s := strings.Join(lines, "; ")
	if len(s) > maxLine {
		s = strings.ToValidUTF8(s[:maxLine], "") + "…"
	}
	return s
}

var logPrefix = regexp.MustCompile(`\[([^\]@]+?) @ 0x[0-9a-fA-F]+\] ?`)

func cleanLine(line, dir string) string {
	line = logPrefix.ReplaceAllString(line, "$1: ")
	if dir != "" {
		line = strings.ReplaceAll(line, dir+"/", "")
		line = strings.ReplaceAll(line, dir, ".")
	}
	line = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return -1
		}
		return r
	}, strings.ToValidUTF8(line, "?"))
	return strings.TrimSpace(line)
}

func genericLine(line string) bool {
	for _, g := range []string{
		"Conversion failed!",
		"Last message repeated",
		"To ignore this, add a trailing '?' to the map.",
		"Consider increasing the value for the 'analyzeduration'",
		"Exiting normally",
	} {
		if strings.Contains(line, g) {
			return true
		}
	}
	return false
}

var notOnWhitelist = regexp.MustCompile(`Codec \(([A-Za-z0-9_]+)\) not on whitelist`)

// classify turns a failed run into a fault error; what says what failed
// ("corrupt or truncated audio") and prefixes ffmpeg's own line. Errors other
// than *ExitError pass through.
func classify(err error, what string) error {
	var xe *ExitError
	if !errors.As(err, &xe) {
		return err
	}
	tail := string(xe.Stderr)
	line := xe.Line()
	switch {
	case strings.Contains(tail, "matches no streams"):
		return fault.Wrap(fault.Invalid, fmt.Errorf("%w: %w", ErrNoAudioStream, xe), "no audio stream")
	case notOnWhitelist.MatchString(line) || strings.Contains(tail, "Error while opening decoder"):
		if m := notOnWhitelist.FindAllStringSubmatch(tail, -1); m != nil {
			return fault.Wrap(fault.Unsupported, xe, "codec "+m[len(m)-1][1]+" is not supported")
		}
	case strings.Contains(tail, "error while loading shared libraries"):
		// Not the input's fault: typically MemoryLimitBytes below the ~300 MiB of
		// address space Debian's ffmpeg 5.1 maps for its libraries alone.
		return fault.Wrap(fault.Internal, xe, xe.Program+" could not start")
	case strings.Contains(tail, "Cannot allocate memory"):
		return fault.Wrap(fault.TooLarge, xe, "not enough memory to process this input")
	}
	switch xe.Signal {
	case 0:
	case syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGABRT, syscall.SIGFPE, syscall.SIGILL:
		// A crash on this input: retrying cannot help.
		return fault.Wrap(fault.Invalid, xe, what+": "+xe.Program+" crashed")
	default:
		return fault.Wrap(fault.Internal, xe, xe.Program+" was killed")
	}
	if line != "" {
		what += ": " + line
	}
	return fault.Wrap(fault.Invalid, xe, what)
}

func tooLarge(limit int64) error {
	return fault.Wrap(fault.TooLarge, ErrOutputTooLarge, fmt.Sprintf("output exceeds %d bytes", limit))
}
