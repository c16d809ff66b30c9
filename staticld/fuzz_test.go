package staticld_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// The inputs FuzzLink starts from: a program, a module it links, two
// archive members and a shared module, together using every relocation
// kind, weak and absolute symbols, NOBITS and read-only sections, line
// tables and position-independent references.
var linkFuzzSources = []struct{ name, src string }{
	{"main.s", `
        .text
        .global _start
_start: call  f
        call  g
        la    r1, d
        li    r2, K
        call  w
        call  sf@plt
        ldpc  r3, sd@got
        sys   0
        .weak w
        .data
p:      .quad f + 8
        .long d - .
        .long K
        .rodata
msg:    .ascii "hi"
        .bss
buf:    .space 64
`},
	{"lib.s", `
        .text
        .global f
f:      lea   r0, local
        ret
local:  ret
        .weak w
w:      ret
        .data
        .global d
d:      .quad 7
        .global K
        .equ K, 0x1234
`},
	{"m1.s", `
        .text
        .global g
g:      enter 0
        call  h
        leave
        ret
`},
	{"m2.s", `
        .text
        .global h
h:      ret
        .global sf
sf:     ret
        .data
        .global sd
sd:     .quad 0
`},
	{"so.s", `
        .text
        .global sf
sf:     enter 0
        call  f@plt
        ldpc  r1, sd@got
        leave
        ret
        .data
        .global sd
sd:     .quad sf
`},
}

// linkFuzzBase is the starting point of FuzzLink, built once.
type linkFuzzBase struct {
	main, lib, m1, m2, so []byte // encodings; so is the linked shared module
}

var (
	linkFuzzOnce sync.Once
	linkFuzzB    linkFuzzBase
	linkFuzzErr  error
)

func buildLinkFuzzBase() (linkFuzzBase, error) {
	linkFuzzOnce.Do(func() {
		enc := map[string][]byte{}
		for _, s := range linkFuzzSources {
			f, err := asm.Assemble(s.name, []byte(s.src), asm.Options{})
			if err != nil {
				linkFuzzErr = err
				return
			}
			if s.name == "so.s" {
				f, err = staticld.Link(staticld.Config{Shared: true, Soname: "libs.vso.1", AllowUndefined: true},
					[]staticld.Input{{Name: "so.vo", File: f}})
				if err != nil {
					linkFuzzErr = err
					return
				}
			}
			if enc[s.name], err = f.Encode(); err != nil {
				linkFuzzErr = err
				return
			}
		}
		linkFuzzB = linkFuzzBase{main: enc["main.s"], lib: enc["lib.s"], m1: enc["m1.s"], m2: enc["m2.s"], so: enc["so.s"]}
	})
	return linkFuzzB, linkFuzzErr
}

// fuzzStream hands out the fuzzer's bytes, then zeros.
type fuzzStream []byte

func (s *fuzzStream) byte() int {
	if len(*s) == 0 {
		return 0
	}
	v := (*s)[0]
	*s = (*s)[1:]
	return int(v)
}

func (s *fuzzStream) pick(n int) int { return s.byte() % n }

func (s *fuzzStream) bool() bool { return s.byte()&1 == 1 }

// value returns a number worth trying for an offset, address or size,
// relative to size (a section's size): the edges, around size, page and
// 32-bit limits, or 8 bytes of the input.
func (s *fuzzStream) value(size uint64) uint64 {
	switch s.pick(12) {
	case 0:
		return 0
	case 1:
		return uint64(s.pick(16))
	case 2:
		return size
	case 3:
		return size - 8
	case 4:
		return size + 8
	case 5:
		return objfmt.PageSize
	case 6:
		return 1<<31 - 1
	case 7:
		return 1 << 32
	case 8:
		return ^uint64(0) - uint64(s.pick(16))
	case 9:
		return 1 << 40
	}
	var b [8]byte
	for i := range b {
		b[i] = byte(s.byte())
	}
	return binary.LittleEndian.Uint64(b[:])
}

