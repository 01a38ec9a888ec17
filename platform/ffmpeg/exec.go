package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/phantomchain/phantomchain/platform/fault"
)

// errTimeLimit is the cancellation cause when Config.Timeout passes.
var errTimeLimit = errors.New("ffmpeg: time limit exceeded")

// invocation is one ffmpeg or ffprobe process.
type invocation struct {
	program string    // absolute path
	args    []string  // after the program name
	stdout  io.Writer // nil discards stdout
}

// run starts inv in the job folder with an empty environment, in its own process
// group, under the memory limit, and waits for it. When ctx is done, the time
// limit passes or inv.stdout fails, the whole group is killed with SIGKILL. The
// group is killed again once the leader has exited but before it is reaped, so
// no straggler survives and the group ID cannot have been reused. run returns
// the stderr tail and, for a non-zero exit, an *ExitError.
func (r *Runner) run(ctx context.Context, job *Job, inv invocation) ([]byte, error) {
	sinkCtx, cancelCause := context.WithCancelCause(ctx)
	defer cancelCause(nil)
	runCtx, cancel := context.WithTimeoutCause(sinkCtx, r.cfg.Timeout, errTimeLimit)
	defer cancel()

	argv := append([]string{inv.program}, inv.args...)
	if r.prlimit != "" {
		argv = append([]string{r.prlimit, "--as=" + strconv.FormatInt(r.cfg.MemoryLimitBytes, 10), "--"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{}
	cmd.Dir = job.dir
	// Pdeathsig also kills ffmpeg if this process dies (strictly: if the OS
	// thread that started it exits, which Go does only for locked threads).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}

	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: pipe: %w", err)
	}
	defer outR.Close()
	errR, errW, err := os.Pipe()
	if err != nil {
		outW.Close()
		return nil, fmt.Errorf("ffmpeg: pipe: %w", err)
	}
	defer errR.Close()
	cmd.Stdout, cmd.Stderr = outW, errW
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		return nil, fmt.Errorf("ffmpeg: start %s: %w", filepath.Base(inv.program), err)
	}
	pid := cmd.Process.Pid

	var wg sync.WaitGroup
	var outErr error
	stderr := &tailBuffer{max: r.cfg.MaxStderrBytes}
	wg.Go(func() {
		sink := inv.stdout
		if sink == nil {
			sink = io.Discard
		}
		if _, err := io.Copy(sink, outR); err != nil && runCtx.Err() == nil {
			outErr = err
			cancelCause(err) // kills the group; its stdout closes
		}
	})
	wg.Go(func() { io.Copy(stderr, errR) })

	exited := make(chan struct{})
	watcher := make(chan struct{})
	go func() {
		defer close(watcher)
		select {
		case <-runCtx.Done():
			killGroup(pid)
		case <-exited:
		}
	}()
	exitErr := waitExited(pid)
	close(exited)
	<-watcher
	if exitErr == nil {
		killGroup(pid) // the leader is a zombie here: the group ID is still ours
	}
	waitErr := cmd.Wait()
	copied := make(chan struct{})
	go func() { wg.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-runCtx.Done():
		// A process that left the group still holds the pipes, or w is too slow
		// to take the last output in time: either way the output is incomplete.
		outR.Close()
		errR.Close()
		<-copied
		if waitErr == nil {
			waitErr = context.Cause(runCtx)
		}
	}

	tail := stderr.Bytes()
	switch {
	case outErr != nil:
		return tail, outErr
	case waitErr == nil:
		return tail, nil
	case ctx.Err() != nil: // the caller gave up
		return tail, fmt.Errorf("ffmpeg: %w", context.Cause(ctx))
	case errors.Is(context.Cause(runCtx), errTimeLimit):
		return tail, fault.Wrap(fault.Timeout, errTimeLimit,
			fmt.Sprintf("%s did not finish within %s", filepath.Base(inv.program), r.cfg.Timeout))
	}
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		xe := &ExitError{Program: filepath.Base(inv.program), Code: ee.ExitCode(), Stderr: tail, dir: job.dir}
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			xe.Signal = ws.Signal()
		}
		return tail, xe
	}
	return tail, fmt.Errorf("ffmpeg: wait: %w", waitErr)
}

// killGroup sends SIGKILL to every process in the group led by pid.
func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }

// waitExited blocks until process pid has exited, without reaping it
// (waitid with WNOWAIT), so that its process group can still be signalled safely.
func waitExited(pid int) error {
	const pPID = 1     // idtype P_PID
	var info [128]byte // siginfo_t
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid),
			uintptr(unsafe.Pointer(&info)), syscall.WEXITED|syscall.WNOWAIT, 0, 0)
		switch e {
		case 0:
			return nil
		case syscall.EINTR:
			continue
		}
		return fmt.Errorf("ffmpeg: waitid: %w", e)
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max     int
	buf     []byte
	dropped bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		t.dropped = true
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = t.buf[:copy(t.buf, t.buf[over:])]
		t.dropped = true
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// Bytes returns the tail, starting at a line boundary when bytes were dropped.
func (t *tailBuffer) Bytes() []byte {
	b := t.buf
	if t.dropped {
		if i := strings.IndexByte(string(b), '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return b
}

// limitWriter passes at most max bytes to w and fails once more arrive.
type limitWriter struct {
	w   io.Writer
	max int64
	n   int64
	err error // returned when the limit is passed
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n+int64(len(p)) > l.max {
		return 0, l.err
	}
	n, err := l.w.Write(p)
	l.n += int64(n)
	return n, err
}
