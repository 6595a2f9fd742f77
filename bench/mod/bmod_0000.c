// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: a small module with a few KB of text, some data, rodata and
 * ro_after_init.  scripts/bench.sh builds it once and makes the copies
 * bmod_0001 ... bmod_0199 by rewriting the name, which has the same length.
 */
#include <linux/cache.h>
#include <linux/module.h>

#define BMOD_FN(n)							\
static noinline int bmod_f##n(int x)					\
{									\
	int i, acc = x ^ n;						\
									\
	for (i = 0; i < (x & 7) + n; i++) {				\
		switch ((acc + i) & 3) {				\
		case 0: acc = acc * 33 + i; break;			\
		case 1: acc ^= acc >> 3; break;				\
		case 2: acc += bmod_data[(i + n) & 63]; break;		\
		default: acc -= bmod_rodata[(acc + n) & 63]; break;	\
		}							\
	}								\
	return acc;							\
}

static int bmod_data[64] = { 1, 2, 3, 5, 8, 13, 21, 34 };
static const int bmod_rodata[64] = { 7, 11, 13, 17, 19, 23, 29, 31 };
static int bmod_ro_after_init[16] __ro_after_init;

BMOD_FN(0) BMOD_FN(1) BMOD_FN(2) BMOD_FN(3) BMOD_FN(4) BMOD_FN(5)
BMOD_FN(6) BMOD_FN(7) BMOD_FN(8) BMOD_FN(9) BMOD_FN(10) BMOD_FN(11)
BMOD_FN(12) BMOD_FN(13) BMOD_FN(14) BMOD_FN(15) BMOD_FN(16) BMOD_FN(17)
BMOD_FN(18) BMOD_FN(19) BMOD_FN(20) BMOD_FN(21) BMOD_FN(22) BMOD_FN(23)

static int (* const bmod_fns[])(int) = {
	bmod_f0, bmod_f1, bmod_f2, bmod_f3, bmod_f4, bmod_f5, bmod_f6,
	bmod_f7, bmod_f8, bmod_f9, bmod_f10, bmod_f11, bmod_f12, bmod_f13,
	bmod_f14, bmod_f15, bmod_f16, bmod_f17, bmod_f18, bmod_f19,
	bmod_f20, bmod_f21, bmod_f22, bmod_f23,
};

static int bmod_result;
module_param(bmod_result, int, 0444);

static int __init bmod_init(void)
{
	int i, acc = 0;

	for (i = 0; i < ARRAY_SIZE(bmod_fns); i++)
		acc += bmod_fns[i](i);
	bmod_ro_after_init[0] = acc;
	bmod_result = acc + bmod_ro_after_init[0];
	return 0;
}

static void __exit bmod_exit(void)
{
}

module_init(bmod_init);
module_exit(bmod_exit);
MODULE_DESCRIPTION("make bench: small module with text, data and rodata");
MODULE_LICENSE("GPL");
