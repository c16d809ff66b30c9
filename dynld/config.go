package dynld

import (
	"strings"
)

// Config says where the loader looks for modules and how it binds.
type Config struct {
	// LibraryPath lists directories searched after the needing module's
	// runpath (VM_LIBRARY_PATH).
	LibraryPath []string
	// Preload lists modules loaded right after the executable, ahead of
	// its dependencies in the global scope, so that their symbols
	// interpose (VM_PRELOAD). A name with a '/' is a path; other names
	// are searched like needed modules.
	Preload []string
	// BindNow resolves every PLT call at load time instead of on first
	// call (VM_BIND_NOW=1, vmrun --bind-now).
	BindNow bool
	// Debug selects VM_DEBUG output: comma-separated categories libs,
	// bindings, symbols, all.
	Debug string
	// DefaultLibDirs are the installation's library directories, searched
	// last.
	DefaultLibDirs []string
	// Cache holds the parsed modules; nil means the host's shared cache
	// (HostCache).
	Cache *Cache
}

// ConfigFromEnv builds a Config from the environment variables
// VM_LIBRARY_PATH (directories separated by ':'), VM_PRELOAD (names or
// paths separated by ':' or spaces), VM_BIND_NOW (any value but "" or "0")
// and VM_DEBUG. Empty list elements are ignored. DefaultLibDirs is left
// empty for the caller.
func ConfigFromEnv(getenv func(string) string) Config {
	var cfg Config
	cfg.LibraryPath = splitList(getenv("VM_LIBRARY_PATH"), ":")
	cfg.Preload = splitList(getenv("VM_PRELOAD"), ": \t")
	if v := getenv("VM_BIND_NOW"); v != "" && v != "0" {
		cfg.BindNow = true
	}
	cfg.Debug = getenv("VM_DEBUG")
	return cfg
}

// splitList splits s at any of the separator characters, dropping empty
// elements; nil if there are none.
func splitList(s, seps string) []string {
	out := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// cache returns the cache the config asks for.
func (c *Config) cache() *Cache {
	if c.Cache != nil {
		return c.Cache
	}
	return HostCache
}
