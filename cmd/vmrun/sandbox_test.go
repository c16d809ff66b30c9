package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Open flags, as the guest passes them (decimal, to try's atoi).
const (
	rdOnly       = "0"
	wrOnly       = "1"
	rdWr         = "2"
	wrCreatTrunc = "577" // O_WRONLY|O_CREAT|O_TRUNC
	rdTrunc      = "512" // O_RDONLY|O_TRUNC
	wrAppend     = "1025"
)

// TestSandboxEscapes runs a program that opens a path with flags given on
// its command line (testdata/limits/try.s) against a granted directory
// full of traps: every attempt to reach a file outside the grants, or to
// write where only reading is granted, fails with a clear error number.
func TestSandboxEscapes(t *testing.T) {
	root := t.TempDir()
	g := filepath.Join(root, "granted")   // --dir g:/g (read-only)
	rw := filepath.Join(root, "writable") // --dir-rw rw:/rw
	out := filepath.Join(root, "outside") // not granted
	for _, d := range []string{g, rw, out, filepath.Join(g, "sub")} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	write := func(path, text string) { require.NoError(t, os.WriteFile(path, []byte(text), 0o644)) }
	link := func(target, name string) { require.NoError(t, os.Symlink(target, filepath.Join(g, name))) }
	write(filepath.Join(g, "in.txt"), "inside\n")
	write(filepath.Join(out, "secret"), "secret\n")
	link("/etc", "etc")                     // a directory outside
	link("/etc/passwd", "passwd")           // a file outside
	link("l2", "l1")                        // l1 -> l2 -> a file outside
	link("../outside/secret", "l2")         // (a chain that leaves)
	link("l4", "l3")                        // l3 -> l4 -> in.txt
	link("sub/../in.txt", "l4")             // (a chain that stays)
	link("..", "up")                        // the grant's parent
	link(filepath.Join(g, "in.txt"), "abs") // absolute, though inside
	link("/dev/null", "null")               // a device outside
	// Symbolic links out of the writable grant.
	require.NoError(t, os.Symlink("../outside/created", filepath.Join(rw, "esc")))
	require.NoError(t, os.Symlink("../outside/secret", filepath.Join(rw, "esc2")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(g, "fifo"), 0o644)) // would block an open
	try := limitsProg(t, "try")
	grants := []string{"--dir", g + ":/g", "--dir-rw", rw + ":/rw"}

	const (
		eNoEnt = "error -2"
		eAcces = "error -13"
		eIsDir = "error -21"
		eInval = "error -22"
	)
	long := "/g/" + strings.Repeat("a", 4094)           // 4097 bytes
	deep := "/g/" + strings.Repeat("d/", 2045) + "x"    // 4094 bytes
	climb := strings.Repeat("../", 1000) + "etc/passwd" // .. can't climb above /
	for _, tc := range []struct {
		name, path, flags string
		want              string // the error, or what the program prints
	}{
		{"a file inside", "/g/in.txt", rdOnly, "inside\n"},
		{"a symlink chain that stays inside", "/g/l3", rdOnly, "inside\n"},
		{"unclean path that stays inside", "/g/sub/..//./in.txt", rdOnly, "inside\n"},
		{"dotdot out of the grant", "/g/../outside/secret", rdOnly, eAcces},
		{"dotdot above the root", climb, rdOnly, eAcces},
		{"relative path with no grant at /", "in.txt", rdOnly, eAcces},
		{"absolute host path outside", filepath.Join(out, "secret"), rdOnly, eAcces},
		{"absolute host path of the grant", filepath.Join(g, "in.txt"), rdOnly, eAcces},
		{"host system file", "/etc/passwd", rdOnly, eAcces},
		{"a grant's name as a prefix", "/gg/in.txt", rdOnly, eAcces},
		{"symlink to /etc", "/g/etc/passwd", rdOnly, eAcces},
		{"symlink to a file outside", "/g/passwd", rdOnly, eAcces},
		{"symlink chain out", "/g/l1", rdOnly, eAcces},
		{"symlink to the grant's parent", "/g/up/outside/secret", rdOnly, eAcces},
		{"absolute symlink", "/g/abs", rdOnly, eAcces},
		{"symlink to a device", "/g/null", rdOnly, eAcces},
		{"a named pipe", "/g/fifo", rdOnly, eAcces},
		{"a directory", "/g/sub", rdOnly, eIsDir},
		{"the granted directory", "/g", rdOnly, eIsDir},
		{"a directory for writing", "/rw", wrOnly, eIsDir},
		{"write in a read-only grant", "/g/in.txt", wrOnly, eAcces},
		{"read-write in a read-only grant", "/g/in.txt", rdWr, eAcces},
		{"append in a read-only grant", "/g/in.txt", wrAppend, eAcces},
		{"truncate in a read-only grant", "/g/in.txt", rdTrunc, eAcces},
		{"create in a read-only grant", "/g/new.txt", wrCreatTrunc, eAcces},
		{"create through a symlink out of a writable grant", "/rw/esc", wrCreatTrunc, eAcces},
		{"write through a symlink out of a writable grant", "/rw/esc2", wrOnly, eAcces},
		{"path too long", long, rdOnly, eInval},
		{"long path, many components", deep, rdOnly, eNoEnt},
		{"empty path", "", rdOnly, eNoEnt},
		{"missing file", "/g/nope", rdOnly, eNoEnt},
		{"create in a writable grant", "/rw/made.txt", wrCreatTrunc, "write: 8\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := result{tc.want, "", 0}
			if strings.HasPrefix(tc.want, "error") {
				want = result{"open " + tc.path + ": " + tc.want + "\n", "", 1}
			}
			args := append(append([]string(nil), grants...), try, tc.path, tc.flags)
			assert.Equal(t, want, vmrun("", args...))
		})
	}
	// Nothing changed where writing was refused; the writable grant got
	// its file.
	b, err := os.ReadFile(filepath.Join(g, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "inside\n", string(b))
	_, err = os.Lstat(filepath.Join(g, "new.txt"))
	assert.True(t, os.IsNotExist(err))
	_, err = os.Lstat(filepath.Join(out, "created"))
	assert.True(t, os.IsNotExist(err))
	b, err = os.ReadFile(filepath.Join(rw, "made.txt"))
	require.NoError(t, err)
	assert.Equal(t, "written\n", string(b))
	b, err = os.ReadFile(filepath.Join(out, "secret"))
	require.NoError(t, err)
	assert.Equal(t, "secret\n", string(b))

	// A path is read up to its first NUL: what follows cannot reach
	// anything.
	assert.Equal(t, result{"open: error -2\n", "", 0}, vmrun("", "--dir", g+":/g", limitsProg(t, "nul")))
}

func TestDirIsReadOnlyByDefault(t *testing.T) {
	dir := t.TempDir()
	try := limitsProg(t, "try")
	// The same grant read-only, then read-write: only the second lets
	// the program create a file.
	assert.Equal(t, result{"open /d/f: error -13\n", "", 1}, vmrun("", "--dir", dir+":/d", try, "/d/f", wrCreatTrunc))
	assert.Equal(t, result{"write: 8\n", "", 0}, vmrun("", "--dir-rw", dir+":/d", try, "/d/f", wrCreatTrunc))
	assert.Equal(t, result{"written\n", "", 0}, vmrun("", "--dir", dir+":/d", try, "/d/f", rdOnly))
	// A read-only grant nested in a writable one (the longest guest
	// prefix serves a path) keeps its part read-only.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "ro"), 0o755))
	assert.Equal(t, result{"open /d/ro/f: error -13\n", "", 1},
		vmrun("", "--dir-rw", dir+":/d", "--dir", filepath.Join(dir, "ro")+":/d/ro", try, "/d/ro/f", wrCreatTrunc))
}
