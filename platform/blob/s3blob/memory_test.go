package s3blob_test

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
)

// TestPutMemory streams an object of unknown size (1 GiB unless
// PHANTOM_BLOB_MEMTEST_MIB says otherwise) and checks that the heap grows by a
// few parts at most, not with the object. It runs only with
// PHANTOM_BLOB_MEMTEST=1, as it moves a lot of data:
//
//	PHANTOM_BLOB_MEMTEST=1 TEST_S3_ENDPOINT=… go test -run TestPutMemory -v ./blob/s3blob/
func TestPutMemory(t *testing.T) {
	if os.Getenv("PHANTOM_BLOB_MEMTEST") != "1" {
		t.Skip("skipping: set PHANTOM_BLOB_MEMTEST=1 to stream 1 GiB into S3 and measure memory")
	}
	mib := int64(1024)
	if v := os.Getenv("PHANTOM_BLOB_MEMTEST_MIB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			t.Fatalf("PHANTOM_BLOB_MEMTEST_MIB=%q: want a positive integer", v)
		}
		mib = n
	}
	b := setup(t, func(c *s3blob.Config) { c.PartSize = 0 }) // the defaults
	part, threads := int64(s3blob.DefaultPartSize), int64(s3blob.DefaultPartConcurrency)
	size := mib << 20

	for _, known := range []bool{false, true} {
		name := map[bool]string{false: "UnknownSize", true: "KnownSize"}[known]
		t.Run(name, func(t *testing.T) {
			var r io.Reader = io.LimitReader(newPattern(), size)
			n := size
			if !known {
				r, n = struct{ io.Reader }{r}, -1
			}
			runtime.GC()
			base := sample()
			stop := watch(base)
			start := time.Now()
			info, err := b.store.Put(t.Context(), "mem/"+name, r, n, blob.PutOptions{})
			elapsed := time.Since(start)
			peak := stop()
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if info.Size != size {
				t.Fatalf("Put stored %d bytes, want %d", info.Size, size)
			}
			const m = 1 << 20
			t.Logf("%s: %d MiB in %v (%.0f MiB/s), part %d MiB × %d", name, mib, elapsed.Round(time.Millisecond),
				float64(mib)/elapsed.Seconds(), part/m, threads)
			t.Logf("peak growth: live+unswept heap %d MiB, heap in use %d MiB, memory mapped by the runtime %d MiB, RSS %d MiB (VmHWM %d → %d MiB)",
				(peak.heapObjects-base.heapObjects)/m, (peak.heapInUse-base.heapInUse)/m,
				(peak.runtimeTotal-base.runtimeTotal)/m, (peak.rss-base.rss)/m, base.hwm/m, peak.hwm/m)
			// The buffers: threads parts, plus one part of look-ahead, plus what
			// the garbage collector lets pile up before it runs (GOGC=100 lets
			// the heap double), plus slack for HTTP and TLS buffers.
			if limit := 2*(threads+1)*part + 32*m; peak.heapInUse-base.heapInUse > limit {
				t.Errorf("heap in use grew by %d MiB, want at most %d MiB", (peak.heapInUse-base.heapInUse)/m, limit/m)
			}
		})
	}
}

// pattern is a cheap endless stream of incompressible bytes.
type pattern struct {
	block []byte
	off   int
}

func newPattern() *pattern {
	b := make([]byte, 1<<20)
	rand.NewChaCha8([32]byte{42}).Read(b)
	return &pattern{block: b}
}

func (p *pattern) Read(b []byte) (int, error) {
	n := copy(b, p.block[p.off:])
	p.off = (p.off + n) % len(p.block)
	return n, nil
}

type memSample struct {
	heapObjects, heapInUse, runtimeTotal, rss, hwm int64
}

var memMetrics = []metrics.Sample{
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/memory/classes/heap/unused:bytes"},
	{Name: "/memory/classes/total:bytes"},
}

// sample reads the runtime's memory figures and, on Linux, the process's
// resident set size and its high-water mark.
func sample() memSample {
	metrics.Read(memMetrics)
	s := memSample{
		heapObjects:  int64(memMetrics[0].Value.Uint64()),
		heapInUse:    int64(memMetrics[0].Value.Uint64() + memMetrics[1].Value.Uint64()),
		runtimeTotal: int64(memMetrics[2].Value.Uint64()),
	}
	if f, err := os.Open("/proc/self/status"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), ":")
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			switch k {
			case "VmRSS":
				s.rss = kb << 10
			case "VmHWM":
				s.hwm = kb << 10
			}
		}
		f.Close()
	}
	return s
}

// watch samples memory every few milliseconds until the returned function is
// called, which returns the peak of each figure.
func watch(base memSample) func() memSample {
	done := make(chan struct{})
	var wg sync.WaitGroup
	peak := base
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			s := sample()
			peak.heapObjects = max(peak.heapObjects, s.heapObjects)
			peak.heapInUse = max(peak.heapInUse, s.heapInUse)
			peak.runtimeTotal = max(peak.runtimeTotal, s.runtimeTotal)
			peak.rss = max(peak.rss, s.rss)
			peak.hwm = max(peak.hwm, s.hwm)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() memSample {
		close(done)
		wg.Wait()
		return peak
	}
}
