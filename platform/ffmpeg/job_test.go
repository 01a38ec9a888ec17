package ffmpeg_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

func TestJob(t *testing.T) {
	r, _ := fakeRunner(t, recordScript, ffmpeg.Config{MemoryLimitBytes: -1})
	job, err := r.NewJob()
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(job.Dir())
	if err != nil || fi.Mode().Perm() != 0o700 || filepath.Dir(job.Dir()) != r.Config().WorkDir {
		t.Errorf("job folder %s: %v, %v; want mode 0700 inside %s", job.Dir(), fi, err, r.Config().WorkDir)
	}
	if want := filepath.Join(job.Dir(), ffmpeg.InputName); job.Input() != want {
		t.Errorf("Input() = %q, want %q", job.Input(), want)
	}
	other, err := r.NewJob()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if other.Dir() == job.Dir() {
		t.Error("two jobs share a folder")
	}

	for _, name := range []string{"out.mp3", "a", "Rendition_2.m4a", "x-y.z"} {
		if p, err := job.Path(name); err != nil || p != filepath.Join(job.Dir(), name) {
			t.Errorf("Path(%q) = %q, %v", name, p, err)
		}
	}
	for _, name := range []string{"", ".", "..", "../x", "a/b", ".hidden", "-f", ffmpeg.InputName,
		"file:x", "a b", "x\x00", strings.Repeat("a", 101), "é.mp3"} {
		if _, err := job.Path(name); fault.KindOf(err) != fault.Invalid {
			t.Errorf("Path(%q) error = %v, want Invalid", name, err)
		}
	}

	if err := os.Symlink("/etc/hostname", job.Input()); err != nil {
		t.Fatal(err)
	}
	if _, err := job.Sniff(); err == nil {
		t.Error("Sniff followed a symbolic link")
	}

	if err := job.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(job.Dir()); !os.IsNotExist(err) {
		t.Errorf("job folder still exists after Close: %v", err)
	}
}
