package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
	"linkvm/vm/isa"
)

// module writes a module with one `ret` of code to dir/name: an
// executable if soname is "", else a shared module.
func module(t *testing.T, dir, name, soname string, dyn *objfmt.Dynamic) string {
	t.Helper()
	ret := isa.Encode(isa.RET, 0, 0, 0, 0)
	code := []byte{byte(ret), 0, 0, 0, 0, 0, 0, 0}
	f := &objfmt.File{Type: objfmt.TypeShared, Dynamic: dyn}
	addr := uint64(0)
	if soname == "" {
		f.Type, addr, f.Entry = objfmt.TypeExec, 0x10000, 0x10000
	} else {
		dyn.Soname, dyn.Version = soname, soname[len(soname)-1:]+".0"
	}
	f.Sections = []*objfmt.Section{{Name: ".text", Kind: objfmt.KindProgbits, Flags: objfmt.FlagAlloc | objfmt.FlagExec,
		Align: 8, Addr: addr, Size: 8, Data: code}}
	data, err := f.Encode()
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// vmldd runs the command with the environment env.
func vmldd(env map[string]string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	status := run(args, func(k string) string { return env[k] }, &out, &errb)
	return status, out.String(), errb.String()
}

func TestVmldd(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib")
	prog := module(t, dir, "prog.img", "", &objfmt.Dynamic{Needed: []string{"liba.vso.1", "libb.vso.2"}, Runpath: []string{"$ORIGIN/lib"}})
	module(t, lib, "liba.vso", "liba.vso.1", &objfmt.Dynamic{Needed: []string{"libc.vso.1", "libb.vso.2"}, Runpath: []string{"$ORIGIN"}})
	module(t, lib, "libb.vso.2", "libb.vso.2", &objfmt.Dynamic{})
	env := filepath.Join(dir, "env")
	module(t, env, "libc.vso", "libc.vso.1", &objfmt.Dynamic{Needed: []string{"libnope.vso.3"}})

	status, out, errs := vmldd(nil, prog)
	assert.Equal(t, 1, status)
	assert.Equal(t, ""+
		"\tliba.vso.1 => "+lib+"/liba.vso (0x0000000100000000)\n"+
		"\tlibb.vso.2 => "+lib+"/libb.vso.2 (0x0000000100010000)\n"+
		"\tlibc.vso.1 => not found\n", out)
	assert.Empty(t, errs)

	status, out, _ = vmldd(map[string]string{"VM_LIBRARY_PATH": env}, prog)
	assert.Equal(t, 1, status)
	assert.Equal(t, ""+
		"\tliba.vso.1 => "+lib+"/liba.vso (0x0000000100000000)\n"+
		"\tlibb.vso.2 => "+lib+"/libb.vso.2 (0x0000000100010000)\n"+
		"\tlibc.vso.1 => "+env+"/libc.vso (0x0000000100020000)\n"+
		"\tlibnope.vso.3 => not found\n", out)

	module(t, env, "libnope.vso", "libnope.vso.3", &objfmt.Dynamic{})
	pre := module(t, dir, "pre/libpre.vso", "libpre.vso.1", &objfmt.Dynamic{})
	static := module(t, dir, "static.img", "", nil)
	status, out, _ = vmldd(map[string]string{"VM_LIBRARY_PATH": env, "VM_PRELOAD": pre}, prog, filepath.Join(lib, "liba.vso"), static)
	assert.Equal(t, 1, status)
	assert.Equal(t, prog+":\n"+
		"\t"+pre+" => "+pre+" (0x0000000100000000)\n"+
		"\tliba.vso.1 => "+lib+"/liba.vso (0x0000000100010000)\n"+
		"\tlibb.vso.2 => "+lib+"/libb.vso.2 (0x0000000100020000)\n"+
		"\tlibc.vso.1 => "+env+"/libc.vso (0x0000000100030000)\n"+
		"\tlibnope.vso.3 => "+env+"/libnope.vso (0x0000000100040000)\n"+
		lib+"/liba.vso:\n"+
		"\t"+pre+" => "+pre+" (0x0000000100010000)\n"+
		"\tlibc.vso.1 => "+env+"/libc.vso (0x0000000100020000)\n"+
		"\tlibb.vso.2 => "+lib+"/libb.vso.2 (0x0000000100030000)\n"+
		"\tlibnope.vso.3 => "+env+"/libnope.vso (0x0000000100040000)\n"+
		static+":\n"+
		"\tnot a dynamic executable\n", out)

	status, out, _ = vmldd(map[string]string{"VM_LIBRARY_PATH": env}, prog)
	assert.Equal(t, 0, status)
	assert.Equal(t, 4, strings.Count(out, "=>"))

	// Another major version is refused, with the reason.
	module(t, lib, "libb.vso", "libb.vso.3", &objfmt.Dynamic{})
	require.NoError(t, os.Remove(filepath.Join(lib, "libb.vso.2")))
	status, out, _ = vmldd(map[string]string{"VM_LIBRARY_PATH": env}, prog)
	assert.Equal(t, 1, status)
	assert.Contains(t, out, "\tlibb.vso.2 => error: libb.vso.2: "+lib+"/libb.vso has version 3.0 (soname libb.vso.3), incompatible\n")
}

func TestVmlddUsageAndErrors(t *testing.T) {
	status, out, errs := vmldd(nil, "-h")
	assert.Equal(t, 0, status)
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errs, "usage: vmldd FILE...\n"))

	status, _, errs = vmldd(nil)
	assert.Equal(t, 2, status)
	assert.Equal(t, "vmldd: no file given\nusage: vmldd FILE... (vmldd -h for help)\n", errs)

	status, _, errs = vmldd(nil, "-x")
	assert.Equal(t, 2, status)
	assert.Equal(t, "vmldd: unknown flag -x\nusage: vmldd FILE... (vmldd -h for help)\n", errs)

	missing := filepath.Join(t.TempDir(), "nope.img")
	status, out, errs = vmldd(nil, missing)
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	assert.Equal(t, "vmldd: "+missing+": no such file or directory\n", errs)
}
