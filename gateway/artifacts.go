package gateway

import (
	"fmt"
	"strings"
)

// Artifact is a file one of a job's steps made, such as a rendition or a waveform
// image, as a client downloads it.
type Artifact struct {
	// Name identifies the artifact in GET /v1/jobs/{id}/artifacts/{name}.
	Name string `json:"name"`
	// Step is the step that made it.
	Step string `json:"step"`
	// File is the name it is downloaded under.
	File        string `json:"file"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
	// URL is the artifact's path in the HTTP API.
	URL string `json:"url"`
	// Key is the object's key in the blob store.
	Key string `json:"-"`
}

// ArtifactPrefix is the key prefix under which a job's step writes its
// artifacts: "<tenant>/jobs/<id>/artifacts/<function>/<name>/", beside the
// job's input "<tenant>/jobs/<id>/input".
func ArtifactPrefix(job *Job, function, name string) string {
	return fmt.Sprintf("%s/jobs/%s/artifacts/%s/%s/", job.Tenant, job.ID, function, name)
}

// Artifacts lists the artifacts of a job's succeeded steps, in step order, as each
// function's registration reads them from its step's result. A step that has not
// succeeded names none, so a file that is still being written, or whose step
// failed, is never listed; files outside the job's artifact folder are ignored, and
// of two artifacts with one name the first is kept.
func (p *Pipeline) Artifacts(job *Job) []Artifact {
	folder := fmt.Sprintf("%s/jobs/%s/artifacts/", job.Tenant, job.ID)
	seen := map[string]bool{}
	var arts []Artifact
	for i := range job.Steps {
		st := &job.Steps[i]
		fn, ok := p.fns[st.Function]
		if !ok || fn.Artifacts == nil || st.State != StepSucceeded || len(st.Result) == 0 {
			continue
		}
		for _, a := range fn.Artifacts(job, st) {
			if !strings.HasPrefix(a.Key, folder) || a.Name == "" || seen[a.Name] {
				continue
			}
			seen[a.Name] = true
			a.Step = st.Name
			a.URL = "/v1/jobs/" + job.ID + "/artifacts/" + a.Name
			arts = append(arts, a)
		}
	}
	return arts
}
