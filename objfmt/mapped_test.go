package objfmt

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inside reports whether the bytes of s lie inside buf.
func inside(s, buf []byte) bool {
	if len(s) == 0 || len(buf) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(buf))
}

// diskOffsets returns the file offset of each content (PROGBITS or NOBITS)
// section of the encoded file b, in File.Sections order.
func diskOffsets(b []byte) []uint64 {
	h := getHeader(b)
	var offs []uint64
	for i := 1; i < int(h.Shnum); i++ {
		sh := getSectionHeader(b[h.Shoff+uint64(i)*SectionHeaderSize:])
		if k := SectionKind(sh.Kind); k == KindProgbits || k == KindNobits {
			offs = append(offs, sh.Offset)
		}
	}
	return offs
}

func TestMappedParseAliasesReadOnlySections(t *testing.T) {
	want := sampleDynShared()
	b, err := want.Encode()
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "libgreet.vso")
	require.NoError(t, os.WriteFile(name, b, 0o644))

	fh, err := os.Open(name)
	require.NoError(t, err)
	m, err := MapFile(fh, int64(len(b)))
	require.NoError(t, err)
	require.NoError(t, fh.Close()) // the mapping outlives the descriptor
	if runtime.GOOS == "linux" {
		assert.True(t, m.Mapped(), "mmap is available on Linux")
	}
	assert.Equal(t, b, m.Bytes())
	f, err := m.Parse()
	require.NoError(t, err)
	require.NoError(t, m.Close()) // the File owns the mapping: no effect
	assert.Equal(t, b, m.Bytes())

	// The same File as Parse gives, section bytes included.
	plain, err := Parse(b)
	require.NoError(t, err)
	assert.Equal(t, plain, f)

	offs := diskOffsets(b)
	require.Len(t, offs, len(f.Sections))
	readOnly := 0
	for i, s := range f.Sections {
		if s.Kind != KindProgbits {
			assert.Nil(t, s.Data, s.Name)
			continue
		}
		assert.Equal(t, b[offs[i]:offs[i]+s.Size], s.Data, s.Name)
		if s.Flags&FlagWrite == 0 {
			readOnly++
			assert.True(t, inside(s.Data, m.Bytes()), "%s aliases the mapping", s.Name)
			assert.Zero(t, offs[i]%PageSize, s.Name)
			assert.Equal(t, len(s.Data), cap(s.Data), "%s cannot be appended into the mapping", s.Name)
		} else {
			assert.False(t, inside(s.Data, m.Bytes()), "%s is a private copy", s.Name)
		}
	}
	assert.Equal(t, 2, readOnly, ".text and .rodata")
	runtime.KeepAlive(f)

	_, err = m.Parse()
	assert.EqualError(t, err, "objfmt: Parse of a closed or already parsed Mapping")
}

func TestMappedObjectIsCopied(t *testing.T) {
	// A relocatable object is not mapped in place: nothing aliases.
	f := defsModule()
	require.Equal(t, TypeRel, f.Type)
	b, err := f.Encode()
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "defs.vo")
	require.NoError(t, os.WriteFile(name, b, 0o644))
	fh, err := os.Open(name)
	require.NoError(t, err)
	defer fh.Close()
	m, err := MapFile(fh, int64(len(b)))
	require.NoError(t, err)
	got, err := m.Parse()
	require.NoError(t, err)
	n := 0
	for _, s := range got.Sections {
		if len(s.Data) > 0 {
			n++
			assert.False(t, inside(s.Data, m.Bytes()), s.Name)
		}
	}
	assert.NotZero(t, n)
	runtime.KeepAlive(got)
}

func TestOpenMapped(t *testing.T) {
	dir := t.TempDir()
	b, err := sampleDynExec().Encode()
	require.NoError(t, err)
	good := filepath.Join(dir, "prog.img")
	require.NoError(t, os.WriteFile(good, b, 0o644))
	f, err := OpenMapped(good)
	require.NoError(t, err)
	want, err := Open(good)
	require.NoError(t, err)
	assert.Equal(t, want, f)

	// Bad files give exactly Open's errors.
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"text", "hello, world\n"},
		{"truncated", string(b[:HeaderSize+3])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(dir, tc.name)
			require.NoError(t, os.WriteFile(name, []byte(tc.content), 0o644))
			_, err := OpenMapped(name)
			require.Error(t, err)
			_, oerr := Open(name)
			assert.Equal(t, oerr.Error(), err.Error(), "the same error as Open")
		})
	}
	_, err = OpenMapped(dir)
	assert.EqualError(t, err, "open "+dir+": is a directory")
	_, err = OpenMapped(filepath.Join(dir, "missing"))
	assert.EqualError(t, err, "open "+filepath.Join(dir, "missing")+": no such file or directory")
}

func TestMappedParseOfTruncatedFile(t *testing.T) {
	b, err := sampleDynShared().Encode()
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "libgreet.vso")
	require.NoError(t, os.WriteFile(name, b, 0o644))
	fh, err := os.Open(name)
	require.NoError(t, err)
	defer fh.Close()
	m, err := MapFile(fh, int64(len(b)))
	require.NoError(t, err)
	defer m.Close()
	if !m.Mapped() {
		t.Skip("mmap is not available here")
	}
	// Rewriting the file in place (which tools never do) loses the pages:
	// reading them faults, which Parse reports instead of crashing.
	require.NoError(t, os.Truncate(name, 0))
	_, err = m.Parse()
	require.Error(t, err)
	assert.Regexp(t, `^objfmt: memory fault at 0x[0-9a-f]+ reading a mapped file \(was it truncated\?\)$`, err.Error())
}
