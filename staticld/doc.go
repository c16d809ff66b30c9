// Package staticld is linkvm's static linker: it combines relocatable
// modules (.vo) into one executable image (.img), in the manner of ld.lld or
// Go's cmd/link.
//
// Link runs a fixed, ordered list of passes over a linker context (see
// passes in link.go, one file per pass):
//
//	read       check every input is a well-formed relocatable module
//	resolve    build the global symbol table: global beats weak, first weak
//	           wins, two global definitions are a duplicate-symbol error
//	undefined  report every relocation that refers to an undefined symbol,
//	           one error per symbol listing every referencing site
//	layout     merge input sections into output sections and assign
//	           addresses from Config.Base, each output section page-aligned
//	entry      find the entry symbol (Config.Entry, default _start)
//	relocate   apply every relocation to the merged section bytes
//	lines      merge the line tables, rebased to output section offsets
//	symtab     write every defined symbol with its final address
//
// Diagnostics are collected in the context rather than returned at the first
// problem; a checkpoint after a pass stops the link if any were recorded, so
// that, for example, all undefined symbols are reported together. The
// semantics are documented in docs/linking.md.
package staticld
