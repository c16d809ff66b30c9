//go:build !(amd64 || arm64 || 386 || ppc64le || loong64 || wasm)

package vm

// directMem is false on big-endian hosts and on hosts where unaligned
// accesses trap or are slow: there the interpreter reads and writes guest
// memory and code a byte at a time, with encoding/binary.
const directMem = false
