package objfmt

import "fmt"

// This file reads File.Dynamic from the dynamic sections (kinds 16 to 21),
// checking them as hostile input. The generic checks of every section
// header (offsets, sizes, overlaps, flags, address) are done by read.go
// before.

// dynParser holds the state of reading one file's dynamic sections.
type dynParser struct {
	p   *parser
	idx [endDynKind - firstDynKind]int // disk index of each dynamic kind, 0 if absent
	c   *dynChecker
	d   *Dynamic
}

// dynSec returns the disk index of the section of kind k, 0 if none.
func (dp *dynParser) dynSec(k SectionKind) int { return dp.idx[k-firstDynKind] }

// readDynamic reads the dynamic sections, if any, into p.f.Dynamic (whose
// empty lists are nil), and records the file's hash table for Lookup. It
// runs after the content sections have been read.
func (p *parser) readDynamic() error {
	dp := &dynParser{p: p}
	if err := dp.checkHeaders(); err != nil {
		return err
	}
	if dp.dynSec(KindDynamic) == 0 {
		return nil
	}
	dp.c = newDynChecker(p.f.Sections)
	dp.d = &Dynamic{}
	if err := dp.readRecord(); err != nil {
		return err
	}
	if err := dp.readSymbols(); err != nil {
		return err
	}
	if err := dp.readRelocs(); err != nil {
		return err
	}
	t, err := dp.readHash()
	if err != nil {
		return err
	}
	p.f.Dynamic = dp.d
	setHashTable(dp.d, t)
	return nil
}

// checkHeaders finds the dynamic sections and checks their headers: at
// most one of each kind, only in images, record sizes, links and info; a
// DYNAMIC section requires DYNSYM and HASH, and every other dynamic
// section requires DYNAMIC.
func (dp *dynParser) checkHeaders() error {
	p := dp.p
	for i := range p.shdrs {
		sh := &p.shdrs[i]
		k := SectionKind(sh.Kind)
		if !isDynKind(k) {
			continue
		}
		at := p.shAt(i)
		if err := checkDynType(p.f.Type); err != nil {
			return ferr(at+offShKind, "section %d: %s section in a %s file (only executables and shared modules have dynamic-linking information)", i, k, p.f.Type)
		}
		if j := dp.dynSec(k); j != 0 {
			return ferr(at+offShKind, "section %d: second %s section (the first is section %d)", i, k, j)
		}
		dp.idx[k-firstDynKind] = i
		var bad bool
		switch k {
		case KindDynamic:
			bad = sh.Size != DynamicSize
		case KindNeeded, KindRunpath:
			bad = sh.Size%dynStrRefSize != 0
		case KindDynsym:
			bad = sh.Size%DynSymbolSize != 0 || sh.Size == 0
		case KindDynrel:
			bad = sh.Size%DynRelocSize != 0
		case KindHash:
			bad = sh.Size%hashWordSize != 0 || sh.Size < hashHdrSize
		}
		if bad {
			return ferr(at+offShSize, "section %d: %s size 0x%x is not %s", i, k, sh.Size, dynSizeRule(k))
		}
		if sh.Info != 0 {
			return ferr(at+offShInfo, "section %d: info is %d, not 0", i, sh.Info)
		}
	}
	first := 0
	for _, j := range dp.idx {
		if j != 0 && (first == 0 || j < first) {
			first = j
		}
	}
	if first == 0 {
		return nil
	}
	dyn := dp.dynSec(KindDynamic)
	if dyn == 0 {
		return ferr(p.shAt(first)+offShKind, "section %d: %s section without a DYNAMIC section", first, SectionKind(p.shdrs[first].Kind))
	}
	for _, k := range []SectionKind{KindDynsym, KindHash} {
		if dp.dynSec(k) == 0 {
			return ferr(p.shAt(dyn)+offShKind, "section %d: DYNAMIC section without a %s section", dyn, k)
		}
	}
	dynsym := dp.dynSec(KindDynsym)
	for j, i := range dp.idx {
		if i == 0 {
			continue
		}
		k := firstDynKind + SectionKind(j)
		want, wantWhat := p.hdr.Strndx, "the string table"
		if k == KindDynrel || k == KindHash {
			want, wantWhat = uint32(dynsym), "the DYNSYM section"
		}
		if l := p.shdrs[i].Link; l != want {
			return ferr(p.shAt(i)+offShLink, "section %d: link is %d, not %s %d", i, l, wantWhat, want)
		}
	}
	return nil
}

