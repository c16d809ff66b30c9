// Command cases sorts a profile's samples in the interpreter's hot loop
// by the case of run they fell in: the instruction or superinstruction
// (vm/exec_run.go), the dispatch at the loop's head, or one of the labels
// the cases jump to (branch, far, slow, pause). It reads the output of
// perf script (a hexadecimal address, then the symbol, per sample):
//
//	perf record -F 20000 -e cpu-clock -o /tmp/bt.data bin/vmrun build/examples/binarytrees.img 15
//	perf script -i /tmp/bt.data -F ip,sym | go run ./examples/bench/cases bin/vmrun
//
// and prints each case's share of all samples, largest first. The
// binary's own line table (.gopclntab, as go tool addr2line reads it)
// gives each address its line of exec_run.go, and the file gives the
// line its case. perf annotate shows the same per instruction, but run is
// some 160 cases in one function: comparing two programs (a static and a
// dynamic image) case by case is what this is for.
//
// Two things to keep in mind when reading it. A sample lands on the
// instruction after the one that waited (skid): the wait of the dispatch's
// indirect jump shows on the first instruction of the case it jumps to.
// And the register moves the compiler puts before a jump back to the
// dispatch carry the line of an assignment it merged them with, which may
// be in another case: the swap of segments at the end of a return across
// modules shows under far.
package main

import (
	"bufio"
	"cmp"
	"debug/elf"
	"debug/gosym"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cases:", err)
		os.Exit(2)
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cases", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fn := fs.String("func", "linkvm/vm.(*Process).run", "the function whose samples are sorted")
	src := fs.String("src", "vm/exec_run.go", "its source file, whose cases name the lines")
	minShare := fs.Float64("min", 0.5, "leave out the cases with a smaller share, in percent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: perf script -F ip,sym | cases [-func F] [-src FILE] [-min PERCENT] BINARY")
	}
	lines, err := readLines(fs.Arg(0))
	if err != nil {
		return err
	}
	text, err := os.ReadFile(*src)
	if err != nil {
		return err
	}
	t, err := tally(stdin, *fn, lines, caseLines(string(text)), *src)
	if err != nil {
		return err
	}
	t.write(stdout, *fn, *minShare)
	return nil
}

// readLines returns the line table of the Go binary at path: the file and
// line of each address, from its .gopclntab.
func readLines(path string) (*gosym.Table, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	f, err := elf.NewFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return nil, fmt.Errorf("%s: no .gopclntab or .text: not a Go binary", path)
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tab, nil
}

// labelRE matches a label of run's body (one tab in), isaRE an
// instruction's opcode in a case's labels.
var (
	labelRE = regexp.MustCompile(`^\t([a-z]+):`)
	isaRE   = regexp.MustCompile(`uint8\(isa\.([A-Z0-9]+)\)`)
)

// dispatch names the lines before the first case: the loop's head,
// which tests the step budget, loads the opcode and jumps.
const dispatch = "(dispatch)"

// caseLines returns, for each line of run's source (index 0 is line 1),
// the case it belongs to: its first label, an instruction's in lower case
// (add, not uint8(isa.ADD)), with "…" if it has more; a label's name
// (far, slow...) after the switch; dispatch before the first case.
func caseLines(src string) []string {
	var out []string
	cur := dispatch
	for l := range strings.Lines(src) {
		l = strings.TrimSuffix(l, "\n")
		if rest, ok := strings.CutPrefix(l, "\t\tcase "); ok { // a case's first line
			rest, _, _ = strings.Cut(rest, " //")
			rest = strings.TrimSuffix(rest, ":")
			labels := strings.Split(rest, ", ")
			cur = isaRE.ReplaceAllStringFunc(labels[0], func(s string) string {
				return strings.ToLower(isaRE.FindStringSubmatch(s)[1])
			})
			if len(labels) > 1 || strings.HasSuffix(rest, ",") { // more, perhaps on the next lines
				cur += ", …"
			}
		} else if m := labelRE.FindStringSubmatch(l); m != nil {
			cur = m[1]
			if cur == "top" { // the loop's head
				cur = dispatch
			}
		}
		out = append(out, cur)
	}
	return out
}

// counts is a profile sorted by case.
type counts struct {
	total, in int            // samples in all, and in the function
	byCase    map[string]int // the function's, by case
}

// tally reads perf script's lines from r and counts the samples of fn by
// the case of their line in src (cases, from caseLines). A sample of fn
// whose line is in another file counts under that file and line.
func tally(r io.Reader, fn string, tab *gosym.Table, cases []string, src string) (counts, error) {
	c := counts{byCase: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		pc, err := strconv.ParseUint(strings.TrimPrefix(f[0], "0x"), 16, 64)
		if err != nil {
			return c, fmt.Errorf("line %d: %q is not an address: want perf script -F ip,sym", n, f[0])
		}
		c.total++
		if len(f) < 2 || strings.Join(f[1:], " ") != fn {
			continue
		}
		c.in++
		file, line, _ := tab.PCToLine(pc)
		switch {
		case !sameFile(file, src):
			c.byCase[fmt.Sprintf("%s:%d", file, line)]++
		case line >= 1 && line <= len(cases):
			c.byCase[cases[line-1]]++
		default:
			return c, fmt.Errorf("%#x is line %d of %s, which has %d lines: is the source the binary's?", pc, line, src, len(cases))
		}
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	if c.total == 0 {
		return c, errors.New("no samples: want the output of perf script -F ip,sym")
	}
	return c, nil
}

// sameFile reports whether the line table's file (an absolute path, or a
// module path with -trimpath) is src, a path relative to the module's
// root or absolute.
func sameFile(file, src string) bool {
	return file == src || strings.HasSuffix(file, "/"+strings.TrimPrefix(src, "./"))
}

// write prints the counts: the totals, then each case with at least
// minShare percent of all samples, largest first (then by name).
func (c counts) write(w io.Writer, fn string, minShare float64) {
	fmt.Fprintf(w, "%d samples, %d (%.1f%%) in %s\n", c.total, c.in, pct(c.in, c.total), fn)
	names := make([]string, 0, len(c.byCase))
	for k := range c.byCase {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(c.byCase[b], c.byCase[a]), cmp.Compare(a, b))
	})
	rest := 0
	for _, k := range names {
		if p := pct(c.byCase[k], c.total); p >= minShare {
			fmt.Fprintf(w, "%6.2f%%  %s\n", p, k)
		} else {
			rest += c.byCase[k]
		}
	}
	if rest > 0 {
		fmt.Fprintf(w, "%6.2f%%  (the other cases)\n", pct(rest, c.total))
	}
}

// pct is n as a percentage of all.
func pct(n, all int) float64 {
	return 100 * float64(n) / float64(all)
}
