# sharing/build.sh: the recipe of this example, sourced by examples/build.sh
# (see there for $src, $out, assemble and link).
#
# The parent is sharing.img and sharing-static.img; the children it runs
# are $out/sharing/greet.img, sum.img and fact.img, each also as
# NAME-static.img.
assemble "$src/parent.s"
link sharing $objs
for p in greet sum fact; do
	assemble "$src/$p.s"
	link "sharing/$p" $objs
done
