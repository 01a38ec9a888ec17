package test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The API's JSON as a client reads it.
type (
	jobJSON struct {
		ID    string `json:"id"`
		State string `json:"state"`
		Input struct {
			Key    string `json:"key"`
			Name   string `json:"name"`
			Size   int64  `json:"size"`
			SHA256 string `json:"sha256"`
			Format string `json:"format"`
		} `json:"input"`
		Steps []stepJSON `json:"steps"`
		Error *errJSON   `json:"error"`
	}
	stepJSON struct {
		Name     string          `json:"name"`
		Function string          `json:"function"`
		State    string          `json:"state"`
		Attempts int             `json:"attempts"`
		Result   json.RawMessage `json:"result"`
		Error    *errJSON        `json:"error"`
	}
	errJSON struct {
		Code    int    `json:"code"`
		Kind    string `json:"kind"`
		Message string `json:"message"`
	}
	problemJSON struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
		Code   string `json:"code"`
	}
)

// upload streams body as the multipart "file" field (and options, when not empty,
// as the "options" field before it) without buffering it.
func (g *gateway) upload(t *testing.T, filename string, body io.Reader, options string) *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if options != "" {
				if err := mw.WriteField("options", options); err != nil {
					return err
				}
			}
			fw, err := mw.CreateFormFile("file", filename)
			if err != nil {
				return err
			}
			if _, err := io.Copy(fw, body); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, g.URL+"/v1/jobs", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload %s: %v", filename, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// uploadFile uploads a local file and returns the accepted job.
func (g *gateway) uploadFile(t *testing.T, path, options string) jobJSON {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	resp := g.upload(t, filepath.Base(path), f, options)
	if resp.StatusCode != http.StatusAccepted {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("upload %s: %s %s", path, resp.Status, b)
	}
	var job jobJSON
	decodeJSON(t, resp.Body, &job)
	if loc := resp.Header.Get("Location"); loc != "/v1/jobs/"+job.ID {
		t.Errorf("Location = %q, want /v1/jobs/%s", loc, job.ID)
	}
	return job
}

// get GETs a path of the API and decodes the JSON reply into v, returning the status.
func (g *gateway) get(t *testing.T, path string, v any) int {
	t.Helper()
	resp, err := http.Get(g.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		decodeJSON(t, resp.Body, v)
	}
	return resp.StatusCode
}

// job returns the job's current state.
func (g *gateway) job(t *testing.T, id string) jobJSON {
	t.Helper()
	var j jobJSON
	if code := g.get(t, "/v1/jobs/"+id, &j); code != http.StatusOK {
		t.Fatalf("GET job %s: %d", id, code)
	}
	return j
}

// waitJob waits until the job has ended and returns it.
func (g *gateway) waitJob(t *testing.T, id string, timeout time.Duration) jobJSON {
	t.Helper()
	var j jobJSON
	waitFor(t, timeout, "job "+id+" to end", func() bool {
		j = g.job(t, id)
		return j.State == "succeeded" || j.State == "failed" || j.State == "canceled"
	})
	return j
}

func (j jobJSON) step(t *testing.T, name string) stepJSON {
	t.Helper()
	for _, s := range j.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("job %s has no step %q: %+v", j.ID, name, j.Steps)
	return stepJSON{}
}

func (e *errJSON) String() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%d %s: %s", e.Code, e.Kind, e.Message)
}
