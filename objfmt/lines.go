package objfmt

import "sort"

// LineAt returns the line-table entry covering offset off of s: the entry
// with the greatest Offset not above off. ok is false when off comes
// before the first entry or is not inside the section.
func (s *Section) LineAt(off uint64) (ln Line, ok bool) {
	if off >= s.Size {
		return Line{}, false
	}
	i := sort.Search(len(s.Lines), func(i int) bool { return s.Lines[i].Offset > off })
	if i == 0 {
		return Line{}, false
	}
	return s.Lines[i-1], true
}
