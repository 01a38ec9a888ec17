package key

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadKeyName is returned by [ParseKey] for a string that names no key.
var ErrBadKeyName = errors.New("key: unrecognised key name")

// PitchClass is a pitch class: 0 is C, 1 is C♯/D♭, … 11 is B.
type PitchClass int

// Mode is the mode of a key.
type Mode string

// The two modes a key can have.
const (
	Major Mode = "major"
	Minor Mode = "minor"
)

// Key is a tonic and a mode, for example F♯ minor. Its methods take any Mode other
// than Minor for Major.
type Key struct {
	Tonic PitchClass
	Mode  Mode
}

// Tonic spellings. Each key is spelled with the key signature that needs the fewest
// accidentals (D♭ major, not C♯ major; C♯ minor, not D♭ minor); of the two
// six-accidental keys we write F♯ major and E♭ minor, the spellings met most often.
var (
	majorTonicNames = [12]string{"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"}
	minorTonicNames = [12]string{"C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"}
)

// TonicName returns the tonic spelled as in the key's signature, in ASCII: "F#", "Bb".
func (k Key) TonicName() string {
	pc := k.Tonic.norm()
	if k.Mode == Minor {
		return minorTonicNames[pc]
	}
	return majorTonicNames[pc]
}

// String returns the key's label, "F# minor" or "Eb major".
func (k Key) String() string { return k.TonicName() + " " + string(k.Mode) }

// Camelot returns the key in Mark Davis's Camelot wheel notation: "8B" is C major,
// "8A" A minor; one step round the wheel is a perfect fifth, and the same number
// joins relative keys.
func (k Key) Camelot() string {
	n, letter := k.wheel(8, "B", "A") // C major = 8B, A minor = 8A
	return fmt.Sprintf("%d%s", n, letter)
}

// OpenKey returns the key in Open Key notation (Traktor): "1d" is C major, "1m"
// A minor; like the Camelot wheel, one step is a perfect fifth.
func (k Key) OpenKey() string {
	n, letter := k.wheel(1, "d", "m") // C major = 1d, A minor = 1m
	return fmt.Sprintf("%d%s", n, letter)
}

// wheel places k on a circle-of-fifths wheel of 12 positions whose position origin
// holds C major and A minor; a minor key sits with its relative major.
func (k Key) wheel(origin int, majorLetter, minorLetter string) (int, string) {
	pc, letter := k.Tonic.norm(), majorLetter
	if k.Mode == Minor {
		pc, letter = k.Relative().Tonic, minorLetter
	}
	// 7 semitones is one step; 7·7 ≡ 1 (mod 12) inverts it.
	steps := int(pc) * 7 % 12
	return (origin-1+steps)%12 + 1, letter
}

// Relative returns the relative key: A minor for C major and C major for A minor.
func (k Key) Relative() Key {
	if k.Mode == Minor {
		return Key{Tonic: (k.Tonic.norm() + 3) % 12, Mode: Major}
	}
	return Key{Tonic: (k.Tonic.norm() + 9) % 12, Mode: Minor}
}

func (p PitchClass) norm() PitchClass { return (p%12 + 12) % 12 }

// naturals holds each natural note's letter at its pitch class.
const naturals = "C D EF G A B"

// ParseKey parses a key name such as "F# minor", "Bb major", "Ebm", "c:min", "A" or
// "C♯ minor". A tonic without a mode is major.
func ParseKey(s string) (Key, error) {
	t := strings.TrimSpace(strings.NewReplacer("♯", "#", "♭", "b").Replace(s))
	if t == "" {
		return Key{}, fmt.Errorf("%w: %q", ErrBadKeyName, s)
	}
	i := strings.IndexByte(naturals, t[0]&^0x20) // ASCII upper case
	if i < 0 {
		return Key{}, fmt.Errorf("%w: %q", ErrBadKeyName, s)
	}
	pc := PitchClass(i)
	for i = 1; i < len(t) && (t[i] == '#' || t[i] == 'b'); i++ {
		if t[i] == '#' {
			pc++
		} else {
			pc--
		}
	}
	rest := strings.Trim(t[i:], " :_-")
	var mode Mode
	switch {
	case rest == "M": // "CM" is C major, "Cm" C minor
		mode = Major
	case rest == "" || strings.EqualFold(rest, "major") || strings.EqualFold(rest, "maj"):
		mode = Major
	case rest == "m" || strings.EqualFold(rest, "minor") || strings.EqualFold(rest, "min"):
		mode = Minor
	default:
		return Key{}, fmt.Errorf("%w: %q", ErrBadKeyName, s)
	}
	return Key{Tonic: pc.norm(), Mode: mode}, nil
}
