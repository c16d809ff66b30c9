package difftest

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/dynld"
	"linkvm/objfmt"
	"linkvm/staticld"
	"linkvm/vm"
)

// Outcome is what must be equal between the ways of linking a program:
// everything the program itself can observe or report, and where it
// trapped as a programmer reads it. Addresses (the trap's PC, the frames'
// PCs) and the module a frame is in ("" for the executable, the soname
// for the shared module) legitimately differ, and so does the number of
// steps (PLT stubs and lazy binding run instructions of their own).
type Outcome struct {
	// Stdout is everything the program wrote to standard output.
	Stdout string
	// Status is the exit status; 0 after a trap.
	Status int
	// Trap is the trap's kind, and for a user trap its code; "" if the
	// program exited.
	Trap string
	// Frames are the trap's backtrace as "function file:line" lines.
	Frames []string
}

// String renders o for failure messages.
func (o Outcome) String() string {
	return fmt.Sprintf("status %d, trap %q, frames %q, stdout %x", o.Status, o.Trap, o.Frames, o.Stdout)
}

// maxSteps bounds every run; the generated programs end long before it.
const maxSteps = 1 << 20

// outcome runs p to its end and describes the result.
func outcome(t testing.TB, p *vm.Process, stdout *bytes.Buffer) Outcome {
	status, err := p.Run()
	o := Outcome{Stdout: stdout.String(), Status: status}
	if err == nil {
		return o
	}
	var trap *vm.Trap
	require.True(t, errors.As(err, &trap), "not a trap: %v", err)
	require.NotErrorIs(t, trap, vm.ErrStepLimit, "a generated program ran out of steps")
	o.Trap = trap.Kind.Error()
	if errors.Is(trap, vm.ErrUserTrap) {
		o.Trap += fmt.Sprintf(" %d", trap.Code)
	}
	for _, f := range trap.Frames {
		o.Frames = append(o.Frames, fmt.Sprintf("%s %s:%d", f.Func, f.File, f.Line))
	}
	return o
}

// assemble assembles one module of a generated program; a failure is the
// generator's bug.
func assemble(t testing.TB, name, src string) *objfmt.File {
	f, err := asm.Assemble(name, []byte(src), asm.Options{})
	require.NoError(t, err, "generated %s:\n%s", name, src)
	return f
}

// link links inputs, requiring success: every variant of a generated
// program must link.
func link(t testing.TB, what string, cfg staticld.Config, inputs ...staticld.Input) *objfmt.File {
	img, err := staticld.Link(cfg, inputs)
	require.NoError(t, err, "linking %s", what)
	return img
}

// runStatic runs a static image.
func runStatic(t testing.TB, img *objfmt.File) Outcome {
	var out bytes.Buffer
	p, err := vm.Load(img, "prog.img", vm.Config{Args: []string{"prog.img"}, Stdout: &out, MaxSteps: maxSteps})
	require.NoError(t, err)
	return outcome(t, p, &out)
}

// runDynamic writes img and the modules to dir and runs img with the
// dynamic loader, searching dir.
func runDynamic(t testing.TB, dir string, img *objfmt.File, bindNow bool) Outcome {
	path := filepath.Join(dir, "prog.img")
	require.NoError(t, objfmt.WriteFile(path, img))
	var out bytes.Buffer
	p, err := dynld.Load(path, vm.Config{Args: []string{path}, Stdout: &out, MaxSteps: maxSteps},
		dynld.Config{LibraryPath: []string{dir}, BindNow: bindNow})
	require.NoError(t, err)
	return outcome(t, p, &out)
}

// variants builds the program every way and runs it, returning each
// variant's outcome by name.
func variants(t testing.TB, prog Program) map[string]Outcome {
	dir := t.TempDir()
	mainObj := assemble(t, "main.s", prog.Main)
	libObj := assemble(t, "lib.s", prog.Lib)
	libData, err := libObj.Encode()
	require.NoError(t, err)
	main := staticld.Input{Name: "main.vo", File: mainObj}
	res := map[string]Outcome{}

	res["static, library as an object"] = runStatic(t, link(t, "with lib.vo", staticld.Config{}, main, staticld.Input{Name: "lib.vo", File: libObj}))

	ar, err := objfmt.BuildArchive([]*objfmt.Member{{Name: "lib.vo", Data: libData}})
	require.NoError(t, err)
	res["static, library as an archive"] = runStatic(t, link(t, "with libdt.va", staticld.Config{}, main, staticld.Input{Name: "libdt.va", Archive: ar}))

	for _, symbolic := range []bool{false, true} {
		so := link(t, "libdt.vso", staticld.Config{Shared: true, Soname: "libdt.vso.1", Symbolic: symbolic},
			staticld.Input{Name: "lib.vo", File: libObj})
		require.NoError(t, objfmt.WriteFile(filepath.Join(dir, "libdt.vso.1"), so))
		img := link(t, "against libdt.vso", staticld.Config{}, main, staticld.Input{Name: "libdt.vso", File: so})
		require.NotNil(t, img.Dynamic, "not linked against the shared module")
		kind := "shared"
		if symbolic {
			kind += " -Bsymbolic"
		}
		res[kind+", lazy binding"] = runDynamic(t, dir, img, false)
		res[kind+", bind now"] = runDynamic(t, dir, img, true)
	}
	return res
}

