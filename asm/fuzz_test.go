package asm

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzAssemble checks that no input makes the assembler panic and that
// every successful output can be encoded.
func FuzzAssemble(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.s")
	for _, name := range files {
		src, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(src)
	}
	f.Add([]byte("1: jmp 1b; .quad 1f - .\n1: .word x - 1b\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Assemble("f.s", src, Options{ReadFile: memFS(map[string]string{"inc.s": "nop\n"})})
		if err != nil {
			require.Nil(t, out)
			require.NotEmpty(t, err.Error())
			return
		}
		_, err = out.Encode()
		require.NoError(t, err)
	})
}
