package vm

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sysCall returns a program that calls `sys num` with args in r0.. (each a
// number or a label, loaded with la) and halts with the result, followed
// by data (section directives and labels).
func sysCall(num int, args []string, data string) string {
	var b strings.Builder
	b.WriteString("\n_start:\n")
	for i, a := range args {
		if _, err := strconv.ParseInt(a, 0, 64); err == nil {
			fmt.Fprintf(&b, "\tli64 r%d, %s\n", i, a)
		} else {
			fmt.Fprintf(&b, "\tla r%d, %s\n", i, a)
		}
	}
	fmt.Fprintf(&b, "\tsys %d\n\thalt\n%s", num, data)
	return b.String()
}

func TestExit(t *testing.T) {
	for _, st := range []int{0, 1, 255, 300, -1} {
		res := runSrc(t, sysCall(SysExit, []string{strconv.Itoa(st)}, ""), Config{})
		require.NoError(t, res.err)
		assert.Equal(t, st, res.status)
	}
}

func TestWriteErrors(t *testing.T) {
	data := "\t.rodata\nmsg:\t.ascii \"hi\"\n"
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"stdout", []string{"1", "msg", "2"}, 2},
		{"stderr", []string{"2", "msg", "2"}, 2},
		{"zero length at null", []string{"1", "0", "0"}, 0},
		{"stdin", []string{"0", "msg", "2"}, -EBADF},
		{"negative fd", []string{"-1", "msg", "2"}, -EBADF},
		{"unopened fd", []string{"7", "msg", "2"}, -EBADF},
		{"huge fd", []string{"0x100000000", "msg", "2"}, -EBADF},
		{"null buffer", []string{"1", "0", "2"}, -EFAULT},
		{"past the end", []string{"1", "msg", "5000"}, -EFAULT},
		{"huge length", []string{"1", "msg", "-1"}, -EFAULT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, sysCall(SysWrite, tc.args, data), Config{})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
		})
	}
}

// logWriter records each host write as "name:data".
type logWriter struct {
	name string
	log  *[]string
}

func (w logWriter) Write(b []byte) (int, error) {
	*w.log = append(*w.log, w.name+":"+string(b))
	return len(b), nil
}

// logReader records each host read and returns its text once.
type logReader struct {
	log  *[]string
	text string
}

func (r *logReader) Read(b []byte) (int, error) {
	*r.log = append(*r.log, "read")
	if r.text == "" {
		return 0, io.EOF
	}
	n := copy(b, r.text)
	r.text = r.text[n:]
	return n, nil
}

// writeSrc writes the string s to fd with a sys 1.
func writeSrc(fd int, s string) string {
	lbl := fmt.Sprintf("s%d", len(s)*10+fd)
	return fmt.Sprintf("\tli r0, %d\n\tla r1, %s\n\tli r2, %d\n\tsys 1\n\t.rodata\n%s:\t.ascii %q\n\t.text\n", fd, lbl, len(s), lbl, s)
}

func TestOutputBufferingAndOrder(t *testing.T) {
	// Writes are buffered; switching streams flushes the other one first;
	// everything is flushed at exit.
	var log []string
	src := "\n_start:\n" + writeSrc(1, "a") + writeSrc(1, "bc") + writeSrc(2, "ERR") + writeSrc(1, "defg") + writeSrc(2, "E2xxx") + "\tli r0, 0\n\tsys 0\n"
	res := runSrc(t, src, Config{Stdout: logWriter{"out", &log}, Stderr: logWriter{"err", &log}})
	require.NoError(t, res.err)
	assert.Equal(t, []string{"out:abc", "err:ERR", "out:defg", "err:E2xxx"}, log)
}

func TestStdinReadFlushesOutput(t *testing.T) {
	var log []string
	src := "\n_start:\n" + writeSrc(1, "name? ") + `
	li r0, 0
	la r1, buf
	li r2, 16
	sys 2
	mov r20, r0
	li r0, 1
	la r1, buf
	mov r2, r20
	sys 1
	li r0, 0
	la r1, buf
	li r2, 16
	sys 2          # EOF: 0
	muli r0, r0, 100
	add r0, r0, r20
	halt
	.bss
buf:	.zero 16`
	res := runSrc(t, src, Config{Stdin: &logReader{log: &log, text: "bob\n"}, Stdout: logWriter{"out", &log}})
	require.NoError(t, res.err)
	assert.Equal(t, 4, res.status)
	assert.Equal(t, []string{"out:name? ", "read", "out:bob\n", "read"}, log)
}

