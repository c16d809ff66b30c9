package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/internal/golden"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// vmobjdump runs the command in-process.
func vmobjdump(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// fixture makes a temporary directory the working directory and builds in
// it, from the sources in testdata (copied there, so that -S can read
// them): prog.vo, lib.vo and util.vo with asm.Assemble, prog.img by
// linking prog.vo and lib.vo with staticld.Link, and libx.va holding
// lib.vo and util.vo. It returns the absolute path of testdata.
func fixture(t *testing.T) string {
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	files := map[string]*objfmt.File{}
	for _, name := range []string{"prog", "lib", "util"} {
		src, err := os.ReadFile(filepath.Join(testdata, name+".s"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(name+".s", src, 0o644))
		f, err := asm.Assemble(name+".s", src, asm.Options{})
		require.NoError(t, err)
		require.NoError(t, objfmt.WriteFile(name+".vo", f))
		files[name] = f
	}
	img, err := staticld.Link(staticld.Config{}, []staticld.Input{
		{Name: "prog.vo", File: files["prog"]}, {Name: "lib.vo", File: files["lib"]},
	})
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteFile("prog.img", img))
	var members []*objfmt.Member
	for _, name := range []string{"lib", "util"} {
		data, err := os.ReadFile(name + ".vo")
		require.NoError(t, err)
		members = append(members, &objfmt.Member{Name: name + ".vo", Data: data})
	}
	a, err := objfmt.BuildArchive(members)
	require.NoError(t, err)
	require.NoError(t, objfmt.WriteArchive("libx.va", a))
	return testdata
}

func TestGolden(t *testing.T) {
	testdata := fixture(t)
	tests := []struct {
		golden string
		args   []string
	}{
		{"prog.vo-f", []string{"-f", "prog.vo"}},
		{"prog.vo-h", []string{"-h", "prog.vo"}},
		{"prog.vo-t", []string{"-t", "prog.vo"}},
		{"prog.vo-r", []string{"-r", "prog.vo"}},
		{"prog.vo-d", []string{"-d", "prog.vo"}},
		{"prog.vo-d-S", []string{"-d", "-S", "prog.vo"}},
		{"prog.vo-x", []string{"-x", "prog.vo"}},
		{"prog.vo-json", []string{"-json", "prog.vo"}},
		{"prog.img-x", []string{"-x", "prog.img"}},
		{"prog.img-S", []string{"-S", "prog.img"}},
		{"libx.va-t", []string{"-t", "libx.va"}},
		{"libx.va-dr", []string{"-dr", "libx.va"}},
		{"libx.va-json", []string{"-json", "libx.va"}},
		{"several-f", []string{"-f", "prog.vo", "prog.img"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, stdout, stderr := vmobjdump(tt.args...)
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)
			golden.Check(t, filepath.Join(testdata, tt.golden+".golden"), stdout)
		})
	}
}

// TestGroupedFlags checks that -dr is -d -r and -x is -f -h -t -r.
func TestGroupedFlags(t *testing.T) {
	fixture(t)
	_, grouped, _ := vmobjdump("-dr", "prog.vo")
	_, split, _ := vmobjdump("-d", "-r", "prog.vo")
	assert.Equal(t, split, grouped)
	_, x, _ := vmobjdump("-x", "prog.vo")
	_, fhtr, _ := vmobjdump("-fhtr", "prog.vo")
	assert.Equal(t, fhtr, x)
}

// TestJSONSchema decodes the -json output and checks its main facts, so
// that the schema documented in docs/tools.md is what is printed.
func TestJSONSchema(t *testing.T) {
	fixture(t)
	code, stdout, stderr := vmobjdump("-json", "prog.vo", "prog.img")
	require.Equal(t, 0, code, stderr)
	var doc struct {
		Schema int `json:"schema"`
		Files  []struct {
			Name     string `json:"name"`
			Type     string `json:"type"`
			Entry    uint64 `json:"entry"`
			Sections []struct {
				Name  string   `json:"name"`
				Kind  string   `json:"kind"`
				Flags []string `json:"flags"`
				Addr  uint64   `json:"addr"`
			} `json:"sections"`
			Symbols []struct {
				Name    string `json:"name"`
				Value   uint64 `json:"value"`
				Section string `json:"section"`
			} `json:"symbols"`
			Relocations []struct {
				Kind   string `json:"kind"`
				Symbol string `json:"symbol"`
			} `json:"relocations"`
			Disassembly []struct {
				Addr   uint64   `json:"addr"`
				Words  []string `json:"words"`
				Text   string   `json:"text"`
				Source *struct {
					File string  `json:"file"`
					Line uint32  `json:"line"`
					Text *string `json:"text"`
				} `json:"source"`
			} `json:"disassembly"`
		} `json:"files"`
		Errors []string `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, 1, doc.Schema)
	assert.Empty(t, doc.Errors)
	require.Len(t, doc.Files, 2)
	vo, img := doc.Files[0], doc.Files[1]
	assert.Equal(t, "relocatable", vo.Type)
	assert.Equal(t, "executable", img.Type)
	assert.Equal(t, uint64(staticld.ImageBase), img.Entry)
	assert.Equal(t, ".text", img.Sections[1].Name)
	assert.Equal(t, []string{"ALLOC", "EXEC"}, img.Sections[1].Flags)
	assert.Equal(t, uint64(staticld.ImageBase), img.Sections[1].Addr)
	assert.Empty(t, img.Relocations)
	assert.Contains(t, vo.Relocations, struct {
		Kind   string `json:"kind"`
		Symbol string `json:"symbol"`
	}{"INSN_PC", "helper"})
	first := img.Disassembly[0]
	assert.Equal(t, uint64(staticld.ImageBase), first.Addr)
	var table uint64
	for _, s := range img.Symbols {
		if s.Name == "table" {
			assert.Equal(t, ".data", s.Section)
			table = s.Value
		}
	}
	assert.Equal(t, fmt.Sprintf("lea   r16, %#x <table>", table), first.Text)
	require.NotNil(t, first.Source)
	assert.Equal(t, "prog.s", first.Source.File)
	require.NotNil(t, first.Source.Text)
	assert.Equal(t, "        la    r16, table        # address of .data: INSN_PC against .data", *first.Source.Text)
}

// TestSourceUnreadable: without the source file, -S prints file:line only
// and -json leaves the source text out.
func TestSourceUnreadable(t *testing.T) {
	fixture(t)
	require.NoError(t, os.Remove("prog.s"))
	code, stdout, stderr := vmobjdump("-S", "prog.vo")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "\n0000000000000000 <_start>:\nprog.s:12\n       0:  07 10 00 00 00 00 00 00  lea ")
	code, stdout, stderr = vmobjdump("-json", "prog.vo")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"source": {
            "file": "prog.s",
            "line": 12,
            "col": 9
          }`)
}

