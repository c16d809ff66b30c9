package objfmt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Open reads the object file name. Errors about the file's contents are
// *FormatErrors, which do not include the file name.
func Open(name string) (*File, error) {
	fh, size, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return NewFile(io.NewSectionReader(fh, 0, size))
}

// openRegular opens name for reading and returns its size; a directory is
// an error (reading one gives confusing errors).
func openRegular(name string) (*os.File, int64, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	fi, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, err
	}
	if fi.IsDir() {
		fh.Close()
		return nil, 0, &os.PathError{Op: "open", Path: name, Err: errors.New("is a directory")}
	}
	return fh, fi.Size(), nil
}

// Parse reads an object file held in memory. The returned File does not
// refer to b.
func Parse(b []byte) (*File, error) {
	return newFile(newBufReader(b, false))
}

// NewFile reads an object file from r and checks it completely, starting
// with its checksum (a mismatch wraps ErrChecksum, unless the file is
// visibly truncated: that is reported instead); see docs/objfmt.md for
// what is checked. Malformed input gives a *FormatError; an error from r
// is returned wrapped. The returned File
// does not refer to r.
//
// Every size, count and offset in the input is distrusted: nothing is
// allocated for data that does not exist (if r has a Size() int64 method,
// as bytes.Reader and io.SectionReader do, ranges are checked against it
// first; otherwise large ranges are read in bounded chunks), and file
// ranges may not overlap, so the memory used is proportional to the size
// of the input.
//
// In the File, empty Data, Relocs, Lines and Symbols are nil.
//
// An input whose size is known and that starts with Magic is read whole,
// with one ReadAt (or a few, for a large one), and parsed in memory; the
// File's section bytes are then slices of that buffer, or copies for a
// small input, whose buffer is reused.
func NewFile(r io.ReaderAt) (*File, error) {
	return readInMemory(r, Magic, HeaderSize, newFile)
}

// newFile reads an object file from sr.
func newFile(sr *safeReader) (*File, error) {
	f, err := parseFile(sr, true)
	if errors.Is(err, ErrChecksum) {
		// A truncated file fails its checksum too: say what is wrong
		// with it when the structure shows it.
		if _, err2 := parseFile(sr, false); errors.Is(err2, ErrTruncated) {
			return nil, err2
		}
	}
	return f, err
}

