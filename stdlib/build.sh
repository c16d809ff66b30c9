#!/bin/sh
# build.sh: assemble every stdlib/src/*.s with vmas and archive the modules
# into libstd.va with vmar. Run from the repository root after building
# the tools:
#
#   stdlib/build.sh [BIN [OUTDIR]]     (defaults: bin, build/lib)
#
# The Go function stdlib.BuildArchive does the same in-process.
set -eu
bin=${1:-bin}
out=${2:-build/lib}
obj=$out/stdlib-obj
mkdir -p "$obj"
rm -f "$obj"/*.vo
for s in stdlib/src/*.s; do
	"$bin/vmas" -o "$obj/$(basename "$s" .s).vo" "$s"
done
rm -f "$out/libstd.va"
"$bin/vmar" rcs "$out/libstd.va" "$obj"/*.vo
# The startup code on its own, for dynamically linked executables (the
# entry point must be in the executable; see docs/stdlib.md).
cp "$obj/crt0.vo" "$out/crt0.vo"
echo "built $out/libstd.va"
