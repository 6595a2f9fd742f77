// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: the workload, run in the guest as /bench/run.  The same binary
 * runs on the base and on the patched kernel.
 *
 * Steps (counts at bench.scale=100 on the kernel command line; the harness
 * passes 10 for QUICK=1):
 *   modules_cycle   load and unload 200 small modules, one at a time
 *   modules_load    load the 200 modules and keep them
 *   modules_unload  unload them (and wait, as for bpf_free)
 *   bpf_load        load 4,000 JITed socket filters of 100-500 bytes of
 *                   code (raw bpf()), and keep them
 *   bpf_free        close them, and wait until the memory is back
 *   kprobes_add     register 1,000 kprobes through tracefs
 *   kprobes_remove  remove them (and wait, as for bpf_free)
 *   microbench      insmod execmem_bench: 10,000 alloc+free of 1-16 pages;
 *                   then 1,000 BPF images held and freed, packed by
 *                   bpf_prog_pack and (patched only) one allocation each
 *   idle            nothing for 3 s, so that what is kept while it pays
 *                   goes back
 *
 * Output, one record per line, for scripts/bench-report.py:
 *   BENCH snap STEP key=value...    counters after STEP (and "boot")
 *   BENCH step STEP key=value...    time_ns of STEP and what it did
 *   BENCH ptdump STEP key=value...  executable mappings while things are kept
 *   BENCH error STEP message        something did not work; the report fails
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MODDIR		"/bench/modules"
#define TRACEFS		"/sys/kernel/tracing"
#define PTDUMP		"/sys/kernel/debug/page_tables/kernel"

static int scale = 100;
static int nerrors;

static void error(const char *step, const char *fmt, ...)
{
	va_list ap;

	printf("BENCH error %s ", step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	nerrors++;
}

static int count(int n)
{
	n = n * scale / 100;
	return n > 0 ? n : 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void read_cmdline(void)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");
	char *p;

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	p = strstr(buf, "bench.scale=");
	if (p)
		scale = atoi(p + strlen("bench.scale="));
	if (scale <= 0 || scale > 100)
		scale = 100;
}

/*
 * Value of "key" in a "key: value" or "key value" file, or -1; with an
 * empty key, the number on the first line.
 */
static long long file_value(const char *path, const char *key)
{
	char line[512];
	size_t kl = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!kl) {
			v = strtoll(line, NULL, 10);
			break;
		}
		if (strncmp(line, key, kl) || (line[kl] != ':' && line[kl] != ' '))
			continue;
		v = strtoll(line + kl + 1 + (line[kl] == ':'), NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

/* Sum of the per-CPU counts on the "@tag:" line of /proc/interrupts. */
static long long ipis(const char *tag)
{
	char line[1024], *p, *end;
	size_t tl = strlen(tag);
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, tag, tl) || p[tl] != ':')
			continue;
		p += tl + 1;
		sum = 0;
		for (;;) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
		break;
	}
	fclose(f);
	return sum;
}

/*
 * Cross-CPU function calls queued so far (debugfs bench_xcalls, from the
 * measure patches: "many=N single=M"): @key is "many" or "single".
 */
static long long xcalls(const char *key)
{
	char line[128], *p;
	long long v = -1;
	FILE *f = fopen("/sys/kernel/debug/bench_xcalls", "r");

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		p = strstr(line, key);
		if (p && p[strlen(key)] == '=')
			v = strtoll(p + strlen(key) + 1, NULL, 10);
	}
	fclose(f);
	return v;
}

/*
 * Free pages, counting those parked on the per-CPU lists (the "count:" lines
 * of /proc/zoneinfo), which nr_free_pages leaves out: without them, a page
 * freed and a page in use look the same for a while.
 */
static long long free_pages(void)
{
	long long v = file_value("/proc/vmstat", "nr_free_pages"), pcp = 0;
	char line[256], *p;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f || v < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		p = line;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "count:", 6))
			pcp += strtoll(p + 6, NULL, 10);
	}
	fclose(f);
	return v + pcp;
}

