package staticld

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/objfmt"
)

// libx is an archive whose member foo.vo defines foo and calls bar, which
// bar.vo defines; baz.vo and qux.vo (which calls baz) are not needed by
// main().
func libx(t *testing.T) *objfmt.Archive {
	return archiveOf(t,
		member{"foo.vo", funcs("foo.s", []string{"foo"}, []string{"bar"})},
		member{"bar.vo", funcs("bar.s", []string{"bar"}, nil)},
		member{"baz.vo", funcs("baz.s", []string{"baz"}, nil)},
		member{"qux.vo", funcs("qux.s", []string{"qux"}, []string{"baz"})},
	)
}

// mainMod defines _start, which calls foo.
func mainMod() *mod { return funcs("main.s", []string{"_start"}, []string{"foo"}) }

const whyHeader = "reference\textracted\tsymbol\n"

func TestArchiveResolution(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ins  func(t *testing.T) []Input
		// syms are the image's symbols: they tell which members were
		// linked, and in which order.
		syms []string
		// text is the size of the image's .text section.
		text uint64
		why  string
		log  string
	}{{
		name: "a member pulls in another member; unused members are left out",
		ins: func(t *testing.T) []Input {
			return []Input{obj("main.vo", mainMod()), lib("libx.va", libx(t))}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 16 + 16 + 8,
		why: whyHeader +
			"main.vo\tlibx.va(foo.vo)\tfoo\n" +
			"libx.va(foo.vo)\tlibx.va(bar.vo)\tbar\n",
	}, {
		name: "an archive listed before its user still resolves it",
		ins: func(t *testing.T) []Input {
			return []Input{lib("libx.va", libx(t)), obj("main.vo", mainMod())}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 40,
		why: whyHeader +
			"main.vo\tlibx.va(foo.vo)\tfoo\n" +
			"libx.va(foo.vo)\tlibx.va(bar.vo)\tbar\n",
	}, {
		name: "--warn-backrefs warns when the archive comes first",
		cfg:  Config{WarnBackrefs: true},
		ins: func(t *testing.T) []Input {
			return []Input{lib("libx.va", libx(t)), obj("main.vo", mainMod())}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 40,
		why: whyHeader +
			"main.vo\tlibx.va(foo.vo)\tfoo\n" +
			"libx.va(foo.vo)\tlibx.va(bar.vo)\tbar\n",
		log: "warning: backward reference detected: foo in main.vo refers to libx.va(foo.vo)\n",
	}, {
		name: "--warn-backrefs is quiet in the GNU order",
		cfg:  Config{WarnBackrefs: true},
		ins: func(t *testing.T) []Input {
			return []Input{obj("main.vo", mainMod()), lib("libx.va", libx(t))}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 40,
		why: whyHeader +
			"main.vo\tlibx.va(foo.vo)\tfoo\n" +
			"libx.va(foo.vo)\tlibx.va(bar.vo)\tbar\n",
	}, {
		name: "--warn-backrefs is quiet inside a group",
		cfg:  Config{WarnBackrefs: true},
		ins: func(t *testing.T) []Input {
			x, m := lib("libx.va", libx(t)), obj("main.vo", mainMod())
			x.Group, m.Group = 1, 1
			return []Input{x, m}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 40,
		why: whyHeader +
			"main.vo\tlibx.va(foo.vo)\tfoo\n" +
			"libx.va(foo.vo)\tlibx.va(bar.vo)\tbar\n",
	}, {
		name: "--warn-backrefs: a member refers back to an earlier archive",
		cfg:  Config{WarnBackrefs: true},
		ins: func(t *testing.T) []Input {
			bar := archiveOf(t, member{"bar.vo", funcs("bar.s", []string{"bar"}, nil)})
			foo := archiveOf(t, member{"foo.vo", funcs("foo.s", []string{"foo"}, []string{"bar"})})
			return []Input{obj("main.vo", mainMod()), lib("libbar.va", bar), lib("libfoo.va", foo)}
		},
		syms: []string{"_start", "foo", "bar"},
		text: 40,
		why: whyHeader +
			"main.vo\tlibfoo.va(foo.vo)\tfoo\n" +
			"libfoo.va(foo.vo)\tlibbar.va(bar.vo)\tbar\n",
		log: "warning: backward reference detected: bar in libfoo.va(foo.vo) refers to libbar.va(bar.vo)\n",
	}, {
		name: "--warn-backrefs: a later archive defining the symbol dismisses the warning",
		cfg:  Config{WarnBackrefs: true},
		ins: func(t *testing.T) []Input {
			def := func() *objfmt.Archive {
				return archiveOf(t, member{"foo.vo", funcs("foo.s", []string{"foo"}, nil)})
			}
			return []Input{lib("libdef1.va", def()), obj("main.vo", mainMod()), lib("libdef2.va", def())}
		},
		syms: []string{"_start", "foo"},
		text: 24,
		why:  whyHeader + "main.vo\tlibdef1.va(foo.vo)\tfoo\n",
	}, {
		name: "two archives define a symbol: the first on the command line wins",
		ins: func(t *testing.T) []Input {
			a := archiveOf(t, member{"foo.vo", funcs("a.s", []string{"foo"}, nil)})
			b := archiveOf(t, member{"foo.vo", funcs("b.s", []string{"other", "foo"}, nil)})
			return []Input{obj("main.vo", mainMod()), lib("liba.va", a), lib("libb.va", b)}
		},
		syms: []string{"_start", "foo"},
		text: 24,
		why:  whyHeader + "main.vo\tliba.va(foo.vo)\tfoo\n",
	}, {
		name: "two archives before their user: the first still wins",
		ins: func(t *testing.T) []Input {
			a := archiveOf(t, member{"foo.vo", funcs("a.s", []string{"foo"}, nil)})
			b := archiveOf(t, member{"foo.vo", funcs("b.s", []string{"other", "foo"}, nil)})
			return []Input{lib("libb.va", b), lib("liba.va", a), obj("main.vo", mainMod())}
		},
		syms: []string{"_start", "other", "foo"},
		text: 32,
		why:  whyHeader + "main.vo\tlibb.va(foo.vo)\tfoo\n",
	}, {
		name: "a weak reference does not extract a member",
		ins: func(t *testing.T) []Input {
			return []Input{obj("main.vo", funcs("main.s", []string{"_start"}, nil, "foo")), lib("libx.va", libx(t))}
		},
		syms: []string{"_start"},
		text: 16,
		why:  whyHeader,
	}, {
		name: "a weak and a global reference: the global one extracts",
		ins: func(t *testing.T) []Input {
			return []Input{
				obj("main.vo", funcs("main.s", []string{"_start"}, nil, "baz")),
				lib("libx.va", libx(t)),
				obj("use.vo", funcs("use.s", nil, []string{"baz"})),
			}
		},
		syms: []string{"_start", "baz"},
		text: 16 + 8 + 8,
		why:  whyHeader + "use.vo\tlibx.va(baz.vo)\tbaz\n",
	}, {
		name: "a module's definition beats a lazy one",
		ins: func(t *testing.T) []Input {
			return []Input{
				lib("libx.va", libx(t)),
				obj("util.vo", funcs("util.s", []string{"foo"}, nil)),
				obj("main.vo", mainMod()),
			}
		},
		syms: []string{"foo", "_start"},
		text: 8 + 16,
		why:  whyHeader,
	}, {
		name: "the entry symbol and -u names extract members",
		cfg:  Config{Undefined: []string{"qux", "nowhere"}},
		ins: func(t *testing.T) []Input {
			crt := archiveOf(t, member{"crt0.vo", funcs("crt0.s", []string{"_start"}, []string{"main"})})
			return []Input{obj("main.vo", funcs("main.s", []string{"main"}, nil)), lib("libx.va", libx(t)), lib("crt.va", crt)}
		},
		syms: []string{"main", "qux", "baz", "_start"},
		text: 8 + 16 + 8 + 16,
		why: whyHeader +
			"--undefined\tlibx.va(qux.vo)\tqux\n" +
			"libx.va(qux.vo)\tlibx.va(baz.vo)\tbaz\n" +
			"--entry\tcrt.va(crt0.vo)\t_start\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := link(tt.cfg, tt.ins(t)...)
			require.NoError(t, r.err)
			assert.Equal(t, tt.syms, symNames(r.img))
			assert.Equal(t, tt.text, textSize(r.img))
			assert.Equal(t, tt.why, r.why)
			assert.Equal(t, tt.log, r.log)
		})
	}
}

// TestArchiveLinksOnlyWhatIsNeeded compares a link against libx with one
// of the same modules given as objects.
func TestArchiveLinksOnlyWhatIsNeeded(t *testing.T) {
	withLib := link(Config{}, obj("main.vo", mainMod()), lib("libx.va", libx(t)))
	require.NoError(t, withLib.err)
	all := link(Config{}, obj("main.vo", mainMod()),
		obj("foo.vo", funcs("foo.s", []string{"foo"}, []string{"bar"})),
		obj("bar.vo", funcs("bar.s", []string{"bar"}, nil)),
		obj("baz.vo", funcs("baz.s", []string{"baz"}, nil)),
		obj("qux.vo", funcs("qux.s", []string{"qux"}, []string{"baz"})))
	require.NoError(t, all.err)
	assert.Equal(t, uint64(40), textSize(withLib.img))
	assert.Equal(t, uint64(64), textSize(all.img))
	// The call in _start reaches foo, right after main.vo's 16 bytes.
	assert.Equal(t, int32(8), callImm(withLib.img, 8))
	b1, err := withLib.img.Encode()
	require.NoError(t, err)
	b2, err := all.img.Encode()
	require.NoError(t, err)
	assert.Less(t, len(b1), len(b2))
}

func TestWeakReferenceToLazySymbolIsZero(t *testing.T) {
	r := link(Config{}, obj("main.vo", funcs("main.s", []string{"_start"}, nil, "foo")), lib("libx.va", libx(t)))
	require.NoError(t, r.err)
	assert.Equal(t, int32(-0x10008), callImm(r.img, 8), "S = 0 for an undefined weak symbol")
}

func TestArchiveErrors(t *testing.T) {
	tests := []struct {
		name string
		ins  func(t *testing.T) []Input
		want string
	}{{
		name: "a module and an extracted member define the same symbol",
		ins: func(t *testing.T) []Input {
			x := archiveOf(t, member{"bar.vo", funcs("bar.s", []string{"bar", "foo"}, nil)})
			return []Input{obj("main.vo", funcs("main.s", []string{"_start", "foo"}, []string{"bar"})), lib("libx.va", x)}
		},
		want: "error: duplicate symbol: foo\n" +
			">>> defined in main.vo (main.s:2)\n" +
			">>> defined in libx.va(bar.vo) (bar.s:2)",
	}, {
		name: "a definition after the extraction is a duplicate, as in lld",
		ins: func(t *testing.T) []Input {
			return []Input{
				obj("main.vo", mainMod()),
				lib("libx.va", libx(t)),
				obj("util.vo", funcs("util.s", []string{"foo"}, nil)),
			}
		},
		want: "error: duplicate symbol: foo\n" +
			">>> defined in libx.va(foo.vo) (foo.s:1)\n" +
			">>> defined in util.vo (util.s:1)",
	}, {
		name: "undefined symbol referenced from a member",
		ins: func(t *testing.T) []Input {
			x := archiveOf(t, member{"foo.vo", funcs("foo.s", []string{"foo"}, []string{"missing"})})
			return []Input{obj("main.vo", mainMod()), lib("libx.va", x)}
		},
		want: "error: undefined symbol: missing\n" +
			">>> referenced by foo.s:2 (libx.va(foo.vo): function foo)",
	}, {
		name: "corrupt member",
		ins: func(t *testing.T) []Input {
			x := &objfmt.Archive{
				Members: []*objfmt.Member{{Name: "bad.vo", Data: []byte("\x7fLVM junk")}},
				Symbols: []objfmt.ArchiveSymbol{{Name: "foo", Member: 0}},
			}
			return []Input{obj("main.vo", mainMod()), lib("libx.va", x)}
		},
		want: "error: libx.va(bad.vo): " + parseError(t, "\x7fLVM junk") + "\n" +
			"error: undefined symbol: foo\n" +
			">>> referenced by main.s:2 (main.vo: function _start)",
	}, {
		name: "member that is not a relocatable module",
		ins: func(t *testing.T) []Input {
			img := start()
			img.f.Type = objfmt.TypeExec
			data, err := img.f.Encode()
			require.NoError(t, err)
			x := &objfmt.Archive{
				Members: []*objfmt.Member{{Name: "img.vo", Data: data}},
				Symbols: []objfmt.ArchiveSymbol{{Name: "_start", Member: 0}},
			}
			return []Input{lib("libx.va", x)}
		},
		want: "error: libx.va(img.vo): not a relocatable module (it is executable)\n" +
			"error: undefined entry symbol: _start",
	}, {
		name: "bad archive index built in memory",
		ins: func(t *testing.T) []Input {
			x := &objfmt.Archive{
				Members: []*objfmt.Member{nil},
				Symbols: []objfmt.ArchiveSymbol{{Name: "foo", Member: 1}, {Name: "", Member: 0}, {Name: "foo", Member: 0}},
			}
			return []Input{obj("main.vo", mainMod()), lib("libx.va", x)}
		},
		want: "error: libx.va: archive symbol 0 (\"foo\"): member 1 out of range (1 members)\n" +
			"error: libx.va: archive symbol 1: empty name\n" +
			"error: libx.va(member 0): missing archive member\n" +
			"error: undefined symbol: foo\n" +
			">>> referenced by main.s:2 (main.vo: function _start)",
	}, {
		name: "inputs that are neither or both",
		ins: func(t *testing.T) []Input {
			return []Input{{Name: "none"}, {Name: "both", File: start().f, Archive: &objfmt.Archive{}}}
		},
		want: "error: none: no module\n" +
			"error: both: both a module and an archive",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := link(Config{}, tt.ins(t)...)
			require.Error(t, r.err)
			assert.Nil(t, r.img)
			assert.Equal(t, tt.want, r.err.Error())
		})
	}
}

// parseError returns the error objfmt gives for the module bytes data.
func parseError(t *testing.T, data string) string {
	_, err := objfmt.Parse([]byte(data))
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "objfmt: "), err.Error())
	return err.Error()
}

func TestTraceSymbol(t *testing.T) {
	y := archiveOf(t, member{"foo2.vo", funcs("foo2.s", []string{"foo"}, nil)})
	r := link(Config{TraceSymbols: []string{"foo", "bar", "_start", "never"}},
		lib("libx.va", libx(t)), obj("main.vo", mainMod()), lib("liby.va", y),
		obj("weak.vo", funcs("weak.s", nil, nil, "foo")))
	require.NoError(t, r.err)
	assert.Equal(t, "libx.va: lazy definition of foo\n"+
		"libx.va: lazy definition of bar\n"+
		"main.vo: definition of _start\n"+
		"main.vo: reference to foo\n"+
		"libx.va(foo.vo): definition of foo\n"+
		"libx.va(foo.vo): reference to bar\n"+
		"libx.va(bar.vo): definition of bar\n"+
		"liby.va: lazy definition of foo\n"+
		"weak.vo: reference to foo\n", r.trace)
}
