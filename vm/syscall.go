package vm

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// System call numbers (`sys N`). They are part of the ABI and stable.
const (
	SysExit  = 0 // exit(status)
	SysWrite = 1 // write(fd, buf, len) -> bytes written
	SysRead  = 2 // read(fd, buf, len) -> bytes read, 0 at end of file
	SysOpen  = 3 // open(path, flags, mode) -> fd
	SysClose = 4 // close(fd) -> 0
	SysBrk   = 5 // brk(addr) -> the break after the call
	SysSbrk  = 6 // sbrk(incr) -> the old break
	SysArgc  = 7 // argc() -> argc
	SysArgv  = 8 // argv(i, buf, len) -> length of argument i
	SysClock = 9 // clock(id) -> nanoseconds
)

// Error numbers returned (negated) in r0 by system calls: the Linux values.
const (
	EPERM  = 1  // operation not permitted (reserved)
	ENOENT = 2  // no such file or directory
	EIO    = 5  // input/output error on the host
	EBADF  = 9  // bad file descriptor
	ENOMEM = 12 // out of memory (the heap cannot move there)
	EACCES = 13 // permission denied (no granted directory covers the path)
	EFAULT = 14 // a buffer or string is not in mapped memory with the needed rights
	EEXIST = 17 // file exists
	EISDIR = 21 // is a directory
	EINVAL = 22 // invalid argument
	EMFILE = 24 // too many open files
	ENOSYS = 38 // function not implemented (reserved)
)

// syscall performs system call num for the `sys` instruction at pc, with
// arguments in r0..r5 and the result in r0. It returns errExit when the
// program exits and a *Trap for an unknown number. On entry p.pc is the
// address of the next instruction; a call may change it (bind) or the
// address space (dlopen, dlclose), and the interpreter reloads both.
func (p *Process) syscall(pc uint64, num int64) error {
	r := &p.regs
	var res int64
	switch num {
	case SysExit:
		p.status = int(int64(r[0]))
		return errExit
	case SysWrite:
		res = p.sysWrite(int64(r[0]), r[1], r[2])
	case SysRead:
		res = p.sysRead(int64(r[0]), r[1], r[2])
	case SysOpen:
		s, errno := p.guestString(r[0])
		if errno != 0 {
			res = -errno
		} else {
			res = p.openFile(s, r[1], r[2])
		}
	case SysClose:
		res = p.closeFD(int64(r[0]))
	case SysBrk:
		res = int64(p.brk(r[0]))
	case SysSbrk:
		res = p.sbrk(int64(r[0]))
	case SysArgc:
		res = int64(len(p.args))
	case SysArgv:
		res = p.sysArgv(int64(r[0]), r[1], r[2])
	case SysClock:
		switch r[0] {
		case 0:
			res = time.Now().UnixNano()
		case 1:
			res = int64(time.Since(p.start))
		default:
			res = -EINVAL
		}
	case SysDlopen, SysDlsym, SysDlclose, SysDlerror, SysBind:
		v, set, err := p.dlSyscall(pc, num)
		if err != nil || !set {
			return err
		}
		res = v
	case SysFlush, SysFmtFloat, SysStrtod, SysMath:
		res, _ = p.stdlibSyscall(num)
	case SysSpawn, SysWait, SysGetpid, SysPipe:
		res = p.processSyscall(num)
	default:
		return &Trap{Kind: ErrBadSyscall, PC: pc, Code: num, Msg: fmt.Sprintf("bad system call %d", num)}
	}
	r[0] = uint64(res)
	return nil
}

