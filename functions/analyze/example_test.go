package analyze_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/phantomchain/phantomchain/functions/analyze"
	"github.com/phantomchain/phantomchain/platform/blob/fileblob"
	"github.com/phantomchain/phantomchain/platform/contract"
	"github.com/phantomchain/phantomchain/platform/ffmpeg"
)

// ExampleFile analyses a local file as `analyze run --out waveforms song.mp3`
// does: tempo, key, and the waveform files written into a folder.
func ExampleFile() {
	runner, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	job, err := runner.NewJob()
	if err != nil {
		log.Fatal(err)
	}
	defer job.Close()
	f, err := os.Open("song.mp3")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if _, err := job.WriteInput(f); err != nil {
		log.Fatal(err)
	}
	opts := analyze.Options{Waveform: contract.AnalyzeWaveformOptions{WidthPx: 2000}}
	res, err := analyze.File(context.Background(), runner, job, opts, analyze.Limits{}, analyze.DirOutput("waveforms"))
	if err != nil {
		log.Fatal(err)
	}
	if bpm := res.Tempo.BPM; bpm != nil {
		fmt.Printf("%.1f BPM\n", *bpm)
	}
	if k := res.Key.Label; k != nil {
		fmt.Printf("%s (%s)\n", *k, *res.Key.Camelot)
	}
}

// ExampleAnalyzer_Analyze analyses an object of a blob store and stores its
// waveform files beside it, as the service does for each request.
func ExampleAnalyzer_Analyze() {
	runner, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		log.Fatal(err)
	}
	blobs, err := fileblob.New("data/blobs")
	if err != nil {
		log.Fatal(err)
	}
	a := analyze.New(runner, blobs, analyze.Limits{})
	res, err := a.Analyze(context.Background(), analyze.Request{
		Input:        contract.ObjectRef{Key: "acme/jobs/42/input"},
		OutputPrefix: "acme/jobs/42/artifacts/analyze/",
		Options:      analyze.Options{Features: []string{contract.FeatureTempo, contract.FeatureWaveform}},
	})
	if err != nil {
		log.Fatal(err)
	}
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(out))
}
