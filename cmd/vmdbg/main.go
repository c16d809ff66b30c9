// Command vmdbg is linkvm's debugger: it runs an image under gdb-like
// commands (break, run, step, next, finish, x, print, backtrace, list,
// info sharedlibrary, watch, ...).
//
//	vmdbg [flags] prog.img [args...]
//
// Commands come from the terminal (with line editing and history), from
// standard input, or from -x FILE; --batch makes a script's output stable
// for tests and graders. See docs/debugging.md.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"linkvm/internal/dbg"
	"linkvm/internal/install"
	"linkvm/internal/runopts"
)

const usage = `usage: vmdbg [flags] prog.img [args...]

Debugs the linkvm executable image prog.img, run with the arguments args
(its argv[0] is prog.img). The program is loaded and held before its first
instruction; "run" starts it. "help" lists the commands. Flags end at the
first argument that is not a flag, or after "--".

Flags:
  -x FILE             run the commands in FILE first (may be repeated)
  --batch             exit after the commands of the -x files, or of
                      standard input without -x; no prompts
  --echo              print each command read from a file or a pipe,
                      after the prompt, before its output (transcripts)
` + runopts.Usage + `  -h, --help          print this help

At a terminal, commands are read with line editing and history (an empty
line repeats step, next, stepi, nexti, continue, finish, x and list).
Otherwise they are read from standard input, after a "(vmdbg) " prompt
unless --batch. At a terminal (without --batch), or with --batch -x, the
program's standard input is vmdbg's; otherwise it is empty unless
"run < FILE" names one.

Exit status: 0; 1 if a command of a script failed; 2 for a usage error;
127 if the image (or a module it needs) cannot be loaded.
`

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitLoad   = 127
)

// prompt is what the debugger shows before reading a command.
const prompt = "(vmdbg) "

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are vmdbg's own flags.
type options struct {
	scripts []string
	batch   bool
	echo    bool
}

// errHelp is what the flag scanner returns for -h.
var errHelp = errors.New("help")

// run is vmdbg with its arguments and streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "vmdbg: "+format+"\n", a...)
		fmt.Fprintln(stderr, "usage: vmdbg [flags] prog.img [args...] (vmdbg -h for help)")
		return exitUsage
	}
	var o options
	shared := runopts.New()
	i, err := runopts.Scan(args, func(name string, hasVal bool, value func() (string, bool)) error {
		if ok, err := shared.Flag(name, hasVal, value); ok {
			return err
		}
		switch name {
		case "-h", "-help", "--help":
			return errHelp
		case "-x":
			v, ok := value()
			if !ok {
				return errors.New("-x needs a command file")
			}
			o.scripts = append(o.scripts, v)
		case "-batch", "--batch", "-echo", "--echo":
			if hasVal {
				return fmt.Errorf("%s takes no argument", name)
			}
			if strings.HasSuffix(name, "batch") {
				o.batch = true
			} else {
				o.echo = true
			}
		default:
			return fmt.Errorf("unknown flag %s", name)
		}
		return nil
	})
	switch {
	case err == errHelp:
		fmt.Fprint(stdout, usage)
		return exitOK
	case err != nil:
		return usageErr("%v", err)
	}
	if i >= len(args) {
		return usageErr("no image given")
	}
	if err := shared.Finish(os.LookupEnv); err != nil {
		return usageErr("%v", err)
	}
	cfg, loader := shared.ForImage(args[i], os.Getenv)
	scripts := make([]*os.File, len(o.scripts))
	for k, name := range o.scripts {
		f, err := os.Open(name)
		if err != nil {
			closeAll(scripts)
			return usageErr("-x: %v", err)
		}
		scripts[k] = f
	}
	defer closeAll(scripts)

	tty := terminal(stdin, stdout)
	interactive := tty != nil && !o.batch
	if interactive || o.batch && len(scripts) > 0 {
		cfg.Stdin = stdin // the program shares the terminal, or vmdbg's input
	}
	cfg.Stdout, cfg.Stderr = stdout, stderr
	sess, err := dbg.New(dbg.Config{
		Path: args[i], Args: args[i+1:], VM: cfg, MaxProcs: shared.MaxProcs, Loader: loader, LibDirs: libDirs,
		Out: stdout, Err: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "vmdbg: %v\n", err)
		return exitLoad
	}
	defer sess.Close()

	for _, f := range scripts {
		if script(sess, bufio.NewReader(f), stdout, o.echo, false) {
			return status(sess)
		}
	}
	switch {
	case o.batch && len(scripts) > 0:
	case interactive:
		tty.serve(sess)
	default:
		script(sess, bufio.NewReader(stdin), stdout, o.echo, !o.batch && !o.echo)
	}
	return status(sess)
}

// libDirs returns the installation's default library directories (tests
// replace it).
var libDirs = install.LibDirs

// status is vmdbg's exit status at the end of a session.
func status(sess *dbg.Session) int {
	if sess.Failed() > 0 {
		return exitFailed
	}
	return exitOK
}

// script runs the commands read from r until its end or quit, which it
// reports. With echo each command is printed after the prompt first;
// with ask, the prompt is printed before each read, as gdb does.
// Blank lines and comments (#) are skipped.
func script(sess *dbg.Session, r *bufio.Reader, out io.Writer, echo, ask bool) (quit bool) {
	for {
		if ask {
			fmt.Fprint(out, prompt)
		}
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			if ask {
				fmt.Fprintln(out)
			}
			return false
		}
		line = strings.TrimRight(line, "\r\n")
		if trimmed := strings.TrimSpace(line); trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if echo {
			fmt.Fprintf(out, "%s%s\n", prompt, line)
		}
		if sess.Exec(line) {
			return true
		}
	}
}

// closeAll closes the files opened so far.
func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}