func TestReadErrors(t *testing.T) {
	data := "\t.rodata\nro:\t.quad 0\n\t.bss\nbuf:\t.zero 8\n"
	for _, tc := range []struct {
		name  string
		args  []string
		stdin io.Reader
		want  int
	}{
		{"no stdin", []string{"0", "buf", "8"}, nil, 0},
		{"stdout", []string{"1", "buf", "8"}, nil, -EBADF},
		{"read-only buffer", []string{"0", "ro", "8"}, strings.NewReader("x"), -EFAULT},
		{"code buffer", []string{"0", "_start", "8"}, strings.NewReader("x"), -EFAULT},
		{"short read", []string{"0", "buf", "8"}, strings.NewReader("xyz"), 3},
		{"limited by len", []string{"0", "buf", "2"}, strings.NewReader("xyz"), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, sysCall(SysRead, tc.args, data), Config{Stdin: tc.stdin})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
		})
	}
}

func TestCloseStandardStreams(t *testing.T) {
	res := runSrc(t, `
_start:	li r0, 1
	sys 4
	mov r20, r0     # 0
	li r0, 1
	sys 4
	mov r21, r0     # -EBADF
	li r0, 1
	la r1, _start
	li r2, 1
	sys 1           # -EBADF
	add r0, r0, r21
	add r0, r0, r20
	halt`, Config{})
	require.NoError(t, res.err)
	assert.Equal(t, -2*EBADF, res.status)
}

func TestArgcArgv(t *testing.T) {
	cfg := Config{Args: []string{"prog", "hello", ""}}
	res := runSrc(t, sysCall(SysArgc, nil, ""), cfg)
	assert.Equal(t, 3, res.status)

	src := `
_start:	li r0, 1
	la r1, buf
	li r2, 3
	sys 8            # argv(1, buf, 3): 5, copies "hel"
	mov r20, r0
	la r1, buf
	ld64 r2, [r1]
	li64 r3, 0x58000000006c6568     # "hel", then the untouched zeros and 'X'
	bne r2, r3, .bad
	li r0, 2
	li r1, 0
	li r2, 0
	sys 8            # argv(2, 0, 0): 0
	add r20, r20, r0
	li r0, 0
	la r1, buf
	li r2, 100
	sys 8            # argv(0, buf, 100): 4
	add r0, r20, r0
	halt
.bad:	li r0, -1
	halt
	.data
buf:	.quad 0x5800000000000000`
	res = runSrc(t, src, cfg)
	require.NoError(t, res.err)
	assert.Equal(t, 5+0+4, res.status)

	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"3", "0", "0"}, -EINVAL},
		{[]string{"-1", "0", "0"}, -EINVAL},
		{[]string{"1", "0", "4"}, -EFAULT},
		{[]string{"1", "_start", "4"}, -EFAULT},
		{[]string{"1", "0", "0"}, 5},
	} {
		res := runSrc(t, sysCall(SysArgv, tc.args, ""), cfg)
		assert.Equal(t, tc.want, res.status, "argv(%v)", tc.args)
	}
}

func TestClock(t *testing.T) {
	before := time.Now().UnixNano()
	res := runSrc(t, sysCall(SysClock, []string{"0"}, ""), Config{})
	after := time.Now().UnixNano()
	assert.GreaterOrEqual(t, int64(res.status), before)
	assert.LessOrEqual(t, int64(res.status), after)

	res = runSrc(t, sysCall(SysClock, []string{"1"}, ""), Config{})
	assert.GreaterOrEqual(t, res.status, 0)
	assert.Less(t, res.status, int(time.Minute))

	res = runSrc(t, sysCall(SysClock, []string{"2"}, ""), Config{})
	assert.Equal(t, -EINVAL, res.status)
}

