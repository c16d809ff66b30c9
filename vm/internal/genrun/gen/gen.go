// Package gen writes vm/exec_run.go: run, the interpreter's hot loop, and
// the superinstructions' opcode constants. Each instruction's case is its
// half from Halves; each superinstruction's (superinst.Pairs) is the
// halves of its two instructions one after the other, with the step count
// and the pause point between them. vm's TestRunGenerated checks that the
// file is current; vm/internal/genrun (go generate ./vm) rewrites it.
package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"strings"

	"linkvm/vm/internal/superinst"
	"linkvm/vm/isa"
)

// Half is how run executes one instruction: the statements of its case
// (after the step count), written once and used both in the
// instruction's own case and in the superinstructions it is part of.
type Half struct {
	// Ops are the instructions the half runs, in one case: usually one;
	// more when they differ by little (a load's signed and unsigned
	// forms), which Body tells apart by eOp.
	Ops []isa.Op
	// Decoded, if set, names a decoded-only opcode of package vm (dSlow,
	// dEnd...) that the case runs too, or alone; it is never part of a
	// superinstruction.
	Decoded string
	// Comment, if set, is written above the case: what it and the cases
	// after it have in common.
	Comment string
	// Note, if set, is a comment on the case's line.
	Note string
	// Body runs the instruction whose decoded entry is e: Go statements
	// that may leave the case by goto slow (exec runs the instruction),
	// branch (a taken branch by e.imm entries), jump (to the address in
	// to: the generator writes the segment test in its place, see
	// expandJumps), far, or top (with ip set to the next instruction to
	// run). The instruction's entry
	// is ip in its own case but the entry after ip in a
	// superinstruction's second half, and e.op is then the fused
	// opcode, so the body says: ePC for the instruction's offset in its
	// segment (pcOff(ip, s) or one word more), eAt(x) for the pointer x
	// bytes after its entry (unsafe.Add(ip, x) or one word more), eOp
	// for its opcode (e.op, or the instruction's, a constant).
	Body string
	// Next is the instruction's length in words if, after Body, it goes
	// on to the next instruction (the case then moves ip by as many
	// words and goes to top); 0 if Body always leaves the case itself.
	Next int
	// Uncounted is for dEnd, which is not an instruction: its case does
	// not count a step.
	Uncounted bool
}

// Generate returns the contents of vm/exec_run.go, gofmt'ed.
func Generate() ([]byte, error) {
	return Build(Halves, ExecOnly, superinst.Pairs[:])
}

