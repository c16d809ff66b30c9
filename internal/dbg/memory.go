package dbg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"linkvm/vm"
)

// The x command: memory as a hex and ASCII dump, words, strings or
// instructions.

// xState is what x remembers for a bare x: where the last one stopped,
// and its format.
type xState struct {
	next   uint64
	format byte // 'x' (bytes, hex and ASCII), 'X' (words in hex), 'd', 'u', 's', 'i'
	size   int  // bytes per word, for 'X', 'd', 'u'
	count  int
	valid  bool
}

// cmdExamine is x[/NFU] [ADDRESS]: N units (default: 16 bytes, or 1 of
// the others) of format F (x, d, u, s, i) and size U (b, h, w, g).
func (s *Session) cmdExamine(args string) error {
	st := xState{format: 'x', count: 16}
	if s.lastX.valid {
		st = s.lastX
	}
	if rest, ok := strings.CutPrefix(args, "/"); ok {
		spec, addr, _ := strings.Cut(rest, " ")
		var err error
		if st, err = parseXFormat(spec); err != nil {
			return err
		}
		args = strings.TrimSpace(addr)
	}
	p, err := s.alive()
	if err != nil {
		return err
	}
	addr := st.next
	if args != "" {
		n, err := parseExpr(args)
		if err != nil {
			return err
		}
		if addr, err = n.eval(s.env()); err != nil {
			return err
		}
	} else if !s.lastX.valid {
		return errors.New("x needs an address")
	}
	var next uint64
	switch st.format {
	case 'x':
		next, err = s.hexDump(p, addr, st.count)
	case 's':
		next, err = s.strings(p, addr, st.count)
	case 'i':
		next, err = s.instructions(p, addr, st.count)
	default:
		next, err = s.words(p, addr, st)
	}
	st.next, st.valid = next, true
	s.lastX = st
	return err
}

// parseXFormat parses x's /NFU.
func parseXFormat(spec string) (xState, error) {
	st := xState{format: 'x'}
	i := 0
	for i < len(spec) && spec[i] >= '0' && spec[i] <= '9' {
		i++
	}
	if i > 0 {
		n, err := strconv.Atoi(spec[:i])
		if err != nil || n < 1 || n > 1<<16 {
			return st, fmt.Errorf("x/%s: the count must be from 1 to 65536", spec)
		}
		st.count = n
	}
	format := byte(0)
	for _, c := range []byte(spec[i:]) {
		switch c {
		case 'x', 'd', 'u', 's', 'i':
			format = c
		case 'b', 'h', 'w', 'g':
			st.size = map[byte]int{'b': 1, 'h': 2, 'w': 4, 'g': 8}[c]
		default:
			return st, fmt.Errorf("x/%s: unknown format letter %c (formats x d u s i, sizes b h w g)", spec, c)
		}
	}
	switch {
	case format == 's' || format == 'i':
		st.format, st.size = format, 0
	case format == 'x' && st.size == 0 || format == 0 && st.size == 0:
		st.format = 'x'
	case format == 'd' || format == 'u':
		st.format = format
	default:
		st.format = 'X' // hex words of a size given
	}
	if st.size == 0 && (st.format == 'd' || st.format == 'u') {
		st.size = 8
	}
	if st.count == 0 {
		st.count = 1
		if st.format == 'x' {
			st.count = 16
		}
	}
	return st, nil
}

// read reads what it can of [addr, addr+n): fewer bytes and the error
// when memory ends or is not readable.
func read(p *vm.Process, addr uint64, n int) ([]byte, error) {
	b := make([]byte, n)
	if err := p.ReadMemory(addr, b); err == nil {
		return b, nil
	}
	for i := range b {
		if err := p.ReadMemory(addr+uint64(i), b[i:i+1]); err != nil {
			return b[:i], fmt.Errorf("cannot read memory at %#x: %v", addr+uint64(i), err)
		}
	}
	return b, nil
}

// lineHead starts a line of x: "0x11000 <msg>:".
func (s *Session) lineHead(addr uint64) string {
	if l := s.syms.label(addr); l != "" {
		return fmt.Sprintf("%#x <%s>:", addr, l)
	}
	return fmt.Sprintf("%#x:", addr)
}

// hexDump prints n bytes from addr, 16 a line, in hex and as ASCII.
func (s *Session) hexDump(p *vm.Process, addr uint64, n int) (uint64, error) {
	for n > 0 {
		row := min(n, 16)
		b, err := read(p, addr, row)
		if len(b) > 0 {
			var hex, ascii strings.Builder
			for i := range 16 {
				if i == 8 {
					hex.WriteByte(' ')
				}
				if i < len(b) {
					fmt.Fprintf(&hex, "%02x ", b[i])
					if b[i] >= ' ' && b[i] <= '~' {
						ascii.WriteByte(b[i])
					} else {
						ascii.WriteByte('.')
					}
				} else {
					hex.WriteString("   ")
				}
			}
			s.printf("%s\t%s |%s|\n", s.lineHead(addr), hex.String(), ascii.String())
		}
		addr += uint64(len(b))
		n -= len(b)
		if err != nil {
			return addr, err
		}
	}
	return addr, nil
}

// words prints st.count words of st.size bytes from addr, in hex
// (format 'X') or decimal, 16 bytes' worth a line.
func (s *Session) words(p *vm.Process, addr uint64, st xState) (uint64, error) {
	perLine := max(16/st.size, 1)
	if st.size == 1 {
		perLine = 8
	}
	for i := 0; i < st.count; i += perLine {
		var line strings.Builder
		line.WriteString(s.lineHead(addr))
		start := addr
		for j := 0; j < perLine && i+j < st.count; j++ {
			b, err := read(p, addr, st.size)
			if err != nil {
				if line.Len() > len(s.lineHead(start)) {
					s.printf("%s\n", line.String())
				}
				return addr, err
			}
			var buf [8]byte
			copy(buf[:], b)
			v := binary.LittleEndian.Uint64(buf[:])
			switch st.format {
			case 'd':
				shift := uint(64 - 8*st.size)
				fmt.Fprintf(&line, "\t%d", int64(v<<shift)>>shift)
			case 'u':
				fmt.Fprintf(&line, "\t%d", v)
			default:
				fmt.Fprintf(&line, "\t0x%0*x", 2*st.size, v)
			}
			addr += uint64(st.size)
		}
		s.printf("%s\n", line.String())
	}
	return addr, nil
}

// maxString is the longest string x/s shows.
const maxString = 4096

// strings prints n NUL-terminated strings from addr.
func (s *Session) strings(p *vm.Process, addr uint64, n int) (uint64, error) {
	for range n {
		str, err := p.ReadString(addr, maxString)
		if err != nil {
			return addr, fmt.Errorf("cannot read a string at %#x: %v", addr, err)
		}
		s.printf("%s\t%q\n", s.lineHead(addr), str)
		addr += uint64(len(str)) + 1
	}
	return addr, nil
}

// instructions prints n instructions from addr, marking pc.
func (s *Session) instructions(p *vm.Process, addr uint64, n int) (uint64, error) {
	for range n {
		sec := s.syms.section(addr)
		if sec == nil || !sec.exec || addr%8 != 0 {
			return addr, fmt.Errorf("no instruction at %#x", addr)
		}
		mark := "   "
		if addr == p.PC() {
			mark = "=> "
		}
		line, size := s.disasmLine(addr)
		s.printf("%s%s\n", mark, line)
		addr += size
	}
	return addr, nil
}
