package stdlib

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// memoryWant computes what testdata/memory.s prints, with Go's copy as
// the reference.
func memoryWant() string {
	var b strings.Builder
	fill := func() []byte {
		buf := make([]byte, 96)
		for i := range 48 {
			buf[i] = byte(i + 1)
			buf[48+i] = byte(0x80 + i)
		}
		return buf
	}
	ops := []struct {
		name string
		op   func(buf []byte, d, s, n int)
	}{
		{"memmove", func(buf []byte, d, s, n int) { copy(buf[d:d+n], buf[s:s+n]) }},
		{"memcpy", func(buf []byte, d, s, n int) { copy(buf[48+d:48+d+n], buf[s:s+n]) }},
		{"memset", func(buf []byte, d, s, n int) {
			for i := range n {
				buf[d+i] = byte(s * 17)
			}
		}},
	}
	for _, o := range ops {
		b.WriteString(o.name + "\n")
		for n := range 25 {
			var h uint64
			for d := range 16 {
				for s := range 16 {
					buf := fill()
					o.op(buf, d, s, n)
					for _, c := range buf {
						h = h*31 + uint64(c)
					}
				}
			}
			fmt.Fprintf(&b, "%d %x\n", n, h)
		}
	}
	b.WriteString("memcmp 0\nmemcmp -1\nmemcmp 1\nmemcmp 0\nmemcmp -127\n")
	return b.String()
}

func TestMemory(t *testing.T) {
	t.Parallel()
	want := memoryWant()
	runBoth(t, testdata(t, "memory"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, want, r.stdout)
	})
}
