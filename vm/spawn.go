package vm

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// System call numbers of the process calls (docs/syscalls.md).
const (
	SysSpawn  = 19 // spawn(path, argv, fds) -> pid
	SysWait   = 20 // wait(pid) -> exit status
	SysGetpid = 21 // getpid() -> pid
	SysPipe   = 22 // pipe(fds) -> 0; fds[0] = read end, fds[1] = write end
)

// Error numbers of the process calls.
const (
	ENOEXEC = 8  // the file is not a loadable image
	ECHILD  = 10 // no such child to wait for
	EAGAIN  = 11 // the host has as many processes as it may (Host.MaxProcs)
)

// maxSpawnArgs bounds the argv array spawn reads.
const maxSpawnArgs = 4096

// trapStatus is the status wait returns for a child that trapped (as
// vmrun's exit status).
const trapStatus = 134

// processSyscall serves system calls 19..22.
func (p *Process) processSyscall(num int64) int64 {
	r := &p.regs
	switch num {
	case SysSpawn:
		return p.sysSpawn(r[0], r[1], r[2])
	case SysWait:
		return p.sysWait(int64(r[0]))
	case SysGetpid:
		return int64(p.id)
	default: // SysPipe
		return p.sysPipe(r[0])
	}
}

// sysSpawn implements spawn(path, argv, fds).
func (p *Process) sysSpawn(pathAddr, argvAddr, fdsAddr uint64) int64 {
	h := p.files.host
	if h == nil || h.Load == nil {
		return -ENOSYS
	}
	path, errno := p.guestString(pathAddr)
	if errno != 0 {
		return -errno
	}
	var argv []string
	for i := uint64(0); argvAddr != 0; i++ {
		if i == maxSpawnArgs {
			return -EINVAL
		}
		a, ok := p.read64(argvAddr + 8*i)
		if !ok {
			return -EFAULT
		}
		if a == 0 {
			break
		}
		s, errno := p.guestString(a)
		if errno != 0 {
			return -errno
		}
		argv = append(argv, s)
	}
	h.mu.Lock()
	self := h.procs[p.id]
	h.mu.Unlock()
	if self == nil || self.proc != p {
		return -ENOSYS
	}
	if p.checkLoadPath(path) != nil {
		return -EACCES
	}
	cfg := self.cfg
	fds := [3]int64{0, 1, 2}
	for i := range fds { // what the caller closed, the child lacks
		if p.files.stdClosed[i] {
			fds[i] = -1
		}
	}
	if fdsAddr != 0 {
		for i := range fds {
			v, ok := p.read64(fdsAddr + 8*uint64(i))
			if !ok {
				return -EFAULT
			}
			fds[i] = int64(v)
		}
	}
	var streams [3]any
	for i, fd := range fds {
		s, errno := p.childStream(self, i, fd)
		if errno != 0 {
			return -errno
		}
		streams[i] = s
	}
	cfg.Stdin, _ = streams[0].(io.Reader)
	cfg.Stdout, _ = streams[1].(io.Writer)
	cfg.Stderr, _ = streams[2].(io.Writer)
	// The child writes to the same streams: what the parent wrote comes
	// first.
	p.out.flush()
	for _, s := range streams {
		if f, ok := s.(*os.File); ok {
			h.share(f)
		}
	}
	pid, err := h.spawn(p.id, path, argv, cfg, true)
	if err != nil {
		for _, s := range streams {
			h.releaseStream(s)
		}
		switch {
		case errors.Is(err, ErrTooManyProcesses):
			return -EAGAIN
		case errors.Is(err, ErrHostInterrupted):
			return -EINTR
		case errors.Is(err, fs.ErrNotExist):
			return -ENOENT
		case errors.Is(err, fs.ErrPermission):
			return -EACCES
		}
		return -ENOEXEC
	}
	return int64(pid)
}

// childStream returns what a child's standard stream slot (0 stdin,
// 1 stdout, 2 stderr) gets from the parent's fd: the parent's own
// standard stream, a host file, or nil for fd -1 (reads see end of file,
// writes are discarded).
func (p *Process) childStream(self *hostProc, slot int, fd int64) (any, int64) {
	switch {
	case fd == -1:
		return nil, 0
	case fd >= 0 && fd < 3:
		if p.files.stdClosed[fd] || (fd == 0) != (slot == 0) {
			return nil, EBADF
		}
		return [3]any{self.cfg.Stdin, self.cfg.Stdout, self.cfg.Stderr}[fd], 0
	}
	f := p.file(fd)
	if f == nil {
		return nil, EBADF
	}
	return f, 0
}

// sysWait implements wait(pid).
func (p *Process) sysWait(pid int64) int64 {
	h := p.files.host
	if h == nil || pid <= 0 || pid > int64(^uint32(0)>>1) {
		return -ECHILD
	}
	hp, errno := h.claim(p.id, int(pid))
	if errno != 0 {
		return -errno
	}
	// What this process wrote comes before what it writes after the wait.
	p.out.flush()
	select {
	case <-hp.done:
	case <-h.stopped():
		return -EINTR // the process ends before it sees it
	}
	h.forget(hp)
	var trap *Trap
	if errors.As(hp.err, &trap) {
		return trapStatus
	}
	return int64(hp.status & 0xff)
}

// sysPipe implements pipe(fds).
func (p *Process) sysPipe(addr uint64) int64 {
	b, ok := p.guestBytes(addr, 16, permW)
	if !ok {
		return -EFAULT
	}
	var fd [2]int
	fd[0] = p.files.free(3)
	if fd[0] < 0 {
		return -EMFILE
	}
	fd[1] = p.files.free(fd[0] + 1)
	if fd[1] < 0 {
		return -EMFILE
	}
	r, w, err := os.Pipe()
	if err != nil {
		return -EMFILE
	}
	if h := p.files.host; h != nil {
		h.track(r)
		h.track(w)
	}
	p.files.set(fd[0], r)
	p.files.set(fd[1], w)
	for i, v := range fd {
		for j := range 8 {
			b[8*i+j] = byte(uint64(v) >> (8 * j))
		}
	}
	return 0
}
