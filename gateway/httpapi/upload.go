package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// maxOptionsBytes caps the options form field.
const maxOptionsBytes = 64 << 10

// errUploadTooLarge is returned by the capped file reader.
var errUploadTooLarge = errors.New("httpapi: upload too large")

// handleJobCreate accepts a multipart upload (field "file", optional field "options"
// with the job's options as JSON), stores the file, and records the job with its
// first steps queued, in one transaction. The file is streamed: never buffered
// whole, its first bytes checked before anything is stored.
func (s *Server) handleJobCreate(w http.ResponseWriter, r *http.Request) error {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return problemf(http.StatusUnsupportedMediaType, "want a multipart/form-data upload with a \"file\" field")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+2*maxOptionsBytes)
	mr := multipart.NewReader(r.Body, params["boundary"])

	jobID := uuid.Must(uuid.NewV7()).String()
	var opts gateway.Options
	var input *gateway.Input
	stored := false
	defer func() {
		if input != nil && !stored {
			// The job was not recorded: leave no orphaned object.
			_ = s.deps.Blobs.Delete(contextWithoutCancel(r), input.Key)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return badMultipart(err)
		}
		switch part.FormName() {
		case "options":
			b, err := io.ReadAll(io.LimitReader(part, maxOptionsBytes+1))
			if err != nil {
				return badMultipart(err)
			}
			if len(b) > maxOptionsBytes {
				return problemf(http.StatusRequestEntityTooLarge, "options larger than %d bytes", maxOptionsBytes)
			}
			if err := json.Unmarshal(b, &opts); err != nil {
				return problemf(http.StatusBadRequest, "options: invalid JSON: %v", err)
			}
			if _, err := s.deps.Pipeline.Plan(opts); err != nil {
				return err // fail before storing anything when options come first
			}
		case "file":
			if input != nil {
				return problemf(http.StatusBadRequest, "only one \"file\" field is accepted")
			}
			if input, err = s.storeUpload(r, jobID, part); err != nil {
				return err
			}
		default:
			return problemf(http.StatusBadRequest, "unknown form field %q (want \"file\" and optionally \"options\")", part.FormName())
		}
	}
	if input == nil {
		return problemf(http.StatusBadRequest, "form field \"file\" is required")
	}
	steps, err := s.deps.Pipeline.Plan(opts)
	if err != nil {
		return err
	}
	job := &gateway.Job{ID: jobID, Tenant: s.cfg.Tenant, Input: *input, Options: opts, Steps: steps}
	if err := s.deps.Store.CreateJob(r.Context(), job); err != nil {
		return err
	}
	stored = true
	s.metrics.uploadBytes.Add(float64(input.Size))
	w.Header().Set("Location", "/v1/jobs/"+jobID)
	return encode(w, http.StatusAccepted, job)
}

// storeUpload checks the file part's first bytes and streams it into the blob store
// under a key of the gateway's choosing.
func (s *Server) storeUpload(r *http.Request, jobID string, part *multipart.Part) (*gateway.Input, error) {
	capped := &capReader{r: part, left: s.cfg.MaxUploadBytes}
	head := make([]byte, ffmpeg.HeadSize)
	n, err := io.ReadFull(capped, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, uploadError(err, s.cfg.MaxUploadBytes)
	}
	head = head[:n]
	format, err := ffmpeg.Sniff(head)
	if err != nil {
		return nil, err
	}
	name := cleanFilename(part.FileName())
	in := &gateway.Input{
		Key:         fmt.Sprintf("%s/jobs/%s/input", s.cfg.Tenant, jobID),
		Name:        name,
		ContentType: format.MIMEType,
		Format:      format.Name,
	}
	h := sha256.New()
	body := io.TeeReader(io.MultiReader(bytes.NewReader(head), capped), hashCounter{h, &in.Size})
	meta := map[string]string{"job-id": jobID}
	if name != "" {
		meta["filename"] = url.PathEscape(name)
	}
	if _, err := s.deps.Blobs.Put(r.Context(), in.Key, body, -1, blob.PutOptions{ContentType: format.MIMEType, Metadata: meta}); err != nil {
		return nil, uploadError(err, s.cfg.MaxUploadBytes)
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	return in, nil
}

func uploadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.Is(err, errUploadTooLarge) || errors.As(err, &mbe) {
		return problemf(http.StatusRequestEntityTooLarge, "file larger than the %d-byte limit", limit)
	}
	if fault.KindOf(err) != fault.Internal {
		return err
	}
	return badMultipart(err)
}

func badMultipart(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return problemf(http.StatusRequestEntityTooLarge, "upload larger than %d bytes", mbe.Limit)
	}
	if fault.KindOf(err) != fault.Internal {
		return err
	}
	return &problem{Status: http.StatusBadRequest, Detail: "malformed multipart body: " + err.Error()}
}

// capReader fails once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errUploadTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errUploadTooLarge
	}
	return n, err
}

// hashCounter hashes and counts what passes through it.
type hashCounter struct {
	h hash.Hash
	n *int64
}

func (hc hashCounter) Write(p []byte) (int, error) {
	*hc.n += int64(len(p))
	return hc.h.Write(p)
}

// cleanFilename keeps the client's file name as information only: the base name,
// valid UTF-8 without control characters, at most 255 bytes.
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}