func TestBrkSbrk(t *testing.T) {
	// .text is one page, .data is 8 bytes at 0x11000 and .bss 8 bytes at
	// 0x12000: the heap starts at 0x13000.
	src := `
_start:	li r0, 0
	sys 5              # brk(0) = 0x13000
	mov r20, r0
	li r0, 4096
	sys 6              # sbrk(4096) = 0x13000, break 0x14000
	mov r21, r0
	li r1, 77
	st64 r1, [r21 + 4088]
	ld64 r22, [r21 + 4088]
	li64 r0, 0x13008
	sys 5              # shrink: break 0x13008
	li64 r0, 0x14000
	sys 5              # grow again: zeros
	ld64 r23, [r21 + 4088]
	li r0, -8
	sys 6              # sbrk(-8) = 0x14000
	mov r24, r0
	li r0, 0
	sys 5
	mov r25, r0        # 0x13ff8
	li64 r0, 0x12000
	sys 5              # below the heap: unchanged
	mov r26, r0
	li64 r0, 0x40000000
	sys 5              # beyond the limit: unchanged
	mov r27, r0
	li64 r0, 0x40000000
	sys 6              # -ENOMEM
	mov r19, r0
	li64 r0, -0x10000
	sys 6              # below the start: -ENOMEM
	mov r18, r0
	halt
	.data
	.quad 1
	.bss
	.zero 8`
	p, err := Load(assemble(t, src), "t.img", Config{HeapLimit: 1 << 20})
	require.NoError(t, err)
	_, err = p.Run()
	require.NoError(t, err)
	r := p.regs
	assert.Equal(t, []uint64{0x13000, 0x13000, 77, 0, 0x14000, 0x13ff8, 0x13ff8, 0x13ff8, neg(ENOMEM), neg(ENOMEM)},
		[]uint64{r[20], r[21], r[22], r[23], r[24], r[25], r[26], r[27], r[19], r[18]})
}

func TestHeapAccessBeyondBreakFaults(t *testing.T) {
	res := runSrc(t, `
_start:	li r0, 16
	sys 6
	ld64 r1, [r0 + 8]
	ld64 r1, [r0 + 16]`, Config{})
	assert.EqualError(t, res.err, "trap: memory fault: read at 0x11010 (unmapped) at _start+0x18 (t.s:5)")
}

func TestHeapLimitStopsBelowStack(t *testing.T) {
	p, err := Load(assemble(t, "\n_start:\thalt"), "t.img", Config{HeapLimit: 1 << 40})
	require.NoError(t, err)
	assert.Equal(t, uint64(StackTop-DefaultStackSize-StackGuard), p.heapMax)
	assert.Equal(t, uint64(0x11000), p.heap.base)
}

// fileTest is a program that opens path (a string in .rodata) with flags,
// then writes or reads through the fd, closes it, and halts with the open's
// result (negative errno) or with the number of bytes transferred.
func openSrc(path string, flags int, body string) string {
	return fmt.Sprintf(`
_start:	la r0, path
	li r1, %d
	li r2, 0x1a4
	sys 3
	li r9, 0
	bge r0, r9, .open
	halt                   # with -errno
.open:	mov r20, r0
%s
	mov r21, r0
	mov r0, r20
	sys 4
	add r0, r0, r21
	halt
	.rodata
path:	.asciz %q
text:	.ascii "written by the guest\n"
	.bss
buf:	.zero 64`, flags, body, path)
}

const readBody = `
	mov r0, r20
	la r1, buf
	li r2, 64
	sys 2
	mov r22, r0
	li r0, 1
	la r1, buf
	mov r2, r22
	sys 1
	mov r0, r22`