var (
	fuzzSymNames  = []string{"_start", "f", "g", "h", "w", "d", "K", "sf", "sd", "", "nothere", "local", "_init", "_fini"}
	fuzzSecNames  = []string{".text", ".data", ".bss", ".rodata", ".x", ".text.a"}
	fuzzRelKinds  = []objfmt.RelocKind{objfmt.RelNone, objfmt.RelAbs64, objfmt.RelAbs32, objfmt.RelPC32, objfmt.RelInsnPC, objfmt.RelInsnAbs, objfmt.RelInsnGot, objfmt.RelInsnPLT}
	fuzzEntries   = []string{"", "_start", "f", "d", "nothere", "K"}
	fuzzBases     = []uint64{0, objfmt.PageSize, 0x10000, 0x12345, 1 << 40, ^uint64(0) &^ (objfmt.PageSize - 1)}
	fuzzUndefined = []string{"g", "h", "nothere", "sf", ""}
)

// mutate applies up to 8 field changes chosen by in to the module encoded
// in b, keeping each only if the module can still be encoded (and so read:
// the linker sees only what objfmt accepts), and returns the module read
// back from its final encoding.
func mutate(t *testing.T, in *fuzzStream, b []byte) *objfmt.File {
	for n := in.pick(9); n > 0; n-- {
		f, err := objfmt.Parse(b)
		require.NoError(t, err)
		mutateOnce(in, f)
		if nb, err := f.Encode(); err == nil {
			b = nb
		}
	}
	f, err := objfmt.Parse(b)
	require.NoError(t, err)
	return f
}

// mutateOnce changes one field of f.
func mutateOnce(in *fuzzStream, f *objfmt.File) {
	secSize := func(i int) uint64 {
		if i >= 0 && i < len(f.Sections) {
			return f.Sections[i].Size
		}
		return 0
	}
	op := in.pick(20)
	switch {
	case op < 8 && len(f.Symbols) > 0:
		s := &f.Symbols[in.pick(len(f.Symbols))]
		switch op {
		case 0:
			s.Bind = objfmt.SymBind(in.pick(3))
		case 1:
			s.Type = objfmt.SymType(in.pick(4))
		case 2:
			s.Section = in.pick(len(f.Sections)+3) - 2 // SecAbs, SecUndef or a section
		case 3:
			s.Value = in.value(secSize(s.Section))
		case 4:
			s.Size = in.value(secSize(s.Section))
		case 5:
			s.Name = fuzzSymNames[in.pick(len(fuzzSymNames))]
		case 6:
			c := *s
			c.Name = fuzzSymNames[in.pick(len(fuzzSymNames))]
			f.Symbols = append(f.Symbols, c)
		case 7:
			f.Symbols = f.Symbols[:len(f.Symbols)-1]
		}
	case op < 13 && len(f.Sections) > 0:
		sec := f.Sections[in.pick(len(f.Sections))]
		if len(sec.Relocs) == 0 {
			return
		}
		r := &sec.Relocs[in.pick(len(sec.Relocs))]
		switch op {
		case 8:
			r.Kind = fuzzRelKinds[in.pick(len(fuzzRelKinds))]
		case 9:
			r.Sym = in.pick(len(f.Symbols) + 1)
		case 10:
			r.Offset = in.value(sec.Size) &^ uint64(in.pick(2)*7)
		case 11:
			r.Addend = int64(in.value(sec.Size))
		case 12:
			sec.Relocs = sec.Relocs[:len(sec.Relocs)-1]
		}
	case op < 19 && len(f.Sections) > 0:
		sec := f.Sections[in.pick(len(f.Sections))]
		switch op {
		case 13:
			sec.Flags = objfmt.SectionFlags(in.pick(8))
		case 14:
			sec.Align = 1 << in.pick(14)
		case 15:
			sec.Name = fuzzSecNames[in.pick(len(fuzzSecNames))]
		case 16:
			if sec.Kind == objfmt.KindProgbits {
				sec.Kind, sec.Data, sec.Relocs, sec.Lines = objfmt.KindNobits, nil, nil, nil
			} else if sec.Size <= 1<<16 {
				sec.Kind, sec.Data = objfmt.KindProgbits, make([]byte, sec.Size)
			}
		case 17:
			if sec.Kind == objfmt.KindNobits {
				sec.Size = in.value(sec.Size)
			}
		case 18:
			if len(sec.Lines) > 0 {
				l := &sec.Lines[in.pick(len(sec.Lines))]
				l.Line = uint32(in.value(0))
			}
		}
	case op == 19 && f.Dynamic != nil && len(f.Dynamic.Symbols) > 0:
		s := &f.Dynamic.Symbols[in.pick(len(f.Dynamic.Symbols))]
		if in.bool() {
			s.Name = fuzzSymNames[in.pick(len(fuzzSymNames))]
		} else {
			s.Defined = !s.Defined
			s.Value, s.Size = 0, 0
		}
	}
}

