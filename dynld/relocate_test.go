package dynld

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm"
	"linkvm/vm/isa"
)

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	prog := writeModule(t, dir, "prog.img", greetProg(t, "$ORIGIN").build())
	for _, tt := range []struct {
		name string
		edit func(f *objfmt.File)
		want string
	}{
		{"relocation in code", func(f *objfmt.File) {
			f.Dynamic.Relocs = append(f.Dynamic.Relocs, objfmt.DynReloc{Offset: 0, Kind: objfmt.DynRelative, Sym: -1})
		}, "libgreet.vso.1: dynamic relocation 0 (RELATIVE) at 0x100000000: write to read-only memory at 0x100000000 (section .text of libgreet.vso.1)"},
		{"relocation outside", func(f *objfmt.File) {
			f.Dynamic.Relocs = append(f.Dynamic.Relocs, objfmt.DynReloc{Offset: 1 << 40, Kind: objfmt.DynRelative, Sym: -1})
		}, "libgreet.vso.1: dynamic relocation 0 (RELATIVE) at offset 0x10000000000 is outside the module (size 0x4003)"},
		{"unknown kind", func(f *objfmt.File) {
			f.Dynamic.Relocs = append(f.Dynamic.Relocs, objfmt.DynReloc{Offset: dataOff, Kind: 9})
		}, "libgreet.vso.1: dynamic relocation 0 has unknown kind DYN_9"},
		{"bad symbol", func(f *objfmt.File) {
			f.Dynamic.Relocs = append(f.Dynamic.Relocs, objfmt.DynReloc{Offset: dataOff, Kind: objfmt.DynJumpSlot, Sym: 5})
		}, "libgreet.vso.1: dynamic relocation 0 (JUMP_SLOT): symbol index 5 out of range [0, 1)"},
		{"huge section", func(f *objfmt.File) {
			f.Sections = append(f.Sections, &objfmt.Section{Name: ".bss", Kind: objfmt.KindNobits, Flags: objfmt.FlagAlloc | objfmt.FlagWrite, Addr: 0x10000, Size: 1 << 40})
		}, "libgreet.vso.1: section .bss [0x10000, +0x10000000000) is beyond the 0x100000000-byte limit of a module"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := greetLib(t, "1.0", "hi\n")
			f.Sections[0].Data = append([]byte(nil), f.Sections[0].Data...)
			tt.edit(f)
			writeRaw(t, dir, "libgreet.vso.1", f)
			r := runProg(t, prog, Config{})
			require.Error(t, r.err)
			assert.Equal(t, prog+": "+tt.want, r.err.Error())
		})
	}

	// An init function that traps: Run reports it, the program never runs.
	f := greetLib(t, "1.0", "hi\n")
	f.Dynamic.Init = 8 * 4 // the ret after print
	f.Sections[0].Data = append([]byte(nil), f.Sections[0].Data...)
	f.Sections[0].Data[32] = byte(isa.TRAP)
	writeModule(t, dir, "libgreet.vso.1", f)
	r := runProg(t, prog, Config{})
	assert.ErrorIs(t, r.err, vm.ErrUserTrap)
	assert.Equal(t, "trap: user trap 0 at libgreet.vso.1:greet+0x20", r.err.Error())
	assert.Empty(t, r.stdout)

	for _, tt := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.img"), "no such file or directory"},
		{"shared", writeModule(t, dir, "lib.vso", greetLib(t, "1.0", "x")), "not an executable image (type shared)"},
	} {
		r := runProg(t, tt.path, Config{})
		require.Error(t, r.err, tt.name)
		assert.Equal(t, tt.path+": "+tt.want, r.err.Error(), tt.name)
	}
}
