package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestListAndCancel lists jobs with filters and cursor pagination, and cancels one.
func TestListAndCancel(t *testing.T) {
	env := testEnv(t)
	gw := startGateway(t, env) // no probe: the jobs stay queued
	path := sharedAudio(t, "msx_harp_harmony.mp3")
	var ids []string
	for range 5 {
		ids = append(ids, gw.uploadFile(t, path, `{"steps":["probe"]}`).ID)
	}

	// Newest first, two per page, every job exactly once.
	var seen []string
	next := "/v1/jobs?limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		var page struct {
			Jobs       []jobJSON `json:"jobs"`
			NextCursor string    `json:"next_cursor"`
		}
		if code := gw.get(t, next, &page); code != http.StatusOK {
			t.Fatalf("GET %s = %d", next, code)
		}
		for _, j := range page.Jobs {
			seen = append(seen, j.ID)
			if len(j.Steps) != 1 || j.Steps[0].Name != "probe" {
				t.Errorf("listed job steps = %+v", j.Steps)
			}
		}
		next = ""
		if page.NextCursor != "" {
			next = "/v1/jobs?limit=2&cursor=" + page.NextCursor
		}
	}
	if fmt.Sprint(seen) != fmt.Sprint(reverse(ids)) {
		t.Errorf("listed %v, want newest first %v", seen, reverse(ids))
	}

	req, _ := http.NewRequest(http.MethodPost, gw.URL+"/v1/jobs/"+ids[0]+"/cancel", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var canceled jobJSON
	decodeJSON(t, resp.Body, &canceled)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || canceled.State != "canceled" || canceled.Steps[0].State != "canceled" {
		t.Fatalf("cancel = %d %+v", resp.StatusCode, canceled)
	}
	resp, err = http.DefaultClient.Do(req.Clone(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("second cancel = %d, want 409", resp.StatusCode)
	}

	var filtered struct {
		Jobs []jobJSON `json:"jobs"`
	}
	gw.get(t, "/v1/jobs?state=canceled", &filtered)
	if len(filtered.Jobs) != 1 || filtered.Jobs[0].ID != ids[0] {
		t.Errorf("state=canceled lists %+v, want only %s", filtered.Jobs, ids[0])
	}
	var p problemJSON
	if code := gw.get(t, "/v1/jobs?state=sleeping", &p); code != http.StatusBadRequest {
		t.Errorf("bad state filter = %d", code)
	}

	// The canceled job stays canceled when a probe appears; the others finish.
	startProbe(t, env)
	last := gw.waitJob(t, ids[4], time.Minute)
	if last.State != "succeeded" {
		t.Errorf("job %s = %s, want succeeded", ids[4], last.State)
	}
	if j := gw.job(t, ids[0]); j.State != "canceled" {
		t.Errorf("canceled job became %s", j.State)
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// TestNATSCLI uses the nats CLI the way an operator would: the probe service is
// listed with its version and metadata, and a request on it returns the probe JSON.
func TestNATSCLI(t *testing.T) {
	natsCLI := testenv.Tool(t, "nats")
	env := testEnv(t)
	env["PROBE_CONCURRENCY"] = "2"
	startProbe(t, env)
	cli := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(natsCLI, append([]string{"--server", env["NATS_URL"]}, args...)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("nats %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	if out := cli("micro", "ls"); !strings.Contains(out, "probe") || !strings.Contains(out, "0.1.0-dev") {
		t.Errorf("nats micro ls:\n%s\nwant the probe service with its version", out)
	}
	var info struct {
		Info struct {
			Name      string            `json:"name"`
			Version   string            `json:"version"`
			Metadata  map[string]string `json:"metadata"`
			Endpoints []struct {
				Subject string `json:"subject"`
			} `json:"endpoints"`
		} `json:"info"`
	}
	if err := json.Unmarshal([]byte(cli("micro", "info", "probe", "--json")), &info); err != nil {
		t.Fatal(err)
	}
	i := info.Info
	if i.Name != "probe" || i.Version != "0.1.0-dev" || i.Metadata["max_concurrency"] != "2" ||
		!strings.Contains(i.Metadata["formats"], "flac") || len(i.Endpoints) != 1 || i.Endpoints[0].Subject != contract.ProbeSubject {
		t.Errorf("nats micro info probe = %+v", i)
	}

	blobs := s3Store(t, env)
	if _, err := blob.Upload(context.Background(), blobs, "cli/song.flac", sharedAudio(t, "nott_jigs_captainwhite_x38.flac"), blob.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	out := cli("micro", "req", "probe", "inspect", `{"input":{"key":"cli/song.flac"}}`, "--raw")
	var res contract.ProbeResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("nats micro req output is not the probe JSON: %v\n%s", err, out)
	}
	if res.Format != "flac" || res.Streams[0].Codec != "flac" || res.Duration <= 0 {
		t.Errorf("probe via the CLI = %+v", res)
	}
}

// rss returns a process's resident set size in bytes, from /proc.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestLargeUploadMemory streams a 1 GiB upload through the gateway into S3 and checks
// that the gateway's resident memory grows by less than 100 MiB.
func TestLargeUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB upload skipped in -short mode")
	}
	env := testEnv(t)
	gw := startGateway(t, env)
	pid := gw.cmd.Process.Pid
	before := rss(t, pid)

	const size = 1 << 30
	stop, sampled := make(chan struct{}), make(chan int64)
	go func() {
		peak := before
		for {
			select {
			case <-stop:
				sampled <- peak
				return
			case <-time.After(20 * time.Millisecond):
				peak = max(peak, rss(t, pid))
			}
		}
	}()
	start := time.Now()
	resp := gw.upload(t, "long.wav", io.LimitReader(newWAV(size), size+44), "")
	elapsed := time.Since(start)
	close(stop)
	peak := <-sampled
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	var job jobJSON
	decodeJSON(t, resp.Body, &job)
	if job.Input.Size != size+44 {
		t.Errorf("stored size = %d, want %d", job.Input.Size, size+44)
	}
	growth := peak - before
	t.Logf("1 GiB upload in %v (%.0f MiB/s); gateway RSS %d MiB before, peak %d MiB, growth %d MiB",
		elapsed.Round(time.Millisecond), float64(size)/(1<<20)/elapsed.Seconds(), before>>20, peak>>20, growth>>20)
	if growth >= 100<<20 {
		t.Errorf("gateway RSS grew by %d MiB, want < 100 MiB", growth>>20)
	}
}
