package dynld

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
	"weak"

	"linkvm/objfmt"
)

// maxFileSize is the largest module file the loader reads.
const maxFileSize = 1 << 30

// Cache holds parsed modules for every process of a host, so that a module
// loaded by many processes is one *objfmt.File whose read-only section
// bytes all of them share. An entry is keyed by the file's absolute path,
// size, modification time and content hash: a file replaced on disk gets a
// new entry (processes using the old one keep it), and the old entry is
// dropped from the cache. The cache holds its entries weakly: once no
// process has a module mapped (every process that loaded it has ended or
// dlclosed it), its parsed file, code included, is freed by the garbage
// collector and its entry disappears. A Cache is safe for concurrent use.
type Cache struct {
	parse func([]byte) (*objfmt.File, error)

	mu     sync.Mutex
	byPath map[string]weak.Pointer[image]
}

// HostCache is the cache used when Config.Cache is nil.
var HostCache = NewCache(nil)

// NewCache returns an empty cache that decodes files with parse;
// nil means objfmt.Parse. (Tools and tests may substitute a decoder.)
func NewCache(parse func([]byte) (*objfmt.File, error)) *Cache {
	if parse == nil {
		parse = objfmt.Parse
	}
	return &Cache{parse: parse, byPath: make(map[string]weak.Pointer[image])}
}

// cacheKey identifies one version of a file.
type cacheKey struct {
	abs   string
	size  int64
	mtime time.Time
	hash  [sha256.Size]byte
}

// image is one parsed module file, shared by every process that loads it.
type image struct {
	key  cacheKey
	file *objfmt.File
}

// Len returns the number of files in the cache that some process still
// uses (or that the garbage collector has not freed yet).
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for abs, w := range c.byPath {
		if w.Value() == nil {
			delete(c.byPath, abs)
			continue
		}
		n++
	}
	return n
}

// lookup returns the live cached image for abs with key, or nil.
func (c *Cache) lookup(abs string, key cacheKey) *image {
	if img := c.byPath[abs].Value(); img != nil && img.key == key {
		return img
	}
	return nil
}

// open reads and parses the file at path, or returns the cached image of
// the same file version. Errors do not name the file.
func (c *Cache) open(path string) (*image, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, cause(err) // the caller names the file
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	if fi.Size() > maxFileSize {
		return nil, fmt.Errorf("file too large (%d bytes)", fi.Size())
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file too large (more than %d bytes)", maxFileSize)
	}
	key := cacheKey{abs: abs, size: int64(len(data)), mtime: fi.ModTime(), hash: sha256.Sum256(data)}
	c.mu.Lock()
	if img := c.lookup(abs, key); img != nil {
		c.mu.Unlock()
		return img, nil
	}
	c.mu.Unlock()
	f, err := c.parse(data)
	if err != nil {
		return nil, err
	}
	img := &image{key: key, file: f}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.lookup(abs, key); old != nil {
		return old, nil // another process parsed it meanwhile
	}
	c.byPath[abs] = weak.Make(img)
	return img, nil
}
