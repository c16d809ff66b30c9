package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/toolstest"
	"linkvm/stdlib"
)

// waiterSource is a program that calls libstd's puts, says "ready NAME"
// with a write system call, then reads standard input until end of file
// (blocking while the pipe is open) and exits 0.
func waiterSource(name string) string {
	return fmt.Sprintf(`
	.text
	.global main
main:	enter 16
	la    r0, hello
	call  puts
	li    r0, 1
	la    r1, ready
	li    r2, ready_len
	sys   1
loop:	li    r0, 0
	la    r1, buf
	li    r2, 64
	sys   2
	bnez  r0, loop
	li    r0, 0
	leave
	ret
	.rodata
hello:	.asciz "hello from %[1]s"
ready:	.ascii "ready %[1]s\n"
	.equ  ready_len, . - ready
	.bss
buf:	.space 64
`, name)
}

// smapsEntry is one mapping of /proc/PID/smaps.
type smapsEntry struct {
	perms       string
	inode       uint64
	path        string
	sharedClean uint64 // kB
	rss         uint64 // kB
}

// readSmaps parses /proc/pid/smaps.
func readSmaps(t *testing.T, pid int) []smapsEntry {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	require.NoError(t, err)
	var out []smapsEntry
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			e := smapsEntry{perms: f[1]}
			e.inode, _ = strconv.ParseUint(f[4], 10, 64)
			if len(f) >= 6 {
				e.path = strings.Join(f[5:], " ")
			}
			out = append(out, e)
			continue
		}
		if len(out) == 0 || len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "Shared_Clean:":
			out[len(out)-1].sharedClean = n
		case "Rss:":
			out[len(out)-1].rss = n
		}
	}
	return out
}

// TestModuleSharedAcrossOSProcesses runs two different programs linked
// against libstd.vso as two vmrun OS processes and checks, while both
// block reading standard input, that each maps libstd.vso from the file,
// read-only and shared, and that its pages are shared between them.
func TestModuleSharedAcrossOSProcesses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/smaps, which only Linux has")
	}
	if testing.Short() {
		t.Skip("builds the tools")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, toolstest.Build(bin, "vmas", "vmld", "vmrun"))
	lib := filepath.Join(dir, "lib")
	require.NoError(t, os.Mkdir(lib, 0o755))
	require.NoError(t, stdlib.Install(lib))
	libstd, err := filepath.EvalSymlinks(filepath.Join(lib, stdlib.SharedName))
	require.NoError(t, err)
	env := append(os.Environ(), "VM_LIBRARY_PATH="+lib, "VM_PRELOAD=", "VM_DEBUG=")

	tool := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %v: %s", name, args, out)
	}
	// alpha and beta use libstd.vso; gamma is linked statically.
	names := []string{"alpha", "beta", "gamma"}
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n+".s"), []byte(waiterSource(n)), 0o644))
		tool("vmas", "-o", n+".vo", n+".s")
		if n == "gamma" {
			tool("vmld", "-static", "-o", n+".img", n+".vo", "-lstd")
		} else {
			tool("vmld", "-o", n+".img", n+".vo", "-lstd")
		}
	}

	type proc struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		out   *bufio.Reader
		seen  string // output before "ready"
	}
	var procs []*proc
	for _, n := range names {
		cmd := exec.Command(filepath.Join(bin, "vmrun"), n+".img")
		cmd.Dir, cmd.Env = dir, env
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		require.NoError(t, err)
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		p := &proc{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
		procs = append(procs, p)
		t.Cleanup(func() {
			if p.cmd.ProcessState == nil { // still running after a failure
				_ = p.cmd.Process.Kill()
				_ = p.cmd.Wait()
			}
		})
	}
	// Both have loaded and run libstd code, and now block reading stdin.
	for i, p := range procs {
		for {
			line, err := p.out.ReadString('\n')
			require.NoError(t, err, "%s did not say ready", names[i])
			if line == "ready "+names[i]+"\n" {
				break
			}
			p.seen += line
		}
	}

	sharedClean := uint64(0)
	for i, p := range procs {
		var mine, img []smapsEntry
		imgPath, err := filepath.EvalSymlinks(filepath.Join(dir, names[i]+".img"))
		require.NoError(t, err)
		for _, e := range readSmaps(t, p.cmd.Process.Pid) {
			switch e.path {
			case libstd:
				mine = append(mine, e)
			case imgPath:
				img = append(img, e)
			}
		}
		// The executable image, static or dynamic, is mapped from its
		// file too.
		require.NotEmpty(t, img, "%s maps %s", names[i], imgPath)
		for _, e := range img {
			assert.NotZero(t, e.inode, "%s: the image mapping is file-backed", names[i])
			assert.Equal(t, "r--s", e.perms, "%s: the image is mapped read-only, shared", names[i])
		}
		if names[i] == "gamma" {
			assert.Empty(t, mine, "the static program does not load libstd.vso")
			continue
		}
		require.NotEmpty(t, mine, "%s maps %s", names[i], libstd)
		for _, e := range mine {
			assert.NotZero(t, e.inode, "%s: the mapping is file-backed, not anonymous", names[i])
			assert.Equal(t, "r--s", e.perms, "%s: read-only, shared", names[i])
			assert.NotZero(t, e.rss, "%s: pages of the module are resident", names[i])
			sharedClean += e.sharedClean
		}
	}
	assert.NotZero(t, sharedClean, "libstd.vso's pages are shared between the two processes")

	for i, p := range procs {
		require.NoError(t, p.stdin.Close())
		rest, err := io.ReadAll(p.out)
		require.NoError(t, err)
		require.NoError(t, p.cmd.Wait(), names[i])
		assert.Equal(t, 0, p.cmd.ProcessState.ExitCode())
		assert.Equal(t, "hello from "+names[i]+"\n", p.seen+string(rest), names[i])
	}
}
