package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A FileUpload stores a local file that another process (an encoder) is still
// writing, so that most of the upload overlaps the writing. Start it before the
// writer creates the file and call Finish once the writer has exited (or Abort).
//
// On a [MultipartStore], parts after the first are sent while the file grows past
// them. Writers commonly go back to the start of a file to fill in a header once
// they know the length (WAV, FLAC, MP3's Xing frame), so the first part is only
// sent by Finish; and as a writer might also rewrite any other region, Finish
// reads the whole file again, checks each part sent early against a checksum of
// what was sent, and sends again any that differ. What is published is therefore
// exactly the final file. On other stores, Finish simply uploads the file.
type FileUpload struct {
	store      Store
	key, path  string
	opts       PutOptions
	poll       time.Duration
	stop       chan struct{}
	stopped    chan struct{}
	finishOnce sync.Once

	// Owned by the sender until stopped is closed.
	mp   Multipart
	sent []sentPart // by part number - 1; parts not sent are zero

	early atomic.Int64 // bytes sent by the sender
}

// sentPart is what was sent as one part: its length and two CRC-32s of it.
type sentPart struct {
	size int64
	sum  uint64
}

// Part sizes of a FileUpload: [MinPartSize] for the first 2,000 parts, doubling
// every 2,000 parts after that up to 16 × MinPartSize, so that the 10,000 parts
// reach 300 GiB while a small file still sends most of itself early.
func partSize(n int) int64 {
	return MinPartSize << min((n-1)/2000, 4)
}

// StartFileUpload begins storing the file at path, which need not exist yet,
// under key. poll is how often the file's size is checked (0 means 20 ms). ctx
// bounds the early sending; Finish and Abort take their own.
func StartFileUpload(ctx context.Context, s Store, key, path string, opts PutOptions, poll time.Duration) *FileUpload {
	u := &FileUpload{store: s, key: key, path: path, opts: opts, poll: poll,
		stop: make(chan struct{}), stopped: make(chan struct{})}
	if u.poll <= 0 {
		u.poll = 20 * time.Millisecond
	}
	ms, ok := s.(MultipartStore)
	if !ok {
		close(u.stopped)
		return u
	}
	go u.send(ctx, ms)
	return u
}

// earlyConcurrency is how many parts the sender has in flight at once: with
// one, a request's latency leaves the sender behind a fast encoder.
const earlyConcurrency = 2