// FuzzLink links modules, an archive and a shared module whose fields the
// fuzzer changed (keeping only what objfmt accepts, so that what is
// exercised is the linker's own checks), under link options it chose. The
// linker must not panic and must give either an error with diagnostics
// or an image that encodes, reads back equal, is the same when linked
// again, and (for a static executable) loads and runs in the VM to an
// exit or a trap within a step budget.
func FuzzLink(f *testing.F) {
	f.Add([]byte{})
	f.Add(append(make([]byte, 15), 2))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1})
	f.Add([]byte{3, 2, 0, 4, 1, 1, 0, 1, 1, 0, 0, 1, 3, 1, 2, 0, 0})
	f.Add([]byte("\x05\x08\x01\x03\x02\x0a\x04\x07\x0b\x09\x0c\x10\x11\x12\x13"))
	f.Add([]byte("\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x01\x02\x01\x01\x01"))
	f.Fuzz(func(t *testing.T, data []byte) { linkFuzz(t, data) })
}

// With no changes (an input of zeros), the fuzzer's inputs link, into a
// program against libs.vso; without the shared module, into a static
// program that runs to its exit.
func TestLinkFuzzBaseLinks(t *testing.T) {
	require.Equal(t, "dynamic", linkFuzz(t, nil))
	require.Equal(t, "dynamic", linkFuzz(t, make([]byte, 64)))
	// The 16th byte leaves libs.vso out.
	require.Equal(t, "static", linkFuzz(t, append(make([]byte, 15), 2)))
}

// absoluteEntry reports whether the image's entry symbol (entry, or
// _start) is absolute.
func absoluteEntry(img *objfmt.File, entry string) bool {
	if entry == "" {
		entry = "_start"
	}
	for _, s := range img.Symbols {
		if s.Name == entry && s.Bind != objfmt.BindLocal {
			return s.Section == objfmt.SecAbs
		}
	}
	return false
}

