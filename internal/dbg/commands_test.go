package dbg

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupCommand(t *testing.T) {
	for word, want := range map[string]string{
		"b": "break", "br": "break", "break": "break", "brea": "break",
		"c": "continue", "cont": "continue", "s": "step", "n": "next", "si": "stepi", "ni": "nexti",
		"fin": "finish", "bt": "backtrace", "where": "backtrace", "p": "print", "l": "list",
		"i": "info", "disas": "disassemble", "di": "disassemble", "d": "delete", "q": "quit",
		"r": "run", "k": "kill", "x": "x", "tb": "tbreak", "wa": "watch", "h": "help",
	} {
		c, err := lookupCommand(word)
		require.NoError(t, err, word)
		assert.Equal(t, want, c.name, word)
	}
	_, err := lookupCommand("st")
	assert.EqualError(t, err, `ambiguous command "st": start, step, stepi`)
	_, err = lookupCommand("zap")
	assert.EqualError(t, err, `unknown command "zap" (help lists the commands)`)
}

func TestSplitCommand(t *testing.T) {
	for line, want := range map[string][2]string{
		"x/4g $sp":       {"x", "/4g $sp"},
		"p/x $r0":        {"p", "/x $r0"},
		"  break  fib  ": {"break", "fib"},
		"watch/4 small":  {"watch", "/4 small"},
		"run":            {"run", ""},
		"":               {"", ""},
	} {
		word, args := splitCommand(line)
		assert.Equal(t, want, [2]string{word, args}, line)
	}
}

func TestRepeatable(t *testing.T) {
	for _, line := range []string{"next", "s 2", "x/4g $sp", "c", "list", "stepi"} {
		assert.True(t, Repeatable(line), line)
	}
	for _, line := range []string{"run", "break fib", "print 1", "quit", "zap", ""} {
		assert.False(t, Repeatable(line), line)
	}
}

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		line  string
		args  []string
		stdin string
		err   string
	}{
		{line: "a b  c", args: []string{"a", "b", "c"}},
		{line: `'a b' "c d"e`, args: []string{"a b", "c de"}},
		{line: "x < in.txt", args: []string{"x"}, stdin: "in.txt"},
		{line: "<in.txt x", args: []string{"x"}, stdin: "in.txt"},
		{line: "a<b", args: []string{"a<b"}},
		{line: "'unterminated", err: `unterminated ' quote in "'unterminated"`},
		{line: "a <", err: "< needs one file for the program's standard input"},
		{line: "< a < b", err: "< needs one file for the program's standard input"},
	} {
		args, stdin, err := splitArgs(tc.line)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.line)
			continue
		}
		require.NoError(t, err, tc.line)
		assert.Equal(t, tc.args, args, tc.line)
		assert.Equal(t, tc.stdin, stdin, tc.line)
	}
}

func TestParseXFormat(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		format byte
		size   int
		count  int
	}{
		{"", 'x', 0, 16},
		{"x", 'x', 0, 16},
		{"32x", 'x', 0, 32},
		{"4g", 'X', 8, 4},
		{"4gx", 'X', 8, 4},
		{"2xw", 'X', 4, 2},
		{"3d", 'd', 8, 3},
		{"3dw", 'd', 4, 3},
		{"ub", 'u', 1, 1},
		{"2s", 's', 0, 2},
		{"5i", 'i', 0, 5},
	} {
		st, err := parseXFormat(tc.spec)
		require.NoError(t, err, tc.spec)
		assert.Equal(t, xState{format: tc.format, size: tc.size, count: tc.count}, st, tc.spec)
	}
	_, err := parseXFormat("3q")
	assert.EqualError(t, err, "x/3q: unknown format letter q (formats x d u s i, sizes b h w g)")
	_, err = parseXFormat("0x")
	assert.EqualError(t, err, "x/0x: the count must be from 1 to 65536")
	_, err = parseXFormat("99999x")
	assert.EqualError(t, err, "x/99999x: the count must be from 1 to 65536")
}
