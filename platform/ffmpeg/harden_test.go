package ffmpeg_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// The fake programs below stand in for ffmpeg and ffprobe. They run with an
// empty environment, so they call other programs by absolute path.

// recordScript writes its working directory, argv, environment (exactly as
// execve gave it, from /proc/self/environ) and resource limits to the file %s.
const recordScript = `#!/bin/sh
{
  echo "pwd=$(/bin/pwd)"
  echo "--argv"
  for a in "$@"; do printf '%%s\n' "$a"; done
  echo "--env"
  /usr/bin/tr '\0' '\n' < /proc/$$/environ
  echo "--limits"
  /bin/cat /proc/$$/limits
} > %s
`

// hangScript starts a background sleep, records both PIDs in %s, and sleeps.
const hangScript = `#!/bin/sh
/bin/sleep 60 &
echo "$$ $!" > %s
/bin/sleep 60
`

// floodScript writes 10 MB to stderr, then a last line, and fails.
const floodScript = `#!/bin/sh
{ /usr/bin/head -c 10000000 /dev/zero | /usr/bin/tr '\0' 'e'; echo; echo 'the last line'; } >&2
exit 1
`

// pcmScript writes a WAV header and 4000 bytes of silence to stdout, then exits.
const pcmScript = `#!/bin/sh
printf 'RIFF\377\377\377\377WAVEfmt \020\000\000\000\001\000\002\000D\254\000\000\020\261\002\000\004\000\020\000data\377\377\377\377'
/usr/bin/head -c 4000 /dev/zero
: %s
`

// writeScript writes an executable script into dir.
func writeScript(tb testing.TB, dir, name, body string) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		tb.Fatal(err)
	}
	return path
}

// record is what recordScript saw.
type record struct {
	pwd    string
	argv   []string
	env    []string
	limits string
}

func readRecord(tb testing.TB, path string) record {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("the fake program left no record: %v", err)
	}
	var rec record
	section := ""
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "pwd="):
			rec.pwd = strings.TrimPrefix(line, "pwd=")
		case line == "--argv" || line == "--env" || line == "--limits":
			section = line
		case section == "--argv":
			rec.argv = append(rec.argv, line)
		case section == "--env" && line != "":
			rec.env = append(rec.env, line)
		case section == "--limits":
			rec.limits += line + "\n"
		}
	}
	return rec
}

// fakeRunner returns a Runner whose ffmpeg and ffprobe are the script body (a
// format string taking the path of its side file) and that side file's path.
func fakeRunner(tb testing.TB, script string, cfg ffmpeg.Config) (*ffmpeg.Runner, string) {
	tb.Helper()
	if _, err := exec.LookPath("prlimit"); err != nil && cfg.MemoryLimitBytes >= 0 {
		testenv.Missing(tb, "prlimit (util-linux) is not on PATH")
	}
	dir := tb.TempDir()
	side := filepath.Join(dir, "side")
	fake := writeScript(tb, dir, "fake", fmt.Sprintf(script, side))
	cfg.FFmpegPath, cfg.FFprobePath = fake, fake
	if cfg.WorkDir == "" {
		cfg.WorkDir = filepath.Join(dir, "work")
	}
	r, err := ffmpeg.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return r, side
}

// wavHeader is the start of a valid WAV file: enough for Sniff.
var wavHeader = []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x44\xac\x00\x00\x10\xb1\x02\x00\x04\x00\x10\x00data\x00\x00\x00\x00")