// linkFuzz is FuzzLink's check of one input; it returns what the link
// made: "error", "dynamic" (an executable against shared modules),
// "shared", "static" (a static executable, loaded and run), "static
// trap" (one that ended with a trap), "static, absolute entry" (one the
// VM may refuse to start) or "static, too big" (one the VM refuses for
// its memory limit).
func linkFuzz(t *testing.T, data []byte) string {
	base, err := buildLinkFuzzBase()
	require.NoError(t, err)
	in := fuzzStream(data)

	cfg := staticld.Config{
		Entry:          fuzzEntries[in.pick(len(fuzzEntries))],
		GCSections:     in.bool(),
		Symbolic:       in.bool(),
		AllowUndefined: in.bool(),
		ExportDynamic:  in.bool(),
		Static:         in.pick(4) == 3,
	}
	if in.pick(3) == 2 {
		cfg.Base = fuzzBases[in.pick(len(fuzzBases))]
	}
	for n := in.pick(3); n > 0; n-- {
		cfg.Undefined = append(cfg.Undefined, fuzzUndefined[in.pick(len(fuzzUndefined))])
	}
	if in.pick(4) == 3 {
		cfg.Shared = true
		cfg.Soname = []string{"libx.vso.1", "libx.vso.2", "libx", ""}[in.pick(4)]
	}

	main := mutate(t, &in, base.main)
	lib := mutate(t, &in, base.lib)
	var members []*objfmt.Member
	for i, mb := range [][]byte{base.m1, base.m2} {
		m, err := mutate(t, &in, mb).Encode()
		require.NoError(t, err)
		members = append(members, &objfmt.Member{Name: fmt.Sprintf("m%d.vo", i+1), Data: m})
	}
	so := mutate(t, &in, base.so)

	inputs := []staticld.Input{{Name: "main.vo", File: main}}
	if in.pick(4) != 3 {
		inputs = append(inputs, staticld.Input{Name: "lib.vo", File: lib})
	}
	if a, err := objfmt.BuildArchive(members); err == nil {
		ab, err := a.Encode()
		require.NoError(t, err)
		a, err = objfmt.ParseArchive(ab)
		require.NoError(t, err)
		inputs = append(inputs, staticld.Input{Name: "libm.va", Archive: a})
	}
	if in.pick(3) != 2 {
		inputs = append(inputs, staticld.Input{Name: "libs.vso", File: so, AsNeeded: in.bool()})
	}
	if in.pick(8) == 7 { // the same module twice
		inputs = append(inputs, inputs[in.pick(len(inputs))])
	}
	if in.bool() { // another order
		k := in.pick(len(inputs))
		inputs[0], inputs[k] = inputs[k], inputs[0]
	}

	img, err := staticld.Link(cfg, inputs)
	if err != nil {
		require.Nil(t, img)
		var le *staticld.Error
		if errors.As(err, &le) {
			require.NotEmpty(t, le.Diags)
			for _, d := range le.Diags {
				require.NotEmpty(t, d.Msg)
			}
		}
		require.NotEmpty(t, err.Error())
		return "error"
	}
	out, err := img.Encode()
	require.NoError(t, err, "the linker's output does not encode")
	back, err := objfmt.Parse(out)
	require.NoError(t, err)
	require.Equal(t, img, back)
	img2, err := staticld.Link(cfg, inputs)
	require.NoError(t, err)
	out2, err := img2.Encode()
	require.NoError(t, err)
	require.True(t, bytes.Equal(out, out2), "linking twice gave different images")

	if img.Type != objfmt.TypeExec {
		return "shared"
	}
	if img.Dynamic != nil {
		return "dynamic"
	}
	p, err := vm.Load(img, "fuzz.img", vm.Config{MaxSteps: 1 << 12, MaxMemory: 16 << 20})
	if err != nil && absoluteEntry(img, cfg.Entry) {
		return "static, absolute entry" // documented: the linker takes it as it is
	}
	if errors.Is(err, vm.ErrMemoryLimit) {
		return "static, too big" // a huge .bss is valid, but not within 16 MiB
	}
	require.NoError(t, err, "the VM refuses a static image the linker made")
	_, err = p.Run()
	var trap *vm.Trap
	if err != nil && !errors.As(err, &trap) {
		t.Fatalf("run error is not a trap: %v", err)
	}
	if trap != nil {
		return "static trap"
	}
	return "static"
}

// FuzzLink found that the linker took a data symbol as the entry point
// (vmld -e d), making an image the VM refuses to start. The entry symbol
// must be an instruction of an executable section, or absolute.
func TestEntryMustBeAnInstruction(t *testing.T) {
	base, err := buildLinkFuzzBase()
	require.NoError(t, err)
	read := func(b []byte) *objfmt.File {
		f, err := objfmt.Parse(b)
		require.NoError(t, err)
		return f
	}
	inputs := func(lib *objfmt.File) []staticld.Input {
		m1, m2 := read(base.m1), read(base.m2)
		return []staticld.Input{{Name: "main.vo", File: read(base.main)}, {Name: "lib.vo", File: lib},
			{Name: "m1.vo", File: m1}, {Name: "m2.vo", File: m2}}
	}
	symbol := func(f *objfmt.File, name string) *objfmt.Symbol {
		for i := range f.Symbols {
			if f.Symbols[i].Name == name {
				return &f.Symbols[i]
			}
		}
		t.Fatalf("no symbol %s", name)
		return nil
	}

	_, err = staticld.Link(staticld.Config{Entry: "d"}, inputs(read(base.lib)))
	require.EqualError(t, err, "error: entry symbol d is not an instruction of an executable section: its section .data is not executable (lib.vo)")

	lib := read(base.lib)
	symbol(lib, "f").Value = lib.Sections[0].Size // the end of .text
	_, err = staticld.Link(staticld.Config{Entry: "f"}, inputs(lib))
	require.EqualError(t, err, "error: entry symbol f is not an instruction of an executable section: it is at offset 0x20, past the last instruction of .text (lib.vo)")

	lib = read(base.lib)
	symbol(lib, "f").Value = 4
	_, err = staticld.Link(staticld.Config{Entry: "f"}, inputs(lib))
	require.EqualError(t, err, "error: entry symbol f is not an instruction of an executable section: its address 0x1004c is not a multiple of 8 (lib.vo (lib.s:4))")

	// An absolute entry point is taken as it is (docs/linking.md).
	img, err := staticld.Link(staticld.Config{Entry: "K"}, inputs(read(base.lib)))
	require.NoError(t, err)
	require.Equal(t, uint64(0x1234), img.Entry)
}

