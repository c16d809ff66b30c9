package objdump

import "strings"

// sourceCache reads source files once each, for the -S listing.
type sourceCache struct {
	read  func(name string) ([]byte, error)
	files map[string][]string // nil entry: the file could not be read
}

func newSourceCache(read func(string) ([]byte, error)) *sourceCache {
	return &sourceCache{read: read, files: map[string][]string{}}
}

// line returns line n (1-based) of file name, without its line ending.
func (c *sourceCache) line(name string, n uint32) (string, bool) {
	if c.read == nil {
		return "", false
	}
	lines, ok := c.files[name]
	if !ok {
		if data, err := c.read(name); err == nil {
			lines = strings.Split(string(data), "\n")
		}
		c.files[name] = lines
	}
	if n == 0 || uint64(n) > uint64(len(lines)) {
		return "", false
	}
	return strings.TrimSuffix(lines[n-1], "\r"), true
}
