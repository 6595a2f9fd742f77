#!/usr/bin/env bash
# make bench: the unpatched base against the patched kernel, same config,
# same workload, same run.
#
#   bench.sh          full counts, 5 timed and 5 IPI boots per kernel
#   QUICK=1 bench.sh  10% of the counts, 1 of each per kernel (make check)
#   REPEAT=N          timed and IPI boots per kernel (median and min-max are
#                     reported)
#
# Both kernels are built from configs/x86_64.config + bench/bench.config, the
# base from the v6.1.176 tag with bench/measure-base.patch, the patched one
# from the series (linux/ HEAD, which must match patches/) with
# bench/measure-patched.patch.  The measure patches export the allocator
# to the bench module, and time the phases of load_module().  Each kernel boots under QEMU TCG with
# -icount shift=0 (see below for the boots with two vCPUs), and runs
# bench/guest/bench.c; scripts/bench-report.py turns the two sets of logs
# into build/bench/full/results.md (quick/ for QUICK=1) and prints it.  Exit status 0 only when every
# figure was produced for both kernels.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
start=$(date +%s)

quick=${QUICK:-}
[ "$quick" = 0 ] && quick=
if [ -n "$quick" ]; then
	scale=10 repeat=${REPEAT:-1}
else
	scale=100 repeat=${REPEAT:-5}