static void snap(const char *step)
{
	printf("BENCH snap %s DirectMap4k=%lld DirectMap2M=%lld DirectMap1G=%lld"
	       " level2_splits=%lld level3_splits=%lld nr_free_pages=%lld"
	       " free_pages=%lld MemFree=%lld VmallocUsed=%lld tlb_ipis=%lld"
	       " call_ipis=%lld xcalls_many=%lld xcalls_single=%lld\n", step,
	       file_value("/proc/meminfo", "DirectMap4k"),
	       file_value("/proc/meminfo", "DirectMap2M"),
	       file_value("/proc/meminfo", "DirectMap1G"),
	       file_value("/proc/vmstat", "direct_map_level2_splits"),
	       file_value("/proc/vmstat", "direct_map_level3_splits"),
	       file_value("/proc/vmstat", "nr_free_pages"), free_pages(),
	       file_value("/proc/meminfo", "MemFree"),
	       file_value("/proc/meminfo", "VmallocUsed"),
	       ipis("TLB"), ipis("CAL"), xcalls("many"), xcalls("single"));
	fflush(stdout);
}

/*
 * Executable mappings in the modules area and in vmalloc space, from the
 * page tables: bytes mapped by PMDs and by PTEs, and how many page-table
 * entries (TLB entries) cover them.
 */
static void ptdump(const char *step)
{
	unsigned long long pmd = 0, pte = 0, other = 0, start, end, total;
	char line[512], tok[8][32];
	int in_area = 0, n, i;
	FILE *f;

	/*
	 * The mappings as they stay: the patched kernel puts back the PMDs
	 * that module write windows split 0.1 s after a burst of loads.
	 * Outside the timed step, on both kernels alike.
	 */
	usleep(300000);
	f = fopen(PTDUMP, "r");

	if (!f) {
		error(step, "cannot read %s: %s", PTDUMP, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "---[ ", 5)) {
			in_area = !strncmp(line + 5, "Modules ", 8) ||
				  !strncmp(line + 5, "vmalloc() Area ", 15);
			continue;
		}
		if (!in_area || sscanf(line, "0x%llx-0x%llx", &start, &end) != 2)
			continue;
		n = sscanf(strchr(line, ' ') ? strchr(line, ' ') : line,
			   "%31s %31s %31s %31s %31s %31s %31s %31s",
			   tok[0], tok[1], tok[2], tok[3], tok[4], tok[5],
			   tok[6], tok[7]);
		if (n < 2)
			continue;
		for (i = 0; i < n - 1; i++)
			if (!strcmp(tok[i], "x"))
				break;
		if (i == n - 1)
			continue;
		if (!strcmp(tok[n - 1], "pmd"))
			pmd += end - start;
		else if (!strcmp(tok[n - 1], "pte"))
			pte += end - start;
		else
			other += end - start;
	}
	fclose(f);
	total = pmd + pte + other;
	printf("BENCH ptdump %s exec_bytes=%llu exec_pmd_bytes=%llu"
	       " exec_pte_bytes=%llu exec_other_bytes=%llu exec_mappings=%llu"
	       " exec_mappings_limit=%llu\n", step, total, pmd, pte, other,
	       pmd / (2ull << 20) + pte / 4096 + other / (1ull << 30),
	       (total + (2ull << 20) - 1) / (2ull << 20));
	fflush(stdout);
}

/* Report a step that took @t ns, and the counters after it. */
static void step_done(const char *step, uint64_t t, const char *fmt, ...)
{
	va_list ap;

	printf("BENCH step %s time_ns=%llu", step, (unsigned long long)t);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	snap(step);
}

/*
 * Wait until the free page count stops rising: freeing modules, BPF
 * programs and kprobes finishes after RCU grace periods and in workers.
 */
static void settle(void)
{
	long long prev = -1, cur;
	int i;

	for (i = 0; i < 50; i++) {
		usleep(100000);
		cur = free_pages();
		if (cur <= prev)
			break;
		prev = cur;
	}
}

/* ---- modules ---------------------------------------------------------- */

static int load_module(const char *name, const char *params)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), MODDIR "/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/*
 * The time load_module() spent in each phase, summed over all loads so far
 * (debugfs bench_load_phases, from the measure patches): "name=ns ...".
 */
