package asm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// maxFuzzSource caps the fuzzer's input: what is checked is how the
// assembler copes with odd text, not with long text, and a cap keeps each
// run short. What a short input can expand to (.include, .space) is
// bounded by the assembler itself.
const maxFuzzSource = 64 << 10

// fuzzFiles are the files .include finds in FuzzAssemble: a plain one, one
// including itself, and a small include bomb (bomb.s expands to 16^4 lines
// of inc.s if nothing stops it).
var fuzzFiles = map[string]string{
	"inc.s":   "nop\n",
	"loop.s":  ".include \"loop.s\"\n",
	"bomb.s":  strings.Repeat(".include \"bomb2.s\"\n", 16),
	"bomb2.s": strings.Repeat(".include \"bomb3.s\"\n", 16),
	"bomb3.s": strings.Repeat(".include \"bomb4.s\"\n", 16),
	"bomb4.s": strings.Repeat(".include \"inc.s\"\n", 16),
}

// errorLine is the shape of every line of an assembly error.
var errorLine = regexp.MustCompile(`^([^:]+):([0-9]+):([0-9]+): error: .+$`)

// FuzzAssemble checks that no input makes the assembler panic, that every
// error is positioned in a file it read (a line and column that exist, in
// the "file:line:col: error: msg" form), and that every module it makes
// can be encoded, read back by objfmt and encoded again to the same bytes,
// and is the same when assembled again.
func FuzzAssemble(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.s")
	for _, name := range files {
		src, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(src)
	}
	f.Add([]byte("1: jmp 1b; .quad 1f - .\n1: .word x - 1b\n"))
	f.Add([]byte(".include \"inc.s\"\n.include \"loop.s\"\n"))
	f.Add([]byte(".data\n.space 16, 0xff\n.section .x, \"aw\"\n.zero 8\n.bss\n.space 1<<20\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzSource {
			return
		}
		files := map[string]string{"f.s": string(src)}
		for name, text := range fuzzFiles {
			files[name] = text
		}
		out, err := Assemble("f.s", src, Options{ReadFile: memFS(fuzzFiles)})
		if err != nil {
			require.Nil(t, out)
			checkPositioned(t, err, files)
			return
		}
		data, err := out.Encode()
		require.NoError(t, err)
		back, err := objfmt.Parse(data)
		require.NoError(t, err)
		data2, err := back.Encode()
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, data2), "the module read back encodes differently")
		again, err := Assemble("f.s", src, Options{ReadFile: memFS(fuzzFiles)})
		require.NoError(t, err)
		data3, err := again.Encode()
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, data3), "assembling twice gave different bytes")
	})
}

// checkPositioned checks that err is an *ErrorList whose errors are each
// at a line and column of a file in files (a column may be one past the
// end of its line, and the line one past the last, where an error at the
// end of input is).
func checkPositioned(t *testing.T, err error, files map[string]string) {
	var list *ErrorList
	require.True(t, errors.As(err, &list), "not an *ErrorList: %T %v", err, err)
	require.True(t, len(list.Errors) > 0 || list.TooMany)
	require.LessOrEqual(t, len(list.Errors), MaxErrors)
	for _, e := range list.Errors {
		text, ok := files[e.Pos.Filename]
		require.True(t, ok, "error in unknown file %q: %v", e.Pos.Filename, e)
		lines := strings.Split(text, "\n")
		require.GreaterOrEqual(t, e.Pos.Line, 1, "%v", e)
		require.LessOrEqual(t, e.Pos.Line, len(lines)+1, "%v", e)
		require.GreaterOrEqual(t, e.Pos.Column, 1, "%v", e)
		if e.Pos.Line <= len(lines) {
			require.LessOrEqual(t, e.Pos.Column, len(lines[e.Pos.Line-1])+1, "%v", e)
		}
		require.NotEmpty(t, e.Msg)
		require.NotContains(t, e.Msg, "\n")
	}
	for i, line := range strings.Split(err.Error(), "\n") {
		if i == len(list.Errors) && list.TooMany {
			require.Equal(t, "too many errors", line)
			continue
		}
		require.Regexp(t, errorLine, line)
	}
}

// An include bomb (files including each other many times over, so that a
// few small files expand to millions of lines) is stopped early with a
// positioned error, without the time and memory the expansion would take.
func TestIncludeBombStops(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Assemble("f.s", []byte(".include \"bomb.s\"\n"), Options{ReadFile: memFS(fuzzFiles)})
	runtime.ReadMemStats(&after)
	// f.s's .include is the first inclusion; the 4097th is the last line of
	// the 16th bomb4.s included by the 15th bomb3.s. Later ones are not
	// reported again.
	require.EqualError(t, err, "bomb4.s:16:10: error: too much included source (more than 4096 inclusions or 268435456 bytes in all); is a file included over and over?")
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(512<<20))
}

// Sections are bounded together, not only one by one: many sections just
// under the limit each cannot add up to gigabytes. (The first two
// sections, 256 MiB, are built before the third one fails.)
func TestTotalSizeBounded(t *testing.T) {
	var src strings.Builder
	for _, s := range []string{"a", "b", "c", "d"} {
		src.WriteString(".section ." + s + ", \"aw\"\n.space 0x8000000\n")
	}
	_, err := Assemble("f.s", []byte(src.String()), Options{})
	require.EqualError(t, err, "f.s:6:1: error: module too large (more than 268435456 bytes of section contents in all)\n"+
		"f.s:8:1: error: module too large (more than 268435456 bytes of section contents in all)")
}
