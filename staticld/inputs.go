package staticld

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"linkvm/objfmt"
)

// This file reads the inputs named on a command line: module, shared
// module and archive files, and libraries found by name (-lNAME). Each input is read on its
// own (readInput), so reading can be spread over goroutines; Link itself
// only parses the archive members it extracts.

// InputArg is one input named on the command line: a file, or a library
// to search for.
type InputArg struct {
	// Path is a file to read, a relocatable module or an archive (told
	// apart by their magic numbers, not by name); empty if Library is set.
	Path string
	// Library is the NAME of -lNAME: the shared module libNAME.vso or the
	// archive libNAME.va, searched in Config.LibDirs then
	// Config.DefaultLibDirs (see FindLibrary). ":FILE" (-l:FILE) searches
	// for the file name FILE instead.
	Library string
	// Group is copied to Input.Group.
	Group int
	// AsNeeded is copied to Input.AsNeeded (vmld --as-needed).
	AsNeeded bool
}

// ReadInputs reads the inputs args, in order, for Link. When -lNAME finds
// the shared module libNAME.vso and the archive libNAME_nonshared.va lies
// beside it, that archive is read too, right after the module: it holds
// what must be copied into every executable (libstd's _start). Errors are
// collected: the returned error is an *Error listing every input that
// could not be found or read, in order.
func ReadInputs(cfg Config, args []InputArg) ([]Input, error) {
	// The arguments are read by one goroutine per CPU; the results are
	// put together in order, so inputs and errors come as if read one by
	// one.
	type result struct {
		ins   []Input
		diags []Diag
	}
	res := make([]result, len(args))
	parallelN(len(args), 1, func(k int) {
		res[k].ins, res[k].diags = readArg(cfg, args[k])
	})
	ins := make([]Input, 0, len(args))
	var diags []Diag
	for _, r := range res {
		ins = append(ins, r.ins...)
		diags = append(diags, r.diags...)
	}
	if len(diags) > 0 {
		return nil, &Error{Diags: diags}
	}
	return ins, nil
}

// readArg reads the input or inputs of one argument (see ReadInputs).
func readArg(cfg Config, a InputArg) (ins []Input, diags []Diag) {
	path := a.Path
	if a.Library != "" {
		p, d, ok := FindLibrary(cfg, a.Library)
		if !ok {
			return nil, []Diag{d}
		}
		path = p
	}
	in, err := ReadInput(path)
	if err != nil {
		return nil, []Diag{{Msg: describeReadError(path, err)}}
	}
	in.Group, in.AsNeeded = a.Group, a.AsNeeded
	ins = append(ins, in)
	if a.Library == "" || !strings.HasSuffix(path, ".vso") {
		return ins, nil
	}
	// The part of a library that must be linked into each executable
	// (libstd's startup code) comes with its shared module as
	// libNAME_nonshared.va, as glibc pairs libc.so.6 with
	// libc_nonshared.a.
	extra := strings.TrimSuffix(path, ".vso") + "_nonshared.va"
	if fi, err := os.Stat(extra); err != nil || !fi.Mode().IsRegular() {
		return ins, nil
	}
	in, err = ReadInput(extra)
	if err != nil {
		return ins, []Diag{{Msg: describeReadError(extra, err)}}
	}
	in.Group = a.Group
	return append(ins, in), nil
}

// FindLibrary searches for the library of -lNAME (see InputArg.Library)
// in cfg.LibDirs then cfg.DefaultLibDirs and returns the path of the first
// regular file found. In each directory the shared module libNAME.vso is
// tried before the archive libNAME.va, unless cfg.Static (as ld's
// -Bdynamic and -Bstatic). If there is none, the diagnostic lists every
// path tried:
//
//	error: unable to find library -lfoo
//	>>> tried lib/libfoo.vso
//	>>> tried lib/libfoo.va
func FindLibrary(cfg Config, name string) (path string, notFound Diag, ok bool) {
	files := []string{"lib" + name + ".vso", "lib" + name + ".va"}
	if cfg.Static {
		files = files[1:]
	}
	if rest, ok := strings.CutPrefix(name, ":"); ok {
		files = []string{rest}
	}
	notFound.Msg = "unable to find library -l" + name
	for _, dirs := range [][]string{cfg.LibDirs, cfg.DefaultLibDirs} {
		for _, dir := range dirs {
			for _, file := range files {
				p := filepath.Join(dir, file)
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
					return p, Diag{}, true
				}
				notFound.Notes = append(notFound.Notes, "tried "+p)
			}
		}
	}
	if len(notFound.Notes) == 0 {
		notFound.Notes = []string{"no library directories to search (use -L DIR)"}
	}
	return "", notFound, false
}

// ReadInput reads the file path: an archive if it starts with the archive
// magic, else a module (relocatable, or a shared module, which Link tells
// apart by its type). Errors are those of os.Open and objfmt.
func ReadInput(path string) (Input, error) {
	fh, err := os.Open(path)
	if err != nil {
		return Input{}, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return Input{}, err
	}
	if fi.IsDir() {
		return Input{}, &fs.PathError{Op: "open", Path: path, Err: errors.New("is a directory")}
	}
	r := io.NewSectionReader(fh, 0, fi.Size())
	var magic [len(objfmt.ArchiveMagic)]byte
	if n, _ := r.ReadAt(magic[:], 0); objfmt.IsArchive(magic[:n]) {
		a, err := objfmt.NewArchive(r)
		return Input{Name: path, Archive: a}, err
	}
	f, err := objfmt.NewFile(r)
	return Input{Name: path, File: f}, err
}

// describeReadError renders an error of ReadInput on one line naming the
// file: "x.vo: <problem> at offset 0x10" for a malformed file, else
// "cannot open x.vo: <reason>".
func describeReadError(path string, err error) string {
	var fe *objfmt.FormatError
	if errors.As(err, &fe) {
		return fmt.Sprintf("%s: %s at offset %#x", path, fe.Msg, fe.Off)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Sprintf("cannot open %s: %s", path, err)
}
