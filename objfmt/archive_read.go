package objfmt

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

// OpenArchive reads the static library name. Errors about the file's
// contents are *FormatErrors, which do not include the file name.
func OpenArchive(name string) (*Archive, error) {
	fh, size, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return NewArchive(io.NewSectionReader(fh, 0, size))
}

// ParseArchive reads a static library held in memory. It is parsed in
// place, without a copy or a second pass over the bytes; the returned
// Archive does not refer to b.
func ParseArchive(b []byte) (*Archive, error) {
	return newArchive(newBufReader(b, false))
}

// NewArchive reads a static library from r and checks the container
// completely (see docs/objfmt.md for what is checked), starting with the
// archive's checksum; the members' bytes are checked against their
// CRC-32C but not parsed (Member.File and
// BuildArchive do that). Malformed input gives a *FormatError; an error
// from r is returned wrapped. The returned Archive does not refer to r.
//
// As in NewFile, every size, count and offset is distrusted: nothing is
// allocated for data that does not exist, and the file ranges of the
// header, tables and members may not overlap, so the memory used is
// proportional to the size of the input.
//
// In the Archive, empty Member.Data and an empty Symbols are nil.
//
// As in NewFile, an input whose size is known and that starts with
// ArchiveMagic is read whole and parsed in memory, so that its bytes are
// read once rather than once for the checksum and again for the members;
// the members' Data are then slices of that buffer, or copies for a small
// input, whose buffer is reused.
func NewArchive(r io.ReaderAt) (*Archive, error) {
	return readInMemory(r, ArchiveMagic, archHeaderSize, newArchive)
}

// newArchive reads a static library from sr.
func newArchive(sr *safeReader) (*Archive, error) {
	a, err := parseArchive(sr, true)
	if errors.Is(err, ErrChecksum) {
		// A truncated archive fails its checksum too: say what is wrong
		// with it when the structure shows it.
		if _, err2 := parseArchive(sr, false); errors.Is(err2, ErrTruncated) {
			return nil, err2
		}
	}
	return a, err
}

// parseArchive reads a static library from sr, checking the archive's
// checksum if verify is set (the members' are always checked).
func parseArchive(sr *safeReader, verify bool) (*Archive, error) {
	p := &archParser{sr: sr, verify: verify}
	if err := p.readHeader(); err != nil {
		return nil, err
	}
	if err := p.readTables(); err != nil {
		return nil, err
	}
	if err := p.checkMemberRanges(); err != nil {
		return nil, err
	}
	if err := p.checkOverlaps(); err != nil {
		return nil, err
	}
	if err := p.checkMembers(); err != nil {
		return nil, err
	}
	if err := p.checkSymbols(); err != nil {
		return nil, err
	}
	if err := p.readData(); err != nil {
		return nil, err
	}
	return p.a, nil
}

// archParser holds the state of one NewArchive call.
type archParser struct {
	sr     *safeReader
	verify bool // check the archive's checksum
	hdr    archHeader
	mems   []archMemberRecord
	syms   []archSymbolRecord
	st     *strtab
	a      *Archive
}

func (p *archParser) readHeader() error {
	var b [archHeaderSize]byte
	n, err := p.sr.r.ReadAt(b[:], 0)
	if n < len(b) && err != nil && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("objfmt: reading archive header: %w", err)
	}
	n = min(n, len(b))
	if n < len(ArchiveMagic) || string(b[:len(ArchiveMagic)]) != ArchiveMagic {
		return &FormatError{Off: 0, Msg: fmt.Sprintf("bad archive magic %q", b[:min(n, len(ArchiveMagic))]), err: ErrNotObject}
	}
	if n < archHeaderSize {
		return &FormatError{Off: 0, Msg: fmt.Sprintf("archive header truncated (%d of %d bytes)", n, archHeaderSize), err: ErrTruncated}
	}
	h := getArchHeader(b[:])
	p.hdr = h
	if h.version != ArchiveVersion {
		return &FormatError{Off: offArVersion, Msg: fmt.Sprintf("unsupported archive version %d", h.version), err: ErrVersion}
	}
	if p.verify {
		if err := p.sr.verifyChecksum(h.checksum, archChecksumAt); err != nil {
			return err
		}
	}
	if h.flags != 0 {
		return aerr(offArFlags, "unknown archive flags 0x%x", h.flags)
	}
	for i, c := range h.reserved {
		if c != 0 {
			return aerr(int64(offArReserved+i), "reserved archive header byte is 0x%x, not 0", c)
		}
	}
	return nil
}

