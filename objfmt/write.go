package objfmt

import (
	"os"
	"runtime"
	"sync"

	"linkvm/internal/atomicfile"
)

// parallelFill is the size from which a table of records is encoded by
// a goroutine of its own.
const parallelFill = 256 << 10

// recordAlign is the file alignment of every section except the string
// table and of the section header table.
const recordAlign = 8

// diskSection is one section being laid out by Encode.
type diskSection struct {
	hdr  SectionHeader
	name string
	data []byte // file bytes; nil for NULL and NOBITS and for records
	// size and fill, for a section of records, are its size in bytes and a
	// function that encodes the records into a slice of that size, so that
	// records go straight into the output without an intermediate copy.
	// Fills of large tables run concurrently (see parallelFill): a fill
	// must write only b and only read everything else.
	size uint64
	fill func(b []byte)
	// records and fillRange, if fillRange is set, split a large fill:
	// fillRange(b, from, to) encodes records [from, to) of the records
	// records into b, the whole section, so that parts of one table are
	// encoded concurrently. fill then encodes them all.
	records   int
	fillRange func(b []byte, from, to int)
}

// recordFill returns d with fill and fillRange set to encode n records
// with fillRange.
func recordFill(d diskSection, n int, fillRange func(b []byte, from, to int)) diskSection {
	d.records, d.fillRange = n, fillRange
	d.fill = func(b []byte) { fillRange(b, 0, n) }
	return d
}

// Encode validates f and returns its encoding. The layout is deterministic
// (the same File always gives the same bytes) and is, in file order:
//
//   - the header;
//   - the bytes of the PROGBITS sections, in the order of f.Sections, each at
//     an 8-aligned offset, or a PageSize-aligned one for the read-only
//     ALLOC sections (code, read-only data) of TypeExec and TypeShared
//     files, which a loader maps from the file and shares;
//   - for each content section in order, its RELOC section (".rel" + name)
//     if it has relocations, then its LINES section (".lines" + name) if it
//     has line entries;
//   - the SYMTAB section (".symtab") if f has symbols;
//   - the STRTAB section (".strtab");
//   - if f.Dynamic is set, the dynamic sections (see dynamic_write.go);
//   - the section header table, 8-aligned.
//
// The header's checksum field is filled in last (see Checksum).
//
// Disk section i+1 is f.Sections[i]; the others follow in the order above.
// An invalid File gives an error naming the first problem found.
func (f *File) Encode() ([]byte, error) {
	pieces, err := f.encode(false)
	if err != nil {
		return nil, err
	}
	return pieces[0], nil
}

// aliasMin is the size from which encode(true) leaves a section's bytes
// where they are instead of copying them.
const aliasMin = 64 << 10

