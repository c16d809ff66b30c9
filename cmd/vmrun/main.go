// Command vmrun runs a linkvm executable image.
//
//	vmrun [flags] prog.img [args...]
//
// Flags end at the first argument that is not a flag (or after "--"), so
// arguments meant for the program, such as -x, pass through. The program's
// argv[0] is prog.img. See docs/vmrun.md for the flags, the limits, the
// --dir sandbox and the exit statuses, docs/syscalls.md for the system
// calls.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"linkvm/internal/install"
	"linkvm/internal/runopts"
	"linkvm/vm"
)

// libDirs returns the installation's default library directories (tests
// replace it so that their results do not depend on the installation).
var libDirs = install.LibDirs

const usage = `usage: vmrun [flags] prog.img [args...]

Runs the linkvm executable image prog.img with the arguments args (its
argv[0] is prog.img). Flags end at the first argument that is not a flag,
or after "--".

Flags:
` + runopts.Usage + `  --timeout D         interrupt every process after the duration D (2s,
                      500ms, 1m, or seconds), even one blocked in a system
                      call; vmrun exits with 124
  --trace             print each instruction executed, with its location,
                      source line and the registers it changed
  --trace=calls       print only calls and returns, indented by depth,
                      and each lazy binding as it is resolved
  --count             print at exit the instructions executed, in total
                      and per function, and the peak memory
  --profile FILE      write a CPU profile (samples by instructions) in
                      pprof's format: go tool pprof -top FILE
  --stats             when every process has ended, print to standard
                      error per module file the processes that mapped it,
                      its bytes shared (read-only, counted once) and
                      private (writable, summed over the processes) and
                      the bindings resolved, then per process the
                      instructions it executed (docs/linking.md)
  -h, --help          print this help

An image linked against shared modules is loaded by the dynamic loader,
which reads VM_LIBRARY_PATH, VM_PRELOAD, VM_BIND_NOW and VM_DEBUG
(docs/dynld.md).

Exit status: the program's exit status (its low 8 bits); 2 for a usage
error; 127 if the image (or a module it needs) cannot be loaded; 134 if
the program traps (the trap report goes to standard error); 124 if it
ran out of --max-steps or --timeout; 130 if vmrun was interrupted
(SIGINT). Limits, sandbox and exit statuses: docs/vmrun.md.
`

// parseTimeout parses a --timeout value: a Go duration such as 500ms,
// 2s or 1m30s, or a number of seconds.
func parseTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		secs, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || secs != secs || secs > 1e9 {
			return 0, errors.New("not a duration (such as 2s, 500ms, 1m, or a number of seconds)")
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, errors.New("the timeout must be positive")
	}
	return d, nil
}

// errHelp is what the flag scanner returns for -h.
var errHelp = errors.New("help")

// Exit statuses of vmrun besides the program's own.
const (
	exitUsage = 2
	exitLoad  = 127
	exitTrap  = 134
	// exitStepLimit is the status of a program stopped by --max-steps or
	// --timeout: timeout(1)'s status for a command it stopped.
	exitStepLimit = 124
	// exitInterrupted is the status after SIGINT: a shell's for a
	// command killed by it (128 + 2).
	exitInterrupted = 130
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is vmrun with its arguments and streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "vmrun: "+format+"\n", a...)
		fmt.Fprintln(stderr, "usage: vmrun [flags] prog.img [args...] (vmrun -h for help)")
		return exitUsage
	}
	opts := runopts.New()
	var st *stats // nil without --stats
	var tools toolOptions
	var timeout time.Duration // 0: none
	i, err := runopts.Scan(args, func(name string, hasVal bool, value func() (string, bool)) error {
		if ok, err := opts.Flag(name, hasVal, value); ok {
			return err
		}
		switch name {
		case "-h", "-help", "--help":
			return errHelp
		case "-stats", "--stats":
			if hasVal {
				return fmt.Errorf("%s takes no argument", name)
			}
			st = &stats{}
		case "-trace", "--trace":
			if !hasVal {
				tools.trace = "all"
				break
			}
			switch v, _ := value(); v {
			case "calls", "all":
				tools.trace = v
			default:
				return fmt.Errorf("%s=%s: the choices are --trace and --trace=calls", name, v)
			}
		case "-count", "--count":
			if hasVal {
				return fmt.Errorf("%s takes no argument", name)
			}
			tools.count = true
		case "-timeout", "--timeout":
			v, ok := value()
			if !ok {
				return fmt.Errorf("%s needs a duration", name)
			}
			d, err := parseTimeout(v)
			if err != nil {
				return fmt.Errorf("%s %s: %v", name, v, err)
			}
			timeout = d
		case "-profile", "--profile":
			v, ok := value()
			if !ok {
				return fmt.Errorf("%s needs an output file", name)
			}
			if err := checkProfile(v); err != nil {
				return fmt.Errorf("%s %s: %v", name, v, err)
			}
			tools.profile = v
		default:
			return fmt.Errorf("unknown flag %s", name)
		}
		return nil
	})
	switch {
	case err == errHelp:
		fmt.Fprint(stderr, usage)
		return 0
	case err != nil:
		return usageErr("%v", err)
	case i >= len(args):
		return usageErr("no image given")
	}
	if err := opts.Finish(os.LookupEnv); err != nil {
		return usageErr("%v", err)
	}
	path := args[i]
	cfg, dcfg := opts.ForImage(path, os.Getenv)
	cfg.Args = append([]string{path}, args[i+1:]...)
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	// Every process, the first and those it spawns, is loaded the same
	// way: static images by the VM, dynamic ones by the loader.
	host := vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
		p, err := runopts.Load(path, cfg, dcfg, libDirs)
		if err == nil && st != nil {
			st.add(p)
		}
		return p, err
	})
	host.MaxProcs = opts.MaxProcs
	// The monitors go on before the loader runs the modules' init
	// functions, so that those are traced and counted too.
	host.OnCreate = tools.attach
	// SIGINT interrupts the host, until every process has ended.
	sigint := interruptOnSignal(host)
	defer sigint.stop()
	// So does --timeout: a process blocked for ever (reading a pipe only
	// it could write to, say) executes no instructions for --max-steps to
	// count.
	var timedOut atomic.Bool
	if timeout > 0 {
		t := time.AfterFunc(timeout, func() {
			timedOut.Store(true)
			host.Interrupt()
		})
		defer t.Stop()
	}
	pid, err := host.Spawn(path, cfg.Args, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vmrun: %v\n", err)
		if sigint.received() {
			return exitInterrupted
		}
		return exitLoad
	}
	// vmrun ends when every process has: a child's output is never cut.
	// The report comes after that, and after the first process's trap
	// report.
	defer func() {
		host.WaitAll()
		if st != nil {
			st.write(stderr)
		}
		tools.finish(stderr)
	}()
	status, err := host.Wait(pid)
	var trap *vm.Trap
	switch {
	case errors.As(err, &trap):
		fmt.Fprint(stderr, "vmrun: "+trap.Report())
		switch {
		case errors.Is(trap, vm.ErrStepLimit):
			return exitStepLimit
		case errors.Is(trap, vm.ErrInterrupted) && timedOut.Load():
			fmt.Fprintf(stderr, "vmrun: timed out after %v\n", timeout)
			return exitStepLimit
		case sigint.received():
			return exitInterrupted
		}
		return exitTrap
	case err != nil:
		fmt.Fprintf(stderr, "vmrun: %v\n", err)
	}
	if sigint.received() {
		return exitInterrupted
	}
	return status & 0xff
}
