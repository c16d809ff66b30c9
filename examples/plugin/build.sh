# plugin/build.sh: the recipe of this example, sourced by examples/build.sh
# (see there for $src, $out, assemble, link and shared).
#
# The host program is plugin.img (dynamic) and plugin-static.img (static:
# its dlopen fails, as a static image has no loader); the plugins are the
# shared modules $out/plugin/hello.vso and count.vso, for either host to
# load when named on its command line.
assemble "$src/host/host.s"
link plugin $objs
for p in hello count; do
	assemble "$src/plugins/$p.s"
	shared "plugin/$p.vso" "$p.vso.1" 1.0 $objs
done