func TestHardenedInvocation(t *testing.T) {
	const memLimit = 1 << 30
	r, side := fakeRunner(t, recordScript, ffmpeg.Config{MemoryLimitBytes: memLimit, Threads: 2})
	t.Setenv("PHANTOM_SECRET_TEST", "must-not-leak")
	calls := []struct {
		name string
		call func(*ffmpeg.Job) error
		want [][]string // flag/value sequences that must appear in argv
	}{
		{"Decode", func(j *ffmpeg.Job) error {
			_, err := r.Decode(context.Background(), j, ffmpeg.DecodeOptions{}, io.Discard)
			return err
		}, [][]string{{"-nostdin"}, {"-hide_banner"}, {"-nostats"}, {"-loglevel", "error"}, {"-xerror"},
			{"-map", "0:a:0"}, {"-f", "wav", "pipe:1"}}},
		{"Encode", func(j *ffmpeg.Job) error {
			return r.Encode(context.Background(), j, ffmpeg.EncodeArgs{Output: "out.mp3"}, nil)
		}, [][]string{{"-nostdin"}, {"-progress", "pipe:1", "-map", "0:a:0"}, {"-fs"}, {"-f", "mp3"}, {"file:out.mp3"}}},
		{"Measure", func(j *ffmpeg.Job) error {
			_, err := r.Measure(context.Background(), j, ffmpeg.MeasureArgs{Filter: "ebur128"}, nil)
			return err
		}, [][]string{{"-nostdin"}, {"-loglevel", "info"}, {"-af", "ebur128"}, {"-f", "null", "-"}}},
		{"Probe", func(j *ffmpeg.Job) error {
			_, err := r.Probe(context.Background(), j)
			return err
		}, [][]string{{"-show_format", "-show_streams", "-of", "json"}, {"-codec_whitelist:v"}}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(side)
			job := newJob(t, r, wavHeader)
			c.call(job) // the fake prints nothing, so most calls fail; the record is what matters

			rec := readRecord(t, side)
			if len(rec.env) != 0 {
				t.Errorf("environment = %q, want empty", rec.env)
			}
			if rec.pwd != job.Dir() {
				t.Errorf("working directory = %q, want the job folder %q", rec.pwd, job.Dir())
			}
			common := [][]string{
				{"-protocol_whitelist", "file"},
				{"-format_whitelist", "wav"},
				{"-codec_whitelist", strings.Join(ffmpeg.AudioDecoders(), ",")},
				{"-threads", "2"},
				{"-f", "wav", "-i", "file:" + ffmpeg.InputName},
			}
			for _, seq := range append(common, c.want...) {
				if !containsSeq(rec.argv, seq) {
					t.Errorf("argv lacks %q:\n%q", seq, rec.argv)
				}
			}
			if !strings.Contains(rec.limits, "Max address space") || !strings.Contains(rec.limits, strconv.Itoa(memLimit)) {
				t.Errorf("limits do not show an address-space limit of %d:\n%s", memLimit, rec.limits)
			}
		})
	}
}

