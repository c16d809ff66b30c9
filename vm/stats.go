package vm

import "linkvm/objfmt"

// Read-only views of a process and its modules for reports such as
// vmrun --stats. They change nothing and may be called after Run.

// Main returns the process's executable module, or nil before one is
// mapped.
func (p *Process) Main() *Module { return p.main }

// Footprint returns the bytes of m's allocated sections, split the way
// MapModule maps them: shared bytes are the read-only sections, mapped in
// place from m.File, so every process that maps the same File uses the
// same bytes; private bytes are the writable and zero-filled sections,
// of which each process mapping m has its own copy.
func (m *Module) Footprint() (shared, private uint64) {
	if m == nil || m.File == nil {
		return 0, 0
	}
	for _, sec := range m.File.Sections {
		if sec == nil || sec.Flags&objfmt.FlagAlloc == 0 || sec.Size == 0 {
			continue
		}
		if sec.Flags&objfmt.FlagWrite != 0 || sec.Kind == objfmt.KindNobits {
			private += sec.Size
		} else {
			shared += sec.Size
		}
	}
	return shared, private
}
