#!/bin/sh
# build.sh: builds the examples both ways, with the command-line tools and
# libstd already built. What `make examples` runs, from the repository root:
#
#   examples/build.sh BIN LIB OUT [NAME...]    (make: bin lib build/examples)
#
# Every directory examples/NAME/ is an example, except testdata/ and bench/;
# NAMEs choose some. Each is built into OUT/NAME.img, linked against libstd
# dynamically (LIB/libstd.vso), and OUT/NAME-static.img, linked statically
# (LIB/libstd.va); its objects go to OUT/NAME/.
#
# By default an example is one program: the .s files of its directory,
# assembled and linked together. An example with several programs or
# modules has a recipe instead, examples/NAME/build.sh, which this script
# sources (in a subshell) with $name, $src (examples/NAME), $out, $bin,
# $lib and the functions below; see examples/update/build.sh.
set -eu

if [ $# -lt 3 ]; then
	echo "usage: examples/build.sh BIN LIB OUT [NAME...]" >&2
	exit 2
fi
bin=$1 lib=$2 out=$3
shift 3
examples=$(dirname "$0")

# assemble SRC...: assembles each source (a path below $src) into the same
# path below $out/$name/, with .vo for .s; sets $objs to the objects.
assemble() {
	objs=
	for s in "$@"; do
		o=$out/$name/${s#"$src"/}
		o=${o%.s}.vo
		mkdir -p "$(dirname "$o")"
		"$bin/vmas" -o "$o" "$s"
		objs="$objs $o"
	done
}

# link IMG OBJ... [FLAG...]: links the objects, then the FLAGs (more
# libraries, -L, -rpath: they must work both ways) and libstd, into
# $out/IMG.img dynamically and $out/IMG-static.img statically.
link() {
	img=$out/$1
	shift
	"$bin/vmld" -o "$img.img" "$@" -L"$lib" -lstd
	"$bin/vmld" -static -o "$img-static.img" "$@" -L"$lib" -lstd
	echo "built $img.img $img-static.img"
}

# shared FILE SONAME VERSION OBJ...: links the objects and libstd into the
# shared module $out/FILE, named SONAME, of version VERSION (MAJOR.MINOR).
shared() {
	vso=$out/$1 soname=$2 version=$3
	shift 3
	"$bin/vmld" -shared -soname "$soname" --module-version "$version" \
		-o "$vso" "$@" -L"$lib" -lstd
	echo "built $vso"
}

if [ $# -eq 0 ]; then
	for d in "$examples"/*/; do
		d=${d%/}
		case ${d##*/} in
		testdata | bench) ;;
		*) set -- "$@" "${d##*/}" ;;
		esac
	done
fi

# plain: the default recipe, one program of every .s file of $src.
plain() {
	set -- "$src"/*.s
	if [ ! -f "$1" ]; then
		echo "examples/build.sh: $src has no .s files and no build.sh" >&2
		exit 1
	fi
	assemble "$@"
	link "$name" $objs
}

for name in "$@"; do
	src=$examples/$name
	if [ ! -d "$src" ]; then
		echo "examples/build.sh: no example $src" >&2
		exit 1
	fi
	mkdir -p "$out/$name"
	if [ -f "$src/build.sh" ]; then
		(. "$src/build.sh")
	else
		plain
	fi
done
