#!/usr/bin/env bash
# Install the Debian packages the harness needs; only the missing ones.
# Extra packages to install may be given as arguments.
set -euo pipefail
pkgs=(
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
	dwarves rsync python3 git perl ccache sparse gdb
	# cross compilers and static libc for the arm64/riscv64 initramfs
	gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu
	libc6-dev-arm64-cross libc6-dev-riscv64-cross
	# QEMU and firmware
	qemu-system-x86 qemu-system-arm qemu-system-misc opensbi
	# x86_64 initramfs shell for "make run SHELL=1" and the demo
	busybox-static
	"$@"
)
missing=()
for p in "${pkgs[@]}"; do
	case $p in \#*) continue ;; esac
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${st:0:2}" = "ii" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
