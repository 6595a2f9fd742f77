// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: allocate and free executable memory of 1-16 pages, as the
 * module loader does for module text, and time it.
 *
 * Base (6.1.176): module_alloc(), then set_memory_ro() and set_memory_x()
 * as the loader makes them, then module_memfree().  Patched: execmem_alloc()
 * of EXECMEM_MODULE_TEXT, the same permission calls unless the type is
 * ROX (then there is nothing to change), then execmem_free().  Neither
 * kernel exports these functions; bench/measure-*.patch does, for the bench
 * kernels only.
 *
 * Two patterns, each "iters" alloc+free pairs:
 *   reuse: alloc and free at once (what a cache would serve as a hit)
 *   grow:  alloc "batch" blocks, then free them (cache misses, growth)
 * Results are read-only parameters, in ns per alloc+free pair.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#if __has_include(<linux/execmem.h>)
#include <linux/execmem.h>
#define BENCH_API "execmem"
static void *bench_alloc(size_t size, bool *rox)
{
	*rox = execmem_is_rox(EXECMEM_MODULE_TEXT);
	return execmem_alloc(EXECMEM_MODULE_TEXT, size);
}

static void bench_free(void *p)
{
	execmem_free(p);
}
#else
#include <linux/moduleloader.h>
#define BENCH_API "module_alloc"
static void *bench_alloc(size_t size, bool *rox)
{
	*rox = false;
	return module_alloc(size);
}

static void bench_free(void *p)
{
	module_memfree(p);
}
#endif

static unsigned int iters = 10000;
module_param(iters, uint, 0444);
static unsigned int batch = 1000;
module_param(batch, uint, 0444);

static unsigned long reuse_ns, grow_ns, errors;
module_param(reuse_ns, ulong, 0444);
module_param(grow_ns, ulong, 0444);
module_param(errors, ulong, 0444);
static char *api = BENCH_API;
module_param(api, charp, 0444);

static void *bench_get(unsigned int i)
{
	unsigned int pages = i % 16 + 1;
	bool rox;
	void *p;

	p = bench_alloc(pages * PAGE_SIZE, &rox);
	if (!p) {
		errors++;
		return NULL;
	}
	if (!rox) {
		set_memory_ro((unsigned long)p, pages);
		set_memory_x((unsigned long)p, pages);
	}
	return p;
}

static int __init execmem_bench_init(void)
{
	unsigned int i, j, n;
	void **ptrs;
	u64 t0;

	if (!iters || !batch)
		return -EINVAL;
	ptrs = kcalloc(batch, sizeof(*ptrs), GFP_KERNEL);
	if (!ptrs)
		return -ENOMEM;

	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++)
		bench_free(bench_get(i));
	reuse_ns = (ktime_get_ns() - t0) / iters;

	t0 = ktime_get_ns();
	for (i = 0; i < iters; i += n) {
		n = min(batch, iters - i);
		for (j = 0; j < n; j++)
			ptrs[j] = bench_get(i + j);
		for (j = 0; j < n; j++)
			bench_free(ptrs[j]);
	}
	grow_ns = (ktime_get_ns() - t0) / iters;

	kfree(ptrs);
	return 0;
}

static void __exit execmem_bench_exit(void)
{
}

module_init(execmem_bench_init);
module_exit(execmem_bench_exit);
MODULE_DESCRIPTION("make bench: executable memory alloc/free microbenchmark");
MODULE_LICENSE("GPL");
