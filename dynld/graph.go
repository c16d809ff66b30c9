package dynld

import (
	"fmt"
	"path/filepath"
	"strings"

	"linkvm/vm"
)

// linker is the loader's state for one process (or for one Tree): the
// modules loaded, the global scope, handles and the next load address. It
// is the process's vm.DynamicLinker. A process runs on one goroutine, so
// a linker needs no lock; only the Cache is shared.
type linker struct {
	cfg   Config
	cache *Cache
	dbg   debug
	p     *vm.Process // nil for Tree

	exe      *module
	mods     []*module // loaded, in load order
	global   []*module // the global scope, in lookup order
	bySoname map[string]*module
	byAbs    map[string]*module
	byVM     map[*vm.Module]*module
	byID     map[uint64]*module
	inits    []*module // modules whose init has run, in that order
	nextID   uint64
	nextBase uint64
	tolerant bool // Tree: a module that cannot be loaded becomes a node with err
}

// newLinker returns an empty linker for process p (nil for Tree).
func newLinker(cfg Config, p *vm.Process) *linker {
	return &linker{
		cfg:      cfg,
		cache:    cfg.cache(),
		dbg:      newDebug(cfg.Debug, p),
		p:        p,
		bySoname: make(map[string]*module),
		byAbs:    make(map[string]*module),
		byVM:     make(map[*vm.Module]*module),
		byID:     make(map[uint64]*module),
		nextBase: FirstSharedBase,
	}
}

// add registers a module read from path (as found; asked is the name it
// was needed as) and maps it into the process: the executable at 0, a
// shared module at the next free base. Errors start with the module's
// name.
func (l *linker) add(img *image, path, asked string, exe bool) (*module, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	l.nextID++
	m := &module{id: l.nextID, name: filepath.Base(path), path: path, abs: abs, asked: asked, img: img, file: img.file}
	if exe {
		m.name = path
	}
	size, err := extent(m.file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	m.size = size
	if !exe {
		m.base = (l.nextBase + ModuleAlign - 1) &^ (ModuleAlign - 1)
		if m.base < l.nextBase || m.base+size < m.base || m.base+size > vm.AddrLimit {
			return nil, fmt.Errorf("%s: no room in the address space for %#x bytes", m.name, size)
		}
		l.nextBase = m.base + size
	}
	if l.p != nil {
		vmod, err := l.p.MapModule(m.file, m.name, abs, m.base)
		if err != nil {
			return nil, err
		}
		m.vm = vmod
		l.byVM[vmod] = m
	}
	if soname := m.dyn().Soname; soname != "" && l.bySoname[soname] == nil {
		l.bySoname[soname] = m
	}
	if asked != "" && !strings.ContainsRune(asked, '/') && l.bySoname[asked] == nil {
		l.bySoname[asked] = m
	}
	l.byAbs[abs] = m
	l.byID[m.id] = m
	l.mods = append(l.mods, m)
	return m, nil
}

// require returns the module name needed by from (neededBy names the
// requester in messages; from may be nil for preloads), loading it if it
// is not loaded yet; isNew says whether it was. A module is loaded once:
// a name matches a loaded module's soname (or the name it was needed as),
// and a file matches by absolute path.
func (l *linker) require(name string, from *module, neededBy string) (m *module, isNew bool, err error) {
	if strings.ContainsRune(name, '/') {
		if abs, err := filepath.Abs(name); err == nil && l.byAbs[abs] != nil {
			return l.byAbs[abs], false, nil
		}
	} else if m := l.bySoname[name]; m != nil {
		return m, false, nil
	}
	path, img, err := l.search(name, from, neededBy)
	if err != nil {
		return nil, false, err
	}
	if abs, err := filepath.Abs(path); err == nil && l.byAbs[abs] != nil {
		m := l.byAbs[abs]
		if l.bySoname[name] == nil && !strings.ContainsRune(name, '/') {
			l.bySoname[name] = m
		}
		return m, false, nil
	}
	m, err = l.add(img, path, name, false)
	if err != nil {
		return nil, false, err
	}
	if from != nil {
		l.dbg.libs("file=%s [0];  needed by %s [0]", m.name, from.name)
	}
	l.dbg.libs("file=%s [0];  generating link map", m.name)
	l.dbg.libs("  base: 0x%016x   size: 0x%016x", m.base, m.size)
	l.dbg.libs("")
	return m, true, nil
}

// loadDeps loads, breadth-first, every module needed by the modules of
// queue and by those, each once; cycles are allowed. It returns the
// modules it loaded, in load order. For Tree (l.tolerant), a module that
// cannot be found or read becomes a module with err set and no file.
func (l *linker) loadDeps(queue []*module) ([]*module, error) {
	var loaded []*module
	for i := 0; i < len(queue); i++ {
		m := queue[i]
		if m.file == nil {
			continue
		}
		for _, name := range m.dyn().Needed {
			dep, isNew, err := l.require(name, m, m.name)
			if err != nil {
				if !l.tolerant {
					return loaded, err
				}
				dep, isNew = l.failed(name, err)
			}
			m.needed = append(m.needed, dep)
			if isNew {
				loaded = append(loaded, dep)
				queue = append(queue, dep)
			}
		}
	}
	return loaded, nil
}

// failed records, for Tree, a module that could not be loaded; the same
// name needed again gets the same node.
func (l *linker) failed(name string, err error) (*module, bool) {
	if m := l.bySoname[name]; m != nil {
		return m, false
	}
	l.nextID++
	m := &module{id: l.nextID, name: name, asked: name, err: err}
	l.bySoname[name] = m
	l.mods = append(l.mods, m)
	return m, true
}

// initOrder returns the modules reachable from roots whose init has not
// run, dependencies first: a depth-first post-order over Needed, roots in
// order. In a cycle, the module reached first is initialised last.
func initOrder(roots []*module) []*module {
	seen := make(map[*module]bool)
	var order []*module
	var visit func(m *module)
	visit = func(m *module) {
		if m == nil || seen[m] || m.inited {
			return
		}
		seen[m] = true
		for _, d := range m.needed {
			visit(d)
		}
		order = append(order, m)
	}
	for _, r := range roots {
		visit(r)
	}
	return order
}
