package test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/phantomchain/phantomchain/platform/blob/s3blob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/testenv"
)

// TestUploadAnalyze runs a job with the analyze step on a labelled clip and checks
// the result against the clip's labels and the waveform file in the blob store
// against peaks.js's data format.
func TestUploadAnalyze(t *testing.T) {
	env := testEnv(t)
	startProbe(t, env)
	startFunction(t, "analyze", env)
	gw := startGateway(t, env)

	const clip = "nott_jigs_athollhighlanders_x8.flac"
	bpm, key := manifestLabels(t, clip)
	accepted := gw.uploadFile(t, sharedAudio(t, clip), `{"steps":["analyze"]}`)
	job := gw.waitJob(t, accepted.ID, 120*time.Second)
	if job.State != "succeeded" {
		t.Fatalf("job state = %s (error %v), want succeeded", job.State, job.Error)
	}
	var res contract.AnalyzeResult
	if err := json.Unmarshal(job.step(t, "analyze").Result, &res); err != nil {
		t.Fatal(err)
	}
	if res.Tempo == nil || res.Tempo.BPM == nil || math.Abs(*res.Tempo.BPM-bpm) > 0.04*bpm {
		t.Errorf("tempo = %+v, want %g BPM ± 4%%", res.Tempo, bpm)
	}
	if res.Key == nil || res.Key.Label == nil || res.Key.Tonic == nil || res.Key.Mode == nil {
		t.Errorf("key = %+v, want a key (the clip is labelled %s)", res.Key, key)
	}
	if res.Waveform == nil || res.Waveform.JSON == nil || res.Waveform.PNG == nil {
		t.Fatalf("waveform = %+v, want its files", res.Waveform)
	}
	wantKey := path.Dir(job.Input.Key) + "/artifacts/analyze/waveform.json"
	if res.Waveform.JSON.Key != wantKey {
		t.Errorf("waveform JSON key = %q, want %q", res.Waveform.JSON.Key, wantKey)
	}

	store, err := s3blob.New(context.Background(), s3blob.Config{
		Endpoint: env["S3_ENDPOINT"], AccessKey: env["S3_ACCESS_KEY"], SecretKey: env["S3_SECRET_KEY"], Bucket: env["S3_BUCKET"],
	})
	if err != nil {
		t.Fatal(err)
	}
	rc, info, err := store.Get(context.Background(), res.Waveform.JSON.Key)
	if err != nil {
		t.Fatalf("waveform JSON: %v", err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	// The fields waveform-data.js (peaks.js) reads from audiowaveform's JSON.
	var data struct {
		Version         int   `json:"version"`
		Channels        int   `json:"channels"`
		SampleRate      int   `json:"sample_rate"`
		SamplesPerPixel int   `json:"samples_per_pixel"`
		Bits            int   `json:"bits"`
		Length          int   `json:"length"`
		Data            []int `json:"data"`
	}
	if err := json.Unmarshal(body, &data); err != nil {
		t.Fatalf("waveform JSON does not parse: %v", err)
	}
	if data.Version != 2 || data.Channels != 1 || data.SampleRate != res.SampleRateHz || data.Bits != 8 ||
		data.SamplesPerPixel < 2 || len(data.Data) != 2*data.Length || info.Size != res.Waveform.JSON.SizeBytes {
		t.Fatalf("waveform JSON header = %d/%d/%d Hz/%d spp/%d bits/%d pixels with %d values (%d bytes): not peaks.js data",
			data.Version, data.Channels, data.SampleRate, data.SamplesPerPixel, data.Bits, data.Length, len(data.Data), info.Size)
	}
	if want := int(math.Ceil(res.DurationS * float64(data.SampleRate) / float64(data.SamplesPerPixel))); data.Length < want-1 || data.Length > want+1 {
		t.Errorf("length = %d pixels, want %d for %g s", data.Length, want, res.DurationS)
	}
	peak := 0
	for i := 0; i < len(data.Data); i += 2 {
		lo, hi := data.Data[i], data.Data[i+1]
		if lo < -128 || hi > 127 || lo > hi {
			t.Fatalf("pixel %d = (%d, %d): not an 8-bit min, max pair", i/2, lo, hi)
		}
		peak = max(peak, -lo, hi)
	}
	if peak < 32 { // the clips are normalised to -9 to -1 dBFS
		t.Errorf("largest peak %d of 127: the waveform looks silent", peak)
	}
	if _, err := store.Stat(context.Background(), res.Waveform.PNG.Key); err != nil {
		t.Errorf("waveform PNG: %v", err)
	}

	// The job lists the waveform files as artifacts, and the gateway serves them.
	var view struct {
		Artifacts []struct{ Name, URL, ContentType string } `json:"artifacts"`
	}
	gw.get(t, "/v1/jobs/"+job.ID, &view)
	names := map[string]string{}
	for _, a := range view.Artifacts {
		names[a.Name] = a.URL
	}
	for _, n := range []string{"waveform.json", "waveform.dat", "waveform.png"} {
		if names[n] != "/v1/jobs/"+job.ID+"/artifacts/"+n {
			t.Errorf("artifacts = %+v, want %s", view.Artifacts, n)
		}
	}
	resp, err := http.Get(gw.URL + "/v1/jobs/" + job.ID + "/artifacts/waveform.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	served, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(served, body) || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET waveform.json = %d %s, %d bytes; want the stored file", resp.StatusCode, resp.Header.Get("Content-Type"), len(served))
	}
}

// manifestLabels returns the tempo and key labels of a clip of the shared set.
func manifestLabels(t *testing.T, clip string) (bpm float64, key string) {
	t.Helper()
	f, err := os.Open(filepath.Join(testenv.SharedDir(t), "testdata", "eval-dev", "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[0] == clip {
			if bpm, err = strconv.ParseFloat(r[1], 64); err != nil {
				t.Fatalf("manifest bpm of %s: %v", clip, err)
			}
			return bpm, r[2]
		}
	}
	t.Fatalf("%s is not in the manifest", clip)
	return 0, ""
}
