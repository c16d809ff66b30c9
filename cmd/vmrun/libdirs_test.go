package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Tests see no default library directory, whatever is installed.
func init() { libDirs = func() []string { return nil } }

// TestStaticImageNeedsNoLibDirs: running a statically linked image does not
// look for the default library directory (which, for a go-installed vmrun,
// would build libstd into the cache).
func TestStaticImageNeedsNoLibDirs(t *testing.T) {
	saved := libDirs
	t.Cleanup(func() { libDirs = saved })
	calls := 0
	libDirs = func() []string { calls++; return nil }
	assert.Equal(t, result{"Hello, world!\n", "", 0}, vmrun("", helloImage(t)))
	assert.Zero(t, calls)
}
