# linkvm build. `make demo` builds the tools and the examples and runs hello;
# `make test` runs the whole suite (what CI runs).

GO       ?= go
BIN      := bin
LIB      := lib
BUILD    := build
EXAMPLES := $(notdir $(patsubst %/,%,$(dir $(wildcard examples/*/*.s))))

.PHONY: all tools libs examples demo test vet docs bench clean

all: tools libs examples

tools:
	$(GO) build -o $(BIN)/ ./cmd/...

# The standard library, where vmld finds it with no -L: $(LIB)/ beside $(BIN)/.
libs: tools
	stdlib/build.sh $(BIN) $(LIB)

# Each example is the .s files of its folder: assemble each, link them all.
examples: tools
	@set -e; for ex in $(sort $(EXAMPLES)); do \
		mkdir -p $(BUILD)/examples/$$ex; objs=; \
		for s in examples/$$ex/*.s; do \
			o=$(BUILD)/examples/$$ex/$$(basename $$s .s).vo; \
			$(BIN)/vmas -o $$o $$s; objs="$$objs $$o"; \
		done; \
		$(BIN)/vmld -o $(BUILD)/examples/$$ex.img $$objs; \
		echo "built $(BUILD)/examples/$$ex.img"; \
	done

demo: libs examples
	$(BIN)/vmrun $(BUILD)/examples/hello.img

test: vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

# Regenerate the generated parts of the docs (the opcode list in docs/isa.md).
docs:
	$(GO) test ./vm/isa -run TestDocCurrent -update

# Interpreter benchmarks: VM instructions per second.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./vm/

clean:
	rm -rf $(BIN) $(LIB) $(BUILD)