func TestErrors(t *testing.T) {
	fixture(t)
	require.NoError(t, os.WriteFile("bad.vo", []byte("not an object file"), 0o644))
	good, err := os.ReadFile("prog.vo")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("short.vo", good[:100], 0o644))
	require.NoError(t, os.Mkdir("dir.vo", 0o755))
	lib, err := os.ReadFile("lib.vo")
	require.NoError(t, err)
	// An archive whose second member is not an object file: Encode does
	// not parse members, so the damage reaches the file.
	a := &objfmt.Archive{Members: []*objfmt.Member{{Name: "lib.vo", Data: lib}, {Name: "junk.vo", Data: []byte("junk")}}}
	data, err := a.Encode()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile("bad.va", data, 0o644))

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"bad magic", []string{"-h", "bad.vo"}, 1,
			"vmobjdump: bad.vo: objfmt: bad magic \"not \" at offset 0x0\n"},
		{"truncated", []string{"-h", "short.vo"}, 1,
			"vmobjdump: short.vo: objfmt: section header table (offset 0x" + shoff(t, good) + ", size 0x" + shsize(t, good) + ") extends past end of file at offset 0x10\n"},
		{"missing", []string{"-t", "nothere.vo"}, 1,
			"vmobjdump: nothere.vo: no such file or directory\n"},
		{"directory", []string{"-t", "dir.vo"}, 1,
			"vmobjdump: dir.vo: is a directory\n"},
		{"bad member", []string{"-t", "bad.va"}, 1,
			"vmobjdump: bad.va(junk.vo): objfmt: bad magic \"junk\" at offset 0x0\n"},
		{"no flag", []string{"prog.vo"}, 2,
			"vmobjdump: error: no display flag given (one of -f -h -t -r -d -S -x -json)\n" + usage},
		{"no files", []string{"-d"}, 2,
			"vmobjdump: error: no input files\n" + usage},
		{"unknown flag", []string{"-q", "prog.vo"}, 2,
			"vmobjdump: error: flag provided but not defined: -q\n" + usage},
		{"help", []string{"-help"}, 0, usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := vmobjdump(tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stderr, stderr)
			switch {
			case tt.name == "bad member":
				// The members before the bad one are shown.
				assert.Equal(t, "In archive bad.va:\n\nlib.vo:     file format linkvm\n\nSYMBOL TABLE:\n", stdout[:strings.Index(stdout, "0000")])
			case tt.code != 0:
				assert.Empty(t, stdout)
			}
		})
	}
}

// TestErrorKeepsGoing: a bad file is reported and the others are still
// shown; the exit status is 1. With -json the error is in "errors" too.
func TestErrorKeepsGoing(t *testing.T) {
	fixture(t)
	require.NoError(t, os.WriteFile("bad.vo", []byte("\x7fLV"), 0o644))
	code, stdout, stderr := vmobjdump("-f", "bad.vo", "prog.vo")
	assert.Equal(t, 1, code)
	assert.Equal(t, "vmobjdump: bad.vo: objfmt: bad magic \"\\x7fLV\" at offset 0x0\n", stderr)
	assert.True(t, strings.HasPrefix(stdout, "\nprog.vo:     file format linkvm\n"), stdout)

	code, stdout, _ = vmobjdump("-json", "bad.vo", "prog.vo")
	assert.Equal(t, 1, code)
	var doc jsonDoc
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, []string{"bad.vo: objfmt: bad magic \"\\x7fLV\" at offset 0x0"}, doc.Errors)
	require.Len(t, doc.Files, 1)
	assert.Equal(t, "prog.vo", doc.Files[0].Name)
}

// shoff and shsize return, in hex, the offset and size of the section
// header table of the object file b.
func shoff(t *testing.T, b []byte) string {
	t.Helper()
	raw, err := objfmt.ReadRaw(bytes.NewReader(b))
	require.NoError(t, err)
	return strconv.FormatUint(raw.Header.Shoff, 16)
}

func shsize(t *testing.T, b []byte) string {
	t.Helper()
	raw, err := objfmt.ReadRaw(bytes.NewReader(b))
	require.NoError(t, err)
	return strconv.FormatUint(uint64(raw.Header.Shnum)*objfmt.SectionHeaderSize, 16)
}
