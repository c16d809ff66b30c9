package staticld

import "bufio"

// whyExtractPass writes the --why-extract table to Config.WhyExtract, in
// lld's format: a header line, then one line per extracted archive member,
// in extraction order, giving the reference that extracted it (a module,
// "libx.va(member.vo)", "--undefined" or "--entry"), the member and the
// symbol, separated by tabs:
//
//	reference	extracted	symbol
//	main.vo	libx.va(foo.vo)	foo
//
// It runs right after resolve, so the table is written even if the link
// fails later (on undefined symbols, say), when it is most useful.
func whyExtractPass(l *linker) {
	if l.cfg.WhyExtract == nil {
		return
	}
	w := bufio.NewWriter(l.cfg.WhyExtract)
	w.WriteString("reference\textracted\tsymbol\n")
	for _, e := range l.extractions {
		w.WriteString(l.refName(e.ref))
		w.WriteByte('\t')
		w.WriteString(l.memberName(e.member))
		w.WriteByte('\t')
		w.WriteString(l.syms[e.sym].name)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		l.errorf("cannot write the --why-extract output: %v", err)
	}
}
