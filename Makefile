# linkvm build. `make demo` builds the tools and the examples and runs hello;
# `make test` runs the whole suite (what CI runs).

GO       ?= go
BIN      := bin
LIB      := lib
BUILD    := build

.PHONY: all tools libs examples demo test vet race generate docs bench clean fuzz

all: tools libs examples

# Functions 64-byte aligned: where the interpreter's loop falls relative to
# 64-byte lines changes its speed by 25% (docs/performance.md), and with
# Go's default 32 that depends on the size of all the code linked before it.
tools:
	$(GO) build -ldflags=-funcalign=64 -o $(BIN)/ ./cmd/...

# The standard library, where vmld finds it with no -L: $(LIB)/ beside $(BIN)/.
libs: tools
	stdlib/build.sh $(BIN) $(LIB)

# Every example both ways, by examples/build.sh: $(BUILD)/examples/NAME.img
# linked against libstd.vso, NAME-static.img against libstd.va. A dynamic
# image finds libstd.vso at run time in lib/ beside vmrun's directory, so
# with a LIB elsewhere run it with VM_LIBRARY_PATH=$(LIB).
examples: libs
	examples/build.sh $(BIN) $(LIB) $(BUILD)/examples

demo: libs examples
	$(BIN)/vmrun $(BUILD)/examples/hello.img

test: vet race
	$(GO) test ./...

# The concurrency tests under the race detector (a few seconds): many
# processes of one host loading, binding, dlopen-ing and dlclose-ing the
# same modules, and a host interrupted while its processes block.
race:
	$(GO) test -race -run 'TestConcurrentStress' ./dynld/
	$(GO) test -race -run 'TestInterruptBlockedCalls|TestInterruptUnblocksPipes|TestSpawnAfterInterrupt|TestMaxProcs' ./vm/

vet:
	$(GO) vet ./...

# Regenerate the generated code: the interpreter's loop, vm/exec_run.go,
# from the instructions' halves (vm/internal/genrun/gen) and the
# superinstructions (vm/internal/superinst).
generate:
	$(GO) generate ./vm

# Regenerate everything generated: the code, and the generated parts of
# the docs (the opcode list in docs/isa.md).
docs: generate
	$(GO) test ./vm/isa -run TestDocCurrent -update

# Fuzzing: every fuzz target runs for FUZZTIME (go test -fuzztime syntax:
# 3m, 30s, 10000x), one after the other, with FUZZFLAGS (e.g. -parallel=1).
# New crashers go to the package's testdata/fuzz/<target>/; `make test`
# runs every target on its seed corpus only.
FUZZTIME  ?= 3m
FUZZFLAGS ?=
FUZZ_TARGETS := objfmt:FuzzRead objfmt:FuzzReadArchive asm:FuzzAssemble \
	staticld:FuzzLink dynld:FuzzLoad vm:FuzzExec \
	internal/difftest:FuzzStaticDynamic internal/objdump:FuzzBuild

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t#*:}; \
		echo "== $$fn (./$$pkg) for $(FUZZTIME)"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS); \
	done

# The benchmarks side by side with Lua 5.4, LuaJIT and Python 3 (those
# installed), and the interpreter's Go benchmarks: writes the tables into
# docs/performance.md and the plot docs/bench.svg (examples/bench). Run it
# on an otherwise idle machine; BENCHFLAGS are its flags (-runs 5,
# -only fib,sieve, -no-doc).
BENCHFLAGS ?=
bench: examples
	$(GO) run ./examples/bench -go $(GO) -bin $(BIN) -images $(BUILD)/examples $(BENCHFLAGS)

clean:
	rm -rf $(BIN) $(LIB) $(BUILD)
