package main

import "path/filepath"

// benchmark is one program of the suite: examples/NAME in linkvm,
// peers/NAME.lua and peers/NAME.py in the peers, all run with the one
// argument Arg and printing the same answer.
type benchmark struct {
	Name string
	Arg  string
}

// suite is the benchmarks and their sizes: the fib(32) and
// sieve(10,000,000), and the Benchmarks Game programs at sizes that take
// 0.2–2 s in Lua 5.4 on the machine of docs/performance.md.
var suite = []benchmark{
	{"fib", "32"},
	{"sieve", "10000000"},
	{"nbody", "500000"},
	{"fannkuchredux", "9"},
	{"spectralnorm", "700"},
	{"binarytrees", "15"},
}

// impl is one way to run a benchmark: linkvm with the static or the
// dynamic image, or a peer interpreter.
type impl struct {
	ID    string // a short key: "static", "lua", ...
	Label string // the column heading
	// Tool is the peer interpreter's command, looked up in PATH; "" for
	// linkvm, which runs bin/vmrun.
	Tool string
	// Flags come before the program; Ext is the peer program's extension.
	Flags []string
	Ext   string
	// Package is the Debian package that provides Tool.
	Package string
}

// The implementations, in the tables' order. The ratios compare the
// static image (the first) with Lua 5.4 and LuaJIT -joff.
var (
	linkvmStatic  = impl{ID: "static", Label: "linkvm static"}
	linkvmDynamic = impl{ID: "dynamic", Label: "linkvm dynamic"}
	lua54         = impl{ID: "lua", Label: "Lua 5.4", Tool: "lua5.4", Ext: ".lua", Package: "lua5.4"}
	luajitOff     = impl{ID: "luajit-joff", Label: "LuaJIT -joff", Tool: "luajit", Flags: []string{"-joff"}, Ext: ".lua", Package: "luajit"}
	luajitOn      = impl{ID: "luajit", Label: "LuaJIT", Tool: "luajit", Ext: ".lua", Package: "luajit"}
	python3       = impl{ID: "python", Label: "Python 3", Tool: "python3", Ext: ".py", Package: "python3"}

	impls = []impl{linkvmStatic, linkvmDynamic, lua54, luajitOff, luajitOn, python3}
)

// dirs is where the harness finds what it runs.
type dirs struct {
	Bin    string // vmrun (and lib/ beside it, for the dynamic images)
	Images string // NAME.img and NAME-static.img, as `make examples` builds them
	Peers  string // NAME.lua and NAME.py
}

// command is the command line that runs b with x.
func (x impl) command(d dirs, b benchmark) []string {
	switch x.ID {
	case linkvmStatic.ID:
		return []string{filepath.Join(d.Bin, "vmrun"), filepath.Join(d.Images, b.Name+"-static.img"), b.Arg}
	case linkvmDynamic.ID:
		return []string{filepath.Join(d.Bin, "vmrun"), filepath.Join(d.Images, b.Name+".img"), b.Arg}
	}
	args := append([]string{x.Tool}, x.Flags...)
	return append(args, filepath.Join(d.Peers, b.Name+x.Ext), b.Arg)
}