// dynSizeRule says what the size of a section of dynamic kind k must be.
func dynSizeRule(k SectionKind) string {
	switch k {
	case KindDynamic:
		return fmt.Sprint(DynamicSize)
	case KindNeeded, KindRunpath:
		return fmt.Sprintf("a multiple of %d", dynStrRefSize)
	case KindDynsym:
		return fmt.Sprintf("a non-zero multiple of %d", DynSymbolSize)
	case KindDynrel:
		return fmt.Sprintf("a multiple of %d", DynRelocSize)
	}
	return fmt.Sprintf("a multiple of %d and at least %d", hashWordSize, hashHdrSize)
}

// view returns the bytes of disk section i (checked by read.go to exist).
func (dp *dynParser) view(i int) ([]byte, error) {
	p := dp.p
	sh := &p.shdrs[i]
	return p.sr.view(sh.Offset, sh.Size, fmt.Sprintf("section %d", i), p.shAt(i)+offShOffset)
}

// count returns the number of records of size n in the section of kind k,
// 0 if there is none.
func (dp *dynParser) count(k SectionKind, n uint64) uint64 {
	if i := dp.dynSec(k); i != 0 {
		return dp.p.shdrs[i].Size / n
	}
	return 0
}

// readRecord reads the DYNAMIC record, NEEDED and RUNPATH.
func (dp *dynParser) readRecord() error {
	p := dp.p
	i := dp.dynSec(KindDynamic)
	b, err := dp.view(i)
	if err != nil {
		return err
	}
	at := int64(p.shdrs[i].Offset)
	rec := getDynamicRecord(b)
	for j, c := range rec.Reserved {
		if c != 0 {
			return ferr(at+offDynReserved+int64(j), "DYNAMIC: reserved byte is 0x%x, not 0", c)
		}
	}
	d := dp.d
	if d.Soname, err = p.st.lookup(rec.Soname, "DYNAMIC: soname", at+offDynSoname); err != nil {
		return err
	}
	if d.Version, err = p.st.lookup(rec.Version, "DYNAMIC: version", at+offDynVersion); err != nil {
		return err
	}
	if err := checkVersion(d.Version); err != nil {
		return ferr(at+offDynVersion, "DYNAMIC: %v", err)
	}
	for _, f := range []struct {
		what string
		v    uint64
		p    *uint64
		off  int64
	}{{"init", rec.Init, &d.Init, offDynInit}, {"fini", rec.Fini, &d.Fini, offDynFini}, {"PLT resolver", rec.PLTResolve, &d.PLTResolve, offDynPLTResolve}} {
		if err := dp.c.checkCodeAddr(f.v); err != nil {
			return ferr(at+f.off, "DYNAMIC: %s %v", f.what, err)
		}
		*f.p = f.v
	}
	for _, c := range []struct {
		what string
		k    SectionKind
		size uint64
		n    uint32
		off  int64
	}{
		{"needed", KindNeeded, dynStrRefSize, rec.Nneeded, offDynNneeded},
		{"runpath", KindRunpath, dynStrRefSize, rec.Nrunpath, offDynNrunpath},
		{"symbol", KindDynsym, DynSymbolSize, rec.Nsyms, offDynNsyms},
		{"relocation", KindDynrel, DynRelocSize, rec.Nrelocs, offDynNrelocs},
	} {
		if have := dp.count(c.k, c.size); uint64(c.n) != have {
			return ferr(at+c.off, "DYNAMIC: %s count %d, but the %s section holds %d", c.what, c.n, c.k, have)
		}
	}
	if d.Needed, err = dp.readNames(KindNeeded, "needed"); err != nil {
		return err
	}
	if d.Runpath, err = dp.readNames(KindRunpath, "runpath"); err != nil {
		return err
	}
	return nil
}

