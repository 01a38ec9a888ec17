package r128_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/phantomchain/phantomchain/functions/loudness/r128"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// agreementFiles are music clips from the shared eval-dev set: real recordings,
// synthesised MIDI and tracker music, MP3 and FLAC, 44.1 kHz stereo.
var agreementFiles = []string{
	"fof_muldjord_armygeddon_100.mp3",
	"fof_sectoid_feelings_040.mp3",
	"lmms_CapDanReggaetonTry.mp3",
	"lmms_Skiessi222.mp3",
	"msx_harp_harmony.mp3",
	"nott_jigs_avonjig_x10.mp3",
	"nott_jigs_athollhighlanders_x8.flac",
	"nott_jigs_captainwhite_x38.flac",
	"nott_reelsd-g_drunkenpiper_x19.flac",
	"nott_reelsh-l_thetriptolondon_x87.flac",
}

// TestAgreesWithFFmpeg measures music decoded by ffmpeg and compares with the
// Summary of ffmpeg's ebur128 filter on the same file.
func TestAgreesWithFFmpeg(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev")
	ffmpeg, ffprobe := testenv.Tool(t, "ffmpeg"), testenv.Tool(t, "ffprobe")
	const tolI, tolLRA, tolTP = 0.1, 0.5, 0.3
	var (
		mu    sync.Mutex
		table []string
	)
	t.Cleanup(func() { // after the parallel subtests
		slices.Sort(table)
		t.Logf("agreement with ffmpeg ebur128 (ours, ffmpeg, difference):\n%-40s %22s | %20s | %22s\n%s",
			"file", "I LUFS", "LRA LU", "TP dBTP", joinLines(table))
	})
	for _, name := range agreementFiles {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, name)
			if _, err := os.Stat(path); err != nil {
				testenv.Missing(t, "%v", err)
			}
			got := measureWithFFmpegDecode(t, ffmpeg, ffprobe, path)
			want := ffmpegSummary(t, ffmpeg, path)
			dI := got.Integrated.Value - want.i
			dLRA := got.LRA.Value - want.lra
			dTP := got.TruePeak.Value - want.tp
			mu.Lock()
			defer mu.Unlock()
			table = append(table, fmt.Sprintf("%-40s %7.2f %7.1f %+6.2f | %6.2f %6.1f %+6.2f | %7.2f %7.1f %+6.2f",
				name, got.Integrated.Value, want.i, dI, got.LRA.Value, want.lra, dLRA, got.TruePeak.Value, want.tp, dTP))
			if math.Abs(dI) > tolI {
				t.Errorf("integrated %.2f LUFS, ffmpeg %.1f: differs by %.2f LU, want ≤ %.1f", got.Integrated.Value, want.i, dI, tolI)
			}
			if math.Abs(dLRA) > tolLRA {
				t.Errorf("LRA %.2f LU, ffmpeg %.1f: differs by %.2f LU, want ≤ %.1f", got.LRA.Value, want.lra, dLRA, tolLRA)
			}
			if math.Abs(dTP) > tolTP {
				t.Errorf("true peak %.2f dBTP, ffmpeg %.1f: differs by %.2f dB, want ≤ %.1f", got.TruePeak.Value, want.tp, dTP, tolTP)
			}
		})
	}
}

// measureWithFFmpegDecode decodes path with ffmpeg to f32le at its native rate and
// channels, and measures the stream as the loudness service does.
func measureWithFFmpegDecode(t *testing.T, ffmpeg, ffprobe, path string) r128.Result {
	t.Helper()
	out, err := exec.Command(ffprobe, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=sample_rate,channels,channel_layout", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	f := strings.Split(strings.TrimSpace(string(out)), ",")
	if len(f) < 2 {
		t.Fatalf("ffprobe %s: unexpected output %q", path, out)
	}
	rate, err1 := strconv.Atoi(f[0])
	channels, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("ffprobe %s: unexpected output %q", path, out)
	}
	layout := ""
	if len(f) > 2 {
		layout = f[2]
	}
	m, err := r128.New(r128.Config{SampleRate: rate, Channels: channels, Layout: layout, TruePeak: true})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ffmpeg, "-v", "error", "-i", path, "-f", "f32le", "-acodec", "pcm_f32le", "-")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_, rerr := m.ReadFrom(stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ffmpeg decode %s: %v\n%s", path, err, stderr.Bytes())
	}
	if rerr != nil {
		t.Fatal(rerr)
	}
	return m.Result()
}

type summary struct{ i, lra, tp float64 }

var (
	summaryI   = regexp.MustCompile(`(?m)^\s+I:\s+(\S+) LUFS`)
	summaryLRA = regexp.MustCompile(`(?m)^\s+LRA:\s+(\S+) LU`)
	summaryTP  = regexp.MustCompile(`(?m)^\s+Peak:\s+(\S+) dBFS`)
)

// ffmpegSummary runs ffmpeg's ebur128 filter with true peak and parses its Summary.
func ffmpegSummary(t *testing.T, ffmpeg, path string) summary {
	t.Helper()
	out, err := exec.Command(ffmpeg, "-hide_banner", "-nostats", "-i", path,
		"-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128 %s: %v\n%s", path, err, out)
	}
	_, sum, ok := bytes.Cut(out, []byte("Summary:"))
	if !ok {
		t.Fatalf("ffmpeg ebur128 %s: no Summary in\n%s", path, out)
	}
	field := func(re *regexp.Regexp) float64 {
		m := re.FindSubmatch(sum)
		if m == nil {
			t.Fatalf("ffmpeg ebur128 %s: %v not in Summary\n%s", path, re, sum)
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			t.Fatalf("ffmpeg ebur128 %s: %v", path, err)
		}
		return v
	}
	return summary{i: field(summaryI), lra: field(summaryLRA), tp: field(summaryTP)}
}