#define LOAD_PHASES	"/sys/kernel/debug/bench_load_phases"
#define NPHASES		16

struct phases {
	int n;
	char name[NPHASES][32];
	long long ns[NPHASES];
};

static void load_phases(struct phases *ph)
{
	FILE *f = fopen(LOAD_PHASES, "r");
	char buf[1024], *tok, *save = NULL, *end;

	ph->n = 0;
	if (!f) {
		error("modules_load", LOAD_PHASES ": %s", strerror(errno));
		return;
	}
	if (!fgets(buf, sizeof(buf), f) || !strchr(buf, '\n')) {
		error("modules_load", LOAD_PHASES ": no whole line");
		fclose(f);
		return;
	}
	fclose(f);
	for (tok = strtok_r(buf, " \n", &save); tok && ph->n < NPHASES;
	     tok = strtok_r(NULL, " \n", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || eq - tok >= 32)
			continue;
		memcpy(ph->name[ph->n], tok, eq - tok);
		ph->name[ph->n][eq - tok] = 0;
		errno = 0;
		ph->ns[ph->n] = strtoll(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end) {
			error("modules_load", LOAD_PHASES ": bad value %s", tok);
			ph->n = 0;
			return;
		}
		ph->n++;
	}
	if (!ph->n)
		error("modules_load", LOAD_PHASES ": nothing in it");
}

static void print_load_phases(const struct phases *a, const struct phases *b)
{
	int i;

	if (!a->n || !b->n)
		return;		/* load_phases() said why */
	for (i = 0; i < a->n; i++)
		if (a->n != b->n || strcmp(a->name[i], b->name[i])) {
			error("modules_load", LOAD_PHASES ": the phases changed");
			return;
		}
	printf("BENCH step load_phases");
	for (i = 0; i < a->n; i++)
		printf(" %s=%lld", a->name[i], b->ns[i] - a->ns[i]);
	printf("\n");
	fflush(stdout);
}

static void modules(void)
{
	int n = count(200), i, bad = 0, ret;
	struct phases ph0, ph1;
	char name[32];
	uint64_t t0, t;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bmod_%04d", i);
		ret = load_module(name, "");
		if (!ret)
			ret = unload_module(name);
		if (ret && !bad++)
			error("modules_cycle", "%s: %s", name, strerror(-ret));
	}
	step_done("modules_cycle", now_ns() - t0, " count=%d failed=%d", n, bad);

	load_phases(&ph0);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bmod_%04d", i);
		ret = load_module(name, "");
		if (ret && !bad++)
			error("modules_load", "%s: %s", name, strerror(-ret));
	}
	t = now_ns() - t0;
	load_phases(&ph1);
	step_done("modules_load", t, " count=%d failed=%d", n, bad);
	print_load_phases(&ph0, &ph1);
	ptdump("modules_load");

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bmod_%04d", i);
		ret = unload_module(name);
		if (ret && !bad++)
			error("modules_unload", "%s: %s", name, strerror(-ret));
	}
	t = now_ns() - t0;
	settle();
	step_done("modules_unload", t, " count=%d failed=%d", n, bad);
}

/* ---- BPF -------------------------------------------------------------- */

static int bpf_load_one(int ninsns, char *log, size_t logsz)
{
	struct bpf_insn insns[512];
	union bpf_attr attr;
	int i = 0, k;

	insns[i++] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					.dst_reg = BPF_REG_0, .imm = 0 };
	for (k = 0; k < ninsns; k++)
		insns[i++] = (struct bpf_insn){
			.code = BPF_ALU64 | BPF_ADD | BPF_K,
			.dst_reg = BPF_REG_0, .imm = 1 + k % 100 };
	insns[i++] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = i;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = logsz;
	attr.log_level = log ? 1 : 0;
	return syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

static unsigned int bpf_jited_len(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)))
		return 0;
	return info.jited_prog_len;
}