// encode returns the encoding of f (see Encode) as pieces to be written one
// after the other: one piece, or, with alias, the large sections' own
// bytes (the slices f holds) between pieces of a buffer that holds the
// rest, so that writing a large image does not copy its code and data.
func (f *File) encode(alias bool) ([][]byte, error) {
	if err := f.validateShape(); err != nil {
		return nil, err
	}
	// The sections' contents and the symbols are checked while the file
	// is encoded (the check and the string table are the two longest
	// serial steps of a large file): encoding only reads f and cannot fail
	// on a File of the right shape.
	valid := make(chan error, 1)
	go func() { valid <- f.validateContents() }()
	n := len(f.Sections)
	secs := make([]diskSection, 1, 1+3*n+2)
	for _, s := range f.Sections {
		d := diskSection{name: s.Name, hdr: SectionHeader{
			Kind: uint32(s.Kind), Flags: uint32(s.Flags), Align: uint32(s.Align),
			Addr: s.Addr, Size: s.Size,
		}}
		if s.Kind == KindProgbits {
			d.data = s.Data
		}
		secs = append(secs, d)
	}

	// Assign the indices of the other sections before encoding them, as
	// they refer to one another.
	relIdx := make([]int, n)
	lineIdx := make([]int, n)
	next := 1 + n
	for i, s := range f.Sections {
		if len(s.Relocs) > 0 {
			relIdx[i] = next
			next++
		}
		if len(s.Lines) > 0 {
			lineIdx[i] = next
			next++
		}
	}
	symtabIdx := 0
	if len(f.Symbols) > 0 {
		symtabIdx = next
		next++
	}
	strtabIdx := next

	// The string table holds, in this order, the section names in disk
	// order, the symbol names, and the line file names.
	nstr, strSize := 3*n+2, 0
	for i := range f.Symbols {
		strSize += len(f.Symbols[i].Name) + 1
	}
	st := newStrtabBuilderSize(nstr+len(f.Symbols), strSize)
	for i := 1; i <= n; i++ {
		secs[i].hdr.Name = st.add(secs[i].name)
	}
	for i, s := range f.Sections {
		if relIdx[i] != 0 {
			st.add(".rel" + s.Name)
		}
		if lineIdx[i] != 0 {
			st.add(".lines" + s.Name)
		}
	}
	if symtabIdx != 0 {
		st.add(".symtab")
	}
	st.add(".strtab")
	symNames := make([]uint32, len(f.Symbols))
	for i := range f.Symbols {
		symNames[i] = st.add(f.Symbols[i].Name)
	}
	for _, s := range f.Sections {
		for i := range s.Lines {
			st.add(s.Lines[i].File)
		}
	}

	for i, s := range f.Sections {
		if relIdx[i] != 0 {
			name := ".rel" + s.Name
			secs = append(secs, recordFill(diskSection{
				name: name,
				hdr: SectionHeader{Name: st.add(name), Kind: uint32(KindReloc), Align: recordAlign,
					Link: uint32(symtabIdx), Info: uint32(i + 1)},
				size: uint64(len(s.Relocs)) * RelocSize,
			}, len(s.Relocs), func(b []byte, from, to int) { encodeRelocs(b, s.Relocs, from, to) }))
		}
		if lineIdx[i] != 0 {
			name := ".lines" + s.Name
			secs = append(secs, recordFill(diskSection{
				name: name,
				hdr: SectionHeader{Name: st.add(name), Kind: uint32(KindLines), Align: recordAlign,
					Link: uint32(strtabIdx), Info: uint32(i + 1)},
				size: uint64(len(s.Lines)) * LineSize,
			}, len(s.Lines), func(b []byte, from, to int) { encodeLines(b, s.Lines, st, from, to) }))
		}
	}
	if symtabIdx != 0 {
		secs = append(secs, recordFill(diskSection{
			name: ".symtab",
			hdr:  SectionHeader{Name: st.add(".symtab"), Kind: uint32(KindSymtab), Align: recordAlign, Link: uint32(strtabIdx)},
			size: uint64(len(f.Symbols)+1) * SymbolSize,
		}, len(f.Symbols)+1, func(b []byte, from, to int) { encodeSymbols(b, f.Symbols, symNames, from, to) }))
	}
	// The dynamic sections are built from a checked Dynamic; everything
	// else only reads f, so a File without one is encoded while it is
	// being checked, and the encoding dropped if the check fails.
	checked := false
	if f.Dynamic != nil {
		if err := <-valid; err != nil {
			return nil, err
		}
		checked = true
	}
	dw := newDynWriter(f.Dynamic, st) // dynamic_write.go; adds strings, so before the table is taken
	secs = append(secs, diskSection{
		name: ".strtab",
		hdr:  SectionHeader{Name: st.add(".strtab"), Kind: uint32(KindStrtab), Align: 1},
		data: st.buf,
	})
	secs = append(secs, dw.sections(strtabIdx)...)

	// Lay out the file.
	pos := uint64(HeaderSize)
	for i := 1; i < len(secs); i++ {
		d := &secs[i]
		if SectionKind(d.hdr.Kind) == KindNobits {
			continue
		}
		a := uint64(recordAlign)
		switch {
		case SectionKind(d.hdr.Kind) == KindStrtab:
			a = 1
		case SectionKind(d.hdr.Kind) == KindProgbits && mappedInPlace(f.Type, SectionFlags(d.hdr.Flags)):
			a = PageSize
		}
		pos = alignUp(pos, a)
		d.hdr.Offset = pos
		if d.fill == nil {
			d.size = uint64(len(d.data))
		}
		d.hdr.Size = d.size
		pos += d.hdr.Size
	}
	shoff := alignUp(pos, recordAlign)
	// With alias, large sections of bytes (code, data, the string table)
	// become pieces of their own instead of being copied: out holds
	// everything else, in order, and the file is the pieces in order.
	isAlias := func(d *diskSection) bool { return alias && d.fill == nil && len(d.data) >= aliasMin }
	aliased := uint64(0)
	for i := range secs {
		if isAlias(&secs[i]) {
			aliased += uint64(len(secs[i].data))
		}
	}
	out := make([]byte, shoff-aliased+uint64(len(secs))*SectionHeaderSize)
	hdr := Header{
		Version: Version,
		Type:    uint16(f.Type),
		Entry:   f.Entry,
		Shoff:   shoff,
		Shnum:   uint32(len(secs)),
		Strndx:  uint32(strtabIdx),
	}
	copy(hdr.Magic[:], Magic)
	hdr.put(out)
	// Large tables are encoded in parallel: they fill disjoint parts of
	// out and only read f and st.
	var wg sync.WaitGroup
	var pieces [][]byte
	skipped, runStart := uint64(0), uint64(0) // aliased bytes so far; start in out of the current run
	for i := range secs {
		d := &secs[i]
		at := d.hdr.Offset - skipped // where d goes in out
		switch {
		case isAlias(d):
			pieces = append(pieces, out[runStart:at], d.data)
			skipped += uint64(len(d.data))
			runStart = at
		case d.fillRange != nil && d.size >= parallelFill:
			// Parts of about parallelFill bytes, at most a few per CPU.
			parts := min(int(d.size/parallelFill), 4*runtime.GOMAXPROCS(0))
			b := out[at : at+d.size]
			for p := range parts {
				from, to := d.records*p/parts, d.records*(p+1)/parts
				wg.Go(func() { d.fillRange(b, from, to) })
			}
		case d.fill != nil && d.size >= parallelFill:
			wg.Go(func() { d.fill(out[at : at+d.size]) })
		case d.fill != nil:
			d.fill(out[at : at+d.size])
		case len(d.data) > 0:
			copy(out[at:], d.data)
		}
		d.hdr.put(out[shoff-aliased+uint64(i)*SectionHeaderSize:])
	}
	pieces = append(pieces, out[runStart:])
	wg.Wait()
	if !checked {
		if err := <-valid; err != nil {
			return nil, err
		}
	}
	// The checksum field is still zero: the sum covers it as zero.
	le.PutUint32(out[objChecksumAt:], checksumPieces(pieces))
	return pieces, nil
}

