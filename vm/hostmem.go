package vm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The host's access to guest memory (for a dynamic loader: reading and
// patching GOT slots, reading names). Errors say what a guest access would
// have trapped with.

// Read64 reads the little-endian 8 bytes at addr, which must lie in one
// readable mapped region.
func (p *Process) Read64(addr uint64) (uint64, error) {
	b, err := p.hostBytes(addr, 8, permR)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// Write64 writes v as 8 little-endian bytes at addr, which must lie in
// one writable region: a module's writable data (such as its GOT), the
// heap or the stack. Code and read-only data, which processes share, are
// never written.
func (p *Process) Write64(addr uint64, v uint64) error {
	b, err := p.hostBytes(addr, 8, permW)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(b, v)
	return nil
}

// ReadString reads the NUL-terminated string at addr, of at most max
// bytes before the NUL, from one readable mapped region.
func (p *Process) ReadString(addr uint64, max int) (string, error) {
	s := p.as.find(addr)
	if s == nil || s.perm&permR == 0 {
		return "", errors.New(p.memTrap(0, addr, 1, permR, s).Msg)
	}
	b := s.data[addr-s.base:]
	if max >= 0 && len(b) > max+1 {
		b = b[:max+1]
	}
	i := bytes.IndexByte(b, 0)
	switch {
	case i >= 0:
		return string(b[:i]), nil
	case max >= 0 && len(b) > max:
		return "", fmt.Errorf("string at %#x is longer than %d bytes", addr, max)
	}
	return "", fmt.Errorf("string at %#x runs past the end of %s", addr, s)
}

// hostBytes returns guest memory [addr, addr+n) if it lies in one region
// with rights want, else an error with the message of the trap a guest
// access would cause.
func (p *Process) hostBytes(addr, n uint64, want perm) ([]byte, error) {
	if b, ok := p.guestBytes(addr, n, want); ok {
		return b, nil
	}
	return nil, errors.New(p.memTrap(0, addr, n, want, p.as.find(addr)).Msg)
}
