package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/phantomchain/phantomchain/gateway"
	"github.com/phantomchain/phantomchain/gateway/httpapi"
	"github.com/phantomchain/phantomchain/gateway/pgstore"
	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/logging"
	"github.com/phantomchain/phantomchain/platform/testenv"
	"github.com/phantomchain/phantomchain/schema/schematest"
)

type testBundle struct {
	srv   *httptest.Server
	blobs blob.Store
	reg   *prometheus.Registry
	ready *error
}

// setup serves the API over a fresh database and a local-folder blob store.
func setup(t *testing.T, maxUpload int64) *testBundle {
	t.Helper()
	pipe, err := gateway.NewPipeline(gateway.Functions()...)
	if err != nil {
		t.Fatal(err)
	}
	store, err := pgstore.New(schematest.NewPool(t), pipe)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := fileblob.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var readyErr error
	reg := prometheus.NewRegistry()
	api := httpapi.New(httpapi.Config{MaxUploadBytes: maxUpload}, httpapi.Deps{
		Store: store, Blobs: blobs, Pipeline: pipe, Log: logging.Test(t), Registry: reg,
		Ready: []httpapi.Check{{Name: "thing", Check: func(context.Context) error { return readyErr }}},
	})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &testBundle{srv: srv, blobs: blobs, reg: reg, ready: &readyErr}
}

func multipartBody(t *testing.T, fields [][2]string, file string, content []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		_ = mw.WriteField(f[0], f[1])
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", file)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return mw.FormDataContentType(), &buf
}

func (b *testBundle) post(t *testing.T, ct string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(b.srv.URL+"/v1/jobs", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// wav makes a short real WAV file with ffmpeg.
func wav(t *testing.T) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.wav")
	if out, err := exec.Command(testenv.Tool(t, "ffmpeg"), "-v", "error", "-f", "lavfi", "-i", "sine=duration=0.5", p).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCreateJob(t *testing.T) {
	b := setup(t, 1<<20)
	content := wav(t)
	ct, body := multipartBody(t, [][2]string{{"options", `{"steps":["probe"]}`}}, "../../My Song ☺.wav", content)
	resp, out := b.post(t, ct, body)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	var job gateway.Job
	if err := json.Unmarshal(out, &job); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if job.Input.Name != "My Song ☺.wav" || job.Input.Size != int64(len(content)) || job.Input.SHA256 != hex.EncodeToString(sum[:]) ||
		job.Input.Format != "wav" || !strings.HasPrefix(job.Input.Key, "default/jobs/"+job.ID) {
		t.Errorf("input = %+v", job.Input)
	}
	if resp.Header.Get("Location") != "/v1/jobs/"+job.ID {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}
	rc, info, err := b.blobs.Get(context.Background(), job.Input.Key)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(stored, content) || info.Metadata["filename"] == "" {
		t.Errorf("stored %d bytes (metadata %v), want the upload", len(stored), info.Metadata)
	}

	// GET returns the same job.
	r, err := http.Get(b.srv.URL + "/v1/jobs/" + job.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got gateway.Job
	_ = json.NewDecoder(r.Body).Decode(&got)
	r.Body.Close()
	if got.ID != job.ID || got.State != gateway.JobQueued || len(got.Steps) != 1 {
		t.Errorf("GET = %+v", got)
	}
}

func TestProblems(t *testing.T) {
	b := setup(t, 4096)
	content := wav(t)
	type want struct {
		status int
		code   string
		detail string
	}
	tests := []struct {
		name string
		do   func() (*http.Response, []byte)
		want want
	}{
		{"NoFile", func() (*http.Response, []byte) {
			ct, body := multipartBody(t, [][2]string{{"options", "{}"}}, "", nil)
			return b.post(t, ct, body)
		}, want{400, "invalid", `form field "file" is required`}},
		{"UnknownField", func() (*http.Response, []byte) {
			ct, body := multipartBody(t, [][2]string{{"colour", "red"}}, "a.wav", content[:100])
			return b.post(t, ct, body)
		}, want{400, "invalid", `unknown form field "colour"`}},
		{"BadOptionsJSON", func() (*http.Response, []byte) {
			ct, body := multipartBody(t, [][2]string{{"options", "{"}}, "a.wav", content[:100])
			return b.post(t, ct, body)
		}, want{400, "invalid", "options: invalid JSON"}},
		{"TooLarge", func() (*http.Response, []byte) {
			ct, body := multipartBody(t, nil, "a.wav", content)
			return b.post(t, ct, body)
		}, want{413, "too_large", "file larger than the 4096-byte limit"}},
		{"NotAudio", func() (*http.Response, []byte) {
			ct, body := multipartBody(t, nil, "a.wav", []byte("<html><body>hi</body></html>"))
			return b.post(t, ct, body)
		}, want{415, "unsupported", ""}},
		{"NotMultipart", func() (*http.Response, []byte) {
			return b.post(t, "application/json", strings.NewReader("{}"))
		}, want{415, "unsupported", "want a multipart/form-data upload"}},
		{"NoRoute", func() (*http.Response, []byte) {
			r, _ := http.Get(b.srv.URL + "/v2/things")
			out, _ := io.ReadAll(r.Body)
			r.Body.Close()
			return r, out
		}, want{404, "not_found", "no route for GET /v2/things"}},
		{"MethodNotAllowed", func() (*http.Response, []byte) {
			req, _ := http.NewRequest(http.MethodDelete, b.srv.URL+"/healthz", nil)
			r, _ := http.DefaultClient.Do(req)
			out, _ := io.ReadAll(r.Body)
			r.Body.Close()
			return r, out
		}, want{405, "method_not_allowed", "method DELETE not allowed"}},
		{"BadCursor", func() (*http.Response, []byte) {
			r, _ := http.Get(b.srv.URL + "/v1/jobs?cursor=bm90LWEtY3Vyc29y")
			out, _ := io.ReadAll(r.Body)
			r.Body.Close()
			return r, out
		}, want{400, "invalid", "cursor: malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := tt.do()
			if resp.StatusCode != tt.want.status || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
			}
			var p struct {
				Type, Title, Detail, Code, Instance string
				Status                              int
			}
			if err := json.Unmarshal(out, &p); err != nil {
				t.Fatal(err)
			}
			if p.Type != "about:blank" || p.Title == "" || p.Status != tt.want.status || p.Code != tt.want.code ||
				!strings.Contains(p.Detail, tt.want.detail) || p.Instance == "" {
				t.Errorf("problem = %+v, want %+v", p, tt.want)
			}
		})
	}
	// Nothing was stored by any of the failed uploads.
	for info, err := range b.blobs.List(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("object %s left behind", info.Key)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	b := setup(t, 1<<20)
	get := func(path string) (int, string) {
		r, err := http.Get(b.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		out, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(out)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"thing": "ok"`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	*b.ready = errors.New("down")
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, `"thing": "down"`) {
		t.Errorf("/readyz with a failing check = %d %s", code, body)
	}
	get("/v1/jobs/0190aa2e-0000-7000-8000-000000000000")
	_, metrics := get("/metrics")
	for _, want := range []string{
		`phantom_gateway_http_requests_total{code="404",method="GET",route="/v1/jobs/:id"} 1`,
		`phantom_gateway_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
