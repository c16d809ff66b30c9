package isa

import (
	"fmt"
	"strings"
)

// Markers delimit the generated opcode list inside docs/isa.md.
const (
	DocBegin = "<!-- BEGIN GENERATED OPCODES: edit vm/isa/isa.go, then `make docs` -->"
	DocEnd   = "<!-- END GENERATED OPCODES -->"
)

// OpcodeMarkdown renders the opcode table as the Markdown table that
// docs/isa.md carries between DocBegin and DocEnd.
func OpcodeMarkdown() string {
	var b strings.Builder
	b.WriteString("| opcode | mnemonic | operands | words | meaning |\n")
	b.WriteString("|---:|---|---|---:|---|\n")
	for i, in := range Table {
		ops := in.Format.Syntax()
		if ops != "" {
			ops = "`" + ops + "`"
		}
		fmt.Fprintf(&b, "| %d (0x%02x) | `%s` | %s | %d | %s |\n", i, i, in.Name, ops,
			in.Format.Words(), strings.ReplaceAll(in.Meaning, "|", "\\|"))
	}
	return b.String()
}

// ReplaceGenerated returns doc with the text between DocBegin and DocEnd
// replaced by gen, or an error if the markers are missing.
func ReplaceGenerated(doc, gen string) (string, error) {
	i := strings.Index(doc, DocBegin)
	j := strings.Index(doc, DocEnd)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %q ... %q not found", DocBegin, DocEnd)
	}
	return doc[:i+len(DocBegin)] + "\n" + gen + doc[j:], nil
}
