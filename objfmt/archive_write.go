package objfmt

import (
	"hash/crc32"

	"linkvm/internal/atomicfile"
)

// Encode validates a and returns its encoding. The output depends only on
// the member names and bytes and the symbol index (no timestamps, owners
// or modes; Member.Off is ignored), and is, in file order:
//
//   - the header;
//   - the member table;
//   - the symbol index;
//   - the string table: member names in member order, then symbol names in
//     index order, each distinct string once;
//   - the bytes of each member in order, each at an 8-aligned offset, the
//     gaps and the end of the file padded to 8 with zero bytes.
//
// The header's checksum field is filled in last (see Checksum).
//
// Encode writes the index as given; BuildArchive computes it. An invalid
// Archive gives an error naming the first problem found.
func (a *Archive) Encode() ([]byte, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	st := newStrtabBuilder()
	mems := make([]archMemberRecord, len(a.Members))
	for i, m := range a.Members {
		mems[i] = archMemberRecord{name: st.add(m.Name), crc: crc32.Checksum(m.Data, castagnoli), size: uint64(len(m.Data))}
	}
	syms := make([]archSymbolRecord, len(a.Symbols))
	for i, s := range a.Symbols {
		syms[i] = archSymbolRecord{name: st.add(s.Name), member: uint32(s.Member)}
	}

	h := archHeader{
		version:  ArchiveVersion,
		nmembers: uint32(len(mems)),
		nsyms:    uint32(len(syms)),
		memoff:   archHeaderSize,
	}
	copy(h.magic[:], ArchiveMagic)
	h.symoff = h.memoff + uint64(len(mems))*archMemberSize
	h.stroff = h.symoff + uint64(len(syms))*archSymbolSize
	h.strsize = uint64(len(st.buf))
	pos := alignUp(h.stroff+h.strsize, archDataAlign)
	for i := range mems {
		mems[i].offset = pos
		pos = alignUp(pos+mems[i].size, archDataAlign)
	}

	out := make([]byte, pos)
	h.put(out)
	for i := range mems {
		mems[i].put(out[h.memoff+uint64(i)*archMemberSize:])
		copy(out[mems[i].offset:], a.Members[i].Data)
	}
	for i := range syms {
		syms[i].put(out[h.symoff+uint64(i)*archSymbolSize:])
	}
	copy(out[h.stroff:], st.buf)
	le.PutUint32(out[archChecksumAt:], checksumSkipping(out, archChecksumAt))
	return out, nil
}

// WriteArchive encodes a and writes it to the file name atomically (mode
// 0644): either the whole new archive is in place or an existing file is
// left untouched.
func WriteArchive(name string, a *Archive) error {
	data, err := a.Encode()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(name, data, 0o644)
}