// readNames reads a NEEDED or RUNPATH section; nil if absent or empty.
func (dp *dynParser) readNames(k SectionKind, what string) ([]string, error) {
	i := dp.dynSec(k)
	if i == 0 || dp.p.shdrs[i].Size == 0 {
		return nil, nil
	}
	b, err := dp.view(i)
	if err != nil {
		return nil, err
	}
	at := int64(dp.p.shdrs[i].Offset)
	names := make([]string, len(b)/dynStrRefSize)
	for j := range names {
		field := at + int64(j)*dynStrRefSize
		s, err := dp.p.st.lookup(le.Uint32(b[j*dynStrRefSize:]), fmt.Sprintf("%s %d", k, j), field)
		if err != nil {
			return nil, err
		}
		if err := checkDynName(s); err != nil {
			return nil, ferr(field, "%s %d: %v", k, j, err)
		}
		names[j] = s
	}
	return names, nil
}

// readSymbols reads DYNSYM.
func (dp *dynParser) readSymbols() error {
	p := dp.p
	i := dp.dynSec(KindDynsym)
	b, err := dp.view(i)
	if err != nil {
		return err
	}
	at := int64(p.shdrs[i].Offset)
	if getDynSymbolRecord(b) != (DynSymbolRecord{}) {
		return ferr(at, "DYNSYM: symbol 0 is not all zero")
	}
	n := len(b)/DynSymbolSize - 1
	if n == 0 {
		return nil
	}
	syms := make([]DynSymbol, n)
	seen := make(map[string]int, n)
	for j := 1; j <= n; j++ {
		rat := at + int64(j)*DynSymbolSize
		rec := getDynSymbolRecord(b[j*DynSymbolSize:])
		name, err := p.st.lookup(rec.Name, fmt.Sprintf("DYNSYM: symbol %d name", j), rat+offDsymName)
		if err != nil {
			return err
		}
		if err := checkDynName(name); err != nil {
			return ferr(rat+offDsymName, "DYNSYM: symbol %d: %v", j, err)
		}
		if rec.Flags&^DynSymDefined != 0 {
			return ferr(rat+offDsymFlags, "DYNSYM: symbol %d (%q): unknown flags 0x%x", j, name, rec.Flags&^DynSymDefined)
		}
		s := DynSymbol{
			Name: name, Bind: SymBind(rec.Bind), Type: SymType(rec.Type),
			Defined: rec.Flags&DynSymDefined != 0, Value: rec.Value, Size: rec.Size,
		}
		if err := dp.c.checkDynSymbol(&s); err != nil {
			off := rat + offDsymValue
			switch {
			case s.Bind != BindGlobal && s.Bind != BindWeak:
				off = rat + offDsymBind
			case s.Type != SymNoType && s.Type != SymFunc && s.Type != SymObject:
				off = rat + offDsymType
			}
			return ferr(off, "DYNSYM: symbol %d (%q): %v", j, name, err)
		}
		if k, dup := seen[name]; dup {
			return ferr(rat+offDsymName, "DYNSYM: symbol %d (%q): second symbol of that name (the first is %d)", j, name, k)
		}
		seen[name] = j
		syms[j-1] = s
	}
	dp.d.Symbols = syms
	return nil
}

// readRelocs reads DYNREL.
func (dp *dynParser) readRelocs() error {
	p := dp.p
	i := dp.dynSec(KindDynrel)
	if i == 0 || p.shdrs[i].Size == 0 {
		return nil
	}
	b, err := dp.view(i)
	if err != nil {
		return err
	}
	at := int64(p.shdrs[i].Offset)
	n := len(b) / DynRelocSize
	nsyms := len(dp.d.Symbols)
	rels := make([]DynReloc, n)
	for j := range rels {
		rat := at + int64(j)*DynRelocSize
		rec := getDynRelocRecord(b[j*DynRelocSize:])
		r := DynReloc{Offset: rec.Offset, Kind: DynRelocKind(rec.Kind), Sym: int(rec.Sym) - 1, Addend: rec.Addend}
		switch {
		case !r.Kind.Known():
			return ferr(rat+offRelKind, "DYNREL: relocation %d: unknown kind %d", j, rec.Kind)
		case r.Kind == DynRelative && rec.Sym != 0:
			return ferr(rat+offRelSym, "DYNREL: relocation %d: RELATIVE relocation has symbol index %d, not 0", j, rec.Sym)
		case r.Kind != DynRelative && (rec.Sym == 0 || uint64(rec.Sym) > uint64(nsyms)):
			return ferr(rat+offRelSym, "DYNREL: relocation %d: %s relocation: symbol index %d out of range (%d symbols)", j, r.Kind, rec.Sym, nsyms+1)
		}
		if err := dp.c.checkDynReloc(&r, nsyms); err != nil {
			return ferr(rat+offRelOffset, "DYNREL: relocation %d: %v", j, err)
		}
		rels[j] = r
	}
	dp.d.Relocs = rels
	return nil
}

