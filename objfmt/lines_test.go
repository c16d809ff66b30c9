package objfmt

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLineAt(t *testing.T) {
	s := &Section{Size: 32, Lines: []Line{{Offset: 8, File: "a.s", Line: 3}, {Offset: 16, File: "a.s", Line: 5}, {Offset: 16, File: "b.s", Line: 1}}}
	for _, tc := range []struct {
		off  uint64
		want Line
		ok   bool
	}{
		{0, Line{}, false},
		{8, Line{Offset: 8, File: "a.s", Line: 3}, true},
		{15, Line{Offset: 8, File: "a.s", Line: 3}, true},
		{16, Line{Offset: 16, File: "b.s", Line: 1}, true}, // the last of equal offsets
		{31, Line{Offset: 16, File: "b.s", Line: 1}, true},
		{32, Line{}, false}, // past the section
	} {
		got, ok := s.LineAt(tc.off)
		assert.Equal(t, tc.ok, ok, "offset %d", tc.off)
		assert.Equal(t, tc.want, got, "offset %d", tc.off)
	}
}