// send sends parts 2, 3, … as soon as the file holds each whole, until stopped.
func (u *FileUpload) send(ctx context.Context, ms MultipartStore) {
	defer close(u.stopped)
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(u.poll)
	defer t.Stop()
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	var mu sync.Mutex // guards u.sent
	var failed atomic.Bool
	bufs := make(chan []byte, earlyConcurrency) // free part buffers
	for range earlyConcurrency {
		bufs <- nil
	}
	n, off := 2, int64(MinPartSize) // the next part to send, and where it starts
	for !failed.Load() {
		select {
		case <-u.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if f == nil {
			var err error
			if f, err = os.Open(u.path); err != nil {
				continue // not created yet
			}
		}
		fi, err := f.Stat()
		if err != nil {
			return
		}
		for n <= MaxParts && fi.Size() >= off+partSize(n) && !failed.Load() {
			var buf []byte
			select {
			case <-u.stop:
				return // Finish sends what is left
			case buf = <-bufs:
			}
			size := partSize(n)
			if int64(cap(buf)) < size {
				buf = make([]byte, size)
			}
			b := buf[:size]
			if _, err := f.ReadAt(b, off); err != nil {
				return
			}
			if u.mp == nil {
				if u.mp, err = ms.NewMultipart(ctx, u.key, u.opts); err != nil {
					return
				}
			}
			wg.Add(1)
			go func(n int, b []byte) {
				defer wg.Done()
				defer func() { bufs <- b }()
				// A part that fails is left to Finish, which sends every part
				// not recorded here; the sender stops.
				if err := u.mp.PutPart(ctx, n, bytes.NewReader(b), int64(len(b))); err != nil {
					failed.Store(true)
					return
				}
				sum := checksum(b)
				mu.Lock()
				for len(u.sent) < n {
					u.sent = append(u.sent, sentPart{})
				}
				u.sent[n-1] = sentPart{size: int64(len(b)), sum: sum}
				mu.Unlock()
				u.early.Add(int64(len(b)))
			}(n, b)
			n, off = n+1, off+size
		}
	}
}

// Finish stores the file as it is now, which its writer must have finished, and
// returns the object's Info and the SHA-256 of its content (hex). On failure
// nothing is stored.
func (u *FileUpload) Finish(ctx context.Context) (Info, string, error) {
	u.halt()
	if u.mp == nil {
		return u.uploadWhole(ctx)
	}
	info, sum, err := u.complete(ctx)
	if errors.Is(err, errShrank) {
		_ = u.mp.Abort(context.WithoutCancel(ctx))
		return u.uploadWhole(ctx)
	}
	if err != nil {
		_ = u.mp.Abort(context.WithoutCancel(ctx))
		return Info{}, "", fmt.Errorf("blob: upload %s: %w", u.key, err)
	}
	return info, sum, nil
}

// Abort stops the upload and discards what was sent; nothing is stored.
func (u *FileUpload) Abort(ctx context.Context) {
	u.halt()
	if u.mp != nil {
		_ = u.mp.Abort(ctx)
	}
}

func (u *FileUpload) halt() {
	u.finishOnce.Do(func() { close(u.stop) })
	<-u.stopped
}

// uploadWhole is Finish when nothing was sent early.
func (u *FileUpload) uploadWhole(ctx context.Context) (Info, string, error) {
	return UploadHashed(ctx, u.store, u.key, u.path, u.opts)
}

// UploadHashed is [Upload] that also returns the SHA-256 of what it stored (hex).
func UploadHashed(ctx context.Context, s Store, key, path string, opts PutOptions) (Info, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, "", fmt.Errorf("blob: upload %s: %w", key, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Info{}, "", fmt.Errorf("blob: upload %s: %w", key, err)
	}
	h := sha256.New()
	info, err := s.Put(ctx, key, io.TeeReader(f, h), fi.Size(), opts)
	if err != nil {
		return Info{}, "", err
	}
	return info, hex.EncodeToString(h.Sum(nil)), nil
}

// complete reads the file part by part, hashing it, sends the parts that were
// not sent or have changed since (two at a time, while reading on), and
// completes the upload.
func (u *FileUpload) complete(ctx context.Context) (Info, string, error) {
	f, err := os.Open(u.path)
	if err != nil {
		return Info{}, "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Info{}, "", err
	}
	total := fi.Size()
	if len(u.sent) > partsOf(total) {
		// Parts sent early lie beyond the final end of the file (it was
		// truncated and written again, shorter); Complete would publish them.
		return Info{}, "", errShrank
	}
	h := sha256.New()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	slots := make(chan []byte, 2) // buffers of parts being sent
	slots <- nil
	slots <- nil
	var sendErr error
	var errOnce sync.Once
	var off int64
	for n := 1; off < total || n == 1; n++ {
		if n > MaxParts {
			return Info{}, "", fmt.Errorf("%d bytes need more than %d parts", total, MaxParts)
		}
		size := min(partSize(n), total-off)
		var buf []byte
		select {
		case buf = <-slots:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if int64(cap(buf)) < size {
			buf = make([]byte, partSize(n))
		}
		b := buf[:size]
		if _, err := io.ReadFull(io.NewSectionReader(f, off, size), b); err != nil {
			cancel(err)
			break
		}
		h.Write(b)
		if n <= len(u.sent) && size > 0 && u.sent[n-1] == (sentPart{size: size, sum: checksum(b)}) {
			slots <- buf
		} else {
			wg.Add(1)
			go func(n int, b []byte) {
				defer wg.Done()
				if err := u.mp.PutPart(ctx, n, bytes.NewReader(b), int64(len(b))); err != nil {
					errOnce.Do(func() { sendErr = err })
					cancel(err)
				}
				slots <- b[:0]
			}(n, b)
		}
		off += size
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		if sendErr != nil {
			return Info{}, "", sendErr
		}
		return Info{}, "", err
	}
	info, err := u.mp.Complete(ctx)
	if err != nil {
		return Info{}, "", err
	}
	return info, hex.EncodeToString(h.Sum(nil)), nil
}

var errShrank = errors.New("blob: file shrank after parts were sent")

// SentEarly returns how many bytes have been sent while the file was being
// written (so far, if the upload is not finished), counting parts that Finish
// found changed and sent again.
func (u *FileUpload) SentEarly() int64 { return u.early.Load() }

// partsOf returns the number of parts of a file of size bytes.
func partsOf(size int64) int {
	n, off := 1, partSize(1)
	for off < size {
		n++
		off += partSize(n)
	}
	return n
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is the IEEE and Castagnoli CRC-32s of b, both computed in hardware
// on common CPUs: 64 bits that tell whether a region a writer went back to
// still holds what was sent.
func checksum(b []byte) uint64 {
	return uint64(crc32.ChecksumIEEE(b))<<32 | uint64(crc32.Checksum(b, castagnoli))
}
