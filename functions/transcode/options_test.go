package transcode_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phantomchain/phantomchain/functions/transcode"
	"github.com/phantomchain/phantomchain/platform/contract"
)

func ptr[T any](v T) *T { return &v }

func TestResolve(t *testing.T) {
	job := &contract.TranscodeNormalize{IntegratedLUFS: -18}
	tests := []struct {
		name string
		in   transcode.Options
		want []transcode.Target
	}{
		{"Default", transcode.Options{}, []transcode.Target{{Name: "mp3-320", Format: "mp3", BitRate: 320000}}},
		{"OverrideRateControl", transcode.Options{Targets: []transcode.Target{{Preset: "mp3-320", Quality: ptr(2.0)}}},
			[]transcode.Target{{Name: "mp3-320-q2", Format: "mp3", Quality: ptr(2.0)}}},
		{"JobLoudness", transcode.Options{Normalize: job, Targets: []transcode.Target{{Format: "flac"}, {Preset: "podcast"}}},
			[]transcode.Target{
				{Name: "flac", Format: "flac", Normalize: &contract.TranscodeNormalize{IntegratedLUFS: -18, TruePeakDBTP: ptr(-1.0)}},
				{Name: "podcast", Format: "mp3", BitRate: 96000, Channels: 1, SampleRate: 44100,
					Normalize: &contract.TranscodeNormalize{IntegratedLUFS: -16, TruePeakDBTP: ptr(-1.0)}},
			}},
		{"OwnLoudness", transcode.Options{Normalize: job, Targets: []transcode.Target{{Preset: "streaming",
			Normalize: &contract.TranscodeNormalize{IntegratedLUFS: -12, TruePeakDBTP: ptr(-2.0)}}}},
			[]transcode.Target{{Name: "streaming", Format: "aac", BitRate: 256000,
				Normalize: &contract.TranscodeNormalize{IntegratedLUFS: -12, TruePeakDBTP: ptr(-2.0)}}}},
		{"Named", transcode.Options{Targets: []transcode.Target{{Name: "hifi", Preset: "flac-24", SampleRate: 96000, StripTags: true}}},
			[]transcode.Target{{Name: "hifi", Format: "flac", BitDepth: 24, SampleRate: 96000, StripTags: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
		})
	}
}