// sysWrite implements write(fd, buf, n).
func (p *Process) sysWrite(fd int64, buf, n uint64) int64 {
	f := p.file(fd)
	if f == nil && (fd < 1 || fd > 2 || p.files.stdClosed[fd]) {
		return -EBADF
	}
	b, ok := p.guestBytes(buf, n, permR)
	if !ok {
		if n != 0 {
			return -EFAULT
		}
		b = nil
	}
	if f != nil {
		m, err := f.Write(b)
		if err != nil && m == 0 {
			return -ioErrno(err)
		}
		return int64(m)
	}
	if _, err := p.out.write(fd, b); err != nil {
		return -EIO
	}
	return int64(len(b))
}

// sysRead implements read(fd, buf, n). Reading stdin first flushes the
// program's output, so prompts appear before the program waits.
func (p *Process) sysRead(fd int64, buf, n uint64) int64 {
	f := p.file(fd)
	if f == nil && (fd != 0 || p.files.stdClosed[0]) {
		return -EBADF
	}
	b, ok := p.guestBytes(buf, n, permW)
	if !ok {
		if n != 0 {
			return -EFAULT
		}
		b = nil
	}
	if f != nil {
		m, err := f.Read(b)
		if err != nil && err != io.EOF {
			return -ioErrno(err)
		}
		return int64(m)
	}
	if err := p.out.flush(); err != nil {
		return -EIO
	}
	if p.stdin == nil || len(b) == 0 {
		return 0
	}
	// An io.Reader may return 0, nil; retry a few times before giving up.
	for range 100 {
		m, err := p.stdin.Read(b)
		if m > 0 {
			return int64(m)
		}
		if err == io.EOF {
			return 0
		}
		if err != nil {
			return -ioErrno(err)
		}
	}
	return 0
}

// sysArgv implements argv(i, buf, n).
func (p *Process) sysArgv(i int64, buf, n uint64) int64 {
	if i < 0 || i >= int64(len(p.args)) {
		return -EINVAL
	}
	a := p.args[i]
	m := min(n, uint64(len(a)))
	if m > 0 {
		b, ok := p.guestBytes(buf, m, permW)
		if !ok {
			return -EFAULT
		}
		copy(b, a)
	}
	return int64(len(a))
}

// guestString reads the NUL-terminated string at addr (at most maxPath
// bytes before the NUL).
func (p *Process) guestString(addr uint64) (string, int64) {
	s := p.as.find(addr)
	if s == nil {
		return "", EFAULT
	}
	b := s.data[addr-s.base:]
	if len(b) > maxPath+1 {
		b = b[:maxPath+1]
	}
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		if len(b) > maxPath {
			return "", EINVAL
		}
		return "", EFAULT
	}
	return string(b[:i]), 0
}

// brk implements brk(addr): it moves the break to addr if it can and
// returns the break after the call.
func (p *Process) brk(addr uint64) uint64 {
	if addr != 0 && addr >= p.heap.base && addr <= p.heapMax && p.heapFits(addr) {
		p.setBreak(addr)
	}
	return p.heap.end
}

// sbrk implements sbrk(incr): it returns the old break or -ENOMEM.
func (p *Process) sbrk(incr int64) int64 {
	old := p.heap.end
	nb := old + uint64(incr)
	if (incr > 0 && (nb < old || nb > p.heapMax || !p.heapFits(nb))) || (incr < 0 && (nb > old || nb < p.heap.base)) {
		return -ENOMEM
	}
	p.setBreak(nb)
	return int64(old)
}

// setBreak resizes the heap segment to end at nb. Memory given back is
// zeroed, so that growing again yields zeros.
func (p *Process) setBreak(nb uint64) {
	h := p.heap
	size := nb - h.base
	switch {
	case size <= uint64(len(h.data)):
		clear(h.data[size:])
		h.data = h.data[:size]
	case size <= uint64(cap(h.data)):
		h.data = h.data[:size]
	default:
		c := max(size, 2*uint64(cap(h.data)), 64<<10)
		c = min(c, p.heapMax-h.base, max(size, p.heapRoom())) // never more host memory than the limit
		d := make([]byte, size, c)
		copy(d, h.data)
		h.data = d
	}
	h.end = nb
}
