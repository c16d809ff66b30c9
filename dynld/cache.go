package dynld

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	rtdebug "runtime/debug"
	"sync"
	"time"
	"weak"

	"linkvm/objfmt"
)

// maxFileSize is the largest module file the loader reads.
const maxFileSize = 1 << 30

// Cache holds parsed modules for every process of a host, so that a module
// loaded by many processes is one *objfmt.File whose read-only section
// bytes all of them share; those bytes are a read-only memory mapping of
// the file (objfmt.Mapping), so OS processes running the same file share
// them too, through the OS page cache. An entry is keyed by the file's absolute path,
// size, modification time and content hash: a file replaced on disk gets a
// new entry (processes using the old one keep it), and the old entry is
// dropped from the cache. The cache holds its entries weakly: once no
// process has a module mapped (every process that loaded it has ended or
// dlclosed it), its parsed file, code included, is freed by the garbage
// collector, its file unmapped, and its entry disappears. A Cache is safe for concurrent use.
type Cache struct {
	parse func([]byte) (*objfmt.File, error) // nil: map and parse with objfmt

	mu     sync.Mutex
	byPath map[string]cacheEntry
}

// cacheEntry is one cached file version, held weakly: the File is kept
// alive by the processes that map it, not by the cache.
type cacheEntry struct {
	key  cacheKey
	file weak.Pointer[objfmt.File]
}

// HostCache is the cache used when Config.Cache is nil.
var HostCache = NewCache(nil)

// NewCache returns an empty cache that decodes files with parse. nil
// means the objfmt reader, with the file memory-mapped read-only where the
// system allows (objfmt.MapFile): the code and read-only data of a module
// are then the OS page cache's pages of the file, shared with every other
// OS process running it. (Tools and tests may substitute a decoder; the
// file is then read into memory.)
func NewCache(parse func([]byte) (*objfmt.File, error)) *Cache {
	return &Cache{parse: parse, byPath: make(map[string]cacheEntry)}
}

// cacheKey identifies one version of a file.
type cacheKey struct {
	abs   string
	size  int64
	mtime time.Time
	hash  uint64 // contentHash of the bytes
}

// hashSeed seeds contentHash, once per OS process.
var hashSeed = maphash.MakeSeed()

// contentHash tells two contents of a file apart. The keys it is part of
// never leave the OS process, so it needs no cryptographic hash: maphash
// (the runtime's hash, with AES instructions where the CPU has them) hashes
// libstd in a few microseconds where SHA-256 took about a third of a
// millisecond, most of what a dynamic image cost at start-up more than a
// static one, and its seed, random per process, leaves nobody a way to
// make two contents collide on purpose.
func contentHash(b []byte) uint64 {
	return maphash.Bytes(hashSeed, b)
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
	for abs, e := range c.byPath {
		if e.file.Value() == nil {
			delete(c.byPath, abs)
			continue
		}
		n++
	}
	return n
}

// lookup returns the live cached image for abs with key, or nil.
func (c *Cache) lookup(abs string, key cacheKey) *image {
	if e, ok := c.byPath[abs]; ok && e.key == key {
		if f := e.file.Value(); f != nil {
			return &image{key: key, file: f}
		}
	}
	return nil
}

// Open returns the parsed file at path: the cached one if this version of
// the file is in use by a process of the host, else the file mapped and
// parsed, and cached. Every process that runs the same image (static or
// dynamic) so shares one File and one copy of its read-only bytes. Errors
// are those of os.Open (naming the file) and objfmt.
func (c *Cache) Open(path string) (*objfmt.File, error) {
	// Errors about the file itself name it, as os.Open's do.
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := fh.Stat()
	fh.Close()
	if err == nil && fi.IsDir() {
		return nil, &os.PathError{Op: "open", Path: path, Err: errors.New("is a directory")}
	}
	img, err := c.open(path)
	if err != nil {
		return nil, err
	}
	return img.file, nil
}

// open maps (or reads) and parses the file at path, or returns the cached image of
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
	if c.parse != nil {
		return c.openRead(abs, fh, fi)
	}
	// Map the file: the read-only sections of the parsed file alias the
	// mapping, so OS processes running the same file share those pages.
	m, err := objfmt.MapFile(fh, fi.Size())
	if err != nil {
		return nil, err
	}
	var hash uint64
	if err := hashGuarded(m.Bytes(), &hash); err != nil {
		m.Close()
		return nil, err
	}
	key := cacheKey{abs: abs, size: int64(len(m.Bytes())), mtime: fi.ModTime(), hash: hash}
	if img := c.cached(abs, key); img != nil {
		m.Close()
		return img, nil
	}
	f, err := m.Parse() // on success f owns the mapping
	if err != nil {
		m.Close()
		return nil, err
	}
	return c.insert(abs, &image{key: key, file: f}), nil
}

// openRead is open with a substitute decoder: the file is read into memory
// (the decoder may keep slices of its input).
func (c *Cache) openRead(abs string, fh *os.File, fi os.FileInfo) (*image, error) {
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file too large (more than %d bytes)", maxFileSize)
	}
	key := cacheKey{abs: abs, size: int64(len(data)), mtime: fi.ModTime(), hash: contentHash(data)}
	if img := c.cached(abs, key); img != nil {
		return img, nil
	}
	f, err := c.parse(data)
	if err != nil {
		return nil, err
	}
	return c.insert(abs, &image{key: key, file: f}), nil
}

// cached returns the live cached image for abs with key, or nil.
func (c *Cache) cached(abs string, key cacheKey) *image {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lookup(abs, key)
}

// insert adds img to the cache and returns it, or the image of the same
// file version another process added meanwhile.
func (c *Cache) insert(abs string, img *image) *image {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.lookup(abs, img.key); old != nil {
		return old // another process parsed it meanwhile
	}
	c.byPath[abs] = cacheEntry{key: img.key, file: weak.Make(img.file)}
	return img
}

// hashGuarded sets *sum to the contentHash of b, a mapped file, reporting
// a memory fault (the file was truncated meanwhile) as an error.
func hashGuarded(b []byte, sum *uint64) (err error) {
	old := rtdebug.SetPanicOnFault(true)
	defer rtdebug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(interface{ Addr() uintptr }); ok {
				err = fmt.Errorf("memory fault at %#x reading the mapped file (was it truncated?)", re.Addr())
				return
			}
			panic(r)
		}
	}()
	*sum = contentHash(b)
	return nil
}
