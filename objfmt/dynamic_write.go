package objfmt

// This file encodes File.Dynamic for Encode (write.go). The dynamic
// sections follow the string table, in this order: .dynamic, .needed (if
// Needed is not empty), .runpath (if Runpath is not empty), .dynsym,
// .dynrel (if Relocs is not empty), .hash.

// dynWriter holds the string table offsets of one Dynamic's strings.
type dynWriter struct {
	d       *Dynamic
	rec     DynamicRecord
	needed  []uint32
	runpath []uint32
	names   []uint32 // of d.Symbols
	secs    []dynDiskSection
}

// dynDiskSection is one dynamic section to write.
type dynDiskSection struct {
	kind SectionKind
	name uint32 // string table offset of its name
	size uint64
	fill func(b []byte)
}

// newDynWriter adds the strings of d to st: the names of the dynamic
// sections, then the soname, the version, Needed, Runpath and the symbol
// names, in this order. It returns nil if d is nil. It must be called
// before the string table's bytes are taken, and d must be valid.
func newDynWriter(d *Dynamic, st *strtabBuilder) *dynWriter {
	if d == nil {
		return nil
	}
	w := &dynWriter{d: d}
	w.rec = DynamicRecord{
		Init: d.Init, Fini: d.Fini, PLTResolve: d.PLTResolve,
		Nneeded:  uint32(len(d.Needed)),
		Nrunpath: uint32(len(d.Runpath)),
		Nsyms:    uint32(len(d.Symbols) + 1),
		Nrelocs:  uint32(len(d.Relocs)),
	}
	add := func(kind SectionKind, name string, size uint64, fill func([]byte)) {
		w.secs = append(w.secs, dynDiskSection{kind: kind, name: st.add(name), size: size, fill: fill})
	}
	add(KindDynamic, ".dynamic", DynamicSize, func(b []byte) { w.rec.put(b) })
	if len(d.Needed) > 0 {
		add(KindNeeded, ".needed", uint64(len(d.Needed))*dynStrRefSize, func(b []byte) { putStrRefs(b, w.needed) })
	}
	if len(d.Runpath) > 0 {
		add(KindRunpath, ".runpath", uint64(len(d.Runpath))*dynStrRefSize, func(b []byte) { putStrRefs(b, w.runpath) })
	}
	add(KindDynsym, ".dynsym", uint64(len(d.Symbols)+1)*DynSymbolSize, w.fillSymbols)
	if len(d.Relocs) > 0 {
		add(KindDynrel, ".dynrel", uint64(len(d.Relocs))*DynRelocSize, w.fillRelocs)
	}
	// The canonical table, never one read from a file or cached by
	// Lookup, so that the output depends only on the File.
	h := buildHash(d.Symbols)
	add(KindHash, ".hash", hashHdrSize+uint64(len(h.buckets)+len(h.chains))*hashWordSize, func(b []byte) { putHash(b, h) })

	w.rec.Soname = st.add(d.Soname)
	w.rec.Version = st.add(d.Version)
	w.needed = addAll(st, d.Needed)
	w.runpath = addAll(st, d.Runpath)
	w.names = make([]uint32, len(d.Symbols))
	for i := range d.Symbols {
		w.names[i] = st.add(d.Symbols[i].Name)
	}
	return w
}

func addAll(st *strtabBuilder, ss []string) []uint32 {
	offs := make([]uint32, len(ss))
	for i, s := range ss {
		offs[i] = st.add(s)
	}
	return offs
}

// sections returns the disk sections of the dynamic information, which
// take the disk indices after strtabIdx, the string table's. It returns
// nil for a nil w.
func (w *dynWriter) sections(strtabIdx int) []diskSection {
	if w == nil {
		return nil
	}
	dynsymIdx := 0
	for i, s := range w.secs {
		if s.kind == KindDynsym {
			dynsymIdx = strtabIdx + 1 + i
		}
	}
	out := make([]diskSection, len(w.secs))
	for i, s := range w.secs {
		link := uint32(strtabIdx)
		if s.kind == KindDynrel || s.kind == KindHash {
			link = uint32(dynsymIdx)
		}
		out[i] = diskSection{
			hdr:  SectionHeader{Name: s.name, Kind: uint32(s.kind), Align: recordAlign, Link: link},
			size: s.size,
			fill: s.fill,
		}
	}
	return out
}

func putStrRefs(b []byte, offs []uint32) {
	for i, o := range offs {
		le.PutUint32(b[i*dynStrRefSize:], o)
	}
}

// fillSymbols encodes the null record and the symbols into b, which must
// be zero.
func (w *dynWriter) fillSymbols(b []byte) {
	for i := range w.d.Symbols {
		s := &w.d.Symbols[i]
		rec := DynSymbolRecord{Name: w.names[i], Bind: uint8(s.Bind), Type: uint8(s.Type), Value: s.Value, Size: s.Size}
		if s.Defined {
			rec.Flags = DynSymDefined
		}
		rec.put(b[(i+1)*DynSymbolSize:])
	}
}

func (w *dynWriter) fillRelocs(b []byte) {
	for i := range w.d.Relocs {
		r := &w.d.Relocs[i]
		rec := DynRelocRecord{Offset: r.Offset, Sym: uint32(r.Sym + 1), Kind: uint32(r.Kind), Addend: r.Addend}
		rec.put(b[i*DynRelocSize:])
	}
}

// putHash encodes t: nbucket, nchain, the buckets, the chains.
func putHash(b []byte, t *dynHashTable) {
	le.PutUint32(b, uint32(len(t.buckets)))
	le.PutUint32(b[4:], uint32(len(t.chains)))
	b = b[hashHdrSize:]
	for i, v := range t.buckets {
		le.PutUint32(b[i*hashWordSize:], v)
	}
	b = b[len(t.buckets)*hashWordSize:]
	for i, v := range t.chains {
		le.PutUint32(b[i*hashWordSize:], v)
	}
}