// FuzzLink found the same for init and fini functions (a data symbol
// named _fini): the image failed to encode, reporting the address only.
func TestInitFiniMustBeInstructions(t *testing.T) {
	base, err := buildLinkFuzzBase()
	require.NoError(t, err)
	lib := func(rename string) []staticld.Input {
		f, err := objfmt.Parse(base.lib)
		require.NoError(t, err)
		for i := range f.Symbols {
			if f.Symbols[i].Name == "d" && rename != "" {
				f.Symbols[i].Name = rename
			}
		}
		return []staticld.Input{{Name: "lib.vo", File: f}}
	}
	shared := staticld.Config{Shared: true, Soname: "libl.vso.1"}

	_, err = staticld.Link(shared, lib("_fini"))
	require.EqualError(t, err, "error: symbol _fini (the default -fini) is not an instruction of an executable section: its section .data is not executable (lib.vo)")

	cfg := shared
	cfg.Init = "d"
	_, err = staticld.Link(cfg, lib(""))
	require.EqualError(t, err, "error: -init: symbol d is not an instruction of an executable section: its section .data is not executable (lib.vo)")

	cfg.Init = "f"
	so, err := staticld.Link(cfg, lib(""))
	require.NoError(t, err)
	require.NotZero(t, so.Dynamic.Init)
}

// FuzzLink found that a symbol whose value is past the end of its section
// was linked (objfmt leaves that check to the linker): exported from a
// shared module, it made a dynamic symbol outside every section, and the
// image failed to encode.
func TestSymbolPastItsSection(t *testing.T) {
	base, err := buildLinkFuzzBase()
	require.NoError(t, err)
	f, err := objfmt.Parse(base.lib)
	require.NoError(t, err)
	for i := range f.Symbols {
		if f.Symbols[i].Name == "f" {
			f.Symbols[i].Value = 1 << 32
		}
	}
	_, err = staticld.Link(staticld.Config{Shared: true, Soname: "libl.vso.1"}, []staticld.Input{{Name: "lib.vo", File: f}})
	require.EqualError(t, err, "error: lib.vo: symbol f: value 0x100000000 is past the end of its section .text (size 0x20)")
}

// FuzzLink found that a base address in the null area (Config.Base
// 0x1000) was taken, making an image the VM refuses to map.
func TestBaseInNullArea(t *testing.T) {
	base, err := buildLinkFuzzBase()
	require.NoError(t, err)
	f, err := objfmt.Parse(base.m2)
	require.NoError(t, err)
	_, err = staticld.Link(staticld.Config{Base: objfmt.PageSize, Entry: "h"}, []staticld.Input{{Name: "m2.vo", File: f}})
	require.EqualError(t, err, "error: base address 0x1000 is in the null area (below 0x10000), which is never mapped")
	img, err := staticld.Link(staticld.Config{Base: staticld.ImageBase, Entry: "h"}, []staticld.Input{{Name: "m2.vo", File: f}})
	require.NoError(t, err)
	require.Equal(t, uint64(staticld.ImageBase), img.Entry)
}
