package staticld

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

func TestReadInputs(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, d := range []string{"a", "b", "def"} {
		require.NoError(t, os.Mkdir(d, 0o755))
	}
	x := libx(t)
	// Names do not matter: archives are told apart by their magic number.
	require.NoError(t, objfmt.WriteArchive("b/libx.va", x))
	require.NoError(t, objfmt.WriteArchive("def/libx.va", x))
	require.NoError(t, objfmt.WriteArchive("def/liby.va", x))
	require.NoError(t, objfmt.WriteArchive("archive.vo", x))
	require.NoError(t, objfmt.WriteFile("module.va", mainMod().f))

	cfg := Config{LibDirs: []string{"a", "b"}, DefaultLibDirs: []string{"def"}}
	ins, err := ReadInputs(cfg, []InputArg{
		{Path: "module.va"},
		{Library: "x", Group: 1},
		{Library: "y", Group: 1},
		{Path: "archive.vo"},
	})
	require.NoError(t, err)
	require.Len(t, ins, 4)
	var got [][3]any
	for _, in := range ins {
		got = append(got, [3]any{in.Name, in.File != nil, in.Group})
	}
	assert.Equal(t, [][3]any{
		{"module.va", true, 0},
		{filepath.Join("b", "libx.va"), false, 1},
		{filepath.Join("def", "liby.va"), false, 1},
		{"archive.vo", false, 0},
	}, got)
	assert.Equal(t, x.Symbols, ins[1].Archive.Symbols)
	assert.Equal(t, x.Members[3].Data, ins[1].Archive.Members[3].Data)

	r := link(Config{}, ins...)
	require.NoError(t, r.err)
	assert.Equal(t, []string{"_start", "foo", "bar"}, symNames(r.img))
}

func TestReadInputsErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	require.NoError(t, os.Mkdir("dir", 0o755))
	require.NoError(t, os.WriteFile("junk.vo", []byte("not an object"), 0o644))
	_, objErr := objfmt.Parse([]byte("not an object"))
	var fe *objfmt.FormatError
	require.ErrorAs(t, objErr, &fe)

	cfg := Config{LibDirs: []string{"a"}, DefaultLibDirs: []string{"def1", "def2"}}
	_, err := ReadInputs(cfg, []InputArg{{Path: "missing.vo"}, {Path: "dir"}, {Path: "junk.vo"}, {Library: "c"}})
	require.Error(t, err)
	assert.Equal(t, "error: cannot open missing.vo: no such file or directory\n"+
		"error: cannot open dir: is a directory\n"+
		"error: junk.vo: "+fe.Msg+" at offset 0x0\n"+
		"error: unable to find library -lc\n"+
		">>> tried a/libc.vso\n"+
		">>> tried a/libc.va\n"+
		">>> tried def1/libc.vso\n"+
		">>> tried def1/libc.va\n"+
		">>> tried def2/libc.vso\n"+
		">>> tried def2/libc.va", err.Error())
}

// TestNonsharedCompanion: -lNAME that finds libNAME.vso also reads the
// libNAME_nonshared.va beside it, right after the module; -static, which
// finds libNAME.va, does not.
func TestNonsharedCompanion(t *testing.T) {
	t.Chdir(t.TempDir())
	require.NoError(t, objfmt.WriteFile("libgreet.vso", linkGreet(t)))
	require.NoError(t, objfmt.WriteArchive("libgreet_nonshared.va", libx(t)))
	require.NoError(t, objfmt.WriteArchive("libgreet.va", libx(t)))

	names := func(cfg Config) []string {
		ins, err := ReadInputs(cfg, []InputArg{{Library: "greet", Group: 2}, {Library: "greet"}})
		require.NoError(t, err)
		var got []string
		for _, in := range ins {
			got = append(got, fmt.Sprintf("%s group %d", in.Name, in.Group))
		}
		return got
	}
	assert.Equal(t, []string{
		"libgreet.vso group 2", "libgreet_nonshared.va group 2",
		"libgreet.vso group 0", "libgreet_nonshared.va group 0",
	}, names(Config{LibDirs: []string{"."}}))
	assert.Equal(t, []string{"libgreet.va group 2", "libgreet.va group 0"},
		names(Config{LibDirs: []string{"."}, Static: true}))
}
