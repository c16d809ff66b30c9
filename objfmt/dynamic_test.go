package objfmt

import (
	"fmt"
	"testing"
	"weak"

	"github.com/stretchr/testify/require"
)

func TestDynamicRoundTrip(t *testing.T) {
	cases := map[string]*File{
		"shared":     sampleDynShared(),
		"executable": sampleDynExec(),
		"empty":      {Type: TypeExec, Entry: 0x10000, Dynamic: &Dynamic{}},
		"no sections": {Type: TypeShared, Dynamic: &Dynamic{Soname: "libx.vso.3", Version: "3.0",
			Symbols: []DynSymbol{{Name: "x", Bind: BindGlobal}}}},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := f.Encode()
			require.NoError(t, err)
			got, err := Parse(b)
			require.NoError(t, err)
			require.Equal(t, f, got)
			// A reader without Size gives the same File.
			got2, err := NewFile(sizeless{bytesReader(b)})
			require.NoError(t, err)
			require.Equal(t, f, got2)
		})
	}
}

func TestDynamicDeterministic(t *testing.T) {
	for _, mk := range []func() *File{sampleDynShared, sampleDynExec} {
		f := mk()
		a := encode(f)
		// A Lookup (which caches a table) changes nothing.
		_, ok := f.Dynamic.Lookup("greet")
		require.Equal(t, f.Dynamic.Symbols[0].Defined, ok)
		require.Equal(t, a, encode(f))
		require.Equal(t, a, encode(mk()))
		g, err := Parse(a)
		require.NoError(t, err)
		require.Equal(t, a, encode(g))
	}
}

// dynSections returns, for each dynamic section kind in b, the disk index,
// the section header's file offset and the section's file offset.
func dynSections(t *testing.T, b []byte) map[SectionKind][3]int {
	t.Helper()
	h := getHeader(b)
	out := map[SectionKind][3]int{}
	for i := 0; i < int(h.Shnum); i++ {
		at := int(h.Shoff) + i*SectionHeaderSize
		sh := getSectionHeader(b[at:])
		if isDynKind(SectionKind(sh.Kind)) {
			out[SectionKind(sh.Kind)] = [3]int{i, at, int(sh.Offset)}
		}
	}
	return out
}

func TestDynamicLayout(t *testing.T) {
	b := encode(sampleDynShared())
	h := getHeader(b)
	secs := dynSections(t, b)
	// The dynamic sections follow the string table in this order.
	for j, k := range []SectionKind{KindDynamic, KindNeeded, KindRunpath, KindDynsym, KindDynrel, KindHash} {
		require.Equal(t, int(h.Strndx)+1+j, secs[k][0], "%s", k)
	}
	dyn := getDynamicRecord(b[secs[KindDynamic][2]:])
	require.Equal(t, DynamicRecord{
		Soname: dyn.Soname, Version: dyn.Version, // checked by the round trip
		Init: 0x30, Fini: 0x38, PLTResolve: 0x8,
		Nneeded: 2, Nrunpath: 2, Nsyms: 7, Nrelocs: 5,
	}, dyn)
	// The canonical hash table: one bucket per defined symbol, chains in
	// increasing order.
	hash := b[secs[KindHash][2]:]
	require.Equal(t, uint32(4), le.Uint32(hash))
	require.Equal(t, uint32(7), le.Uint32(hash[4:]))
	sh := getSectionHeader(b[secs[KindHash][1]:])
	require.Equal(t, uint64(8+4*(4+7)), sh.Size)
	require.Equal(t, uint32(secs[KindDynsym][0]), sh.Link)
	require.Equal(t, "HASH", KindHash.String())
	require.Equal(t, "DYNAMIC", KindDynamic.String())
	require.Equal(t, "KIND_22", SectionKind(22).String())
}

func TestDynHash(t *testing.T) {
	// Reference values computed with h = h*33 + c from 5381, mod 2^32
	// (the values of GNU's dl_new_hash).
	for name, want := range map[string]uint32{
		"":       5381,
		"a":      177670,
		"printf": 0x156b2bb8,
		"exit":   0x7c967e3f,
		"a_very_long_symbol_name_that_wraps_around_many_times": func() uint32 {
			h := uint64(5381)
			for _, c := range []byte("a_very_long_symbol_name_that_wraps_around_many_times") {
				h = (h*33 + uint64(c)) % (1 << 32)
			}
			return uint32(h)
		}(),
	} {
		require.Equal(t, want, DynHash(name), name)
	}
}