// checkSame requires every variant's outcome to equal the first static
// one's.
func checkSame(t testing.TB, prog Program, res map[string]Outcome) Outcome {
	want := res["static, library as an object"]
	for name, got := range res {
		if got.Stdout != want.Stdout || got.Status != want.Status || got.Trap != want.Trap || strings.Join(got.Frames, "\n") != strings.Join(want.Frames, "\n") {
			t.Fatalf("%s differs from static linking:\n  static: %v\n  %s: %v\nmain.s:\n%s\nlib.s:\n%s", name, want, name, got, prog.Main, prog.Lib)
		}
	}
	return want
}

// FuzzStaticDynamic generates a program from the fuzzer's bytes, links it
// six ways (statically with its library as an object or an archive
// member; dynamically against it as a shared module, with and without
// -Bsymbolic, bound lazily and at load) and requires the same Outcome from
// all of them.
func FuzzStaticDynamic(f *testing.F) {
	for _, seed := range seeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			return
		}
		prog := Generate(b)
		checkSame(t, prog, variants(t, prog))
	})
}

// seeds are inputs whose programs end each way the generator allows
// (TestSeedsCoverEveryEnding checks it).
var seeds = [][]byte{
	{},
	// f3 calls f2 calls f1 calls f0, directly and through fptr
	{3, 0, 0, 2, 0, 6, 0, 0, 8, 1, 0, 6, 1, 1, 0, 6, 2, 3, 5, 3, 2, 0, 0, 3, 7, 3, 0, 6, 3, 9, 0, 5},
	// exits
	{0xc, 0x8, 0xa, 0x0, 0xc, 0x9, 0xe, 0x9, 0x0, 0xf, 0xa, 0xb, 0xd, 0xe, 0xb, 0x7, 0x2, 0x9, 0xe, 0x9, 0x7, 0xd, 0x6, 0x6, 0x0, 0x3, 0x1, 0xc, 0xa, 0x3, 0xe, 0x6, 0x1},
	// trap 8
	{0x6, 0xc, 0x7, 0xf, 0xa, 0x8, 0x8, 0x8, 0x2, 0xb, 0x8, 0x5, 0xf, 0x7, 0x0, 0x4, 0xa, 0x6, 0xc, 0x8, 0xf, 0x1, 0x0, 0x2, 0x3, 0xf, 0x5, 0xd, 0x1, 0x5, 0x6, 0x0},
	// null pointer access
	{0x7, 0xd, 0x1, 0x9, 0xb, 0x8, 0xe, 0x0, 0x3, 0x9, 0xe, 0x3, 0x1, 0x7, 0x9, 0x1, 0xb, 0x9, 0x0, 0x9, 0x1, 0xd, 0x6},
	// division by zero
	{0x5, 0x8, 0x2, 0xd, 0x7, 0x5, 0xf, 0x7, 0x1, 0xd, 0x0, 0x4, 0xe, 0xc, 0xf, 0x4, 0x6, 0xd, 0xf, 0xf, 0xb, 0x7, 0x6, 0x9, 0xd, 0x3, 0x1, 0xb, 0x3, 0x3, 0x5, 0xb},
}

// The seeds reach an exit, a division by zero, a user trap and a null
// pointer access, each the same every way, and among them call functions
// of the library from the library and through a function pointer.
func TestSeedsCoverEveryEnding(t *testing.T) {
	endings := map[string]bool{}
	printed, libCalls, pointerCalls := false, false, false
	for _, seed := range seeds {
		prog := Generate(seed)
		libCalls = libCalls || strings.Contains(prog.Lib, "call  f")
		pointerCalls = pointerCalls || strings.Contains(prog.Main, "callr")
		o := checkSame(t, prog, variants(t, prog))
		endings[o.Trap] = true
		printed = printed || o.Stdout != ""
		if o.Trap != "" {
			require.NotEmpty(t, o.Frames)
		}
	}
	require.True(t, printed, "no seed prints anything")
	require.True(t, libCalls, "no seed calls within the library")
	require.True(t, pointerCalls, "no seed calls through fptr")
	for _, want := range []string{"", "division by zero", "user trap", "null pointer access"} {
		found := false
		for e := range endings {
			found = found || e == want || (want != "" && strings.HasPrefix(e, want))
		}
		require.True(t, found, "no seed ends with %q (endings: %v)", want, endings)
	}
}

// A difference is found: the check is not vacuous. A program whose
// output depends on where the library is loaded (it prints the address of
// a library function) differs between static and dynamic linking.
func TestDifferenceIsCaught(t *testing.T) {
	prog := Generate(nil)
	prog.Main = strings.Replace(prog.Main, "_start: li    r16, 0\n", "_start: li    r16, 0\n        ldpc  r0, f0@got\n        call  putword\n", 1)
	res := variants(t, prog)
	require.NotEqual(t, res["static, library as an object"].Stdout, res["shared, lazy binding"].Stdout)
	require.Equal(t, res["static, library as an object"].Stdout, res["static, library as an archive"].Stdout)
}

// The generated programs are what the comments of Generate say: written
// out for the empty input, as a reader's reference.
func TestGenerateEmpty(t *testing.T) {
	prog := Generate(nil)
	require.Equal(t, `        .text
        .global f0
f0:     enter 16
        leave
        ret
        .data
        .global d0
d0:     .quad -1
        .global fptr
fptr:   .quad f0
obuf:   .quad 0
`, prog.Lib)
	require.True(t, strings.HasPrefix(prog.Main, "        .text\n        .global _start\n_start: li    r16, 0\n"+
		"        li    r0, -1\n        add   r0, r0, r16\n        call  f0\n"), prog.Main)
}
