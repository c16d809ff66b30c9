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

var updateArchiveCorpus = flag.Bool("update-archive-corpus", false, "rewrite the seed corpus in testdata/fuzz/FuzzReadArchive")

// archiveSeeds are valid archives: the starting points of FuzzReadArchive
// and its checked-in seed corpus.
func archiveSeeds() map[string][]byte {
	mustBuild := func(ms []*Member) *Archive {
		a, err := BuildArchive(ms)
		if err != nil {
			panic(err)
		}
		return a
	}
	mustEncode := func(a *Archive) []byte {
		b, err := a.Encode()
		if err != nil {
			panic(err)
		}
		return b
	}
	return map[string][]byte{
		"library": mustEncode(mustBuild(sampleMembers())),
		"toy":     mustEncode(toyArchive()),
		"empty":   mustEncode(&Archive{}),
		"one":     mustEncode(mustBuild([]*Member{{Name: "call.vo", Data: encode(tiny())}})),
		"raw": mustEncode(&Archive{
			Members: []*Member{{Name: "x", Data: []byte("xyz")}, {Name: "empty"}, {Name: "y", Data: []byte{1}}},
			Symbols: []ArchiveSymbol{{Name: "x", Member: 0}, {Name: "s", Member: 0}, {Name: "t", Member: 2}},
		}),
	}
}

// FuzzReadArchive checks that the archive reader never panics, that it
// behaves the same with and without knowing the input's size, and that
// whatever it accepts can be encoded again and re-read to an equal
// Archive, whose encoding is then stable. Each input is read as it is and
// with its checksum made right, as in FuzzRead.
func FuzzReadArchive(f *testing.F) {
	for _, b := range archiveSeeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkReadArchive(t, b)
		checkReadArchive(t, seal(bytes.Clone(b)))
	})
}

// checkReadArchive is FuzzReadArchive's check of one input.
func checkReadArchive(t *testing.T, b []byte) {
	a1, err := ParseArchive(b)
	a1s, errs := NewArchive(sizeless{bytesReader(b)})
	if err != nil {
		var fe *FormatError
		require.ErrorAs(t, err, &fe)
		require.Error(t, errs)
		require.Equal(t, err.Error(), errs.Error())
		return
	}
	require.NoError(t, errs)
	require.Equal(t, a1, a1s)
	for _, m := range a1.Members {
		require.Equal(t, string(m.Data), string(b[m.Off:m.Off+int64(len(m.Data))]))
	}
	b2, err := a1.Encode()
	require.NoError(t, err)
	a2, err := ParseArchive(b2)
	require.NoError(t, err)
	require.Equal(t, a1.Symbols, a2.Symbols)
	require.Len(t, a2.Members, len(a1.Members))
	for i, m := range a2.Members {
		require.Equal(t, a1.Members[i].Name, m.Name)
		require.Equal(t, a1.Members[i].Data, m.Data)
	}
	b3, err := a2.Encode()
	require.NoError(t, err)
	require.Equal(t, b2, b3)

	// Rebuilding the index parses the members; whatever it accepts
	// encodes.
	if built, err := BuildArchive(a1.Members); err == nil {
		_, err := built.Encode()
		require.NoError(t, err)
	}
}

// TestArchiveFuzzCorpus writes the seed corpus with -update-archive-corpus,
// and otherwise checks that every seed is in it.
func TestArchiveFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzReadArchive")
	for name, b := range archiveSeeds() {
		file := filepath.Join(dir, "seed-"+name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if *updateArchiveCorpus {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(file, []byte(want), 0o644))
			continue
		}
		got, err := os.ReadFile(file)
		require.NoError(t, err, "run go test -run TestArchiveFuzzCorpus -update-archive-corpus ./objfmt")
		require.Equal(t, want, string(got), "%s is stale: run go test -run TestArchiveFuzzCorpus -update-archive-corpus ./objfmt", file)
	}
}
