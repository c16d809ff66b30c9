// Package staticld is linkvm's link editor: it combines relocatable
// modules (.vo), and the members of static libraries (.va) that they need,
// into one executable image (.img), in the manner of ld.lld or Go's
// cmd/link. It also links shared modules (.vso, Config.Shared) and
// executables that use them: a shared module's exports resolve references
// at link time, and the output records what the loader must do.
//
// ReadInputs reads the files named on a command line (modules, archives,
// -lNAME libraries); Link links them. Link runs a fixed, ordered list of
// passes over a linker context (see passes in link.go, one file per pass):
//
//	read        check every module input is a well-formed relocatable
//	            module; register the archives
//	resolve     build the global symbol table: global beats weak, first
//	            weak wins, two global definitions are a duplicate-symbol
//	            error; archive symbols are lazy and a global reference
//	            extracts the member defining one (order-independent, as in
//	            lld); trace symbols (-y), warn about backward references
//	whyextract  write the --why-extract table
//	gc          --gc-sections: remove the sections not reachable from the
//	            entry symbol and the -u symbols
//	undefined   report every relocation that refers to an undefined symbol,
//	            one error per symbol listing every referencing site
//	pic         decide the needed shared modules and what each relocation
//	            needs (GOT slot, PLT stub, import, dynamic relocation);
//	            report what position-independent code cannot do
//	layout      merge input sections into output sections, add .plt and
//	            .got, and assign addresses from Config.Base (0 for a
//	            shared module), each output section page-aligned
//	entry       find the entry symbol (Config.Entry, default _start)
//	dynsym      build the dynamic symbol table: exports, then imports
//	relocate    apply every relocation to the merged section bytes,
//	            recording the dynamic relocations of absolute pointers
//	dynamic     fill the GOT and the PLT and build File.Dynamic
//	lines       merge the line tables, rebased to output section offsets
//	symtab      write every defined symbol with its final address
//	map         write the link map (-Map)
//
// Errors are collected in the context rather than returned at the first
// problem; a checkpoint after a pass stops the link if any were recorded,
// so that, for example, all undefined symbols are reported together.
// Warnings and messages go to Config.Log as they are found. The semantics
// are documented in docs/linking.md.
package staticld