const writeBody = `
	mov r0, r20
	la r1, text
	li r2, 21
	sys 1`

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "in.txt"), []byte("file contents\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("secret\n"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "link")))
	require.NoError(t, os.Symlink("../"+filepath.Base(outside), filepath.Join(dir, "dirlink")))
	require.NoError(t, os.Symlink("in.txt", filepath.Join(dir, "goodlink")))
	grants := []DirGrant{{Host: dir, Guest: "/data"}}
	ro := []DirGrant{{Host: dir, Guest: "/data", ReadOnly: true}}

	for _, tc := range []struct {
		name   string
		path   string
		flags  int
		body   string
		grants []DirGrant
		want   int
		stdout string
	}{
		{"read", "/data/in.txt", oRdOnly, readBody, grants, 14, "file contents\n"},
		{"read through a symlink inside", "/data/goodlink", oRdOnly, readBody, grants, 14, "file contents\n"},
		{"read unclean path", "/data//sub/../in.txt", oRdOnly, readBody, grants, 14, "file contents\n"},
		{"relative path, root grant", "in.txt", oRdOnly, readBody, []DirGrant{{Host: dir}}, 14, "file contents\n"},
		{"read-only grant reads", "/data/in.txt", oRdOnly, readBody, ro, 14, "file contents\n"},
		{"read a directory", "/data/sub", oRdOnly, readBody, grants, -EISDIR, ""},
		{"write to a read-only fd", "/data/in.txt", oRdOnly, writeBody, grants, -EBADF, ""},
		{"create", "/data/new.txt", oWrOnly | oCreat | oTrunc, writeBody, grants, 21, ""},
		{"missing", "/data/nope.txt", oRdOnly, readBody, grants, -ENOENT, ""},
		{"missing dir", "/data/nope/x", oWrOnly | oCreat, writeBody, grants, -ENOENT, ""},
		{"no grant", "/etc/passwd", oRdOnly, readBody, grants, -EACCES, ""},
		{"no grants at all", "/data/in.txt", oRdOnly, readBody, nil, -EACCES, ""},
		{"dotdot out of the grant", "/data/../" + filepath.Base(outside) + "/secret", oRdOnly, readBody, grants, -EACCES, ""},
		{"dotdot above root", "/../../data/in.txt", oRdOnly, readBody, grants, 14, "file contents\n"},
		{"host absolute path", filepath.Join(outside, "secret"), oRdOnly, readBody, grants, -EACCES, ""},
		{"symlink out of the grant", "/data/link", oRdOnly, readBody, grants, -EACCES, ""},
		{"dir symlink out of the grant", "/data/dirlink/secret", oRdOnly, readBody, grants, -EACCES, ""},
		{"grant prefix is a whole component", "/database/in.txt", oRdOnly, readBody, grants, -EACCES, ""},
		{"read-only grant refuses writes", "/data/in.txt", oRdWr, writeBody, ro, -EACCES, ""},
		{"read-only grant refuses create", "/data/new2.txt", oRdOnly | oCreat, writeBody, ro, -EACCES, ""},
		{"bad flags", "/data/in.txt", 0x80, readBody, grants, -EINVAL, ""},
		{"bad access mode", "/data/in.txt", 3, readBody, grants, -EINVAL, ""},
		{"empty path", "", oRdOnly, readBody, grants, -ENOENT, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, openSrc(tc.path, tc.flags, tc.body), Config{Dirs: tc.grants})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
			assert.Equal(t, tc.stdout, res.stdout)
		})
	}
	b, err := os.ReadFile(filepath.Join(dir, "new.txt"))
	require.NoError(t, err)
	assert.Equal(t, "written by the guest\n", string(b))
	_, err = os.Stat(filepath.Join(dir, "new2.txt"))
	assert.True(t, os.IsNotExist(err))
}

func TestAppendAndTooManyFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "log"), []byte("one\n"), 0o644))
	res := runSrc(t, openSrc("/log", oWrOnly|oAppend, writeBody), Config{Dirs: []DirGrant{{Host: dir, Guest: "/"}}})
	require.NoError(t, res.err)
	b, err := os.ReadFile(filepath.Join(dir, "log"))
	require.NoError(t, err)
	assert.Equal(t, "one\nwritten by the guest\n", string(b))

	// Opening without closing: fds 3..63, then -EMFILE.
	res = runSrc(t, `
_start:	li r20, 0
.loop:	la r0, path
	li r1, 0
	li r2, 0
	sys 3
	blt r0, r20, .done
	mov r21, r0
	addi r20, r20, 1
	jmp .loop
.done:	shli r21, r21, 8
	sub r0, r21, r0
	halt
	.rodata
path:	.asciz "/log"`, Config{Dirs: []DirGrant{{Host: dir}}})
	require.NoError(t, res.err)
	assert.Equal(t, 63<<8+EMFILE, res.status)
}

func TestOpenPathErrors(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", maxPath+1)
	for _, tc := range []struct {
		name string
		src  string
		want int
	}{
		{"null path", sysCall(SysOpen, []string{"0", "0", "0"}, ""), -EFAULT},
		{"unterminated", sysCall(SysOpen, []string{"p", "0", "0"}, "\t.rodata\np:\t.ascii \"abc\"\n"), -EFAULT},
		{"too long", sysCall(SysOpen, []string{"p", "0", "0"}, "\t.rodata\np:\t.asciz \""+long+"\"\n"), -EINVAL},
		{"close bad fd", sysCall(SysClose, []string{"9"}, ""), -EBADF},
		{"close negative fd", sysCall(SysClose, []string{"-3"}, ""), -EBADF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSrc(t, tc.src, Config{Dirs: []DirGrant{{Host: dir}}})
			require.NoError(t, res.err)
			assert.Equal(t, tc.want, res.status)
		})
	}
}
