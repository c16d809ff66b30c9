// Package runopts holds what vmrun and vmdbg share: the flags that say how
// a program's processes are loaded, sandboxed and limited (docs/vmrun.md),
// the scanner of their command lines, and the loading of one process.
package runopts

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"linkvm/dynld"
	"linkvm/vm"
)

// Usage describes the shared flags, for the tools' help texts.
const Usage = `  --dir HOST[:GUEST]  let the program read files in the host directory
                      HOST, which it sees as the directory GUEST (default:
                      HOST); may be repeated
  --dir-rw HOST[:GUEST]
                      the same, and let it create and write files there
  --env NAME[=VALUE]  give the program the environment variable NAME with
                      VALUE, or without it the tool's own value; may be
                      repeated (the environment is otherwise empty)
  --stack-size N      stack size in bytes, with an optional K, M or G
                      suffix (default 1M)
  --max-steps N       stop each process after N instructions with a
                      "step limit exceeded" trap
  --max-memory N      limit each process's memory (stack, heap, writable
                      data) to N bytes, with an optional K, M or G suffix
                      (default 256M): sbrk and dlopen fail beyond it
  --max-files N       give each process N file descriptors, 0 to N-1
                      (default 64): open fails beyond them
  --max-procs N       run at most N processes at once (default 64): spawn
                      fails beyond them
  --bind-now          resolve every call to a shared module at load time
                      instead of on its first call (also VM_BIND_NOW=1)
`

// DefaultMaxProcs is --max-procs's default: enough for a shell pipeline
// or a parallel computation, few enough that a fork bomb ends quickly.
const DefaultMaxProcs = 64

// maxProcsLimit is the largest --max-procs.
const maxProcsLimit = 1 << 16

// maxMemoryLimit is the largest --max-memory: the guest address space.
const maxMemoryLimit = vm.AddrLimit

// Options are the values of the shared flags. Set them with Flag, then
// call Finish, which completes Config.
type Options struct {
	// Config is the processes' configuration: directories, stack size,
	// step, memory and file limits and, after Finish, the environment.
	Config vm.Config
	// MaxProcs is --max-procs, for vm.Host.MaxProcs.
	MaxProcs int
	// BindNow is --bind-now.
	BindNow bool

	env []envFlag
}

// envFlag is one --env NAME[=VALUE].
type envFlag struct {
	name, value string
	hasValue    bool // NAME=VALUE; otherwise the tool's own value of NAME
}

// New returns the options with every flag at its default.
func New() *Options { return &Options{MaxProcs: DefaultMaxProcs} }

// Flag parses the flag name (with its dashes) if it is a shared one:
// hasVal says whether it was written name=value, and value returns its
// value (the next argument unless hasVal), false if there is none. It
// reports whether name is a shared flag; the error is the whole message
// for a bad value, such as "--max-steps 0: not a positive number of
// instructions".
func (o *Options) Flag(name string, hasVal bool, value func() (string, bool)) (bool, error) {
	bare := strings.TrimLeft(name, "-")
	if bare == "bind-now" {
		if hasVal {
			return true, fmt.Errorf("%s takes no argument", name)
		}
		o.BindNow = true
		return true, nil
	}
	switch bare {
	case "dir", "dir-rw", "env", "stack-size", "max-steps", "max-memory", "max-files", "max-procs":
	default:
		return false, nil
	}
	v, ok := value()
	if !ok {
		if bare == "dir" || bare == "dir-rw" {
			return true, fmt.Errorf("%s needs an argument HOST[:GUEST]", name)
		}
		return true, fmt.Errorf("%s needs an argument", name)
	}
	if err := o.set(bare, v); err != nil {
		return true, fmt.Errorf("%s %s: %v", name, v, err)
	}
	return true, nil
}

// set records the flag (its name without dashes) with the value v.
func (o *Options) set(flag, v string) error {
	switch flag {
	case "dir", "dir-rw":
		g, err := parseDir(v)
		if err != nil {
			return err
		}
		g.ReadOnly = flag == "dir"
		o.Config.Dirs = append(o.Config.Dirs, g)
	case "env":
		name, value, hasValue := strings.Cut(v, "=")
		if name == "" {
			return errors.New("no variable name (the form is NAME or NAME=VALUE)")
		}
		o.env = append(o.env, envFlag{name, value, hasValue})
	case "stack-size":
		n, err := parseBytes(v)
		switch {
		case err != nil:
			return err
		case n == 0:
			return errors.New("the stack size must be positive")
		case n > vm.MaxStackSize:
			return fmt.Errorf("larger than the maximum stack size %d", vm.MaxStackSize)
		}
		o.Config.StackSize = n
	case "max-steps":
		n, err := strconv.ParseUint(v, 0, 64)
		if err != nil || n == 0 {
			return errors.New("not a positive number of instructions")
		}
		o.Config.MaxSteps = n
	case "max-memory":
		n, err := parseBytes(v)
		if err == nil && (n == 0 || n > maxMemoryLimit) {
			err = fmt.Errorf("not a size from 1 to %d bytes", uint64(maxMemoryLimit))
		}
		if err != nil {
			return err
		}
		o.Config.MaxMemory = n
	case "max-files":
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 || n > vm.MaxFilesLimit {
			return fmt.Errorf("not a number of file descriptors from 3 (the standard streams) to %d", vm.MaxFilesLimit)
		}
		o.Config.MaxFiles = n
	case "max-procs":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxProcsLimit {
			return fmt.Errorf("not a number of processes from 1 to %d", maxProcsLimit)
		}
		o.MaxProcs = n
	}
	return nil
}