func containsSeq(argv, seq []string) bool {
	for i := range argv {
		if i+len(seq) <= len(argv) && slices.Equal(argv[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

func TestRejectedInputNeverReachesFFmpeg(t *testing.T) {
	r, side := fakeRunner(t, recordScript, ffmpeg.Config{})
	inputs := []struct {
		name string
		data string
		kind fault.Kind
	}{
		{"TextRenamedMP3", "These are the lyrics, not the song.\n", fault.Unsupported},
		{"Empty", "", fault.Invalid},
		{"HLS", "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://example.com/a.ts\n", fault.Unsupported},
		{"FFconcat", "ffconcat version 1.0\nfile '/etc/passwd'\n", fault.Unsupported},
		{"PLS", "[playlist]\nFile1=http://example.com/stream\nNumberOfEntries=1\n", fault.Unsupported},
		{"HTML", "<!DOCTYPE html>\n<html><body>Not found</body></html>\n", fault.Unsupported},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			job := newJob(t, r, []byte(in.data))
			ctx := context.Background()
			_, errProbe := r.Probe(ctx, job)
			_, errDecode := r.Decode(ctx, job, ffmpeg.DecodeOptions{}, io.Discard)
			errEncode := r.Encode(ctx, job, ffmpeg.EncodeArgs{Output: "out.mp3"}, nil)
			_, errMeasure := r.Measure(ctx, job, ffmpeg.MeasureArgs{Filter: "ebur128"}, nil)
			for i, err := range []error{errProbe, errDecode, errEncode, errMeasure} {
				if fault.KindOf(err) != in.kind {
					t.Errorf("call %d: error %v, want kind %v", i, err, in.kind)
				}
			}
			if fileExists(side) {
				t.Fatalf("the fake ffmpeg ran on a rejected input")
			}
		})
	}
}

func TestTimeoutKillsProcessGroup(t *testing.T) {
	for _, tt := range []struct {
		name     string
		timeout  time.Duration
		cancel   time.Duration // cancel the caller's context after this; 0: never
		wantKind fault.Kind
	}{
		{"WallClockLimit", 500 * time.Millisecond, 0, fault.Timeout},
		{"CallerCanceled", time.Minute, 500 * time.Millisecond, fault.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, side := fakeRunner(t, hangScript, ffmpeg.Config{Timeout: tt.timeout})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel > 0 {
				time.AfterFunc(tt.cancel, cancel)
			}
			start := time.Now()
			_, err := r.Decode(ctx, newJob(t, r, wavHeader), ffmpeg.DecodeOptions{}, io.Discard)
			elapsed := time.Since(start)
			if got := fault.KindOf(err); got != tt.wantKind {
				t.Fatalf("Decode error = %v (kind %v), want kind %v", err, got, tt.wantKind)
			}
			// The script sleeps 60 s; returning well before proves it was killed.
			if elapsed > 30*time.Second {
				t.Errorf("Decode returned after %v", elapsed)
			}
			data, err := os.ReadFile(side)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range strings.Fields(string(data)) {
				pid, err := strconv.Atoi(f)
				if err != nil {
					t.Fatal(err)
				}
				if !eventuallyDead(pid, 10*time.Second) {
					t.Errorf("process %d of the group is still running", pid)
				}
			}
		})
	}
}

// eventuallyDead reports whether pid is gone or a zombie within d. A killed
// orphan is reaped by init, which may take a moment (or never happen in a
// container without an init, hence zombies count as dead).
func eventuallyDead(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if errors.Is(err, os.ErrNotExist) {
			return true
		}
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSlowWriterHitsTimeLimit: ffmpeg has finished, but the caller's writer
// takes longer than the time limit to take the output; the result is a timeout,
// not a silently truncated success.
func TestSlowWriterHitsTimeLimit(t *testing.T) {
	r, _ := fakeRunner(t, pcmScript, ffmpeg.Config{Timeout: 300 * time.Millisecond})
	_, err := r.Decode(context.Background(), newJob(t, r, wavHeader), ffmpeg.DecodeOptions{Format: "s16le"}, slowWriter{2 * time.Second})
	if fault.KindOf(err) != fault.Timeout {
		t.Fatalf("Decode error = %v, want Timeout", err)
	}
}

type slowWriter struct{ d time.Duration }

func (s slowWriter) Write(p []byte) (int, error) { time.Sleep(s.d); return len(p), nil }

func TestStderrBounded(t *testing.T) {
	const limit = 4096
	r, _ := fakeRunner(t, floodScript, ffmpeg.Config{MaxStderrBytes: limit})
	_, err := r.Decode(context.Background(), newJob(t, r, wavHeader), ffmpeg.DecodeOptions{}, io.Discard)
	var xe *ffmpeg.ExitError
	if !errors.As(err, &xe) || fault.KindOf(err) != fault.Invalid {
		t.Fatalf("Decode error = %v, want Invalid with an ExitError", err)
	}
	if len(xe.Stderr) > limit {
		t.Errorf("kept %d bytes of stderr, limit %d", len(xe.Stderr), limit)
	}
	if xe.Code != 1 || !strings.HasSuffix(xe.Line(), "the last line") {
		t.Errorf("exit %d, Line() = %q; want 1 and the script's last line", xe.Code, xe.Line())
	}
}

func TestNewResolvesPrograms(t *testing.T) {
	dir := t.TempDir()
	writeScript(t, dir, "ffmpeg", "#!/bin/sh\n")
	writeScript(t, dir, "ffprobe", "#!/bin/sh\n")
	t.Setenv("PATH", dir)
	r, err := ffmpeg.New(ffmpeg.Config{WorkDir: filepath.Join(dir, "work"), MemoryLimitBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Config(); got.Timeout != ffmpeg.DefaultTimeout || got.Threads != 1 ||
		got.MaxStderrBytes != ffmpeg.DefaultMaxStderrBytes || got.MaxOutputBytes != ffmpeg.DefaultMaxOutputBytes {
		t.Errorf("defaults not applied: %+v", got)
	}
	if fi, err := os.Stat(filepath.Join(dir, "work")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("work dir: %v, %v; want mode 0700", fi, err)
	}
	if _, err := ffmpeg.New(ffmpeg.Config{FFmpegPath: "no-such-ffmpeg", MemoryLimitBytes: -1}); err == nil {
		t.Error("New with a missing ffmpeg succeeded")
	}
	if _, err := ffmpeg.New(ffmpeg.Config{}); err == nil {
		t.Error("New without prlimit on PATH succeeded, want an error naming MemoryLimitBytes")
	}
}
