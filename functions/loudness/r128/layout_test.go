package r128_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/phantomchain/phantomchain/functions/loudness/r128"
)

func TestWeights(t *testing.T) {
	const s = 1.41
	tests := []struct {
		layout   string
		channels int
		want     []float64
		wantErr  error
	}{
		{"mono", 1, []float64{1}, nil},
		{"stereo", 2, []float64{1, 1}, nil},
		{"2.1", 3, []float64{1, 1, 0}, nil},
		{"quad", 4, []float64{1, 1, s, s}, nil},
		{"quad(side)", 4, []float64{1, 1, s, s}, nil},
		{"4.0", 4, []float64{1, 1, 1, 1}, nil},
		{"5.0", 5, []float64{1, 1, 1, s, s}, nil},
		{"5.1", 6, []float64{1, 1, 1, 0, s, s}, nil},
		{"5.1(side)", 6, []float64{1, 1, 1, 0, s, s}, nil},
		{"6.1", 7, []float64{1, 1, 1, 0, 1, s, s}, nil},
		{"7.1", 8, []float64{1, 1, 1, 0, 1, 1, s, s}, nil},
		{"7.1(wide)", 8, []float64{1, 1, 1, 0, s, s, 1, 1}, nil},
		{"5.1.4", 10, []float64{1, 1, 1, 0, s, s, 1, 1, 1, 1}, nil},
		{"7.2.3", 12, []float64{1, 1, 1, 0, 1, 1, s, s, 1, 1, 1, 0}, nil},
		{"STEREO", 2, []float64{1, 1}, nil},
		{"FL+FR+LFE", 3, []float64{1, 1, 0}, nil},
		{"3 channels (FL+FR+LFE)", 3, []float64{1, 1, 0}, nil},
		{"", 1, []float64{1}, nil},
		{"", 5, []float64{1, 1, 1, s, s}, nil},
		{"6 channels", 6, []float64{1, 1, 1, 0, s, s}, nil},
		{"unknown", 4, []float64{1, 1, s, s}, nil},
		{"", 10, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, nil},
		{"5.1", 2, nil, r128.ErrInvalidConfig},
		{"stereo", 1, nil, r128.ErrInvalidConfig},
		{"ambisonic 1", 4, nil, r128.ErrUnknownLayout},
		{"FL+XX", 2, nil, r128.ErrUnknownLayout},
		{"9.9", 18, nil, r128.ErrUnknownLayout},
	}
	for _, tt := range tests {
		t.Run(tt.layout, func(t *testing.T) {
			got, err := r128.Weights(tt.layout, tt.channels)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Weights(%q, %d) error = %v, want %v", tt.layout, tt.channels, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Weights(%q, %d) (-want +got):\n%s", tt.layout, tt.channels, diff)
			}
		})
	}
}
