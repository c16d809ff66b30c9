package objfmt

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus in testdata/fuzz/FuzzRead")

// seeds are valid encodings: the starting points of FuzzRead and its
// checked-in seed corpus.
func seeds() map[string][]byte {
	return map[string][]byte{
		"relocatable": encode(sampleRel()),
		"executable":  encode(sampleExec()),
		"shared":      encode(sampleShared()),
		"tiny":        encode(tiny()),
		"empty":       encode(&File{Type: TypeRel}),
		// dynamic_sample_test.go
		"dynamic-shared": encode(sampleDynShared()),
		"dynamic-exec":   encode(sampleDynExec()),
		"dynamic-small":  encode(sampleDynSmall()),
	}
}

// FuzzRead checks that the reader never panics, that it behaves the same
// with and without knowing the input's size, that the hash table of the
// dynamic symbols it accepts finds every export, and that whatever it
// accepts can be encoded again and re-read to an equal File. Each input is
// read as it is (a mutation almost always fails the checksum) and with its
// checksum made right, which lets mutations reach every other check.
func FuzzRead(f *testing.F) {
	for _, b := range seeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRead(t, b)
		checkRead(t, seal(bytes.Clone(b)))
	})
}

// checkRead is FuzzRead's check of one input.
func checkRead(t *testing.T, b []byte) {
	f1, err := Parse(b)
	f1s, errs := NewFile(sizeless{bytesReader(b)})
	if err != nil {
		var fe *FormatError
		require.ErrorAs(t, err, &fe)
		require.Error(t, errs)
		require.Equal(t, err.Error(), errs.Error())
		return
	}
	require.NoError(t, errs)
	require.Equal(t, f1, f1s)
	if d := f1.Dynamic; d != nil {
		// The file's hash table finds every export, and only those.
		for i, s := range d.Symbols {
			got, ok := d.Lookup(s.Name)
			require.Equal(t, s.Defined, ok, s.Name)
			if ok {
				require.Equal(t, i, got, s.Name)
			}
		}
	}
	b2, err := f1.Encode()
	require.NoError(t, err)
	f2, err := Parse(b2)
	require.NoError(t, err)
	require.Equal(t, f1, f2)
	b3, err := f2.Encode()
	require.NoError(t, err)
	require.Equal(t, b2, b3)
}

// TestFuzzCorpus writes the seed corpus with -update-corpus, and otherwise
// checks that every seed is in it.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for name, b := range seeds() {
		file := filepath.Join(dir, "seed-"+name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if *updateCorpus {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(file, []byte(want), 0o644))
			continue
		}
		got, err := os.ReadFile(file)
		require.NoError(t, err, "run go test -run TestFuzzCorpus -update-corpus ./objfmt")
		require.Equal(t, want, string(got), "%s is stale: run go test -run TestFuzzCorpus -update-corpus ./objfmt", file)
	}
}
