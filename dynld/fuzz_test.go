package dynld

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

// fuzzBytes hands out the fuzzer's bytes, then zeros.
type fuzzBytes []byte

func (b *fuzzBytes) next() int {
	if len(*b) == 0 {
		return 0
	}
	v := (*b)[0]
	*b = (*b)[1:]
	return int(v)
}

// fuzzRets is how many `ret` words start every fuzz module's code;
// exported functions point among them, so no call can loop.
const fuzzRets = 4

// fuzzNames are the sonames fuzz modules need: four modules that exist
// (module i is written as libmI.vso, with soname fuzzNames[i] unless the
// fuzzer gives it another major version) and two that do not.
var fuzzNames = []string{"libm0.vso.1", "libm1.vso.1", "libm2.vso.1", "libm3.vso.1", "libmissing.vso.1", "libm0.vso.7"}

// fuzzSyms are the symbol names modules export and import.
var fuzzSyms = []string{"f0", "f1", "f2", "d0", "d1"}

// fuzzModule builds module i (-1: the executable) from the fuzzer's bytes:
// its needed list, exports, imports called through PLT stubs, GOT and
// ABS64/RELATIVE data relocations, init/fini, and, for the executable, a
// straight-line program of PLT calls and dlopen/dlsym/dlclose calls.
func fuzzModule(t testing.TB, in *fuzzBytes, i int) *objfmt.File {
	var b *builder
	if i < 0 {
		b = newExe(t)
	} else {
		soname := fuzzNames[i]
		if in.next()%8 == 7 {
			soname = fmt.Sprintf("libm%d.vso.2", i)
		}
		b = newShared(t, soname, soname[len(soname)-1:]+"."+fmt.Sprint(in.next()%3))
	}
	b.dyn.Runpath = []string{"$ORIGIN"}
	for n := in.next() % 4; n > 0; n-- {
		b.dyn.Needed = append(b.dyn.Needed, fuzzNames[in.next()%len(fuzzNames)])
	}
	for k := 0; k < fuzzRets; k++ {
		b.fn(fmt.Sprintf("r%d", k), false).ins(isa.RET, 0, 0, 0, 0)
	}
	exported := map[string]bool{}
	for n := in.next() % 4; n > 0; n-- {
		name := fuzzSyms[in.next()%len(fuzzSyms)]
		if _, ok := b.syms[name]; ok {
			continue
		}
		exported[name] = true
		if name[0] == 'd' {
			b.export(name, objfmt.SymObject, b.quad(uint64(in.next())))
		} else {
			b.export(name, objfmt.SymFunc, b.start+8*uint64(in.next()%fuzzRets))
		}
	}
	if i < 0 {
		b.fn("_start", false)
	} else {
		// A proper function: an init or fini pointing into its middle
		// must not find lr overwritten by a call and loop.
		b.fn("code", false).ins(isa.ENTER, 0, 0, 0, 0)
	}
	for n := in.next() % 8; n > 0; n-- {
		name := fuzzSyms[in.next()%len(fuzzSyms)]
		switch op := in.next() % 8; {
		case exported[name]:
		case op == 0 && name[0] == 'f':
			weak := in.next()%4 == 0
			b.pltFor(name, weak)
			b.toLabel(isa.CALL, 0, 0, "plt:"+name)
		case op == 1:
			b.toAddr(isa.LDPC, 0, b.gotFor(name, in.next()%2 == 0))
		case op == 2:
			b.reloc(objfmt.DynAbs64, b.quad(0), b.importSym(name, in.next()%2 == 0), int64(in.next()))
		case op == 3:
			b.reloc(objfmt.DynRelative, b.quad(0), -1, int64(in.next()))
		case op == 4 && i < 0:
			b.dlopen(fuzzNames[in.next()%len(fuzzNames)], int32(in.next()&3|in.next()&1<<8))
			b.ins(isa.MOV, uint8(16+in.next()%3), 0, 0, 0)
		case op == 5 && i < 0:
			b.dlsym(uint8(16+in.next()%3), name)
			if in.next()%2 == 0 {
				b.ins(isa.CALLR, 0, 0, 0, 0)
			}
		case op == 6 && i < 0:
			b.dlclose(uint8(16 + in.next()%3))
		}
	}
	if i < 0 {
		b.exit(0)
	} else {
		b.ins(isa.LEAVE, 0, 0, 0, 0).ins(isa.RET, 0, 0, 0, 0)
	}
	f := b.build()
	text := f.Sections[0].Size / 8
	if v := in.next() % 16; v < 8 {
		f.Dynamic.Init = b.start + 8*(uint64(v)%text)
	}
	if v := in.next() % 16; v < 8 {
		f.Dynamic.Fini = b.start + 8*(uint64(v)%text)
	}
	if i < 0 && len(f.Dynamic.Needed) == 0 && in.next()%2 == 0 {
		f.Dynamic = nil
	}
	return f
}

