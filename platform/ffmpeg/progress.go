package ffmpeg

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Progress is one report of a running Encode or Measure.
type Progress struct {
	// Processed is how much of the input's timeline has been written; it never
	// decreases from one report to the next.
	Processed time.Duration
	// Speed is ffmpeg's speed as a multiple of real time; 0 when unknown.
	Speed float64
	// Size is the output's size in bytes so far (0 for Measure).
	Size int64
	// Done is set on the last report only, sent after ffmpeg has exited
	// successfully.
	Done bool
}

// maxProgressLine bounds one line of -progress output; longer lines are dropped.
const maxProgressLine = 1024

// progressWriter parses ffmpeg's -progress output: blocks of key=value lines,
// each block ending with progress=continue or progress=end.
type progressWriter struct {
	fn   func(Progress)
	line []byte
	skip bool // dropping the rest of an overlong line
	cur  Progress
}

func newProgressWriter(fn func(Progress)) *progressWriter { return &progressWriter{fn: fn} }

func (p *progressWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.add(b)
			break
		}
		p.add(b[:i])
		if !p.skip {
			p.field(string(p.line))
		}
		p.line, p.skip = p.line[:0], false
		b = b[i+1:]
	}
	return n, nil
}

func (p *progressWriter) add(b []byte) {
	if p.skip || len(p.line)+len(b) > maxProgressLine {
		p.skip = true
		return
	}
	p.line = append(p.line, b...)
}

func (p *progressWriter) field(line string) {
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok {
		return
	}
	val = strings.TrimSpace(val)
	switch key {
	case "out_time_us", "out_time_ms":
		// Both are microseconds in ffmpeg 5.1 (out_time_ms is misnamed); before
		// the first timestamp they read N/A or a large negative number.
		if us, err := strconv.ParseInt(val, 10, 64); err == nil && us > 0 {
			p.cur.Processed = max(p.cur.Processed, time.Duration(us)*time.Microsecond)
		}
	case "total_size":
		if n, err := strconv.ParseInt(val, 10, 64); err == nil && n >= 0 {
			p.cur.Size = n
		}
	case "speed":
		p.cur.Speed = 0
		if s, err := strconv.ParseFloat(strings.TrimSuffix(val, "x"), 64); err == nil && s >= 0 {
			p.cur.Speed = s
		}
	case "progress":
		if p.fn != nil {
			p.fn(p.cur)
		}
	}
}

// finish sends the Done report.
func (p *progressWriter) finish() {
	if p.fn != nil {
		done := p.cur
		done.Done = true
		p.fn(done)
	}
}
