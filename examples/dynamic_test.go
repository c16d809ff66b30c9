package examples_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tool runs a build step in dir and fails the test if it fails.
func tool(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	r := runIn(t, dir, nil, name, args...)
	require.Equal(t, 0, r.status, "%s %v: %s", name, args, r.stderr)
}

// TestStdStaticAndDynamic links one program against libstd both ways with
// no -L (the installed library): the output is the same and the dynamic
// image is smaller, since libstd's code stays in libstd.vso.
func TestStdStaticAndDynamic(t *testing.T) {
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/stdhello/hello.s")
	require.NoError(t, err)
	tool(t, dir, "vmas", "-o", "hello.vo", src)
	tool(t, dir, "vmld", "-o", "dynamic.img", "hello.vo", "-lstd")
	tool(t, dir, "vmld", "-static", "-o", "static.img", "hello.vo", "-lstd")
	want := "Hello from libstd!\nthe answer is 42\n"
	for _, img := range []string{"dynamic.img", "static.img"} {
		r := runIn(t, dir, nil, "vmrun", img)
		assert.Equal(t, want, r.stdout, img)
		assert.Empty(t, r.stderr, img)
		assert.Equal(t, 0, r.status, img)
	}
	dyn, err := os.Stat(filepath.Join(dir, "dynamic.img"))
	require.NoError(t, err)
	sta, err := os.Stat(filepath.Join(dir, "static.img"))
	require.NoError(t, err)
	assert.Less(t, dyn.Size(), sta.Size())

	r := runIn(t, dir, nil, "vmldd", "dynamic.img")
	assert.Equal(t, 0, r.status)
	assert.Equal(t, fmt.Sprintf("\tlibstd.vso.1 => %s (0x0000000100000000)\n",
		filepath.Join(filepath.Dir(bin), "lib", "libstd.vso")), r.stdout)
}

// greetSource is version MAJOR.MINOR of libgreet: greet() prints a line
// that says which version ran.
func greetSource(version string) string {
	return fmt.Sprintf(`
	.text
	.global greet
greet:	enter 16
	la    r0, msg
	call  puts
	leave
	ret
	.rodata
msg:	.asciz "greetings from libgreet %s"
`, version)
}

// TestLibraryUpdateWithoutRelinking builds prog.img against libgreet 1.0,
// replaces the module with 1.1 and runs the unchanged image, which shows
// 1.1's behaviour; a 2.0 module (a major bump) is refused at load.
func TestLibraryUpdateWithoutRelinking(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	buildGreet := func(version, major string) {
		write("greet.s", greetSource(version))
		tool(t, dir, "vmas", "-o", "greet.vo", "greet.s")
		tool(t, dir, "vmld", "-shared", "-soname", "libgreet.vso."+major,
			"--module-version", version, "-o", "libgreet.vso", "greet.vo", "-lstd")
	}
	write("prog.s", `
	.text
	.global main
main:	enter 16
	call  greet
	li    r0, 0
	leave
	ret
`)
	buildGreet("1.0", "1")
	tool(t, dir, "vmas", "-o", "prog.vo", "prog.s")
	tool(t, dir, "vmld", "-o", "prog.img", "prog.vo", "-L.", "-lgreet", "-lstd")
	prog, err := os.ReadFile(filepath.Join(dir, "prog.img"))
	require.NoError(t, err)
	env := []string{"VM_LIBRARY_PATH=" + dir}

	r := runIn(t, dir, env, "vmrun", "prog.img")
	assert.Equal(t, "greetings from libgreet 1.0\n", r.stdout)
	assert.Equal(t, 0, r.status, r.stderr)

	buildGreet("1.1", "1")
	r = runIn(t, dir, env, "vmrun", "prog.img")
	assert.Equal(t, "greetings from libgreet 1.1\n", r.stdout)
	assert.Equal(t, 0, r.status, r.stderr)

	buildGreet("2.0", "2")
	r = runIn(t, dir, env, "vmrun", "prog.img")
	assert.Empty(t, r.stdout)
	assert.Equal(t, fmt.Sprintf("vmrun: prog.img: libgreet.vso.1: %s has version 2.0 (soname libgreet.vso.2), incompatible\n",
		filepath.Join(dir, "libgreet.vso")), r.stderr)
	assert.Equal(t, 127, r.status)

	after, err := os.ReadFile(filepath.Join(dir, "prog.img"))
	require.NoError(t, err)
	assert.Equal(t, prog, after, "the image was never relinked")
}

