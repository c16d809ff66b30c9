package vm

import "linkvm/vm/hostlib"

// System calls reserved for libstd's helpers (docs/stdlib.md).
const (
	SysFlush    = 15 // flush(fd) -> 0, or -EBADF
	SysFmtFloat = 16 // fmtfloat(buf, len, bits, prec, spec, off) -> full length
	SysStrtod   = 17 // strtod(str, len) -> r0 = bits, r1 = bytes used
	SysMath     = 18 // math(fn, x, y) -> bits
)

// stdlibSyscall performs system calls 15..18; ok is false for other numbers.
func (p *Process) stdlibSyscall(num int64) (res int64, ok bool) {
	r := &p.regs
	switch num {
	case SysFlush:
		fd := int64(r[0])
		if fd != -1 && (fd < 1 || fd > 2) && p.file(fd) == nil {
			return -EBADF, true
		}
		if err := p.out.flush(); err != nil {
			return -EIO, true
		}
		return 0, true
	case SysFmtFloat:
		out, good := hostlib.FormatFloat(r[2], int64(r[3]), r[4])
		if !good {
			return -EINVAL, true
		}
		off := r[5]
		if off > uint64(len(out)) {
			off = uint64(len(out))
		}
		n := min(r[1], uint64(len(out))-off)
		if n > 0 {
			b, good := p.guestBytes(r[0], n, permW)
			if !good {
				return -EFAULT, true
			}
			copy(b, out[off:])
		}
		return int64(len(out)), true
	case SysStrtod:
		var s []byte
		if r[1] > 0 {
			b, good := p.guestBytes(r[0], r[1], permR)
			if !good {
				r[1] = 0
				return 0, true
			}
			s = b
		}
		bits, n := hostlib.Strtod(s)
		r[1] = uint64(n)
		return int64(bits), true
	case SysMath:
		bits, good := hostlib.Math(int64(r[0]), r[1], r[2])
		if !good {
			return -EINVAL, true
		}
		return int64(bits), true
	}
	return 0, false
}