// memAt returns the file offset of member table entry i.
func (p *archParser) memAt(i int) int64 {
	return int64(p.hdr.memoff) + int64(i)*archMemberSize
}

// symAt returns the file offset of symbol index entry i.
func (p *archParser) symAt(i int) int64 {
	return int64(p.hdr.symoff) + int64(i)*archSymbolSize
}

// readTables reads the member table, the symbol index and the string
// table.
func (p *archParser) readTables() error {
	h := &p.hdr
	// The tables are decoded and dropped (the string table is copied
	// into one Go string), so they may be views of the input.
	b, err := p.sr.view(h.memoff, uint64(h.nmembers)*archMemberSize, "member table", offArMemoff)
	if err != nil {
		return err
	}
	p.mems = make([]archMemberRecord, h.nmembers)
	for i := range p.mems {
		p.mems[i] = getArchMemberRecord(b[i*archMemberSize:])
	}
	b, err = p.sr.view(h.symoff, uint64(h.nsyms)*archSymbolSize, "symbol index", offArSymoff)
	if err != nil {
		return err
	}
	p.syms = make([]archSymbolRecord, h.nsyms)
	for i := range p.syms {
		p.syms[i] = getArchSymbolRecord(b[i*archSymbolSize:])
	}
	b, err = p.sr.view(h.stroff, h.strsize, "string table", offArStroff)
	if err != nil {
		return err
	}
	p.st, err = newStrtab(b, int64(h.stroff))
	return err
}

// checkMemberRanges checks that no member's offset + size overflows.
func (p *archParser) checkMemberRanges() error {
	for i, rec := range p.mems {
		at := p.memAt(i)
		if err := checkOverflow(rec.offset, rec.size, fmt.Sprintf("member %d", i), at+offAmOffset); err != nil {
			return err
		}
	}
	return nil
}

// checkMembers checks the member names and alignments and builds the
// Members without their data.
func (p *archParser) checkMembers() error {
	p.a = &Archive{Members: make([]*Member, len(p.mems))}
	seen := make(map[string]int, len(p.mems))
	for i, rec := range p.mems {
		at := p.memAt(i)
		name, err := p.st.lookup(rec.name, fmt.Sprintf("member %d name", i), at+offAmName)
		if err != nil {
			return err
		}
		if prob := memberNameProblem(name); prob != "" {
			return aerr(at+offAmName, "member %d: name %q %s", i, name, prob)
		}
		if j, dup := seen[name]; dup {
			return aerr(at+offAmName, "member %d: duplicate name %q (also member %d)", i, name, j)
		}
		seen[name] = i
		if rec.offset%archDataAlign != 0 {
			return aerr(at+offAmOffset, "member %d: data offset 0x%x is not a multiple of %d", i, rec.offset, archDataAlign)
		}
		p.a.Members[i] = &Member{Name: name, Off: int64(rec.offset)}
	}
	return nil
}

// checkSymbols checks the symbol index and builds Archive.Symbols.
func (p *archParser) checkSymbols() error {
	if len(p.syms) == 0 {
		return nil
	}
	p.a.Symbols = make([]ArchiveSymbol, len(p.syms))
	for i, rec := range p.syms {
		at := p.symAt(i)
		name, err := p.st.lookup(rec.name, fmt.Sprintf("symbol %d name", i), at+offAsName)
		if err != nil {
			return err
		}
		switch {
		case name == "":
			return aerr(at+offAsName, "symbol %d: empty name", i)
		case rec.member >= uint32(len(p.mems)):
			return aerr(at+offAsMember, "symbol %d: member %d out of range (%d members)", i, rec.member, len(p.mems))
		case i > 0 && rec.member < p.syms[i-1].member:
			return aerr(at+offAsMember, "symbol %d: member %d before member %d of the previous symbol", i, rec.member, p.syms[i-1].member)
		}
		p.a.Symbols[i] = ArchiveSymbol{Name: name, Member: int(rec.member)}
	}
	return nil
}