func TestLookup(t *testing.T) {
	check := func(t *testing.T, d *Dynamic) {
		for i, s := range d.Symbols {
			got, ok := d.Lookup(s.Name)
			if s.Defined {
				require.True(t, ok, s.Name)
				require.Equal(t, i, got, s.Name)
			} else {
				require.False(t, ok, s.Name)
				require.Equal(t, -1, got, s.Name)
			}
		}
		for _, name := range []string{"", "nope", "gree", "greet\x00"} {
			got, ok := d.Lookup(name)
			require.False(t, ok, name)
			require.Equal(t, -1, got)
		}
	}
	t.Run("in memory", func(t *testing.T) { check(t, sampleDynShared().Dynamic) })
	t.Run("read", func(t *testing.T) {
		f, err := Parse(encode(sampleDynShared()))
		require.NoError(t, err)
		check(t, f.Dynamic)
	})
	t.Run("many", func(t *testing.T) {
		d := &Dynamic{}
		for i := range 2000 {
			d.Symbols = append(d.Symbols, DynSymbol{Name: fmt.Sprintf("sym%d", i), Bind: BindGlobal, Defined: i%3 != 0})
		}
		check(t, d)
		f := &File{Type: TypeShared, Dynamic: d,
			Sections: []*Section{{Name: ".text", Kind: KindProgbits, Flags: FlagAlloc | FlagExec, Align: 8}}}
		g, err := Parse(encode(f))
		require.NoError(t, err)
		check(t, g.Dynamic)
	})
	t.Run("nil and empty", func(t *testing.T) {
		var d *Dynamic
		got, ok := d.Lookup("x")
		require.False(t, ok)
		require.Equal(t, -1, got)
		got, ok = (&Dynamic{}).Lookup("x")
		require.False(t, ok)
		require.Equal(t, -1, got)
	})
	t.Run("symbols replaced", func(t *testing.T) {
		d := sampleDynShared().Dynamic
		_, ok := d.Lookup("late")
		require.False(t, ok)
		d.Symbols = append(d.Symbols, DynSymbol{Name: "late", Bind: BindGlobal, Defined: true, Value: 0x40})
		got, ok := d.Lookup("late")
		require.True(t, ok)
		require.Equal(t, len(d.Symbols)-1, got)
		// Undefining in place is seen at once: Lookup checks Defined.
		d.Symbols[0].Defined = false
		_, ok = d.Lookup("greet")
		require.False(t, ok)
	})
}

// TestLookupUsesFileTable reads a file whose hash table is correct but not
// the one the writer makes (two buckets, chains in decreasing order) and
// checks that Lookup uses it.
func TestLookupUsesFileTable(t *testing.T) {
	b := encode(sampleDynShared())
	hs := dynSections(t, b)[KindHash]
	const nbucket, nchain = 2, 7
	f0 := sampleDynShared()
	buckets := make([]uint32, nbucket)
	chains := make([]uint32, nchain)
	for i := range f0.Dynamic.Symbols {
		if s := f0.Dynamic.Symbols[i]; s.Defined {
			k := DynHash(s.Name) % nbucket
			chains[i+1] = buckets[k]
			buckets[k] = uint32(i + 1)
		}
	}
	hash := b[hs[2]:]
	le.PutUint32(hash, nbucket)
	for j, v := range append(buckets, chains...) {
		le.PutUint32(hash[8+4*j:], v)
	}
	le.PutUint64(b[hs[1]+offShSize:], 8+4*(nbucket+nchain))
	f, err := Parse(seal(b))
	require.NoError(t, err)
	require.Equal(t, f0, f)
	hashTables.Lock()
	tab := hashTables.m[weak.Make(f.Dynamic)]
	hashTables.Unlock()
	require.NotNil(t, tab)
	require.Equal(t, buckets, tab.buckets)
	for i, s := range f.Dynamic.Symbols {
		got, ok := f.Dynamic.Lookup(s.Name)
		require.Equal(t, s.Defined, ok, s.Name)
		if ok {
			require.Equal(t, i, got)
		}
	}
	// Encoding writes the canonical table again.
	require.Equal(t, encode(sampleDynShared()), encode(f))
}