static void bpf(void)
{
	int n = count(4000), i, bad = 0, notjit = 0, *fds;
	unsigned long long jited = 0;
	struct rlimit rl = { n + 64, n + 64 };
	static char log[65536];
	unsigned int len;
	uint64_t t0, t;
	FILE *f;

	setrlimit(RLIMIT_NOFILE, &rl);
	f = fopen("/proc/sys/net/core/bpf_jit_enable", "w");
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	fds = calloc(n, sizeof(*fds));

	/* 100-500 bytes of x86 code: ~40 bytes of frame, 4 bytes an add. */
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fds[i] = bpf_load_one(15 + (i * 37) % 100, NULL, 0);
		if (fds[i] < 0 && !bad++) {
			bpf_load_one(15, log, sizeof(log));
			error("bpf_load", "BPF_PROG_LOAD: %s; log: %.200s",
			      strerror(errno), log);
		}
	}
	step_done("bpf_load", now_ns() - t0, " count=%d failed=%d", n, bad);
	for (i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		len = bpf_jited_len(fds[i]);
		if (!len)
			notjit++;
		jited += len;
	}
	printf("BENCH step bpf_jited jited_bytes=%llu not_jited=%d\n", jited,
	       notjit);
	if (notjit)
		error("bpf_load", "%d programs not JITed", notjit);
	ptdump("bpf_load");

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	t = now_ns() - t0;
	settle();
	step_done("bpf_free", t, " count=%d", n);
	free(fds);
}

/* ---- kprobes ---------------------------------------------------------- */

static int kprobe_cmd(const char *cmd, int flags)
{
	int fd = open(TRACEFS "/kprobe_events", O_WRONLY | flags);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (*cmd && write(fd, cmd, strlen(cmd)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Probes at function+5, just past the "call __fentry__" of each traceable
 * function, so that each one is a breakpoint kprobe with an instruction slot
 * (a probe on the entry itself would go through ftrace instead).  They are
 * registered, not enabled: nothing is hit.
 *
 * Both kernels probe the same functions: the harness lists in KPROBE_FUNCS
 * the functions that both kernels can trace (scripts/bench-kprobe-funcs.py),
 * and each kernel probes the first of them that are in its
 * available_filter_functions and register.  The step reports how many it
 * tried, how many of the list were not traceable after all ("absent"), and
 * a hash of the names it registered, which the report compares.
 */
#define KPROBE_FUNCS	"/bench/kprobe_funcs"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The lines of @path (first word of each), in order; NULL if it cannot be
 * read or holds none.
 */
static char **read_words(const char *path, size_t *n)
{
	char word[256], **v = NULL, **nv;
	size_t cap = 0;
	FILE *f;

	*n = 0;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fscanf(f, "%255s%*[^\n]", word) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4096;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto fail;
			v = nv;
		}
		v[*n] = strdup(word);
		if (!v[*n])
			goto fail;
		(*n)++;
	}
	fclose(f);
	if (!*n) {
		free(v);
		return NULL;
	}
	return v;
fail:
	fclose(f);
	while (*n)
		free(v[--*n]);
	free(v);
	return NULL;
}

static void free_words(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

static uint32_t fnv1a(uint32_t h, const char *s)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void kprobes(void)
{
	size_t nlist, ntraced, i, end;
	int n = count(1000), done = 0, tried = 0, absent = 0, ret;
	char cmd[512], **list, **traced;
	/* FNV-1a over each name the step went through, and its outcome. */
	uint32_t set = 2166136261u;
	unsigned char *ok;
	uint64_t t0, t;

	traced = read_words(TRACEFS "/available_filter_functions", &ntraced);
	if (!traced) {
		error("kprobes_add", "cannot read %s/available_filter_functions", TRACEFS);
		return;
	}
	list = read_words(KPROBE_FUNCS, &nlist);
	if (!list) {
		error("kprobes_add", "cannot read %s", KPROBE_FUNCS);
		free_words(traced, ntraced);
		return;
	}
	/* Which of the list this kernel can trace, found before the clock runs. */
	qsort(traced, ntraced, sizeof(*traced), cmp_str);
	ok = calloc(nlist, 1);
	if (!ok) {
		error("kprobes_add", "out of memory");
		goto out;
	}
	for (i = 0; i < nlist; i++)
		ok[i] = !!bsearch(&list[i], traced, ntraced, sizeof(*traced), cmp_str);

	kprobe_cmd("", O_TRUNC);
	t0 = now_ns();
	for (end = 0; end < nlist && done < n; end++) {
		if (!ok[end])
			continue;
		tried++;
		snprintf(cmd, sizeof(cmd), "p:bench/k%d %s+5\n", done, list[end]);
		ret = kprobe_cmd(cmd, O_APPEND);
		if (!ret)
			done++;
		else
			ok[end] = 2;
	}
	t = now_ns() - t0;
	for (i = 0; i < end; i++) {
		absent += !ok[i];
		set = fnv1a(set, list[i]);
		set = fnv1a(set, ok[i] == 1 ? " probed\n" : ok[i] ? " failed\n" : " absent\n");
	}
	step_done("kprobes_add", t, " count=%d tried=%d absent=%d set=%08x",
		  done, tried, absent, set);
	if (done < n)
		error("kprobes_add", "only %d of %d kprobes registered", done, n);
	ptdump("kprobes_add");

	t0 = now_ns();
	ret = kprobe_cmd("", O_TRUNC);
	if (ret)
		error("kprobes_remove", "%s", strerror(-ret));
	t = now_ns() - t0;
	settle();
	step_done("kprobes_remove", t, " count=%d", done);
out:
	free(ok);
	free_words(list, nlist);
	free_words(traced, ntraced);
}

/* ---- microbench ------------------------------------------------------- */

static long long param(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path),
		 "/sys/module/execmem_bench/parameters/%s", name);
	return file_value(path, "");
}

