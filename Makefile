# execmem: build, boot and test harness for the patch series in patches/.
# See README.md.  Every target installs missing Debian packages first.

ARCH ?= x86_64
FLAVOUR ?=
INTERACTIVE ?=
S := scripts

.PHONY: all deps tree export build initramfs kunit kunitpy boot run check checkpatch \
	selftest cross bench bisect clean help

all: help

help:
	@echo "make run          build the patched x86_64 kernel and show execmem at work"
	@echo "make check        test the exported series on x86_64 (debug), arm64, riscv64"
	@echo "make deps         install the Debian packages the harness needs"
	@echo "make tree         create linux/: v$(shell . ./base.conf; echo $$BASE_VERSION) + patches/"
	@echo "make export       rewrite patches/ from the commits in linux/"
	@echo "make build  ARCH=x86_64|arm64|riscv64 [FLAVOUR=debug]   build one kernel"
	@echo "make kunit  ARCH=... [FLAVOUR=...]   build, boot and judge one kernel, tree as it is"
	@echo "make kunitpy ARCH=...   execmem's KUnit suites under tools/testing/kunit/kunit.py;"
	@echo "                        ARCH=\"x86_64 arm64 riscv64 i386 arm powerpc64 s390x\" runs each"
	@echo "make boot   ARCH=... [FLAVOUR=...]   boot one kernel to a shell (x86_64)"
	@echo "make checkpatch   scripts/checkpatch.pl --strict over patches/"
	@echo "make bisect       build every prefix of the series; W=1, sparse, kernel-doc"
	@echo "make selftest     self-test of the harness's log judge"
	@echo "make cross [CROSS_ARCHES=...]   build-test the series on arches not booted"
	@echo "make bench [QUICK=1] [REPEAT=n]  base v$(shell . ./base.conf; echo $$BASE_VERSION) against the series, x86_64"

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

build: deps
	@$(S)/build.sh $(ARCH) $(FLAVOUR)

initramfs: build
	@$(S)/initramfs.sh $(ARCH) $(FLAVOUR)

kunit: deps
	@$(S)/test-config.sh $(ARCH) $(FLAVOUR)

kunitpy: deps
	@rc=0; for a in $(ARCH); do $(S)/kunitpy-test.sh $$a || rc=1; done; exit $$rc

boot: initramfs
	@MODE=shell $(S)/boot.sh $(ARCH) $(FLAVOUR)

run: deps
	@$(S)/run.sh

check: deps
	@$(S)/check.sh

checkpatch: deps
	@$(S)/checkpatch.sh

bisect: deps
	@$(S)/bisect.sh

selftest: deps
	@$(S)/selftest.sh

CROSS_PKGS := gcc-arm-linux-gnueabihf gcc-powerpc64le-linux-gnu \
	gcc-powerpc-linux-gnu gcc-s390x-linux-gnu gcc-hppa-linux-gnu \
	gcc-hppa64-linux-gnu gcc-mips-linux-gnu gcc-mips64el-linux-gnuabi64 \
	gcc-sparc64-linux-gnu gcc-sh4-linux-gnu gcc-alpha-linux-gnu \
	gcc-m68k-linux-gnu

cross:
	@$(S)/deps.sh $(CROSS_PKGS)
	@$(S)/cross-build.sh $(CROSS_ARCHES)


bench: deps
	@QUICK=$(QUICK) $(S)/bench.sh

clean:
	rm -rf build
