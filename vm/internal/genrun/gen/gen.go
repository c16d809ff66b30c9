// Package gen writes vm/exec_run.go: run, the interpreter's hot loop, and
// the superinstructions' opcode constants. Each instruction's case is its
// half from Halves; each superinstruction's (superinst.Pairs and Seqs) is
// the step count of all its instructions, then their halves one after the
// other. A superinstruction that ends with a call or jmp has a twin that
// ends with the PLT half instead (Half.PLTOf), for the decoder to use
// when the call goes to a PLT stub. vm's TestRunGenerated checks that the
// file is current; vm/internal/genrun (go generate ./vm) rewrites it.
package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"slices"
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
	// segment (pcOff(ip, cs) or one word more), eAt(x) for the pointer x
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
	// PLTOf, for the decoded-only dCallPLT and dJmpPLT, is the
	// instruction whose call or jump to a PLT stub the half runs together
	// with the stub (0, halt, for every other half): every
	// superinstruction ending with that instruction gets a twin ending
	// with this half instead (see twins). The body moves ip to the stub
	// before it leaves the case, so a twin uses it unchanged.
	PLTOf isa.Op
}

// Generate returns the contents of vm/exec_run.go, gofmt'ed.
func Generate() ([]byte, error) {
	return Build(Halves, ExecOnly, superinst.Pairs[:], superinst.Seqs[:])
}

// Build returns run generated from halves, pairs and longer runs (seqs);
// execOnly are the instructions it leaves to exec. It checks that every
// instruction has a half or is in execOnly, not both, and that every
// superinstruction can be fused.
func Build(halves []Half, execOnly []isa.Op, pairs []superinst.Pair, seqs [][]isa.Op) ([]byte, error) {
	byOp, err := index(halves, execOnly)
	if err != nil {
		return nil, err
	}
	all := make([][]isa.Op, 0, len(pairs)+len(seqs))
	for _, p := range pairs {
		all = append(all, []isa.Op{p.First, p.Second})
	}
	all = append(all, seqs...)
	var b bytes.Buffer
	b.WriteString(fileHead)
	maxRun := 1
	for i, ops := range all {
		if err := checkSeq(ops, byOp, all[:i]); err != nil {
			return nil, err
		}
		maxRun = max(maxRun, len(ops))
		fmt.Fprintf(&b, "%s", fusedName(ops))
		if i == 0 {
			b.WriteString(" = fFirst + iota")
		}
		fmt.Fprintf(&b, " // %s\n", opList(ops))
	}
	tw := twins(halves, all)
	for _, t := range tw {
		fmt.Fprintf(&b, "%s // %s to a PLT stub, and the stub\n", t.name(), opList(t.ops))
	}
	fmt.Fprintf(&b, ")\n\n// maxRun is the longest superinstruction's length: run stops when fewer\n"+
		"// steps are left (see exec).\nconst maxRun = %d\n", maxRun)
	b.WriteString("\n// pltTwins pairs each superinstruction that ends with a call or jmp with\n" +
		"// its twin, which linkPLT decodes in its place when the call or jump\n" +
		"// goes to a PLT stub of its section.\nvar pltTwins = [...][2]uint8{\n")
	for _, t := range tw {
		fmt.Fprintf(&b, "{%s, %s},\n", fusedName(t.ops), t.name())
	}
	b.WriteString("}\n")
	b.WriteString("\n// segReaders are the opcodes whose case reads the current code segment\n" +
		"// (an instruction's own address or words, from cs): a segment's lazy\n" +
		"// form decodes them as dResync (see decoded.lazy).\nvar segReaders = [256]bool{\n")
	for _, l := range segReaders(halves, all, byOp, tw) {
		fmt.Fprintf(&b, "%s: true,\n", l)
	}
	b.WriteString("}\n")
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
	for _, ops := range all {
		writeFused(&b, fusedName(ops), ops, byOp, nil)
	}
	for _, t := range tw {
		writeFused(&b, t.name(), t.ops, byOp, t.last)
	}
	b.WriteString("\n")
	b.WriteString(lastCase(halves, execOnly, len(all)+len(tw)))
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
		if h.PLTOf != 0 && (h.Decoded == "" || len(h.Ops) > 0) {
			return nil, fmt.Errorf("the PLT half for %s must be a decoded-only opcode's alone", h.PLTOf)
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

// leavesCase finds a goto in a half's body to anywhere but slow: every
// half of a superinstruction but its last must go on to the next, or
// leave its instruction to exec.
var leavesCase = regexp.MustCompile(`goto (branch|jump|far|top)\b`)

// checkSeq checks that ops can be a superinstruction: two or more
// instructions, each with a half, all but the last going on to the next
// word, and not in before.
func checkSeq(ops []isa.Op, byOp map[isa.Op]*Half, before [][]isa.Op) error {
	if len(ops) < 2 {
		return fmt.Errorf("superinstruction %s: fewer than two instructions", opList(ops))
	}
	for _, q := range before {
		if slices.Equal(q, ops) {
			return fmt.Errorf("superinstruction %s: listed twice", opList(ops))
		}
	}
	for _, op := range ops {
		if byOp[op] == nil {
			return fmt.Errorf("superinstruction %s: run leaves %s to exec", opList(ops), op)
		}
	}
	for _, op := range ops[:len(ops)-1] {
		if h := byOp[op]; h.Next != 1 || leavesCase.MatchString(h.Body) {
			return fmt.Errorf("superinstruction %s: %s does not go on to the next word", opList(ops), op)
		}
	}
	return nil
}

// opList is ops as the comments and errors name a superinstruction:
// "add, bnez".
func opList(ops []isa.Op) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.String()
	}
	return strings.Join(names, ", ")
}

