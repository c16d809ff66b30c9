package examples_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"linkvm/internal/atomicfile"
	"linkvm/internal/golden"
)

// tutorialPath is the tutorial, relative to this package's directory.
const tutorialPath = "../docs/tutorial.md"

// The paths the tutorial shows for the reader's home directory and for
// the linkvm installation (its setup section clones linkvm there).
const (
	tutorialHome   = "/home/student"
	tutorialLinkvm = "/home/student/linkvm"
)

// timing matches a duration as bash's time prints it with the tutorial's
// TIMEFORMAT ('%3R seconds'): the one kind of number that varies.
var timing = regexp.MustCompile(`\b[0-9]+\.[0-9]+ seconds\b`)

// tutorialCommand is one command of a console block and the output the
// tutorial shows for it.
type tutorialCommand struct {
	line   int    // 1-based line of the command's "$ " in the tutorial
	input  string // the command as bash reads it, without the prompt
	output string // the output shown, every line ending in "\n"
	// outFrom and outTo delimit the output's lines in the document
	// (0-based, outTo excluded), where -update writes the new output.
	outFrom, outTo int
}

// heredoc finds a here-document operator and its terminator word.
var heredoc = regexp.MustCompile(`<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?`)

// parseTutorial returns the commands of the console blocks of doc, split
// into lines, in order.
func parseTutorial(lines []string) ([]tutorialCommand, error) {
	var cmds []tutorialCommand
	for i := 0; i < len(lines); i++ {
		info, isFence := strings.CutPrefix(lines[i], "```")
		if !isFence {
			continue
		}
		open := i
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			if info != "console" && strings.HasPrefix(lines[i], "$ ") {
				return nil, fmt.Errorf("line %d: a block with commands must be a ```console block", i+1)
			}
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: the block is not closed", open+1)
		}
		if info == "console" {
			block, err := parseConsole(lines, open+1, i)
			if err != nil {
				return nil, err
			}
			cmds = append(cmds, block...)
		}
	}
	return cmds, nil
}

