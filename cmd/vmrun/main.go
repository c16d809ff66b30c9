// Command vmrun runs a linkvm executable image.
//
//	vmrun [flags] prog.img [args...]
//
// Flags end at the first argument that is not a flag (or after "--"), so
// arguments meant for the program, such as -x, pass through. The program's
// argv[0] is prog.img. See docs/syscalls.md for the system calls, the
// --dir rules and the exit statuses.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"linkvm/dynld"
	"linkvm/internal/install"
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
  --dir HOST[:GUEST]  let the program open files in the host directory HOST,
                      which it sees as the directory GUEST (default: HOST);
                      may be repeated
  --stack-size N      stack size in bytes, with an optional K, M or G
                      suffix (default 1M)
  --max-steps N       stop each process after N instructions with a
                      "step limit exceeded" trap (exit status 124)
  --trace             print each instruction executed, with its location,
                      source line and the registers it changed
  --trace=calls       print only calls and returns, indented by depth,
                      and each lazy binding as it is resolved
  --count             print at exit the instructions executed, in total
                      and per function, and the peak memory
  --profile FILE      write a CPU profile (samples by instructions) in
                      pprof's format: go tool pprof -top FILE
  --bind-now          resolve every call to a shared module at load time
                      instead of on its first call (also VM_BIND_NOW=1)
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
ran out of --max-steps.
`

// Exit statuses of vmrun besides the program's own.
const (
	exitUsage = 2
	exitLoad  = 127
	exitTrap  = 134
	// exitStepLimit is the status of a program stopped by --max-steps:
	// timeout(1)'s status for a command it stopped.
	exitStepLimit = 124
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
	var cfg vm.Config
	bindNow := false
	var st *stats // nil without --stats
	var tools toolOptions
	i := 0
	for ; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			i++
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			break
		}
		name, val, hasVal := strings.Cut(arg, "=")
		value := func() (string, bool) {
			if hasVal {
				return val, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch name {
		case "-h", "-help", "--help":
			fmt.Fprint(stderr, usage)
			return 0
		case "-dir", "--dir":
			v, ok := value()
			if !ok {
				return usageErr("%s needs an argument HOST[:GUEST]", name)
			}
			g, err := parseDir(v)
			if err != nil {
				return usageErr("%s %s: %v", name, v, err)
			}
			cfg.Dirs = append(cfg.Dirs, g)
		case "-bind-now", "--bind-now":
			if hasVal {
				return usageErr("%s takes no argument", name)
			}
			bindNow = true
		case "-stats", "--stats":
			if hasVal {
				return usageErr("%s takes no argument", name)
			}
			st = &stats{}
		case "-max-steps", "--max-steps":
			v, ok := value()
			if !ok {
				return usageErr("%s needs an argument", name)
			}
			n, err := strconv.ParseUint(v, 0, 64)
			if err != nil || n == 0 {
				return usageErr("%s %s: not a positive number of instructions", name, v)
			}
			cfg.MaxSteps = n
		case "-trace", "--trace":
			switch {
			case !hasVal:
				tools.trace = "all"
			case val == "calls" || val == "all":
				tools.trace = val
			default:
				return usageErr("%s=%s: the choices are --trace and --trace=calls", name, val)
			}
		case "-count", "--count":
			if hasVal {
				return usageErr("%s takes no argument", name)
			}
			tools.count = true
		case "-profile", "--profile":
			v, ok := value()
			if !ok {
				return usageErr("%s needs an output file", name)
			}
			tools.profile = v
		case "-stack-size", "--stack-size":
			v, ok := value()
			if !ok {
				return usageErr("%s needs an argument", name)
			}
			n, err := parseSize(v)
			if err != nil {
				return usageErr("%s %s: %v", name, v, err)
			}
			cfg.StackSize = n
		default:
			return usageErr("unknown flag %s", name)
		}
	}
	if i >= len(args) {
		return usageErr("no image given")
	}
	path := args[i]
	cfg.Args = append([]string{path}, args[i+1:]...)
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr

	dcfg := dynld.ConfigFromEnv(os.Getenv)
	dcfg.BindNow = dcfg.BindNow || bindNow
	// Every process, the first and those it spawns, is loaded the same
	// way: static images by the VM, dynamic ones by the loader.
	host := vm.NewHost(func(path string, argv []string, cfg vm.Config) (*vm.Process, error) {
		// One parsed copy per file version for the whole host, mapped from
		// the file: shared by the processes of this host and, through the
		// page cache, with other vmrun processes.
		img, err := dynld.HostCache.Open(path)
		if err != nil {
			if _, ok := errors.AsType[*fs.PathError](err); ok {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var p *vm.Process
		if img.Dynamic != nil {
			// Only dynamic images need the default library directory.
			d := dcfg
			d.DefaultLibDirs = libDirs()
			p, err = dynld.Load(path, cfg, d)
		} else {
			p, err = vm.Load(img, path, cfg)
		}
		if err == nil && st != nil {
			st.add(p)
		}
		if err == nil {
			tools.attach(p)
		}
		return p, err
	})
	pid, err := host.Spawn(path, cfg.Args, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vmrun: %v\n", err)
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
		if errors.Is(trap, vm.ErrStepLimit) {
			return exitStepLimit
		}
		return exitTrap
	case err != nil:
		fmt.Fprintf(stderr, "vmrun: %v\n", err)
	}
	return status & 0xff
}

// parseDir parses a --dir value HOST[:GUEST] and checks that HOST is a
// directory. GUEST defaults to HOST.
func parseDir(v string) (vm.DirGrant, error) {
	host, guest, ok := strings.Cut(v, ":")
	if host == "" {
		return vm.DirGrant{}, errors.New("empty host directory")
	}
	if !ok || guest == "" {
		guest = host
	}
	fi, err := os.Stat(host)
	if err != nil {
		return vm.DirGrant{}, err
	}
	if !fi.IsDir() {
		return vm.DirGrant{}, errors.New("not a directory")
	}
	return vm.DirGrant{Host: host, Guest: guest}, nil
}

// parseSize parses a positive byte count with an optional K, M or G
// (binary) suffix, at most vm.MaxStackSize.
func parseSize(v string) (uint64, error) {
	mult := uint64(1)
	num := v
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 'k', 'K':
			mult, num = 1<<10, v[:n-1]
		case 'm', 'M':
			mult, num = 1<<20, v[:n-1]
		case 'g', 'G':
			mult, num = 1<<30, v[:n-1]
		}
	}
	n, err := strconv.ParseUint(num, 0, 64)
	if err != nil {
		return 0, errors.New("not a size (bytes, with an optional K, M or G suffix)")
	}
	if n == 0 {
		return 0, errors.New("the stack size must be positive")
	}
	if n > vm.MaxStackSize/mult {
		return 0, fmt.Errorf("larger than the maximum stack size %d", vm.MaxStackSize)
	}
	return n * mult, nil
}
