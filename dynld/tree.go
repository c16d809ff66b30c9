package dynld

import (
	"fmt"

	"linkvm/objfmt"
)

// Node is a module of a dependency tree (see Tree).
type Node struct {
	// Name is the module as it was needed (a soname, or the path given
	// for the root and for preloads named by path).
	Name string
	// Path is the absolute path of the file found; "" if none was.
	Path string
	// Base is the address the module would be loaded at.
	Base uint64
	// Soname and Version are the module's, from its dynamic section.
	Soname, Version string
	// Dynamic is false for a static image, which needs no modules.
	Dynamic bool
	// Err says why the module could not be loaded: a *NotFoundError, an
	// *IncompatibleError or a read error. Its Needed is then empty.
	Err error
	// Needed are the nodes of the module's needed modules, in order. A
	// module needed by several others is one Node.
	Needed []*Node
	// Modules, on the root only, lists every module in load order
	// (preloads first), the root excluded.
	Modules []*Node
}

// Tree resolves the dependency tree of the image or shared module at path
// as Load would (same search order, preloads and versions), without a
// process and without running anything: modules that cannot be found or
// loaded become nodes with Err set. The error is for a root that cannot
// be read.
func Tree(path string, cfg Config) (*Node, error) {
	l := newLinker(cfg, nil)
	l.tolerant = true
	img, err := l.cache.open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := img.file
	if f.Type != objfmt.TypeExec && f.Type != objfmt.TypeShared {
		return nil, fmt.Errorf("%s: not an executable image or shared module (type %s)", path, f.Type)
	}
	root, err := l.add(img, path, "", f.Type == objfmt.TypeExec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	l.exe = root
	if f.Dynamic == nil {
		return &Node{Name: path, Path: root.abs}, nil
	}
	roots := []*module{root}
	for _, name := range cfg.Preload {
		m, isNew, err := l.require(name, nil, "VM_PRELOAD")
		if err != nil {
			m, isNew = l.failed(name, err)
		}
		if isNew {
			roots = append(roots, m)
		}
	}
	if _, err := l.loadDeps(roots); err != nil {
		return nil, err // not reached: l.tolerant
	}
	nodes := make(map[*module]*Node, len(l.mods))
	for _, m := range l.mods {
		n := &Node{Name: m.asked, Err: m.err}
		if m.file != nil {
			n.Path, n.Base, n.Dynamic = m.abs, m.base, m.file.Dynamic != nil
			n.Soname, n.Version = m.dyn().Soname, m.dyn().Version
		}
		nodes[m] = n
	}
	for _, m := range l.mods {
		for _, d := range m.needed {
			nodes[m].Needed = append(nodes[m].Needed, nodes[d])
		}
	}
	top := nodes[root]
	top.Name = path
	for _, m := range l.mods[1:] {
		top.Modules = append(top.Modules, nodes[m])
	}
	return top, nil
}