// parseConsole parses the console block lines[from:to].
func parseConsole(lines []string, from, to int) ([]tutorialCommand, error) {
	var cmds []tutorialCommand
	i := from
	for i < to {
		text, ok := strings.CutPrefix(lines[i], "$ ")
		if !ok {
			return nil, fmt.Errorf("line %d: output before the first command of the block", i+1)
		}
		c := tutorialCommand{line: i + 1}
		input := []string{text}
		i++
		for strings.HasSuffix(input[len(input)-1], `\`) && i < to {
			input = append(input, lines[i])
			i++
		}
		if m := heredoc.FindStringSubmatch(strings.Join(input, "\n")); m != nil {
			for i < to && lines[i] != m[1] {
				input = append(input, lines[i])
				i++
			}
			if i == to {
				return nil, fmt.Errorf("line %d: here-document without its %s line", c.line, m[1])
			}
			input = append(input, lines[i])
			i++
		}
		c.input = strings.Join(input, "\n")
		c.outFrom = i
		for i < to && !strings.HasPrefix(lines[i], "$ ") {
			c.output += lines[i] + "\n"
			i++
		}
		c.outTo = i
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// tutorialRun is what one command printed and its exit status.
type tutorialRun struct {
	output string
	status int
}

// runTutorial runs the commands in one bash process in home and returns
// what each printed, with paths shown as the tutorial shows them.
func runTutorial(t *testing.T, home string, cmds []tutorialCommand) []tutorialRun {
	t.Helper()
	// After each command, a line that no command prints marks its end and
	// carries its exit status.
	marker := fmt.Sprintf("@@linkvm-tutorial-%d@@", time.Now().UnixNano())
	var script strings.Builder
	script.WriteString("exec 2>&1\n")
	for i, c := range cmds {
		fmt.Fprintf(&script, "%s\nprintf '\\n%s %d %%d\\n' $?\n", c.input, marker, i)
	}
	scriptPath := filepath.Join(t.TempDir(), "tutorial.sh")
	require.NoError(t, os.WriteFile(scriptPath, []byte(script.String()), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", scriptPath)
	cmd.Dir = home
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + home, "LC_ALL=C"}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "bash: %s", out)

	got := showPaths(t, string(out), home)
	runs := make([]tutorialRun, len(cmds))
	for i := range cmds {
		end := fmt.Sprintf("\n%s %d ", marker, i)
		before, after, found := strings.Cut(got, end)
		require.True(t, found, "the script stopped before the command at line %d ended; it printed:\n%s", cmds[i].line, got)
		statusText, rest, _ := strings.Cut(after, "\n")
		status, err := strconv.Atoi(statusText)
		require.NoError(t, err)
		runs[i] = tutorialRun{output: before, status: status}
		got = rest
	}
	return runs
}

// showPaths replaces, in out, the test's directories with the paths the
// tutorial shows for them.
func showPaths(t *testing.T, out, home string) string {
	t.Helper()
	linkvm := filepath.Dir(bin)
	type subst struct{ real, shown string }
	var substs []subst
	for _, d := range []subst{{linkvm, tutorialLinkvm}, {home, tutorialHome}} {
		substs = append(substs, d)
		if r, err := filepath.EvalSymlinks(d.real); err == nil && r != d.real {
			substs = append(substs, subst{r, d.shown})
		}
	}
	// The longest first, so that a directory inside another is replaced
	// as a whole.
	slices.SortStableFunc(substs, func(a, b subst) int { return len(b.real) - len(a.real) })
	for _, s := range substs {
		out = strings.ReplaceAll(out, s.real, s.shown)
	}
	return out
}

// sameOutput reports whether two outputs are equal once timings are
// masked.
func sameOutput(want, got string) bool {
	return timing.ReplaceAllString(want, "T seconds") == timing.ReplaceAllString(got, "T seconds")
}

// TestTutorial runs docs/tutorial.md the way a reader follows it and
// compares every output the tutorial shows with the real one.
//
// The commands are the ```console blocks: a line starting with "$ " is a
// command (the rest of the line is what the reader types); a command whose
// text has a here-document (<<'EOF') also takes the lines up to the
// terminator, and a line ending in a backslash takes the next one. The
// lines after a command, up to the next command or the end of the block,
// are its output: standard output and standard error together, as a
// terminal shows them. Any other fenced block must not contain "$ " lines,
// so that no command escapes the test.
//
// Every command runs, in order, in one bash process (so cd, variables and
// files carry over from block to block) started in an empty home directory
// with a clean environment: PATH is the tools' bin directory followed by
// /usr/bin and /bin, HOME is that directory, LC_ALL=C. Each command must
// exit with status 0; the tutorial shows a failure with `|| echo ...`.
//
// What may differ between the tutorial and a run, and nothing else:
//
//   - paths: the test's home directory is shown as /home/student and the
//     linkvm installation (the directory holding bin/ and lib/) as
//     /home/student/linkvm, where the tutorial's setup puts them;
//   - timings: a number with a fraction followed by " seconds" (what
//     `time` prints with the tutorial's TIMEFORMAT) matches any such
//     number.
//
// Sizes, addresses, instruction counts and everything else are compared
// exactly. `go test ./examples -run TestTutorial -update` rewrites the
// outputs in the tutorial from a real run, keeping each output that
// already matches (so the timings shown do not churn).
func TestTutorial(t *testing.T) {
	doc, err := os.ReadFile(tutorialPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(doc), "\n"), "\n")
	cmds, err := parseTutorial(lines)
	require.NoError(t, err, tutorialPath)
	require.NotEmpty(t, cmds, "%s has no console blocks", tutorialPath)

	home := t.TempDir()
	runs := runTutorial(t, home, cmds)

	if golden.Update() {
		updateTutorial(t, lines, cmds, runs)
		return
	}
	for i, c := range cmds {
		r := runs[i]
		where := fmt.Sprintf("%s:%d: $ %s", tutorialPath, c.line, strings.SplitN(c.input, "\n", 2)[0])
		assert.Equal(t, 0, r.status, "%s: the command failed:\n%s", where, r.output)
		if !sameOutput(c.output, r.output) {
			assert.Equal(t, c.output, r.output, "%s: the output differs (go test ./examples -run TestTutorial -update rewrites it)", where)
		}
	}
}

// updateTutorial writes the outputs of runs into the tutorial, keeping
// each output that already matches.
func updateTutorial(t *testing.T, lines []string, cmds []tutorialCommand, runs []tutorialRun) {
	t.Helper()
	var doc []string
	prev := 0
	for i, c := range cmds {
		require.Equal(t, 0, runs[i].status, "%s:%d: the command failed:\n%s", tutorialPath, c.line, runs[i].output)
		doc = append(doc, lines[prev:c.outFrom]...)
		out := c.output
		if !sameOutput(c.output, runs[i].output) {
			out = runs[i].output
		}
		if out != "" {
			require.True(t, strings.HasSuffix(out, "\n"), "%s:%d: the output does not end with a newline: %q", tutorialPath, c.line, out)
			doc = append(doc, strings.Split(strings.TrimSuffix(out, "\n"), "\n")...)
		}
		prev = c.outTo
	}
	doc = append(doc, lines[prev:]...)

	// The new document must have the same commands: an output line that
	// looked like a command or a fence would change them.
	again, err := parseTutorial(doc)
	require.NoError(t, err)
	require.Len(t, again, len(cmds))
	for i := range cmds {
		require.Equal(t, cmds[i].input, again[i].input, "an output changed the commands of the tutorial")
	}
	require.NoError(t, atomicfile.WriteFile(tutorialPath, []byte(strings.Join(doc, "\n")+"\n"), 0o644))
}

// TestParseTutorial checks how the tutorial is split into commands and
// outputs, and that a malformed tutorial is refused.
func TestParseTutorial(t *testing.T) {
	doc := "# Title\n" +
		"```sh\n" +
		"make tools\n" +
		"```\n" +
		"```console\n" +
		"$ cat > a.s <<'EOF'\n" +
		"$ not a command: inside the here-document\n" +
		"EOF\n" +
		"$ echo one \\\n" +
		"  two\n" +
		"one two\n" +
		"$ true\n" +
		"$ printf 'x\\n\\ny\\n'\n" +
		"x\n" +
		"\n" +
		"y\n" +
		"```\n"
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	cmds, err := parseTutorial(lines)
	require.NoError(t, err)
	assert.Equal(t, []tutorialCommand{
		{line: 6, input: "cat > a.s <<'EOF'\n$ not a command: inside the here-document\nEOF", output: "", outFrom: 8, outTo: 8},
		{line: 9, input: "echo one \\\n  two", output: "one two\n", outFrom: 10, outTo: 11},
		{line: 12, input: "true", output: "", outFrom: 12, outTo: 12},
		{line: 13, input: `printf 'x\n\ny\n'`, output: "x\n\ny\n", outFrom: 13, outTo: 16},
	}, cmds)

	for _, tc := range []struct{ doc, err string }{
		{"```sh\n$ make\n```", "line 2: a block with commands must be a ```console block"},
		{"text\n```console\n$ true\n", "line 2: the block is not closed"},
		{"```console\noutput\n$ true\n```", "line 2: output before the first command of the block"},
		{"```console\n$ cat <<EOF\nno end\n```", "line 2: here-document without its EOF line"},
	} {
		_, err := parseTutorial(strings.Split(tc.doc, "\n"))
		assert.EqualError(t, err, tc.err, "%q", tc.doc)
	}
}

// TestSameOutput: only timings may differ.
func TestSameOutput(t *testing.T) {
	assert.True(t, sameOutput("took 0.221 seconds\n", "took 13.5 seconds\n"))
	assert.False(t, sameOutput("took 0.221 seconds\n", "took 0.221 ms\n"))
	assert.False(t, sameOutput("9928 hello.img\n", "9936 hello.img\n"))
	assert.False(t, sameOutput("0.221 seconds\n", "0.221 seconds\nmore\n"))
}