func TestEncodeDynamicInvalid(t *testing.T) {
	cases := []struct {
		name string
		edit func(f *File)
		want string
	}{
		{"relocatable", func(f *File) { f.Type = TypeRel },
			"objfmt: dynamic: dynamic-linking information in a relocatable file (only executables and shared modules have it)"},
		{"soname NUL", func(f *File) { f.Dynamic.Soname = "a\x00b" }, "objfmt: dynamic: soname contains NUL"},
		{"version NUL", func(f *File) { f.Dynamic.Version = "1.\x00" }, "objfmt: dynamic: version contains NUL"},
		{"version no minor", func(f *File) { f.Dynamic.Version = "1" },
			`objfmt: dynamic: version "1" is not MAJOR.MINOR (two decimal numbers of at most 9 digits)`},
		{"version letters", func(f *File) { f.Dynamic.Version = "1.x" },
			`objfmt: dynamic: version "1.x" is not MAJOR.MINOR (two decimal numbers of at most 9 digits)`},
		{"version too long", func(f *File) { f.Dynamic.Version = "1.1234567890" },
			`objfmt: dynamic: version "1.1234567890" is not MAJOR.MINOR (two decimal numbers of at most 9 digits)`},
		{"needed empty", func(f *File) { f.Dynamic.Needed[1] = "" }, "objfmt: dynamic: needed 1: empty name"},
		{"runpath NUL", func(f *File) { f.Dynamic.Runpath[0] = "\x00" }, "objfmt: dynamic: runpath 0: contains NUL"},
		{"init in data", func(f *File) { f.Dynamic.Init = 0x2000 },
			"objfmt: dynamic: init 0x2000 is not inside an executable section"},
		{"fini at end of text", func(f *File) { f.Dynamic.Fini = 0x48 },
			"objfmt: dynamic: fini 0x48 is not inside an executable section"},
		{"PLT resolver straddles the end", func(f *File) { f.Dynamic.PLTResolve = 0x44 },
			"objfmt: dynamic: PLT resolver 0x44 is not inside an executable section"},
		{"symbol empty name", func(f *File) { f.Dynamic.Symbols[1].Name = "" }, `objfmt: dynamic symbol 1 (""): empty name`},
		{"symbol local", func(f *File) { f.Dynamic.Symbols[0].Bind = BindLocal },
			`objfmt: dynamic symbol 0 ("greet"): binding 0 is not GLOBAL (1) or WEAK (2)`},
		{"symbol section type", func(f *File) { f.Dynamic.Symbols[0].Type = SymSection },
			`objfmt: dynamic symbol 0 ("greet"): type 3 is not NOTYPE (0), FUNC (1) or OBJECT (2)`},
		{"undefined with size", func(f *File) { f.Dynamic.Symbols[1].Size = 8 },
			`objfmt: dynamic symbol 1 ("puts"): undefined symbol has value 0x0 and size 0x8, not 0`},
		{"defined outside sections", func(f *File) { f.Dynamic.Symbols[0].Value = 0x5000 },
			`objfmt: dynamic symbol 0 ("greet"): value 0x5000 is not inside a loaded section`},
		{"defined in unloaded gap", func(f *File) { f.Dynamic.Symbols[0].Value = 0x1007 },
			`objfmt: dynamic symbol 0 ("greet"): value 0x1007 is not inside a loaded section`},
		{"duplicate", func(f *File) { f.Dynamic.Symbols[3].Name = "puts" },
			`objfmt: dynamic symbol 3 ("puts"): second symbol of that name (the first is 1)`},
		{"relative with symbol", func(f *File) { f.Dynamic.Relocs[0].Sym = 0 },
			"objfmt: dynamic relocation 0: RELATIVE relocation has symbol 0, not none (-1)"},
		{"GLOB_DAT without symbol", func(f *File) { f.Dynamic.Relocs[2].Sym = -1 },
			"objfmt: dynamic relocation 2: GLOB_DAT relocation: symbol index -1 out of range (6 dynamic symbols)"},
		{"symbol out of range", func(f *File) { f.Dynamic.Relocs[1].Sym = 6 },
			"objfmt: dynamic relocation 1: ABS64 relocation: symbol index 6 out of range (6 dynamic symbols)"},
		{"unknown kind", func(f *File) { f.Dynamic.Relocs[3].Kind = 0 }, "objfmt: dynamic relocation 3: unknown kind 0"},
		{"read-only place", func(f *File) { f.Dynamic.Relocs[0].Offset = 0x1000 },
			"objfmt: dynamic relocation 0: RELATIVE at 0x1000: the 8 bytes patched are not inside a writable section"},
		{"place straddles the end", func(f *File) { f.Dynamic.Relocs[1].Offset = 0x2014 },
			"objfmt: dynamic relocation 1: ABS64 at 0x2014: the 8 bytes patched are not inside a writable section"},
		{"place wraps", func(f *File) { f.Dynamic.Relocs[1].Offset = 0xfffffffffffffffc },
			"objfmt: dynamic relocation 1: ABS64 at 0xfffffffffffffffc: the 8 bytes patched are not inside a writable section"},
		{"place in code", func(f *File) { f.Dynamic.Relocs[4].Offset = 0x10 },
			"objfmt: dynamic relocation 4: RELATIVE at 0x10: the 8 bytes patched are not inside a writable section"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sampleDynShared()
			c.edit(f)
			b, err := f.Encode()
			require.EqualError(t, err, c.want)
			require.Nil(t, b)
		})
	}
}

func TestDynamicRelocInBSS(t *testing.T) {
	// The last sample relocation patches the end of .bss: a writable
	// NOBITS section is a valid place.
	f := sampleDynShared()
	require.Equal(t, uint64(0x40f8), f.Dynamic.Relocs[4].Offset)
	f.Dynamic.Relocs[4].Offset = 0x40f9
	_, err := f.Encode()
	require.EqualError(t, err, "objfmt: dynamic relocation 4: RELATIVE at 0x40f9: the 8 bytes patched are not inside a writable section")
}