func alignUp(v, a uint64) uint64 { return (v + a - 1) &^ (a - 1) }

// encodeRelocs encodes rs[from:to] into b, the len(rs)*RelocSize bytes
// of the whole table.
func encodeRelocs(b []byte, rs []Reloc, from, to int) {
	for i := from; i < to; i++ {
		r := &rs[i]
		rec := RelocRecord{Offset: r.Offset, Sym: uint32(r.Sym + 1), Kind: uint32(r.Kind), Addend: r.Addend}
		rec.put(b[i*RelocSize:])
	}
}

// encodeLines encodes ls[from:to] into b, the len(ls)*LineSize bytes of
// the whole table; every file name is already in st, which is only read.
func encodeLines(b []byte, ls []Line, st *strtabBuilder, from, to int) {
	last, lastOff := "", uint32(0)
	for i := from; i < to; i++ {
		l := &ls[i]
		if l.File != last {
			last, lastOff = l.File, st.off[l.File]
		}
		rec := LineRecord{Offset: uint32(l.Offset), File: lastOff, Line: l.Line, Col: l.Col}
		rec.put(b[i*LineSize:])
	}
}

// encodeSymbols encodes records [from, to) of the symbol table, the null
// symbol then syms, into b, the (len(syms)+1)*SymbolSize bytes of the whole
// table, which must be zero.
func encodeSymbols(b []byte, syms []Symbol, names []uint32, from, to int) {
	for r := max(from, 1); r < to; r++ {
		s := &syms[r-1]
		rec := SymbolRecord{Name: names[r-1], Bind: uint8(s.Bind), Type: uint8(s.Type), Value: s.Value, Size: s.Size}
		switch s.Section {
		case SecUndef:
			rec.Shndx = ShnUndef
		case SecAbs:
			rec.Shndx = ShnAbs
		default:
			rec.Shndx = uint32(s.Section + 1)
		}
		rec.put(b[r*SymbolSize:])
	}
}

// WriteFile encodes f and writes it to the file name atomically: either
// the whole new file is in place or an existing file is left untouched.
// Executables get mode 0755, other files 0644.
func WriteFile(name string, f *File) error {
	pieces, err := f.encode(true)
	if err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if f.Type == TypeExec {
		perm = 0o755
	}
	return atomicfile.WriteBuffers(name, pieces, perm)
}