// Span identifiers of checkOverlaps other than member indices, in the
// order they sort at equal offsets (before the members).
const (
	spanHeader      = -4
	spanMemberTable = -3
	spanSymbolIndex = -2
	spanStrtab      = -1
)

// checkOverlaps checks that no two of the header, the three tables and
// the members' data overlap, which bounds the reader's memory use to the
// size of the input.
func (p *archParser) checkOverlaps() error {
	type span struct {
		off, end uint64
		id       int // member index, or one of the span constants
	}
	h := &p.hdr
	spans := []span{{0, archHeaderSize, spanHeader}}
	add := func(off, size uint64, id int) {
		if size > 0 {
			spans = append(spans, span{off, off + size, id})
		}
	}
	// The table ranges were read and checkMemberRanges checked the
	// members', so none overflows.
	add(h.memoff, uint64(h.nmembers)*archMemberSize, spanMemberTable)
	add(h.symoff, uint64(h.nsyms)*archSymbolSize, spanSymbolIndex)
	add(h.stroff, h.strsize, spanStrtab)
	for i, rec := range p.mems {
		add(rec.offset, rec.size, i)
	}
	// Order by offset; at equal offsets, the tables before the members.
	slices.SortFunc(spans, func(a, b span) int {
		if a.off != b.off {
			if a.off < b.off {
				return -1
			}
			return 1
		}
		return a.id - b.id
	})
	name := func(s span) string {
		switch s.id {
		case spanHeader:
			return "the header"
		case spanMemberTable:
			return "the member table"
		case spanSymbolIndex:
			return "the symbol index"
		case spanStrtab:
			return "the string table"
		}
		return fmt.Sprintf("member %d", s.id)
	}
	field := func(s span) int64 {
		switch s.id {
		case spanMemberTable:
			return offArMemoff
		case spanSymbolIndex:
			return offArSymoff
		case spanStrtab:
			return offArStroff
		}
		return p.memAt(s.id) + offAmOffset
	}
	for k := 1; k < len(spans); k++ {
		a, b := spans[k-1], spans[k]
		if b.off >= a.end {
			continue
		}
		// Blame a member rather than a table, and the later of two
		// spans otherwise (never the header, which sorts first).
		blame, other := b, a
		if b.id < 0 && a.id >= 0 {
			blame, other = a, b
		}
		return aerr(field(blame), "%s (offset 0x%x, size 0x%x) overlaps %s", name(blame), blame.off, blame.end-blame.off, name(other))
	}
	return nil
}

// readData reads every member's bytes, in member order, and checks them
// against their CRC-32C. The archive's checksum already covers them; the
// member's own says which member is damaged, and lets a tool that copies
// members between archives check each on its own. A member's Data is a
// slice of the input when the reader owns it (keep), a copy otherwise.
func (p *archParser) readData() error {
	for i, rec := range p.mems {
		at := p.memAt(i)
		data, err := p.sr.keep(rec.offset, rec.size, fmt.Sprintf("member %d", i), at+offAmOffset)
		if err != nil {
			return err
		}
		if sum := crc32.Checksum(data, castagnoli); sum != rec.crc {
			return &FormatError{Off: at + offAmCRC, Msg: fmt.Sprintf("member %d: checksum mismatch: stored 0x%08x, computed 0x%08x", i, rec.crc, sum), err: ErrChecksum}
		}
		if len(data) > 0 {
			p.a.Members[i].Data = data
		}
	}
	return nil
}

// aerr returns a *FormatError at off without a sentinel.
func aerr(off int64, format string, args ...any) error {
	return &FormatError{Off: off, Msg: fmt.Sprintf(format, args...)}
}
