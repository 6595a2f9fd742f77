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
 *
 * Then BPF images, two ways, each "progs" images of 64-1024 bytes written
 * with bpf_arch_text_copy(), all held, then all freed:
 *   pack:  bpf_prog_pack_alloc()/bpf_prog_pack_free(), as the x86 JIT does
 *          (both kernels; the patched one takes its packs from the cache)
 *   alone: one execmem_alloc(EXECMEM_BPF) per image, as if the ROX cache
 *          replaced bpf_prog_pack (patched kernel only; -1 on the base)
 * Result: ns per image (alloc+write+free).  The space they take follows
 * from the granularity (64 bytes in a pack, a page alone); the pages they
 * take from the page allocator depend on what the cache holds already, so
 * they are not reported.
 */
#include <linux/filter.h>
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

static void *alone_alloc(unsigned int size)
{
	if (!execmem_is_rox(EXECMEM_BPF))
		return NULL;
	return execmem_alloc(EXECMEM_BPF, size);
}

static void alone_free(void *p)
{
	execmem_free(p);
}
#define HAVE_ALONE 1
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
#define HAVE_ALONE 0
static void *alone_alloc(unsigned int size) { return NULL; }
static void alone_free(void *p) { }
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

static unsigned int progs = 1000;
module_param(progs, uint, 0444);
static long pack_ns = -1, alone_ns = -1;
module_param(pack_ns, long, 0444);
module_param(alone_ns, long, 0444);

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

static void fill_traps(void *area, unsigned int size)
{
	memset(area, 0xcc, size);
}

static void *pack_alloc(unsigned int size)
{
	return bpf_prog_pack_alloc(size, fill_traps);
}

static void pack_free(void *p)
{
	bpf_prog_pack_free(p);
}

/*
 * @n images of 64-1024 bytes: allocated and written (a bpf_binary_header
 * with the size first, as the JIT writes it), held, freed.  *@ns is the time
 * per image.
 */
static int bpf_images(void *(*alloc)(unsigned int), void (*free)(void *),
		      void **ptrs, unsigned int n, long *ns)
{
	struct bpf_binary_header *img;
	unsigned int i;
	int ret = 0;
	u64 t0;

	img = kmalloc(1024, GFP_KERNEL);
	if (!img)
		return -ENOMEM;
	memset(img, 0xcc, 1024);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		img->size = (i % 16 + 1) * 64;
		ptrs[i] = alloc(img->size);
		if (!ptrs[i]) {
			ret = -ENOMEM;
			break;
		}
		if (IS_ERR(bpf_arch_text_copy(ptrs[i], img, img->size))) {
			/* Without its size written it cannot be freed. */
			ret = -EIO;
			break;
		}
	}
	while (i--)
		free(ptrs[i]);
	*ns = (ktime_get_ns() - t0) / n;
	kfree(img);
	if (ret)
		*ns = -1;
	return ret;
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

	if (!progs)
		return 0;
	ptrs = kvcalloc(progs, sizeof(*ptrs), GFP_KERNEL);
	if (!ptrs)
		return -ENOMEM;
	if (bpf_images(pack_alloc, pack_free, ptrs, progs, &pack_ns))
		errors++;
	if (HAVE_ALONE &&
	    bpf_images(alone_alloc, alone_free, ptrs, progs, &alone_ns))
		errors++;
	kvfree(ptrs);
	return 0;
}

static void __exit execmem_bench_exit(void)
{
}

module_init(execmem_bench_init);
module_exit(execmem_bench_exit);
MODULE_DESCRIPTION("make bench: executable memory alloc/free microbenchmark");
MODULE_LICENSE("GPL");
