#!/bin/sh
# build.sh: build libstd with the command-line tools. Run from the
# repository root after building them:
#
#   stdlib/build.sh [BIN [OUTDIR]]     (defaults: bin, lib)
#
# It writes OUTDIR/libstd.va (every module: static links), OUTDIR/libstd.vso
# (every module but the startup code, shared) and OUTDIR/libstd_nonshared.va
# (the startup code, which each dynamically linked executable contains
# itself). The Go function stdlib.Install makes the same bytes in-process.
set -eu
bin=${1:-bin}
out=${2:-lib}
obj=$(mktemp -d)
trap 'rm -rf "$obj"' EXIT
mkdir -p "$out"
for s in stdlib/src/*.s; do
	"$bin/vmas" -o "$obj/$(basename "$s" .s).vo" "$s"
done
rm -f "$out/libstd.va" "$out/libstd_nonshared.va"
"$bin/vmar" rcs "$out/libstd.va" "$obj"/*.vo
"$bin/vmar" rcs "$out/libstd_nonshared.va" "$obj/crt0.vo"
rm "$obj/crt0.vo"
"$bin/vmld" -shared -soname libstd.vso.1 --module-version 1.0 -o "$out/libstd.vso" "$obj"/*.vo
echo "built $out/libstd.va $out/libstd.vso $out/libstd_nonshared.va"