// parseFile reads an object file from sr, checking its checksum if verify
// is set.
func parseFile(sr *safeReader, verify bool) (*File, error) {
	p := &parser{sr: sr, verify: verify}
	if err := p.readHeader(); err != nil {
		return nil, err
	}
	if err := p.readSectionHeaders(); err != nil {
		return nil, err
	}
	if err := p.readStrtab(); err != nil {
		return nil, err
	}
	if err := p.checkSections(); err != nil {
		return nil, err
	}
	if err := p.checkOverlaps(); err != nil {
		return nil, err
	}
	if err := p.readContent(); err != nil {
		return nil, err
	}
	if err := p.readSymbols(); err != nil {
		return nil, err
	}
	for i := range p.shdrs {
		var err error
		switch SectionKind(p.shdrs[i].Kind) {
		case KindReloc:
			err = p.readRelocs(i)
		case KindLines:
			err = p.readLines(i)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.readDynamic(); err != nil { // dynamic_read.go
		return nil, err
	}
	return p.f, nil
}

// parser holds the state of one NewFile call.
type parser struct {
	sr     *safeReader
	verify bool // check the checksum
	hdr    Header
	shdrs  []SectionHeader
	st     *strtab
	symtab int   // disk index of the symbol table, 0 if none
	nsyms  int   // number of symbol records, including the null one
	api    []int // disk section index -> index in f.Sections, or -1
	f      *File
}

func ferr(off int64, format string, args ...any) error {
	return &FormatError{Off: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) readHeader() error {
	var b [HeaderSize]byte
	n, err := p.sr.r.ReadAt(b[:], 0)
	if n < len(b) && err != nil && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("objfmt: reading header: %w", err)
	}
	n = min(n, len(b))
	if n < len(Magic) || string(b[:len(Magic)]) != Magic {
		return &FormatError{Off: 0, Msg: fmt.Sprintf("bad magic %q", b[:min(n, len(Magic))]), err: ErrNotObject}
	}
	if n < HeaderSize {
		return &FormatError{Off: 0, Msg: fmt.Sprintf("header truncated (%d of %d bytes)", n, HeaderSize), err: ErrTruncated}
	}
	h := getHeader(b[:])
	p.hdr = h
	if h.Version != Version {
		return &FormatError{Off: offHdrVersion, Msg: fmt.Sprintf("unsupported version %d", h.Version), err: ErrVersion}
	}
	// Damage anywhere is reported as such before any structural check
	// trips over it (checksum.go).
	if p.verify {
		if err := p.sr.verifyChecksum(h.Checksum, objChecksumAt); err != nil {
			return err
		}
	}
	switch {
	case Type(h.Type) < TypeRel || Type(h.Type) > TypeShared:
		return ferr(offHdrType, "unknown file type %d", h.Type)
	case h.Flags != 0:
		return ferr(offHdrFlags, "unknown header flags 0x%x", h.Flags)
	case h.Shnum == 0:
		return ferr(offHdrShnum, "no section headers")
	case h.Strndx == 0 || h.Strndx >= h.Shnum:
		return ferr(offHdrStrndx, "string table index %d out of range (%d sections)", h.Strndx, h.Shnum)
	}
	for i, c := range h.Reserved {
		if c != 0 {
			return ferr(int64(offHdrReserved+i), "reserved header byte is 0x%x, not 0", c)
		}
	}
	p.f = &File{Type: Type(h.Type), Entry: h.Entry}
	return nil
}

// shAt returns the file offset of section header i.
func (p *parser) shAt(i int) int64 {
	return int64(p.hdr.Shoff) + int64(i)*SectionHeaderSize
}

func (p *parser) readSectionHeaders() error {
	b, err := p.sr.view(p.hdr.Shoff, uint64(p.hdr.Shnum)*SectionHeaderSize, "section header table", offHdrShoff)
	if err != nil {
		return err
	}
	p.shdrs = make([]SectionHeader, p.hdr.Shnum)
	for i := range p.shdrs {
		p.shdrs[i] = getSectionHeader(b[i*SectionHeaderSize:])
	}
	if p.shdrs[0] != (SectionHeader{}) {
		return ferr(p.shAt(0), "null section header is not all zero")
	}
	return nil
}

func (p *parser) readStrtab() error {
	i := int(p.hdr.Strndx)
	sh := &p.shdrs[i]
	if SectionKind(sh.Kind) != KindStrtab {
		return ferr(offHdrStrndx, "string table index %d names a %s section", i, SectionKind(sh.Kind))
	}
	data, err := p.sr.view(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), p.shAt(i)+offShOffset)
	if err != nil {
		return err
	}
	p.st, err = newStrtab(data, int64(sh.Offset))
	return err
}

// checkSections checks every section header on its own and the links
// between sections.
func (p *parser) checkSections() error {
	p.api = make([]int, len(p.shdrs))
	p.api[0] = -1
	ncontent := 0
	for i := 1; i < len(p.shdrs); i++ {
		sh := &p.shdrs[i]
		at := p.shAt(i)
		if _, err := p.st.lookup(sh.Name, fmt.Sprintf("section %d name", i), at+offShName); err != nil {
			return err
		}
		kind := SectionKind(sh.Kind)
		if kind == KindNull || (kind >= numKinds && !isDynKind(kind)) { // dynamic kinds: dynamic.go
			return ferr(at+offShKind, "section %d: bad kind %s", i, kind)
		}
		if !isPow2(uint64(sh.Align)) {
			return ferr(at+offShAlign, "section %d: align %d is not a power of two", i, sh.Align)
		}
		p.api[i] = -1
		if kind == KindProgbits || kind == KindNobits {
			p.api[i] = ncontent
			ncontent++
			if SectionFlags(sh.Flags)&^knownFlags != 0 {
				return ferr(at+offShFlags, "section %d: unknown flags 0x%x", i, sh.Flags&^uint32(knownFlags))
			}
			if sh.Link != 0 {
				return ferr(at+offShLink, "section %d: link is %d, not 0", i, sh.Link)
			}
			if sh.Info != 0 {
				return ferr(at+offShInfo, "section %d: info is %d, not 0", i, sh.Info)
			}
		} else {
			if sh.Flags != 0 {
				return ferr(at+offShFlags, "section %d: %s section has flags 0x%x", i, kind, sh.Flags)
			}
			if sh.Addr != 0 {
				return ferr(at+offShAddr, "section %d: %s section has address 0x%x", i, kind, sh.Addr)
			}
		}
		if kind == KindNobits {
			if sh.Offset != 0 {
				return ferr(at+offShOffset, "section %d: NOBITS section has file offset 0x%x, not 0", i, sh.Offset)
			}
		} else if err := checkOverflow(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), at+offShOffset); err != nil {
			return err
		}
		if kind == KindProgbits && mappedInPlace(p.f.Type, SectionFlags(sh.Flags)) && sh.Offset%PageSize != 0 {
			return ferr(at+offShOffset, "section %d: read-only ALLOC section of an image at file offset 0x%x, not a multiple of the page size", i, sh.Offset)
		}
		if err := p.checkKind(i, kind); err != nil {
			return err
		}
	}
	return p.checkLinks()
}

