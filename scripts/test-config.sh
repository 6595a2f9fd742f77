#!/usr/bin/env bash
# Build, boot and judge one configuration: the unit of "make check" and
# "make kunit".  Writes build/NAME/result.json; logs stay in build/NAME/.
#
#   test-config.sh ARCH [FLAVOUR]
#
#   VARIANT=name APPEND="..."  boot the same kernel with APPEND on the
#   command line; the results go to build/ARCH[-FLAVOUR]-VARIANT/
#   PREBUILT=1   the kernel and initramfs are built (build/ARCH[-FLAVOUR]/
#                build.log is their log): only boot and judge
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
arch=${1:?usage: test-config.sh ARCH [FLAVOUR]}
flavour=${2:-}
kname=$arch${flavour:+-$flavour}
name=$kname${VARIANT:+-$VARIANT}
bdir=$top/build/$name
mkdir -p "$bdir"
rm -f "$bdir/result.json" "$bdir/console.log"

fail() {
	echo "test: $name: $1 (see $2)" >&2
	python3 -c 'import json,sys; json.dump({"name":sys.argv[1],"passed":0,"failed":1,"skipped":0,"failures":[],"problems":[sys.argv[2]]},open(sys.argv[3],"w"))' \
		"$name" "$1, see ${2#"$top"/}" "$bdir/result.json"
	exit 1
}

blog=$bdir/build.log
if [ -n "${PREBUILT:-}" ]; then
	# make check built the kernel and its initramfs already (scripts/check.sh
	# builds while it boots): judge that build's log.
	blog=$top/build/$kname/build.log
	[ -f "$blog" ] || fail "no build log of $kname" "$blog"
else
	echo "test: $name: building" >&2
	"$top/scripts/build.sh" "$arch" $flavour >"$blog" 2>&1 || {
		tail -n 25 "$blog" >&2
		fail "kernel build failed" "$blog"
	}
	"$top/scripts/initramfs.sh" "$arch" $flavour >>"$blog" 2>&1 || {
		tail -n 25 "$blog" >&2
		fail "initramfs build failed" "$blog"
	}
fi
expect=()
if [ -f "$top/configs/expected/$name" ]; then
	expect=(--expect "$top/configs/expected/$name")
elif [ -f "$top/configs/expected/$kname" ]; then
	expect=(--expect "$top/configs/expected/$kname")
fi
# The configuration's "args PROG ARG..." lines become /tests/PROG.args, in
# an archive appended to the kernel's initramfs: a variant says what its
# tests must expect without a rebuild.
initrd=$top/build/$kname/initramfs.cpio
if [ ${#expect[@]} -gt 0 ] && grep -q '^args ' "${expect[1]}"; then
	ov=$bdir/overlay
	rm -rf "$ov" && mkdir -p "$ov/tests"
	awk '$1 == "args" { f = dir "/tests/" $2 ".args"; for (i = 3; i <= NF; i++) print $i > f }' \
		dir="$ov" "${expect[1]}"
	(cd "$ov" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$bdir/overlay.cpio"
	cat "$initrd" "$bdir/overlay.cpio" >"$bdir/initramfs-test.cpio"
	initrd=$bdir/initramfs-test.cpio
fi
echo "test: $name: booting" >&2
INITRD=$initrd CONSOLE_LOG=$bdir/console.log "$top/scripts/boot.sh" "$arch" $flavour 2>"$bdir/boot.log" ||
	fail "QEMU did not start" "$bdir/boot.log"
python3 "$top/scripts/check-log.py" "$bdir/console.log" --linux "${LINUX_DIR:-$top/linux}" \
	--name "$name" --json "$bdir/result.json" --build-log "$blog" "${expect[@]}"
