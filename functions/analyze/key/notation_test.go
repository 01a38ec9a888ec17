package key_test

import (
	"errors"
	"testing"

	"github.com/phantomchain/phantomchain/functions/analyze/key"
)

func TestKeyNotation(t *testing.T) {
	// Camelot and Open Key positions as printed on the Mixed In Key and Traktor wheels.
	tests := []struct {
		tonic   key.PitchClass
		mode    key.Mode
		label   string
		camelot string
		openKey string
	}{
		{0, key.Major, "C major", "8B", "1d"},
		{1, key.Major, "Db major", "3B", "8d"},
		{2, key.Major, "D major", "10B", "3d"},
		{3, key.Major, "Eb major", "5B", "10d"},
		{4, key.Major, "E major", "12B", "5d"},
		{5, key.Major, "F major", "7B", "12d"},
		{6, key.Major, "F# major", "2B", "7d"},
		{7, key.Major, "G major", "9B", "2d"},
		{8, key.Major, "Ab major", "4B", "9d"},
		{9, key.Major, "A major", "11B", "4d"},
		{10, key.Major, "Bb major", "6B", "11d"},
		{11, key.Major, "B major", "1B", "6d"},
		{0, key.Minor, "C minor", "5A", "10m"},
		{1, key.Minor, "C# minor", "12A", "5m"},
		{2, key.Minor, "D minor", "7A", "12m"},
		{3, key.Minor, "Eb minor", "2A", "7m"},
		{4, key.Minor, "E minor", "9A", "2m"},
		{5, key.Minor, "F minor", "4A", "9m"},
		{6, key.Minor, "F# minor", "11A", "4m"},
		{7, key.Minor, "G minor", "6A", "11m"},
		{8, key.Minor, "G# minor", "1A", "6m"},
		{9, key.Minor, "A minor", "8A", "1m"},
		{10, key.Minor, "Bb minor", "3A", "8m"},
		{11, key.Minor, "B minor", "10A", "3m"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			k := key.Key{Tonic: tt.tonic, Mode: tt.mode}
			if got := k.String(); got != tt.label {
				t.Errorf("String() = %q, want %q", got, tt.label)
			}
			if got := k.Camelot(); got != tt.camelot {
				t.Errorf("Camelot() = %q, want %q", got, tt.camelot)
			}
			if got := k.OpenKey(); got != tt.openKey {
				t.Errorf("OpenKey() = %q, want %q", got, tt.openKey)
			}
			back, err := key.ParseKey(tt.label)
			if err != nil || back != k {
				t.Errorf("ParseKey(%q) = %v, %v; want %v", tt.label, back, err, k)
			}
			// Relative keys share a Camelot number.
			rel := k.Relative()
			if rel.Mode == k.Mode || rel.Relative() != k || rel.Camelot()[:len(rel.Camelot())-1] != tt.camelot[:len(tt.camelot)-1] {
				t.Errorf("Relative() = %v (%s), want the other mode on %s", rel, rel.Camelot(), tt.camelot)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	tests := []struct {
		in      string
		want    key.Key
		wantErr error
	}{
		{in: "F# minor", want: key.Key{Tonic: 6, Mode: key.Minor}},
		{in: "Gb major", want: key.Key{Tonic: 6, Mode: key.Major}},
		{in: "C♯ minor", want: key.Key{Tonic: 1, Mode: key.Minor}},
		{in: "B♭", want: key.Key{Tonic: 10, Mode: key.Major}},
		{in: "Ebm", want: key.Key{Tonic: 3, Mode: key.Minor}},
		{in: "c:min", want: key.Key{Tonic: 0, Mode: key.Minor}},
		{in: "a", want: key.Key{Tonic: 9, Mode: key.Major}},
		{in: "CM", want: key.Key{Tonic: 0, Mode: key.Major}},
		{in: "Cm", want: key.Key{Tonic: 0, Mode: key.Minor}},
		{in: " Cb maj ", want: key.Key{Tonic: 11, Mode: key.Major}},
		{in: "B# minor", want: key.Key{Tonic: 0, Mode: key.Minor}},
		{in: "", wantErr: key.ErrBadKeyName},
		{in: "H major", wantErr: key.ErrBadKeyName},
		{in: "C dorian", wantErr: key.ErrBadKeyName},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := key.ParseKey(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseKey(%q) err = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseKey(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