// writeFused writes the case name of the superinstruction ops: all its
// steps counted at once (run's loop comes here only with at least maxRun
// left), then each instruction's half in turn, e moved to its entry,
// changed to run there (see exits); a half that leaves the instructions
// after it to exec gives their steps back. A twin (see twins) has last,
// a PLT half, in place of its last instruction's.
func writeFused(b *bytes.Buffer, name string, ops []isa.Op, byOp map[isa.Op]*Half, last *Half) {
	n := len(ops)
	fmt.Fprintf(b, "case %s: // %s", name, opList(ops))
	if last != nil {
		b.WriteString(" to a PLT stub, and the stub")
	}
	fmt.Fprintf(b, "\nleft -= %d\n", n)
	hs := make([]*Half, n)
	for j, op := range ops {
		hs[j] = byOp[op]
	}
	if last != nil {
		hs[n-1] = last
	}
	for j, op := range ops {
		h := hs[j]
		body := h.Body // a PLT half moves ip to the stub itself
		if h.PLTOf == 0 {
			body = exits(j, n-1-j).Replace(h.Body)
		}
		if j > 0 && usesEntry.MatchString(body) { // ret, for one, reads no field
			fmt.Fprintf(b, "e = (*dinst)(unsafe.Add(ip, %s))\n", words(j))
		}
		a := at{"(pcOff(ip, cs) + " + words(j) + ")", "unsafe.Add(ip, " + words(j) + "+"}
		if j == 0 {
			a = alone
		}
		later := false
		for _, o := range hs[j+1:] {
			later = later || declaresAny(h.Body, o.Body)
		}
		if later {
			b.WriteString("{\n")
			writeBody(b, body, a, opLabel(op))
			b.WriteString("}\n")
		} else {
			writeBody(b, body, a, opLabel(op))
		}
		if j == n-1 && h.Next > 0 {
			fmt.Fprintf(b, "ip = unsafe.Add(ip, %d*isa.WordSize)\ngoto top\n", j+h.Next)
		}
	}
}

// readsSeg matches a half's body that reads the current code segment:
// its instruction's address (ePC, pcOff) or another of cs's fields. The
// tests of a register's target against cs that expandJumps writes in
// place of goto jump are not such a read: they are right whatever
// segment is current.
var readsSeg = regexp.MustCompile(`\bePC\b|\bpcOff\(|\bcs\.`)