fi
# Sources, kernels and modules in build/bench/; the logs and the table of
# this run in build/bench/full/ or build/bench/quick/.
out=$top/build/bench
res=$out/full
[ -z "$quick" ] || res=$out/quick
mkdir -p "$out" "$res"
rm -f "$res"/*.log "$res/results.md"
arch_vars x86_64

if [ ! -e "$top/linux" ]; then
	"$top/scripts/tree.sh"
fi
why=$(series_mismatch_reason "$top/linux")
[ -z "$why" ] || die "linux/ is not the exported series (make export first): $why"

# Sources: a snapshot of a commit of linux/ plus a measure patch.  Kept
# between runs while the commit and the patch are the same.
snapshot() {
	local kind=$1 rev=$2 patch=$3 dst=$out/src-$1 stamp
	stamp="$(git -C "$top/linux" rev-parse "$rev^{tree}") $(sha256sum <"$patch")"
	if [ -f "$dst/.bench-stamp" ] && [ "$(cat "$dst/.bench-stamp")" = "$stamp" ]; then
		return
	fi
	echo "bench: unpacking the $kind source" >&2
	rm -rf "$dst"
	mkdir -p "$dst"
	git -C "$top/linux" archive "$rev" | tar -x -C "$dst"
	patch -s -p1 --fuzz=0 -d "$dst" <"$patch"
	echo "$stamp" >"$dst/.bench-stamp"
}
snapshot base "$BASE_TAG" "$top/bench/measure-base.patch"
snapshot patched HEAD "$top/bench/measure-patched.patch"

gcc -static -O2 -Wall -o "$out/bench-run" "$top/bench/guest/bench.c"
gcc -static -O2 -Wall -o "$out/init" "$top/initramfs/init.c"

# The base has no execmem options: the same fragment, without them.
grep -v '^CONFIG_EXECMEM' "$top/configs/x86_64.config" >"$out/x86_64-base.config"
for k in base patched; do
	frag=$top/configs/x86_64.config
	[ "$k" = base ] && frag=$out/x86_64-base.config
	LINUX_DIR=$out/src-$k BUILD_DIR=$out/$k \
	CONFIG_FRAGMENTS="$frag $top/bench/bench.config" \
		"$top/scripts/build.sh" x86_64 bench-$k
done
# The kprobes step probes the same functions on both kernels: those both
# can trace (see the script).
python3 "$top/scripts/bench-kprobe-funcs.py" "$out/kprobe_funcs" "$out/base" "$out/patched"
for k in base patched; do
	bdir=$out/$k
	# The bench modules, out of tree.  bmod_0001..0199 are bmod_0000 with
	# the name (same length) rewritten.
	rm -rf "$bdir/mod"
	cp -r "$top/bench/mod" "$bdir/mod"
	make -s -C "$out/src-$k" O="$bdir" M="$bdir/mod" CC="ccache gcc" \
		-j"${BUILD_JOBS:-$(nproc)}" modules
	root=$bdir/benchroot
	rm -rf "$root"
	mkdir -p "$root"/{dev,proc,sys,tmp,bench/modules}
	cp "$out/init" "$root/init"
	cp "$out/bench-run" "$root/bench/run"
	cp "$out/kprobe_funcs" "$root/bench/kprobe_funcs"
	strip --strip-debug -o "$root/bench/modules/execmem_bench.ko" "$bdir/mod/execmem_bench.ko"
	strip --strip-debug -o "$bdir/mod/bmod.ko" "$bdir/mod/bmod_0000.ko"
	python3 - "$bdir/mod/bmod.ko" "$root/bench/modules" 200 <<'EOF'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
assert data.count(b"bmod_0000") >= 1
for i in range(n):
    open("%s/bmod_%04d.ko" % (dst, i), "wb").write(
        data.replace(b"bmod_0000", b"bmod_%04d" % i))
EOF
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$bdir/bench.cpio"
done

# Timed boots run with -icount shift=0: guest time counts instructions, not
# host noise.  QEMU's round-robin TCG cannot bring up a second vCPU under
# -icount (the AP handshake stalls; tried shift=0, 3 and auto), so the timed
# boots have one vCPU, and as many boots again per kernel, with two vCPUs
# and no -icount, count the IPIs: the CAL line of /proc/interrupts (which
# has the scheduler's wake-ups too, a few per step that vary from boot to
# boot) and the cross-CPU calls queued through smp_call_function*()
# (debugfs bench_xcalls from the measure patches: kernel TLB flushes,
# text_poke syncs), which leave the wake-ups out.
#
# Without ERMS and FSRM: under -icount each iteration of a rep string
# instruction counts as one instruction, and with ERMS the kernel's memset(),
# memcpy() and clear_page() are "rep stosb"/"rep movsb", one byte per
# iteration.  A 2M memset() then costs 2M instructions (2 ms of guest time)
# where hardware takes tens of microseconds, and whatever fills memory
# (a trap fill, a zeroed page, a module copied in) is priced about 30 times
# its weight against everything else.  Without them the kernel uses
# "rep stosq"/"rep movsq", 8 bytes per iteration: still overpriced, 8 times
# less.  Both kernels boot the same CPU.  BENCH_CPU=max measures with them.
qemu_common="-accel tcg -cpu ${BENCH_CPU:-max,-erms,-fsrm} -m 2G -bios qboot.rom -nographic -no-reboot"
qemu_timed="-smp 1 -icount shift=0"
qemu_ipi="-smp 2"
cmdline="console=ttyS0 quiet panic=-1 harness.mode=bench bench.scale=$scale"
logs=()
boot() {
	local k=$1 tag=$2 flags=$3 log t0
	log=$res/$k-$tag.log
	echo "bench: boot $tag, $k kernel ($flags)" >&2
	t0=$(date +%s)
	# shellcheck disable=SC2086
	timeout -k 5 "${BENCH_TIMEOUT:-3600}" qemu-system-x86_64 $qemu_common $flags \
		-kernel "$out/$k/$IMAGE" -initrd "$out/$k/bench.cpio" \
		-append "$cmdline" </dev/null >"$log" 2>&1 || true
	echo "bench: $k $tag took $(( $(date +%s) - t0 ))s" >&2
}
for r in $(seq 1 "$repeat"); do
	for k in base patched; do
		boot "$k" "timed-$r" "$qemu_timed"
		logs+=("$k=$res/$k-timed-$r.log")
	done
done
for r in $(seq 1 "$repeat"); do
	for k in base patched; do
		boot "$k" "smp2-$r" "$qemu_ipi"
		logs+=("$k-smp2=$res/$k-smp2-$r.log")
	done
done

python3 "$top/scripts/bench-report.py" --out "$res/results.md" \
	--meta "date=$(date -u +%Y-%m-%d)" \
	--meta "machine=$(uname -m), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	--meta "commit=$(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet HEAD -- || echo +dirty) (harness)" \
	--meta "base kernel=$BASE_TAG + bench/measure-base.patch" \
	--meta "patched kernel=$BASE_TAG + $(git -C "$top/linux" rev-list --count "$BASE_TAG..HEAD") patches of patches/ (head $(git -C "$top/linux" rev-parse --short HEAD): $(git -C "$top/linux" log -1 --format=%s)) + bench/measure-patched.patch" \
	--meta "config=allnoconfig + configs/x86_64.config + bench/bench.config, sha256 $(cat "$top/configs/x86_64.config" "$top/bench/bench.config" | sha256sum | cut -c1-12)" \
	--meta "qemu=$(qemu-system-x86_64 --version | head -n1 | sed 's/^QEMU emulator version //'); $qemu_common; timed boots: $qemu_timed; IPI boots: $qemu_ipi" \
	--meta "cmdline=$cmdline" \
	--meta "repeats=$repeat timed boots and $repeat IPI boots per kernel; scale=$scale%" \
	--config "base=$out/base/.config" --config "patched=$out/patched/.config" \
	--base-src "$out/src-base" \
	--meta "wall=$(( $(date +%s) - start ))s for make bench" \
	"${logs[@]}"