// Finish checks the flags against each other (a stack larger than the
// memory limit is refused) and puts the environment in Config; lookup
// gives the tool's own environment, for --env NAME.
func (o *Options) Finish(lookup func(string) (string, bool)) error {
	cfg := &o.Config
	memory, stack := cmp.Or(cfg.MaxMemory, vm.DefaultMaxMemory), cmp.Or(cfg.StackSize, vm.DefaultStackSize)
	if stack > memory {
		return fmt.Errorf("the stack (--stack-size, %d bytes) is larger than the memory limit (--max-memory, %d bytes)", stack, memory)
	}
	cfg.Env = nil
	at := map[string]int{} // where each name is in cfg.Env: the last value wins
	for _, e := range o.env {
		value, ok := e.value, e.hasValue
		if !ok {
			value, ok = lookup(e.name)
		}
		switch i, seen := at[e.name]; {
		case !ok: // not set in the tool's environment: the program has none either
		case seen:
			cfg.Env[i] = e.name + "=" + value
		default:
			at[e.name] = len(cfg.Env)
			cfg.Env = append(cfg.Env, e.name+"="+value)
		}
	}
	return nil
}

// Scan walks the flags at the start of args, calling each for every one
// with its name (up to any "="), whether it had "=value", and a function
// returning its value (the part after "=", else the next argument, false
// if there is none). Flags end at the first argument that is not one (a
// lone "-" is not) or after "--". Scan returns the index of the first
// argument after the flags, or each's first error.
func Scan(args []string, each func(name string, hasVal bool, value func() (string, bool)) error) (int, error) {
	i := 0
	for ; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return i + 1, nil
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
		if err := each(name, hasVal, value); err != nil {
			return i, err
		}
	}
	return i, nil
}

// ForImage returns what to run the image at path with, as vmrun and
// vmdbg do: the processes' configuration (Config, after Finish), which
// lets the program spawn images and dlopen modules by path only from the
// image's directory tree; and the dynamic loader's, from getenv
// (VM_LIBRARY_PATH, VM_BIND_NOW...: dynld.ConfigFromEnv) and --bind-now.
func (o *Options) ForImage(path string, getenv func(string) string) (vm.Config, dynld.Config) {
	cfg := o.Config
	cfg.LoadRoot = filepath.Dir(path)
	dcfg := dynld.ConfigFromEnv(getenv)
	dcfg.BindNow = dcfg.BindNow || o.BindNow
	return cfg, dcfg
}

// Load loads one process from the image at path as vmrun does: a static
// image with vm.Load, a dynamic one with the dynamic loader configured by
// dcfg, whose default library directories, if it has none, come from
// libDirs (called only for a dynamic image). The image is parsed once per
// file version for the whole Go program (dynld.HostCache), mapped from
// the file and so shared with other processes through the page cache.
func Load(path string, cfg vm.Config, dcfg dynld.Config, libDirs func() []string) (*vm.Process, error) {
	img, err := dynld.HostCache.Open(path)
	if err != nil {
		if _, ok := errors.AsType[*fs.PathError](err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if img.Dynamic == nil {
		return vm.Load(img, path, cfg)
	}
	if len(dcfg.DefaultLibDirs) == 0 {
		dcfg.DefaultLibDirs = libDirs()
	}
	return dynld.Load(path, cfg, dcfg)
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

// parseBytes parses a byte count with an optional K, M or G (binary)
// suffix.
func parseBytes(v string) (uint64, error) {
	num, mult := v, uint64(1)
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 'k', 'K':
			num, mult = v[:n-1], 1<<10
		case 'm', 'M':
			num, mult = v[:n-1], 1<<20
		case 'g', 'G':
			num, mult = v[:n-1], 1<<30
		}
	}
	n, err := strconv.ParseUint(num, 0, 64)
	if err != nil {
		return 0, errors.New("not a size (bytes, with an optional K, M or G suffix)")
	}
	if n > ^uint64(0)/mult {
		return 0, errors.New("too large")
	}
	return n * mult, nil
}