// checkKind checks the rules particular to the on-disk-only kinds.
func (p *parser) checkKind(i int, kind SectionKind) error {
	sh := &p.shdrs[i]
	at := p.shAt(i)
	var recSize uint64
	switch kind {
	case KindSymtab:
		recSize = SymbolSize
	case KindReloc:
		recSize = RelocSize
	case KindLines:
		recSize = LineSize
	}
	if recSize != 0 && sh.Size%recSize != 0 {
		return ferr(at+offShSize, "section %d: %s size 0x%x is not a multiple of %d", i, kind, sh.Size, recSize)
	}
	switch kind {
	case KindSymtab:
		if p.symtab != 0 {
			return ferr(at+offShKind, "section %d: second symbol table (the first is section %d)", i, p.symtab)
		}
		p.symtab = i
		if sh.Size == 0 {
			return ferr(at+offShSize, "section %d: symbol table has no null symbol", i)
		}
		if sh.Link != p.hdr.Strndx {
			return ferr(at+offShLink, "section %d: link is %d, not the string table %d", i, sh.Link, p.hdr.Strndx)
		}
		if sh.Info != 0 {
			return ferr(at+offShInfo, "section %d: info is %d, not 0", i, sh.Info)
		}
	case KindStrtab:
		if i != int(p.hdr.Strndx) {
			return ferr(at+offShKind, "section %d: second string table (the header names section %d)", i, p.hdr.Strndx)
		}
		if sh.Link != 0 {
			return ferr(at+offShLink, "section %d: link is %d, not 0", i, sh.Link)
		}
		if sh.Info != 0 {
			return ferr(at+offShInfo, "section %d: info is %d, not 0", i, sh.Info)
		}
	case KindLines:
		if sh.Link != p.hdr.Strndx {
			return ferr(at+offShLink, "section %d: link is %d, not the string table %d", i, sh.Link, p.hdr.Strndx)
		}
	}
	return nil
}

// checkLinks checks the targets of RELOC and LINES sections, which may
// come before or after the sections they refer to.
func (p *parser) checkLinks() error {
	hasRel := map[uint32]int{}
	hasLines := map[uint32]int{}
	for i, sh := range p.shdrs {
		kind := SectionKind(sh.Kind)
		if kind != KindReloc && kind != KindLines {
			continue
		}
		at := p.shAt(i)
		if kind == KindReloc && (p.symtab == 0 || sh.Link != uint32(p.symtab)) {
			return ferr(at+offShLink, "section %d: link %d is not the symbol table", i, sh.Link)
		}
		if sh.Info >= uint32(len(p.shdrs)) || SectionKind(p.shdrs[sh.Info].Kind) != KindProgbits {
			return ferr(at+offShInfo, "section %d: target %d is not a PROGBITS section", i, sh.Info)
		}
		seen := hasRel
		if kind == KindLines {
			seen = hasLines
		}
		if j, dup := seen[sh.Info]; dup {
			return ferr(at+offShInfo, "section %d: section %d already has %s section %d", i, sh.Info, kind, j)
		}
		seen[sh.Info] = i
	}
	return nil
}

