package staticld

import "linkvm/objfmt"

// linesPass merges the line tables of each output section's inputs, in
// placement order, with offsets rebased to the output section. The result
// stays sorted because inputs are placed at increasing offsets.
func linesPass(l *linker) {
	for _, out := range l.outs {
		n := 0
		for _, p := range out.inputs {
			n += len(p.obj.file.Sections[p.sec].Lines)
		}
		if n == 0 {
			continue
		}
		lines := make([]objfmt.Line, 0, n)
		for _, p := range out.inputs {
			for _, ln := range p.obj.file.Sections[p.sec].Lines {
				ln.Offset += p.off
				lines = append(lines, ln)
			}
		}
		out.sec.Lines = lines
	}
}
