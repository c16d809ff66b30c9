package stdlib

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStrings(t *testing.T) {
	t.Parallel()
	runBoth(t, testdata(t, "strings"), func(t *testing.T, r runResult) {
		requireOK(t, r)
		assert.Equal(t, `strlen 5
strlen 0
strcmp -1
strcmp 1
strcmp 0
strcmp 99
strcmp 136
strncmp 0
strncmp -1
strncmp 0
hello, world
byte 0
byte 122
byte 108
offset 2
offset 3
offset -1
offset -1
offset 5
offset 4
offset 2
offset 0
offset -1
offset 2
`, r.stdout)
	})
}