// Build returns run generated from halves and pairs; execOnly are the
// instructions it leaves to exec. It checks that every instruction has a
// half or is in execOnly, not both, and that every pair can be fused.
func Build(halves []Half, execOnly []isa.Op, pairs []superinst.Pair) ([]byte, error) {
	byOp, err := index(halves, execOnly)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(fileHead)
	for i, p := range pairs {
		if err := checkPair(p, byOp, pairs[:i]); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s", fusedName(p))
		if i == 0 {
			b.WriteString(" = fFirst + iota")
		}
		fmt.Fprintf(&b, " // %s, %s\n", p.First, p.Second)
	}
	b.WriteString(head)
	for _, h := range halves {
		writeComment(&b, h.Comment)
		fmt.Fprintf(&b, "case %s:", strings.Join(caseLabels(h), ", "))
		if h.Note != "" {
			fmt.Fprintf(&b, " // %s", h.Note)
		}
		b.WriteString("\n")
		if !h.Uncounted {
			b.WriteString("left--\n")
		}
		writeHalf(&b, h)
	}
	b.WriteString(fusedComment)
	for _, p := range pairs {
		writeFused(&b, p, byOp)
	}
	b.WriteString("\n")
	b.WriteString(lastCase(halves, execOnly, len(pairs)))
	b.WriteString(tail)
	out, err := format.Source(expandJumps(b.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("generated run does not parse: %v", err)
	}
	return out, nil
}

// lastCase starts the switch's last case, whose body is tail's: the
// instructions left to exec and every byte past the last superinstruction's
// opcode, as fFirst+k, so that the cases cover all 256 values of the
// opcode byte. The decoded-only opcodes (dEnd...) number as many as the
// halves that name one and come right after the instruction set's, then
// fFirst; a constant after the case list fails to compile if fFirst is
// not where this counts it.
func lastCase(halves []Half, execOnly []isa.Op, npairs int) string {
	var labels []string
	for _, op := range execOnly {
		labels = append(labels, opLabel(op))
	}
	ndecoded := 0
	for _, h := range halves {
		if h.Decoded != "" {
			ndecoded++
		}
	}
	last := 255 - int(isa.NumOps) - ndecoded // fFirst+last is 255
	for k := npairs; k <= last; k++ {
		labels = append(labels, fmt.Sprintf("fFirst + %d", k))
	}
	var list strings.Builder
	for i, l := range labels {
		switch {
		case i == 0:
		case i%8 == 0:
			list.WriteString(",\n")
		default:
			list.WriteString(", ")
		}
		list.WriteString(l)
	}
	return fmt.Sprintf("case %s:\n"+
		"// fFirst+%d must be 255: the cases then cover every byte.\n"+
		"const _ uint8 = fFirst + %d - 255\n", list.String(), last, last)
}

// index maps each instruction to its half, and checks that each has one
// or is left to exec.
func index(halves []Half, execOnly []isa.Op) (map[isa.Op]*Half, error) {
	byOp := map[isa.Op]*Half{}
	decoded := map[string]bool{}
	for i := range halves {
		h := &halves[i]
		if h.Decoded != "" {
			if decoded[h.Decoded] {
				return nil, fmt.Errorf("two halves for %s", h.Decoded)
			}
			decoded[h.Decoded] = true
		} else if len(h.Ops) == 0 {
			return nil, fmt.Errorf("a half for no opcode: %q", h.Body)
		}
		for _, op := range h.Ops {
			switch {
			case op >= isa.NumOps:
				return nil, fmt.Errorf("a half for %s, which the instruction set does not define", op)
			case byOp[op] != nil:
				return nil, fmt.Errorf("two halves for %s", op)
			}
			byOp[op] = h
		}
	}
	slow := map[isa.Op]bool{}
	for _, op := range execOnly {
		if byOp[op] != nil {
			return nil, fmt.Errorf("%s has a half but is also left to exec", op)
		}
		slow[op] = true
	}
	for op := range isa.NumOps {
		if byOp[op] == nil && !slow[op] {
			return nil, fmt.Errorf("%s has no half and is not left to exec: add it to Halves or ExecOnly", op)
		}
	}
	return byOp, nil
}

// leavesCase finds a goto in a half's body to anywhere but slow: a first
// half must go on to the second, or leave it to exec.
var leavesCase = regexp.MustCompile(`goto (branch|jump|far|top)\b`)

// checkPair checks that p can be a superinstruction: both instructions
// have halves, the first goes on to the next word, and p is not in
// before.
func checkPair(p superinst.Pair, byOp map[isa.Op]*Half, before []superinst.Pair) error {
	for _, q := range before {
		if q == p {
			return fmt.Errorf("superinstruction %s, %s: listed twice", p.First, p.Second)
		}
	}
	for _, op := range []isa.Op{p.First, p.Second} {
		if byOp[op] == nil {
			return fmt.Errorf("superinstruction %s, %s: run leaves %s to exec", p.First, p.Second, op)
		}
	}
	first := byOp[p.First]
	if first.Next != 1 || leavesCase.MatchString(first.Body) {
		return fmt.Errorf("superinstruction %s, %s: %s does not go on to the next word", p.First, p.Second, p.First)
	}
	return nil
}

// writeFused writes p's case: both steps counted at once (run's loop
// comes here only with two left), the first half, which gives one back
// when it leaves the second to exec, e moved to the second's entry, and
// the second half, changed to run there.
func writeFused(b *bytes.Buffer, p superinst.Pair, byOp map[isa.Op]*Half) {
	first, second := byOp[p.First], byOp[p.Second]
	fmt.Fprintf(b, "case %s: // %s, %s\n", fusedName(p), p.First, p.Second)
	b.WriteString("left -= 2\n")
	firstBody := firstExits.Replace(first.Body)
	if declaresAny(first.Body, second.Body) {
		b.WriteString("{\n")
		writeBody(b, firstBody, alone, opLabel(p.First))
		b.WriteString("}\n")
	} else {
		writeBody(b, firstBody, alone, opLabel(p.First))
	}
	body := secondExits.Replace(second.Body)
	if usesEntry.MatchString(body) { // ret, for one, reads no field
		b.WriteString("e = (*dinst)(unsafe.Add(ip, isa.WordSize))\n")
	}
	writeBody(b, body, afterIP, opLabel(p.Second))
	if second.Next > 0 {
		fmt.Fprintf(b, "ip = unsafe.Add(ip, %d*isa.WordSize)\ngoto top\n", second.Next+1)
	}
}

// usesEntry matches a body that reads the decoded entry e.
var usesEntry = regexp.MustCompile(`\be\.`)

// firstExits changes how a superinstruction's first half leaves the
// case: exec runs the first instruction, and then the second from its
// own entry, which counts it again.
var firstExits = strings.NewReplacer("goto slow", "left++ // the second did not run\ngoto slow")

// secondExits changes how a half leaves the case when it is a
// superinstruction's second, which runs with ip still at the first: ip
// moves to the second's entry before the labels that read it (slow,
// jump, far), and a taken branch, whose offset is from the second's
// entry, jumps there itself.
var secondExits = strings.NewReplacer(
	"goto slow", "ip = unsafe.Add(ip, isa.WordSize)\ngoto slow",
	"goto jump", "ip = unsafe.Add(ip, isa.WordSize)\ngoto jump",
	"goto far", "ip = unsafe.Add(ip, isa.WordSize)\ngoto far",
	"goto branch", "ip = unsafe.Add(ip, isa.WordSize+int(e.imm)<<3)\ngoto top",
)

// writeHalf writes h's body as an instruction's own case and, if it
// goes on to the next instruction, the move there.
func writeHalf(b *bytes.Buffer, h Half) {
	writeBody(b, h.Body, alone, "e.op")
	switch h.Next {
	case 0:
	case 1:
		b.WriteString("ip = unsafe.Add(ip, isa.WordSize)\ngoto top\n")
	default:
		fmt.Fprintf(b, "ip = unsafe.Add(ip, %d*isa.WordSize)\ngoto top\n", h.Next)
	}
}

// at is where a half runs: the expansions of ePC and eAt (see Half.Body).
type at struct{ pc, ptr string }

var (
	// alone is a half in its instruction's case or the first of a
	// superinstruction: its entry at ip.
	alone = at{"pcOff(ip, s)", "unsafe.Add(ip, "}
	// afterIP is the second half of a superinstruction: its entry after
	// ip.
	afterIP = at{"(pcOff(ip, s) + isa.WordSize)", "unsafe.Add(ip, isa.WordSize+"}
)

// The placeholders in a half's body (see Half.Body).
var (
	ePC = regexp.MustCompile(`\bePC\b`)
	eAt = regexp.MustCompile(`\beAt\(`)
	eOp = regexp.MustCompile(`\beOp\b`)
)

// writeBody writes body, less its empty lines, run where a says, with
// eOp as op.
func writeBody(b *bytes.Buffer, body string, a at, op string) {
	body = ePC.ReplaceAllLiteralString(body, a.pc)
	body = eAt.ReplaceAllLiteralString(body, a.ptr)
	body = eOp.ReplaceAllLiteralString(body, op)
	for line := range strings.SplitSeq(body, "\n") {
		if strings.TrimSpace(line) != "" {
			fmt.Fprintf(b, "%s\n", line)
		}
	}
}

// declaration matches a statement declaring variables in a half's
// outermost block (or an inner one: then the half is put in a block of
// its own for nothing).
var declaration = regexp.MustCompile(`(?m)^\s*(\w+(?:, \w+)*) :=|^\s*var (\w+)`)

// declaresAny tells whether the halves a and b of a superinstruction
// declare a variable of the same name, so that a must be in a block of
// its own.
func declaresAny(a, b string) bool {
	names := func(body string) map[string]bool {
		set := map[string]bool{}
		for _, m := range declaration.FindAllStringSubmatch(body, -1) {
			for _, n := range strings.Split(m[1]+m[2], ", ") {
				set[n] = true
			}
		}
		return set
	}
	inB := names(b)
	for n := range names(a) {
		if inB[n] {
			return true
		}
	}
	return false
}

// caseLabels are the expressions of h's opcodes in run's switch.
func caseLabels(h Half) []string {
	var labels []string
	for _, op := range h.Ops {
		labels = append(labels, opLabel(op))
	}
	if h.Decoded != "" {
		labels = append(labels, h.Decoded)
	}
	return labels
}

// opLabel is the expression of op in run's switch, in terms of package
// isa's constants.
func opLabel(op isa.Op) string {
	return "uint8(isa." + strings.ToUpper(op.String()) + ")"
}

// fusedName is the name of p's fused opcode: f, then the two mnemonics,
// capitalized.
func fusedName(p superinst.Pair) string {
	title := func(op isa.Op) string {
		s := op.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return "f" + title(p.First) + title(p.Second)
}

// writeComment writes text as a line comment, after an empty line.
func writeComment(b *bytes.Buffer, text string) {
	if text == "" {
		return
	}
	b.WriteString("\n")
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(b, "// %s\n", line)
	}
}

// gotoJump is a case's jump to the address in to (a return, jr, callr).
var gotoJump = regexp.MustCompile(`(?m)^([ \t]*)goto jump$`)

// expandJumps writes, in place of every case's goto jump, the test of
// whether to is in the current segment, and goes to the elsewhere label only
// when it is not. Each case so has its own branch for it, which the
// processor predicts by itself: fib's returns (leave+ret) and the
// returns from libstd's malloc into another segment (ret) no longer
// share one. One shared test made fib(32) 10% slower.
func expandJumps(src []byte) []byte {
	return gotoJump.ReplaceAll(src, []byte(`${1}if k := bits.RotateLeft64(to-s.cbase, -3); k < s.nw {
${1}	ip = unsafe.Add(s.dec, k<<3)
${1}	goto top
${1}}
${1}goto elsewhere`))
}