// checkOverlaps checks that no two of the header, the section header
// table and the sections' file bytes overlap, which bounds the memory a
// reader spends to the size of the input.
func (p *parser) checkOverlaps() error {
	type span struct {
		off, end uint64
		sec      int // disk section index; -2 the header, -1 the section header table
	}
	spans := []span{
		{0, HeaderSize, -2},
		{p.hdr.Shoff, p.hdr.Shoff + uint64(len(p.shdrs))*SectionHeaderSize, -1},
	}
	for i, sh := range p.shdrs {
		if i > 0 && SectionKind(sh.Kind) != KindNobits && sh.Size > 0 {
			spans = append(spans, span{sh.Offset, sh.Offset + sh.Size, i})
		}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.off != b.off {
			if a.off < b.off {
				return -1
			}
			return 1
		}
		return a.sec - b.sec
	})
	name := func(s span) string {
		switch s.sec {
		case -2:
			return "the header"
		case -1:
			return "the section header table"
		}
		return fmt.Sprintf("section %d", s.sec)
	}
	for k := 1; k < len(spans); k++ {
		a, b := spans[k-1], spans[k]
		if b.off < a.end {
			blame := b
			if blame.sec < 0 {
				blame = a
			}
			other := a
			if blame == a {
				other = b
			}
			at := int64(offHdrShoff)
			if blame.sec > 0 {
				at = p.shAt(blame.sec) + offShOffset
			}
			return ferr(at, "%s (offset 0x%x, size 0x%x) overlaps %s", name(blame), blame.off, blame.end-blame.off, name(other))
		}
	}
	return nil
}

// readContent builds f.Sections from the PROGBITS and NOBITS sections.
func (p *parser) readContent() error {
	for i, sh := range p.shdrs {
		if p.api[i] < 0 {
			continue
		}
		name, _ := p.st.lookup(sh.Name, "", 0) // checked by checkSections
		s := &Section{
			Name:  name,
			Kind:  SectionKind(sh.Kind),
			Flags: SectionFlags(sh.Flags),
			Align: uint64(sh.Align),
			Addr:  sh.Addr,
			Size:  sh.Size,
		}
		if s.Kind == KindProgbits {
			data, err := p.sr.keep(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), p.shAt(i)+offShOffset)
			if err != nil {
				return err
			}
			if len(data) > 0 {
				s.Data = data
			}
		}
		p.f.Sections = append(p.f.Sections, s)
	}
	return nil
}

func (p *parser) readSymbols() error {
	if p.symtab == 0 {
		return nil
	}
	sh := &p.shdrs[p.symtab]
	data, err := p.sr.view(sh.Offset, sh.Size, fmt.Sprintf("section %d", p.symtab), p.shAt(p.symtab)+offShOffset)
	if err != nil {
		return err
	}
	p.nsyms = len(data) / SymbolSize
	if getSymbolRecord(data) != (SymbolRecord{}) {
		return ferr(int64(sh.Offset), "symbol 0 is not all zero")
	}
	syms := make([]Symbol, 0, p.nsyms-1)
	for j := 1; j < p.nsyms; j++ {
		at := int64(sh.Offset) + int64(j)*SymbolSize
		rec := getSymbolRecord(data[j*SymbolSize:])
		name, ok := p.st.get(rec.Name)
		if !ok {
			return p.st.badRef(rec.Name, fmt.Sprintf("symbol %d name", j), at+offSymName)
		}
		switch {
		case SymBind(rec.Bind) > BindWeak:
			return ferr(at+offSymBind, "symbol %d: unknown binding %d", j, rec.Bind)
		case SymType(rec.Type) > SymSection:
			return ferr(at+offSymType, "symbol %d: unknown type %d", j, rec.Type)
		case rec.Reserved != 0:
			return ferr(at+offSymReserved, "symbol %d: reserved field is 0x%x, not 0", j, rec.Reserved)
		case rec.Reserved2 != 0:
			return ferr(at+offSymReserved2, "symbol %d: reserved field is 0x%x, not 0", j, rec.Reserved2)
		}
		sec := SecUndef
		switch {
		case rec.Shndx == ShnUndef:
		case rec.Shndx == ShnAbs:
			sec = SecAbs
		case rec.Shndx >= uint32(len(p.shdrs)):
			return ferr(at+offSymShndx, "symbol %d: section index %d out of range (%d sections)", j, rec.Shndx, len(p.shdrs))
		case p.api[rec.Shndx] < 0:
			return ferr(at+offSymShndx, "symbol %d: section index %d names a %s section", j, rec.Shndx, SectionKind(p.shdrs[rec.Shndx].Kind))
		default:
			sec = p.api[rec.Shndx]
		}
		syms = append(syms, Symbol{
			Name: name, Bind: SymBind(rec.Bind), Type: SymType(rec.Type),
			Section: sec, Value: rec.Value, Size: rec.Size,
		})
	}
	if len(syms) > 0 {
		p.f.Symbols = syms
	}
	return nil
}

