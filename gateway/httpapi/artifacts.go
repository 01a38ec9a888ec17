package httpapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/blob"
)

// presignTTL is how long a redirect's presigned URL stays valid.
const presignTTL = 15 * time.Minute

// handleArtifactGet downloads an artifact of a job by its name (or its file
// name): GET /v1/jobs/{id}/artifacts/{name}.
//
// By default the gateway streams it from the blob store, honouring Range and
// conditional requests (ETag, If-Modified-Since). With ?redirect=1 it answers
// 307 Temporary Redirect to a presigned URL of the blob store valid for 15
// minutes instead, when the store can make one (S3); otherwise it streams.
// Either way the response offers the artifact under its file name
// (Content-Disposition: attachment). An unknown name, or one whose step has
// not succeeded, is 404.
func (s *Server) handleArtifactGet(w http.ResponseWriter, r *http.Request) error {
	params := httprouter.ParamsFromContext(r.Context())
	job, err := s.deps.Store.GetJob(r.Context(), s.cfg.Tenant, params.ByName("id"))
	if err != nil {
		return err
	}
	name := params.ByName("name")
	arts := s.deps.Pipeline.Artifacts(job)
	var art *gateway.Artifact
	for i := range arts {
		if arts[i].Name == name || arts[i].File == name {
			art = &arts[i]
			break
		}
	}
	if art == nil {
		return artifactNotFound(job, name, arts)
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": art.File})
	if redirect, _ := strconv.ParseBool(r.URL.Query().Get("redirect")); redirect {
		u, err := s.deps.Blobs.PresignGet(r.Context(), art.Key, presignTTL, art.File)
		if err == nil {
			w.Header().Set("Cache-Control", "private, no-store")
			http.Redirect(w, r, u, http.StatusTemporaryRedirect)
			return nil
		}
		if !errors.Is(err, blob.ErrPresignUnsupported) {
			return err
		}
	}
	info, err := s.deps.Blobs.Stat(r.Context(), art.Key)
	if errors.Is(err, blob.ErrNotFound) {
		return problemf(http.StatusNotFound, "artifact %q of job %s is no longer stored", art.Name, job.ID)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", art.ContentType)
	h.Set("Content-Disposition", disposition)
	// The content's digest is the strongest validator there is.
	h.Set("ETag", strconv.Quote(cmp.Or(art.SHA256, strings.Trim(info.ETag, `"`))))
	h.Set("Cache-Control", "private, max-age=3600")
	rs := &blobSeeker{ctx: r.Context(), store: s.deps.Blobs, key: art.Key, size: info.Size}
	defer rs.Close()
	http.ServeContent(w, r, art.File, info.ModTime, rs)
	return nil
}

// artifactNotFound says why there is no artifact of that name, naming the ones
// there are and the steps that may still make some.
func artifactNotFound(job *gateway.Job, name string, arts []gateway.Artifact) error {
	names := make([]string, len(arts))
	for i, a := range arts {
		names[i] = strconv.Quote(a.Name)
	}
	have := "none"
	if len(names) > 0 {
		have = strings.Join(names, ", ")
	}
	var pending []string
	for _, st := range job.Steps {
		if !st.State.Terminal() {
			pending = append(pending, st.Name+" is "+string(st.State))
		}
	}
	if len(pending) > 0 {
		return problemf(http.StatusNotFound, "job %s has no artifact %q yet (have: %s; %s)", job.ID, name, have, strings.Join(pending, ", "))
	}
	return problemf(http.StatusNotFound, "job %s has no artifact %q (have: %s)", job.ID, name, have)
}

// blobSeeker reads an object through ranged GETs so that http.ServeContent can
// serve Range requests: Seek only moves the offset, and the next Read opens the
// object from there.
type blobSeeker struct {
	ctx   context.Context
	store blob.Store
	key   string
	size  int64
	off   int64
	rc    io.ReadCloser
}

func (b *blobSeeker) Read(p []byte) (int, error) {
	if b.off >= b.size {
		return 0, io.EOF
	}
	if b.rc == nil {
		rc, err := b.store.GetRange(b.ctx, b.key, b.off, -1)
		if err != nil {
			return 0, err
		}
		b.rc = rc
	}
	n, err := b.rc.Read(p)
	b.off += int64(n)
	return n, err
}

func (b *blobSeeker) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	}
	if offset < 0 {
		return 0, fmt.Errorf("httpapi: seek to %d", offset)
	}
	if offset != b.off {
		b.Close()
		b.off = offset
	}
	return offset, nil
}

func (b *blobSeeker) Close() error {
	if b.rc == nil {
		return nil
	}
	err := b.rc.Close()
	b.rc = nil
	return err
}
