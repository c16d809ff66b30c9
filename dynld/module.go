package dynld

import (
	"fmt"

	"linkvm/objfmt"
	"linkvm/vm"
)

// FirstSharedBase is where the first shared module of a process is
// loaded; each next one follows the previous, rounded up to ModuleAlign.
const FirstSharedBase = 0x1_0000_0000

// ModuleAlign is the alignment of shared modules' load addresses.
const ModuleAlign = 64 << 10

// maxModuleSize bounds a module's memory image (its sections' extent), so
// that a hostile file cannot make the loader reserve absurd amounts.
const maxModuleSize = 1 << 32

// module is one module loaded (or, for Tree, resolved) in a process.
type module struct {
	id       uint64 // dlopen handle; 1 for the executable
	name     string // the executable's path as given, a shared module's file name
	path     string // the file as found (relative if the search directory was)
	abs      string // its absolute path
	asked    string // the name it was first needed as (soname or path)
	img      *image
	file     *objfmt.File
	base     uint64
	size     uint64
	needed   []*module  // its Needed modules, resolved, in order
	vm       *vm.Module // nil for Tree
	startup  bool       // loaded with the program: never unloaded
	opens    int        // dlopen references
	global   bool       // in the global scope
	inited   bool       // its init function has run (or it has none)
	boundNow bool       // every JUMP_SLOT is bound
	owner    *module    // the dlopen'ed module whose local scope it resolves in; nil if global at load
	err      error      // Tree only: why it could not be loaded
}

// dyn returns the module's dynamic section, or an empty one.
func (m *module) dyn() *objfmt.Dynamic {
	if m.file != nil && m.file.Dynamic != nil {
		return m.file.Dynamic
	}
	return &objfmt.Dynamic{}
}

// extent returns the size of a module's memory image: the end of its
// highest allocated section.
func extent(f *objfmt.File) (uint64, error) {
	var end uint64
	for _, s := range f.Sections {
		if s == nil || s.Flags&objfmt.FlagAlloc == 0 || s.Size == 0 {
			continue
		}
		e := s.Addr + s.Size
		if e < s.Addr || e > maxModuleSize {
			return 0, fmt.Errorf("section %s [%#x, +%#x) is beyond the %#x-byte limit of a module", s.Name, s.Addr, s.Size, uint64(maxModuleSize))
		}
		end = max(end, e)
	}
	return end, nil
}

// localScope returns m and its dependencies, breadth-first, each once:
// where dlsym(handle) and the relocations of a module loaded by dlopen
// without RTLD_GLOBAL look.
func (m *module) localScope() []*module {
	seen := map[*module]bool{m: true}
	order := []*module{m}
	for i := 0; i < len(order); i++ {
		for _, d := range order[i].needed {
			if d != nil && !seen[d] {
				seen[d] = true
				order = append(order, d)
			}
		}
	}
	return order
}