func (p *parser) readRelocs(i int) error {
	sh := &p.shdrs[i]
	data, err := p.sr.view(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), p.shAt(i)+offShOffset)
	if err != nil {
		return err
	}
	target := p.f.Sections[p.api[sh.Info]]
	n := len(data) / RelocSize
	if n == 0 {
		return nil
	}
	target.Relocs = make([]Reloc, 0, n)
	for k := range n {
		at := int64(sh.Offset) + int64(k)*RelocSize
		rec := getRelocRecord(data[k*RelocSize:])
		if rec.Sym == 0 || rec.Sym >= uint32(p.nsyms) {
			return ferr(at+offRelSym, "section %d: relocation %d: symbol index %d out of range (%d symbols)", i, k, rec.Sym, p.nsyms)
		}
		if _, ok := placeSize(RelocKind(rec.Kind)); !ok {
			return ferr(at+offRelKind, "section %d: relocation %d: unknown kind %d", i, k, rec.Kind)
		}
		if err := checkReloc(rec.Offset, RelocKind(rec.Kind), target.Size); err != nil {
			return ferr(at+offRelOffset, "section %d: relocation %d: %v", i, k, err)
		}
		if k > 0 && rec.Offset < target.Relocs[k-1].Offset {
			return ferr(at+offRelOffset, "section %d: relocation %d: offset 0x%x before the previous one", i, k, rec.Offset)
		}
		target.Relocs = append(target.Relocs, Reloc{
			Offset: rec.Offset, Kind: RelocKind(rec.Kind), Sym: int(rec.Sym) - 1, Addend: rec.Addend,
		})
	}
	return nil
}

func (p *parser) readLines(i int) error {
	sh := &p.shdrs[i]
	data, err := p.sr.view(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), p.shAt(i)+offShOffset)
	if err != nil {
		return err
	}
	target := p.f.Sections[p.api[sh.Info]]
	n := len(data) / LineSize
	if n == 0 {
		return nil
	}
	target.Lines = make([]Line, 0, n)
	lastOff, last := uint32(0), "" // consecutive lines usually share a file
	for k := range n {
		at := int64(sh.Offset) + int64(k)*LineSize
		rec := getLineRecord(data[k*LineSize:])
		file := last
		if rec.File != lastOff {
			var ok bool
			if file, ok = p.st.get(rec.File); !ok {
				return p.st.badRef(rec.File, fmt.Sprintf("section %d: line %d file", i, k), at+offLineFile)
			}
			lastOff, last = rec.File, file
		}
		if err := checkLine(uint64(rec.Offset), target.Size); err != nil {
			return ferr(at+offLineOffset, "section %d: line %d: %v", i, k, err)
		}
		if k > 0 && uint64(rec.Offset) < target.Lines[k-1].Offset {
			return ferr(at+offLineOffset, "section %d: line %d: offset 0x%x before the previous one", i, k, rec.Offset)
		}
		target.Lines = append(target.Lines, Line{Offset: uint64(rec.Offset), File: file, Line: rec.Line, Col: rec.Col})
	}
	return nil
}
