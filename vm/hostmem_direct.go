//go:build amd64 || arm64 || 386 || ppc64le || loong64 || wasm

package vm

// directMem is true on little-endian hosts that load and store unaligned
// words cheaply: there the interpreter reads code and accesses guest
// memory (both little-endian, guest accesses perhaps unaligned) with plain
// loads and stores through unsafe pointers.
const directMem = true
