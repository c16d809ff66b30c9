// Package difftest checks, in the style of wazero's no_diff fuzzing, that
// a program behaves the same however its modules are put together: linked
// statically with its library as an object or as an archive member, or
// dynamically against the library as a shared module (bound lazily or at
// load). Generate makes the programs, from fuzz bytes; the tests build
// and run every variant and compare what must be equal (see Outcome).
package difftest

import (
	"fmt"
	"strings"
)

// Program is a generated program of two modules: Main, the executable's
// code, which calls into Lib, a library of functions and data that is
// also valid position-independent code for a shared module.
type Program struct {
	// Main is the assembly source of the executable's module.
	Main string
	// Lib is the assembly source of the library module.
	Lib string
}

// source hands out the fuzzer's bytes, then zeros: a short input is a
// small program.
type source []byte

func (s *source) next() int {
	if len(*s) == 0 {
		return 0
	}
	v := (*s)[0]
	*s = (*s)[1:]
	return int(v)
}

func (s *source) pick(n int) int { return s.next() % n }

// imm returns a signed immediate: small ones are common, as are the
// edges of the 32-bit range.
func (s *source) imm() int64 {
	switch s.pick(8) {
	case 0:
		return -1
	case 1:
		return 1<<31 - 1
	case 2:
		return -1 << 31
	}
	return int64(int8(s.next()))
}

// Generate returns the program the bytes b describe. The library has up
// to four functions f0..f3 (fi may call fj for j < i, so nothing
// recurses), up to three data words d0..d2 and a function pointer fptr;
// main calls the functions, directly and through fptr, reads and writes the
// data through the GOT, and writes results to standard output. Every function has an `enter`/`leave` frame. A program
// may trap: divide by zero, touch the null page, execute `trap N`. No
// value that depends on where a module is loaded ever reaches the output
// or the exit status, so every way of linking must give the same result.
func Generate(b []byte) Program {
	s := source(b)
	nf := 1 + s.pick(4)
	nd := 1 + s.pick(3)

	var lib strings.Builder
	lib.WriteString("        .text\n")
	for i := range nf {
		fmt.Fprintf(&lib, "        .global f%d\nf%d:     enter 16\n", i, i)
		for n := s.pick(10); n > 0; n-- {
			libStatement(&s, &lib, i, nd)
		}
		lib.WriteString("        leave\n        ret\n")
	}
	lib.WriteString("        .data\n")
	for k := range nd {
		fmt.Fprintf(&lib, "        .global d%d\nd%d:     .quad %d\n", k, k, s.imm())
	}
	// A function pointer, which a shared module gets from a dynamic
	// relocation.
	fmt.Fprintf(&lib, "        .global fptr\nfptr:   .quad f%d\n", s.pick(nf))
	lib.WriteString("obuf:   .quad 0\n")

	var main strings.Builder
	main.WriteString("        .text\n        .global _start\n_start: li    r16, 0\n")
	for n := 1 + s.pick(12); n > 0; n-- {
		mainStatement(&s, &main, nf, nd)
	}
	main.WriteString("        andi  r0, r16, 255\n        sys   0\n")
	main.WriteString(putword)
	main.WriteString("        .data\nmbuf:   .quad 0\n")
	return Program{Main: main.String(), Lib: lib.String()}
}

// putword writes r0's 8 bytes to standard output and keeps r0.
const putword = `putword:
        enter 16
        st64  r0, [fp - 8]
        la    r1, mbuf
        st64  r0, [r1]
        li    r0, 1
        li    r2, 8
        sys   1
        ld64  r0, [fp - 8]
        leave
        ret
`

// libStatement writes one statement of function fi, which computes on r0
// (its argument and result).
func libStatement(s *source, w *strings.Builder, fi, nd int) {
	d := s.pick(nd)
	switch s.pick(12) {
	case 0:
		fmt.Fprintf(w, "        addi  r0, r0, %d\n", s.imm())
	case 1:
		fmt.Fprintf(w, "        muli  r0, r0, %d\n", s.imm())
	case 2:
		fmt.Fprintf(w, "        xori  r0, r0, %d\n", s.imm())
	case 3:
		fmt.Fprintf(w, "        shli  r0, r0, %d\n", s.pick(64))
	case 4:
		fmt.Fprintf(w, "        ldpc  r4, d%d@got\n        ld64  r1, [r4]\n        add   r0, r0, r1\n", d)
	case 5:
		fmt.Fprintf(w, "        ldpc  r4, d%d@got\n        st64  r0, [r4]\n", d)
	case 6:
		if fi > 0 {
			fmt.Fprintf(w, "        call  f%d\n", s.pick(fi))
		}
	case 7:
		// A divisor from the data, which may be 0.
		fmt.Fprintf(w, "        ldpc  r4, d%d@got\n        ld64  r1, [r4]\n        %s r0, r0, r1\n", d,
			[]string{"divs ", "divu ", "rems ", "remu "}[s.pick(4)])
	case 8:
		// Write r0's bytes from the library's own buffer.
		w.WriteString("        la    r4, obuf\n        st64  r0, [r4]\n        mov   r5, r0\n" +
			"        li    r0, 1\n        mov   r1, r4\n        li    r2, 8\n        sys   1\n        mov   r0, r5\n")
	case 9:
		// A counted loop.
		fmt.Fprintf(w, "        li    r6, %d\n1:      muli  r0, r0, 3\n        addi  r0, r0, %d\n        addi  r6, r6, -1\n        bnez  r6, 1b\n",
			1+s.pick(16), s.imm())
	case 10:
		if s.pick(4) == 0 {
			fmt.Fprintf(w, "        trap  %d\n", s.pick(100))
		}
	case 11:
		if s.pick(4) == 0 {
			w.WriteString("        li    r4, 0\n        ld64  r1, [r4 + 16]\n")
		}
	}
}

// mainStatement writes one statement of _start, which keeps its running
// result in r16 (callee-saved, so the library's calls keep it).
func mainStatement(s *source, w *strings.Builder, nf, nd int) {
	d := s.pick(nd)
	switch s.pick(7) {
	case 0, 1:
		fmt.Fprintf(w, "        li    r0, %d\n        add   r0, r0, r16\n        call  f%d\n        mov   r16, r0\n        call  putword\n",
			s.imm(), s.pick(nf))
	case 2:
		fmt.Fprintf(w, "        ldpc  r4, d%d@got\n        ld64  r0, [r4]\n        call  putword\n        add   r16, r16, r0\n", d)
	case 3:
		fmt.Fprintf(w, "        ldpc  r4, d%d@got\n        st64  r16, [r4]\n", d)
	case 4:
		fmt.Fprintf(w, "        addi  r16, r16, %d\n", s.imm())
	case 5:
		fmt.Fprintf(w, "        mov   r0, r16\n        call  putword\n")
	case 6:
		// A call through the library's function pointer.
		fmt.Fprintf(w, "        ldpc  r4, fptr@got\n        ld64  r4, [r4]\n        li    r0, %d\n        add   r0, r0, r16\n        callr r4\n        mov   r16, r0\n        call  putword\n", s.imm())
	}
}
