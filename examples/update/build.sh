# update/build.sh: the recipe of this example, sourced by examples/build.sh
# (see there for $src, $out, assemble, link and shared).
#
# Builds the three versions of libgreet as $out/update/libgreet-1.0.vso,
# -1.1.vso and -2.0.vso; installs 1.0 in $out/update/lib/ (libgreet.vso,
# and libgreet.va for static links); and links the program against the
# installed libgreet: update.img finds it at run time through its runpath,
# $ORIGIN/update/lib, and update-static.img carries a copy of it.
for v in 1.0 1.1 2.0; do
	assemble "$src/greet-$v.s"
	shared "update/libgreet-$v.vso" "libgreet.vso.${v%%.*}" "$v" $objs
done
mkdir -p "$out/update/lib"
# A copy renamed into place: a program running meanwhile keeps its module.
cp "$out/update/libgreet-1.0.vso" "$out/update/lib/libgreet.vso.new"
mv -f "$out/update/lib/libgreet.vso.new" "$out/update/lib/libgreet.vso"
rm -f "$out/update/lib/libgreet.va"
"$bin/vmar" rcs "$out/update/lib/libgreet.va" "$out/update/greet-1.0.vo"
assemble "$src/prog.s"
link update $objs -L"$out/update/lib" -lgreet -rpath '$ORIGIN/update/lib'
