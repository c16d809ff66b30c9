package vm

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyCodeSections is how many executable sections besides .text the
// programs of the tests below have: more than linearCodeSegs, so that exec
// narrows its table with codeNear.
const manyCodeSections = 2*linearCodeSegs + 3

// chainSrc is a program whose _start calls f1 in section .c1, which calls
// f2 in .c2 and so on; each returns 1 more than its callee, and _start
// then runs tail.
func chainSrc(tail string) string {
	var b strings.Builder
	b.WriteString("_start:\tcall f1\n" + tail + "\n")
	for i := 1; i <= manyCodeSections; i++ {
		fmt.Fprintf(&b, "\t.section .c%d, \"ax\"\nf%d:\tenter 0\n", i, i)
		if i < manyCodeSections {
			fmt.Fprintf(&b, "\tcall f%d\n", i+1)
		} else {
			b.WriteString("\tli r0, 0\n")
		}
		b.WriteString("\tleave\n\taddi r0, r0, 1\n\tret\n")
	}
	b.WriteString("\t.rodata\nk:\t.quad 0\n")
	return b.String()
}

func TestManyCodeSegments(t *testing.T) {
	// Calls and returns cross every section, there and back.
	res := runSrc(t, chainSrc("\thalt"), Config{})
	require.NoError(t, res.err)
	assert.Equal(t, manyCodeSections, res.status)
	assert.Len(t, res.proc.as.code, manyCodeSections+1)
}

func TestManyCodeSegmentsBadJumps(t *testing.T) {
	// Jumps that reach no instruction trap as they do with one segment.
	img := assemble(t, chainSrc(""))
	last := symbol(t, img, fmt.Sprintf("f%d", manyCodeSections))
	mid := symbol(t, img, fmt.Sprintf("f%d", manyCodeSections/2))
	for _, tc := range []struct {
		name, tail, want string
	}{
		{"misaligned", fmt.Sprintf("\tli64 r1, %d\n\tjr r1", mid+4),
			fmt.Sprintf("bad jump to %#x (misaligned)", mid+4)},
		{"past the last section's words", fmt.Sprintf("\tli64 r1, %d\n\tjr r1", last+40),
			fmt.Sprintf("bad jump to %#x (unmapped)", last+40)},
		{"into read-only data", "\tla r1, k\n\tjr r1",
			fmt.Sprintf("bad jump to %#x (section .rodata is not executable)", symbol(t, img, "k"))},
		{"below every section", "\tli r1, 0x8000\n\tjr r1", "jump to null address 0x8000"},
		{"above every section", "\tli64 r1, 0x7000000\n\tjr r1", "bad jump to 0x7000000 (unmapped)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, chainSrc(tc.tail), Config{})
			var trap *Trap
			require.ErrorAs(t, res.err, &trap)
			assert.ErrorIs(t, res.err, ErrBadJump)
			assert.Equal(t, tc.want, trap.Msg)
		})
	}
}

// lookupCode finds pc's segment the way exec does: codeNear for a long
// table, then a linear scan. It returns the segment's base, or 0.
func lookupCode(as *addrSpace, pc uint64) uint64 {
	t := as.code
	if len(t) > linearCodeSegs {
		t = as.codeNear(pc)
	}
	for k := range t {
		if bits.RotateLeft64(pc-t[k].base, -3) < t[k].nw {
			return t[k].base
		}
	}
	return 0
}

func TestCodeTable(t *testing.T) {
	// For tables short and long, the lookup agrees with codeAt at every
	// address near the segments (which start 8-aligned, as sectionSegment
	// requires of executable ones): starts, ends, misaligned addresses,
	// gaps, segments too short to hold a word, non-executable ones.
	for _, n := range []int{0, 1, 2, linearCodeSegs, linearCodeSegs + 1, 3 * linearCodeSegs} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p := &Process{}
			var base uint64 = 0x10000
			for i := range n {
				size := uint64(8 * (i%3 + 1))
				if i%5 == 4 {
					size = 4 // no whole word
				}
				perm := permR | permX
				if i%7 == 6 {
					perm = permR
				}
				require.NoError(t, p.as.mapSegment(&segment{base: base, end: base + size, data: make([]byte, size), perm: perm, name: fmt.Sprint(i)}))
				// Executable sections are 8-aligned; every other segment has
				// a gap after it.
				base = (base+size+7)&^7 + uint64(8*(i%2))
			}
			for pc := uint64(0xfff0); pc < base+16; pc++ {
				var want uint64
				if s := p.codeAt(pc); s != nil {
					want = s.base
				}
				require.Equal(t, want, lookupCode(&p.as, pc), "pc %#x", pc)
			}
		})
	}
}

func TestCodeTableFollowsUnmap(t *testing.T) {
	// Unmapping a module takes its code out of the table; mapping it again
	// puts it back.
	m := newMulti(t, callLib, greetLib, "greet", []string{"greet"}, Config{})
	greet := m.libAddr(t, "greet")
	assert.Equal(t, m.lib.Base, lookupCode(&m.p.as, greet))
	require.NoError(t, m.p.UnmapModule(m.lib))
	assert.Equal(t, uint64(0), lookupCode(&m.p.as, greet))
	_, err := m.p.MapModule(m.lib.File, "libt.vso", "/lib/libt.vso", libBase)
	require.NoError(t, err)
	assert.Equal(t, m.lib.Base, lookupCode(&m.p.as, greet))
}
