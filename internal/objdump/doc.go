// Package objdump builds the inspection view of a linkvm object file that
// the vmobjdump command prints: the file header, the on-disk section
// headers, the symbol table, the relocations and the disassembly of the
// executable sections with symbol names and source lines. The view (Dump)
// is one plain struct that is rendered either as text in the style of GNU
// objdump (text.go) or as JSON (its field tags), so that both show the same
// information. The JSON schema is documented in docs/tools.md.
package objdump