// readHash reads HASH and checks that it is a correct table of the defined
// symbols: nchain is the number of DYNSYM records, every bucket and chain
// entry is a symbol index, each chain holds only defined symbols whose
// hash selects its bucket, every defined symbol is in exactly one chain
// (so no chain is cyclic: the walks take at most nchain steps in all), and
// the chain entries of the symbols in no chain are 0.
func (dp *dynParser) readHash() (*dynHashTable, error) {
	p := dp.p
	i := dp.dynSec(KindHash)
	b, err := dp.view(i)
	if err != nil {
		return nil, err
	}
	at := int64(p.shdrs[i].Offset)
	syms := dp.d.Symbols
	nsyms := uint64(len(syms) + 1)
	nbucket, nchain := uint64(le.Uint32(b)), uint64(le.Uint32(b[4:]))
	if nbucket == 0 {
		return nil, ferr(at, "HASH: no buckets")
	}
	if nchain != nsyms {
		return nil, ferr(at+4, "HASH: nchain %d is not the number of dynamic symbols %d", nchain, nsyms)
	}
	words := uint64(len(b)-hashHdrSize) / hashWordSize
	if nbucket+nchain != words {
		return nil, ferr(p.shAt(i)+offShSize, "HASH: size 0x%x does not hold %d buckets and %d chain entries", len(b), nbucket, nchain)
	}
	t := &dynHashTable{buckets: make([]uint32, nbucket), chains: make([]uint32, nchain)}
	t.identify(syms)
	bucketAt := at + hashHdrSize
	chainAt := bucketAt + int64(nbucket)*hashWordSize
	for j := range t.buckets {
		t.buckets[j] = le.Uint32(b[hashHdrSize+j*hashWordSize:])
	}
	cb := b[hashHdrSize+nbucket*hashWordSize:]
	for j := range t.chains {
		t.chains[j] = le.Uint32(cb[j*hashWordSize:])
	}
	seen := make([]bool, nchain)
	for bk, first := range t.buckets {
		fieldAt := bucketAt + int64(bk)*hashWordSize
		where := fmt.Sprintf("bucket %d", bk)
		for n := first; n != 0; n = t.chains[n] {
			if uint64(n) >= nchain {
				return nil, ferr(fieldAt, "HASH: %s: symbol index %d out of range (%d symbols)", where, n, nchain)
			}
			s := &syms[n-1]
			switch {
			case seen[n]:
				return nil, ferr(fieldAt, "HASH: %s: symbol %d (%q) is reached twice (a cyclic chain, or a symbol in two chains)", where, n, s.Name)
			case !s.Defined:
				return nil, ferr(fieldAt, "HASH: %s: symbol %d (%q) is undefined", where, n, s.Name)
			case uint64(DynHash(s.Name))%nbucket != uint64(bk):
				return nil, ferr(fieldAt, "HASH: %s: symbol %d (%q) hashes to bucket %d", where, n, s.Name, uint64(DynHash(s.Name))%nbucket)
			}
			seen[n] = true
			fieldAt = chainAt + int64(n)*hashWordSize
			where = fmt.Sprintf("chain %d", n)
		}
	}
	for n := range t.chains {
		if n > 0 && syms[n-1].Defined && !seen[n] {
			return nil, ferr(chainAt+int64(n)*hashWordSize, "HASH: defined symbol %d (%q) is in no chain", n, syms[n-1].Name)
		}
		if !seen[n] && t.chains[n] != 0 {
			return nil, ferr(chainAt+int64(n)*hashWordSize, "HASH: chain %d: entry of a symbol in no chain is %d, not 0", n, t.chains[n])
		}
	}
	return t, nil
}