// segReaders returns the case labels of the opcodes whose case reads the
// current code segment (readsSeg): the halves', then the superinstructions'
// (all) and the twins' (tw) with such a half.
func segReaders(halves []Half, all [][]isa.Op, byOp map[isa.Op]*Half, tw []twin) []string {
	var labels []string
	for _, h := range halves {
		if readsSeg.MatchString(h.Body) {
			labels = append(labels, caseLabels(h)...)
		}
	}
	anyReads := func(ops []isa.Op) bool {
		return slices.ContainsFunc(ops, func(op isa.Op) bool { return readsSeg.MatchString(byOp[op].Body) })
	}
	for _, ops := range all {
		if anyReads(ops) {
			labels = append(labels, fusedName(ops))
		}
	}
	for _, t := range tw {
		if anyReads(t.ops[:len(t.ops)-1]) || readsSeg.MatchString(t.last.Body) {
			labels = append(labels, t.name())
		}
	}
	return labels
}

// twin is a superinstruction ending with a call or jump, run with a PLT
// half (Half.PLTOf) in place of its last instruction's: its call or
// jump to a PLT stub and the stub, in one dispatch.
type twin struct {
	ops  []isa.Op
	last *Half
}

// name is the twin's opcode's name: its superinstruction's, then PLT.
func (t twin) name() string { return fusedName(t.ops) + "PLT" }

// twins are the twins of the superinstructions all, in their order.
func twins(halves []Half, all [][]isa.Op) []twin {
	var tw []twin
	for _, ops := range all {
		for i := range halves {
			if h := &halves[i]; h.PLTOf != 0 && h.PLTOf == ops[len(ops)-1] {
				tw = append(tw, twin{ops, h})
			}
		}
	}
	return tw
}

// words is the Go expression for j words.
func words(j int) string {
	if j == 1 {
		return "isa.WordSize"
	}
	return fmt.Sprintf("%d*isa.WordSize", j)
}

// exits changes how the half at index j of a superinstruction, with
// after instructions after it, leaves the case, since ip stays at the
// first: ip moves to the half's entry before the labels that read it
// (slow, jump, far), a taken branch, whose offset is from the half's
// entry, jumps there itself, and a half that leaves its instruction to
// exec gives back the steps of the ones after it, which did not run.
func exits(j, after int) *strings.Replacer {
	slow := "goto slow"
	switch after {
	case 0:
	case 1:
		slow = "left++ // the second did not run\ngoto slow"
	default:
		slow = fmt.Sprintf("left += %d // the ones after did not run\ngoto slow", after)
	}
	if j == 0 {
		return strings.NewReplacer("goto slow", slow)
	}
	move := "ip = unsafe.Add(ip, " + words(j) + ")\n"
	return strings.NewReplacer(
		"goto slow", move+slow,
		"goto jump", move+"goto jump",
		"goto far", move+"goto far",
		"goto branch", "ip = unsafe.Add(ip, "+words(j)+"+int(e.imm)<<3)\ngoto top",
	)
}

// usesEntry matches a body that reads the decoded entry e.
var usesEntry = regexp.MustCompile(`\be\.`)

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
	alone = at{"pcOff(ip, cs)", "unsafe.Add(ip, "}
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

// fusedName is the name of the superinstruction ops' fused opcode: f,
// then the mnemonics, capitalized.
func fusedName(ops []isa.Op) string {
	name := "f"
	for _, op := range ops {
		m := op.String()
		name += strings.ToUpper(m[:1]) + m[1:]
	}
	return name
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
// whether to is in the current segment, then in the one run came from
// (s.alt), and goes to the far label only when it is in neither. Each
// case so has its own branches for them, which the processor predicts
// by itself: fib's returns (leave+ret) and the returns from libstd's
// malloc into another segment (ret) no longer share one. One shared test
// made fib(32) 10% slower; the test of s.alt in the case rather than in
// far saves a return from another module 2 of its 40-odd instructions
// (binarytrees, cachegrind).
func expandJumps(src []byte) []byte {
	return gotoJump.ReplaceAll(src, []byte(`${1}if k := bits.RotateLeft64(to-cs.base, -3); k < cs.nw {
${1}	ip = unsafe.Add(cs.dec, k<<3)
${1}	goto top
${1}}
${1}if k := bits.RotateLeft64(to-s.alt.base, -3); k < s.alt.nw {
${1}	s.alt, cs = cs, s.alt
${1}	ip = unsafe.Add(cs.dec, k<<3)
${1}	goto top
${1}}
${1}goto far`))
}
