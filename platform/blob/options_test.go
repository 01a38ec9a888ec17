package blob_test

import (
	"strings"
	"testing"

	"github.com/phantomchain/phantomchain/platform/blob"
	"github.com/phantomchain/phantomchain/platform/fault"
)

func TestPutOptionsValidate(t *testing.T) {
	tests := []struct {
		name  string
		opts  blob.PutOptions
		valid bool
	}{
		{"Zero", blob.PutOptions{}, true},
		{"ContentType", blob.PutOptions{ContentType: "audio/wav"}, true},
		{"ContentTypeParams", blob.PutOptions{ContentType: `audio/L16; rate=44100; channels="2"`}, true},
		{"Metadata", blob.PutOptions{Metadata: map[string]string{"job-id": "8d1e", "n2": "", "content-type": "x"}}, true},
		{"MetadataAtLimit", blob.PutOptions{Metadata: map[string]string{"k": strings.Repeat("v", blob.MaxMetadataLen-1)}}, true},
		{"ContentTypeBare", blob.PutOptions{ContentType: "audio"}, false},
		{"ContentTypeSpace", blob.PutOptions{ContentType: "not a type"}, false},
		{"ContentTypeNewline", blob.PutOptions{ContentType: "audio/wav\nX: y"}, false},
		{"ContentTypeLong", blob.PutOptions{ContentType: "audio/" + strings.Repeat("x", 250)}, false},
		{"KeyEmpty", blob.PutOptions{Metadata: map[string]string{"": "v"}}, false},
		{"KeyUpper", blob.PutOptions{Metadata: map[string]string{"Job": "v"}}, false},
		{"KeyUnderscore", blob.PutOptions{Metadata: map[string]string{"job_id": "v"}}, false},
		{"KeyDigitFirst", blob.PutOptions{Metadata: map[string]string{"1st": "v"}}, false},
		{"ValueNonASCII", blob.PutOptions{Metadata: map[string]string{"k": "é"}}, false},
		{"ValueNewline", blob.PutOptions{Metadata: map[string]string{"k": "a\nb"}}, false},
		{"ValueSpaces", blob.PutOptions{Metadata: map[string]string{"k": " v "}}, false},
		{"MetadataTooLarge", blob.PutOptions{Metadata: map[string]string{"k": strings.Repeat("v", blob.MaxMetadataLen)}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if got := err == nil; got != tt.valid {
				t.Fatalf("Validate() = %v, want valid %v", err, tt.valid)
			}
			if err != nil && fault.KindOf(err) != fault.Invalid {
				t.Errorf("KindOf(%v) = %v, want invalid", err, fault.KindOf(err))
			}
		})
	}
}