static void microbench(void)
{
	char params[64], api[32] = "?";
	uint64_t t0;
	FILE *f;
	int ret;

	snprintf(params, sizeof(params), "iters=%d batch=%d progs=%d",
		 count(10000), count(1000), count(1000));
	t0 = now_ns();
	ret = load_module("execmem_bench", params);
	if (ret) {
		error("microbench", "insmod execmem_bench: %s", strerror(-ret));
		return;
	}
	f = fopen("/sys/module/execmem_bench/parameters/api", "r");
	if (f) {
		if (fscanf(f, "%31s", api) != 1)
			strcpy(api, "?");
		fclose(f);
	}
	step_done("microbench", now_ns() - t0, " api=%s iters=%d reuse_ns=%lld grow_ns=%lld"
		  " progs=%d pack_ns=%lld alone_ns=%lld errors=%lld", api,
		  count(10000), param("reuse_ns"), param("grow_ns"),
		  count(1000), param("pack_ns"), param("alone_ns"),
		  param("errors"));
	if (param("errors"))
		error("microbench", "%lld allocations failed", param("errors"));
	unload_module("execmem_bench");
}

/* ---- idle ------------------------------------------------------------- */

/*
 * Nothing for IDLE_S seconds: memory that is kept while it pays (the ROX
 * cache's spare chunks, two seconds after the last use) goes back.
 */
#define IDLE_S	3

static void idle(void)
{
	uint64_t t0 = now_ns();

	sleep(IDLE_S);
	step_done("idle", now_ns() - t0, " seconds=%d", IDLE_S);
}

/*
 * What the ROX cache still holds at the end (patched kernel only): its
 * debugfs file, for the log; the report does not read it.
 */
static void cache_state(void)
{
	char line[512];
	FILE *f = fopen("/sys/kernel/debug/execmem/cache", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("BENCH cache %s", line);
	fclose(f);
}

int main(void)
{
	char uts[256] = "?";
	FILE *f;

	setvbuf(stdout, NULL, _IOLBF, 0);
	read_cmdline();
	f = fopen("/proc/sys/kernel/osrelease", "r");
	if (f) {
		if (!fgets(uts, sizeof(uts), f))
			strcpy(uts, "?");
		uts[strcspn(uts, "\n")] = '\0';
		fclose(f);
	}
	printf("BENCH begin kernel=%s scale=%d cpus=%ld\n", uts, scale,
	       sysconf(_SC_NPROCESSORS_ONLN));
	snap("boot");
	ptdump("boot");
	modules();
	bpf();
	kprobes();
	microbench();
	idle();
	cache_state();
	snap("end");
	printf("BENCH end errors=%d\n", nerrors);
	return nerrors ? 1 : 0;
}