// TestPlugin runs examples/plugin: a host that dlopens the plugins named
// on its command line.
func TestPlugin(t *testing.T) {
	dir := t.TempDir()
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		require.NoError(t, err)
		return a
	}
	tool(t, dir, "vmas", "-o", "host.vo", abs("plugin/host/host.s"))
	tool(t, dir, "vmld", "-o", "host.img", "host.vo", "-lstd")
	for _, p := range []string{"hello", "count"} {
		tool(t, dir, "vmas", "-o", p+".vo", abs("plugin/plugins/"+p+".s"))
		tool(t, dir, "vmld", "-shared", "-soname", p+".vso.1", "-o", p+".vso", p+".vo", "-lstd")
	}
	r := runIn(t, dir, nil, "vmrun", "host.img", "./hello.vso", "./count.vso", "./count.vso")
	assert.Equal(t, "hello plugin: loaded from ./hello.vso\n"+
		"count plugin: loaded 1 time(s) in this process\n"+
		"count plugin: loaded 1 time(s) in this process\n", r.stdout)
	assert.Equal(t, 0, r.status, r.stderr)

	r = runIn(t, dir, nil, "vmrun", "host.img", "./nope.vso")
	assert.Equal(t, "host: ./nope.vso: cannot open shared module: not found (searched: ./nope.vso)\n", r.stdout)
	assert.Equal(t, 1, r.status)

	// A module outside the host image's directory tree is refused, even
	// through a symbolic link inside it (docs/vmrun.md); one inside, by
	// any path, loads.
	other := t.TempDir()
	require.NoError(t, os.Rename(filepath.Join(dir, "count.vso"), filepath.Join(other, "count.vso")))
	require.NoError(t, os.Symlink(filepath.Join(other, "count.vso"), filepath.Join(dir, "link.vso")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	realDir, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	out := filepath.Join(other, "count.vso")
	sub := filepath.Join(dir, "sub")
	for _, name := range []string{out, "./../link.vso"} {
		r = runIn(t, sub, nil, "vmrun", "../host.img", name)
		assert.Equal(t, "host: dlopen "+name+": outside the directory the program may load from "+realDir+
			" (permission denied)\n", r.stdout)
		assert.Equal(t, 1, r.status, r.stderr)
	}
	r = runIn(t, sub, nil, "vmrun", "../host.img", "../hello.vso")
	assert.Equal(t, "hello plugin: loaded from ../hello.vso\n", r.stdout)
	assert.Equal(t, 0, r.status, r.stderr)
}

// TestSpawnThroughVmrun: a program run by vmrun spawns another image and
// waits for it; both are processes of one host and share its output.
func TestSpawnThroughVmrun(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"parent", "child"} {
		src, err := filepath.Abs("testdata/spawn/" + p + ".s")
		require.NoError(t, err)
		tool(t, dir, "vmas", "-o", p+".vo", src)
	}
	tool(t, dir, "vmld", "-o", "parent.img", "parent.vo", "-lstd")
	tool(t, dir, "vmld", "-static", "-o", "child.img", "child.vo", "-lstd")
	r := runIn(t, dir, nil, "vmrun", "parent.img", "child.img")
	assert.Equal(t, "child 2 says hello\nparent: child 2 exited with status 7\n", r.stdout)
	assert.Empty(t, r.stderr)
	assert.Equal(t, 0, r.status)
}