// FuzzLoad loads and runs arbitrary graphs of modules (made to be valid
// for the reader, or written raw when they are not): the loader must
// never panic or hang, whatever needs, versions, symbols, relocations,
// init and fini functions and dlopen calls the graph has. The code is
// straight-line by construction, and runs under a step budget besides.
// Now and then one module file is damaged (a byte flipped past its
// header): an error about that file must then be its checksum mismatch,
// and the module must not be mapped. When every module is valid, half
// the runs read them the way vmrun does, memory-mapped (NewCache(nil)).
func FuzzLoad(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 3, 0, 0, 2, 0, 0, 0, 0})
	f.Add([]byte("\x03\x00\x01\x05\x02\x01\x00\x01\x02\x04\x00\x00\x03\x04\x01\x05\x00\x06\x01\x02\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := fuzzBytes(data)
		dir := t.TempDir()
		raw := false
		var encoded []string // files written in the object format
		write := func(name string, m *objfmt.File) string {
			if _, err := m.Encode(); err == nil {
				path := writeModule(t, dir, name, m)
				encoded = append(encoded, path)
				return path
			}
			raw = true
			return writeRaw(t, dir, name, m)
		}
		for i := 0; i < 4; i++ {
			if in.next()%5 != 4 {
				write(fmt.Sprintf("libm%d.vso", i), fuzzModule(t, &in, i))
			}
		}
		prog := write("prog.img", fuzzModule(t, &in, -1))
		damaged := ""
		if len(encoded) > 0 && in.next()%8 == 7 {
			damaged = encoded[in.next()%len(encoded)]
			b, err := os.ReadFile(damaged)
			require.NoError(t, err)
			b[objfmt.HeaderSize+(in.next()<<4|in.next())%(len(b)-objfmt.HeaderSize)] ^= byte(1 << (in.next() % 8))
			require.NoError(t, os.WriteFile(damaged, b, 0o644))
		}
		cache := NewCache(testParse)
		if !raw && in.next()%2 == 0 {
			cache = NewCache(nil)
		}
		cfg := Config{Cache: cache, BindNow: in.next()%2 == 0, Debug: "all"}
		if in.next()%3 == 0 {
			cfg.Preload = []string{fuzzNames[in.next()%len(fuzzNames)]}
			cfg.LibraryPath = []string{dir}
		}
		var out bytes.Buffer
		p, err := Load(prog, vm.Config{Args: []string{prog}, Stdout: &out, Stderr: &out, MaxSteps: 1 << 16}, cfg)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			if damaged != "" && strings.Contains(err.Error(), damaged+":") {
				require.ErrorContains(t, err, damaged+": objfmt: checksum mismatch: stored 0x")
			}
			return
		}
		for _, m := range p.Modules() {
			require.NotEqual(t, damaged, m.Path, "a damaged module was mapped")
		}
		_, _ = p.Run()
		_, _ = Tree(prog, cfg)
		_, _ = Tree(filepath.Join(dir, "libm0.vso"), cfg)
	})
}

// A damaged module is refused by its checksum, on both ways of reading
// files (memory-mapped, as vmrun does, and read into memory), with an
// error naming the program, the module and the file; so is a damaged
// program.
func TestLoadDamagedModule(t *testing.T) {
	dir := t.TempDir()
	lib := writeModule(t, dir, "libgreet.vso", greetLib(t, "1.0", "hello\n"))
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	flip := func(path string) (stored, computed uint32) {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		b[len(b)-1] ^= 0x20
		require.NoError(t, os.WriteFile(path, b, 0o644))
		computed, err = objfmt.Checksum(b)
		require.NoError(t, err)
		return binary.LittleEndian.Uint32(b[0x24:]), computed
	}
	stored, computed := flip(lib)
	for _, cache := range []*Cache{NewCache(nil), NewCache(objfmt.Parse)} {
		_, err := Load(prog, vm.Config{Args: []string{prog}}, Config{Cache: cache})
		require.EqualError(t, err, fmt.Sprintf("%s: libgreet.vso.1: %s: objfmt: checksum mismatch: stored 0x%08x, computed 0x%08x at offset 0x24",
			prog, lib, stored, computed))
	}
	flip(lib) // repaired
	stored, computed = flip(prog)
	for _, cache := range []*Cache{NewCache(nil), NewCache(objfmt.Parse)} {
		_, err := Load(prog, vm.Config{Args: []string{prog}}, Config{Cache: cache})
		require.EqualError(t, err, fmt.Sprintf("%s: objfmt: checksum mismatch: stored 0x%08x, computed 0x%08x at offset 0x24",
			prog, stored, computed))
	}
}
