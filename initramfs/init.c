// SPDX-License-Identifier: GPL-2.0
/*
 * The init of the test initramfs: a small static program, so that arm64 and
 * riscv64 need no shell.
 *
 * It mounts the pseudo filesystems, prints execmem's statistics, runs every
 * executable in /tests in name order as a KTAP runner (each program's own
 * TAP output nested by four spaces, its arguments one a line in
 * /tests/NAME.args), waits for the work the tests left to the kernel's
 * workers, runs two kmemleak scans 5 s apart and prints what they found,
 * prints execmem's state and statistics again, and reboots; QEMU runs with
 * -no-reboot, so that ends the run.  The harness reads the console between
 * the "execmem-harness:" marker lines and judges the state at the end
 * against the one at the start (scripts/check-log.py).
 *
 * Kernel command line switches:
 *   harness.mode=test    run /tests (default)
 *   harness.tests=a,b    run only these programs of /tests
 *   harness.mode=demo    run /demo (make run)
 *   harness.mode=shell   exec /bin/sh (make boot, make run SHELL=1)
 *   harness.mode=bench   run /bench/run (make bench)
 *   harness.mode=gdb     load the test module and wait (scripts/gdb-test.sh)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_DIR	"/tests"
#define TEST_TIMEOUT	900	/* seconds, per program; TCG is slow */
#define MAX_TESTS	64
#define MAX_ARGS	16
#define EXECMEM_DIR	"/sys/kernel/debug/execmem"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void read_args(const char *name, char **argv, int max);
static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		(void)!write(1, buf, n);
}

static void mnt(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("execmem-harness: mount %s on %s: %s\n", type, dst, strerror(errno));
}

static void setup(void)
{
	int fd;

	mnt("devtmpfs", "/dev", "devtmpfs");
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	mnt("debugfs", "/sys/kernel/debug", "debugfs");
	if (access("/sys/kernel/tracing", F_OK) == 0)
		mnt("tracefs", "/sys/kernel/tracing", "tracefs");
	mkdir("/tmp", 01777);
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin:/tests", 1);
}

/* The value of "harness.@key=" on the kernel command line, or NULL. */
static const char *cmdline_param(const char *key)
{
	char buf[4096], pat[64], *p;
	int fd, n;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(pat, sizeof(pat), "harness.%s=", key);
	p = strstr(buf, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	p[strcspn(p, " \n")] = '\0';
	return strdup(p);
}

static const char *cmdline_mode(void)
{
	return cmdline_param("mode") ?: "test";
}

/* "harness.tests=a,b" runs only those programs of /tests. */
static int wanted(const char *name)
{
	static const char *list;
	size_t len = strlen(name);
	const char *p;

	if (!list)
		list = cmdline_param("tests") ?: "";
	if (!*list)
		return 1;
	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/* The reason of the last "# SKIP" a nested program printed. */
static char skip_reason[256];

static void note_skip(const char *line)
{
	const char *p = strstr(line, "# SKIP");

	if (p)
		snprintf(skip_reason, sizeof(skip_reason), "%s", p + strlen("# SKIP"));
}

/* Run argv with stdout/stderr piped; print each line behind @indent. */
static int run_nested(char *const argv[], const char *indent, int timeout)
{
	char buf[4096], line[4096];
	size_t len = 0;
	int pfd[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[1]);
		if (strncmp(argv[0], TEST_DIR, strlen(TEST_DIR)) == 0)
			(void)!chdir(TEST_DIR);
		alarm(timeout);
		execv(argv[0], argv);
		printf("# exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				line[len] = '\0';
				say("%s%s\n", indent, line);
				note_skip(line);
				len = 0;
				if (buf[i] == '\n')
					continue;
			}
			line[len++] = buf[i];
		}
	}
	if (len) {
		line[len] = '\0';
		say("%s%s\n", indent, line);
	}
	close(pfd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_tests(void)
{
	char *names[MAX_TESTS];
	struct dirent *de;
	int n = 0, i;
	DIR *d;

	d = opendir(TEST_DIR);
	while (d && (de = readdir(d)) && n < MAX_TESTS) {
		char path[512];
		struct stat st;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".args") ||
		    !wanted(de->d_name))
			continue;
		snprintf(path, sizeof(path), TEST_DIR "/%s", de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			continue;
		names[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);

	say("execmem-harness: kselftest begin\n");
	say("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		char path[512], *argv[MAX_ARGS + 2];
		int rc;

		snprintf(path, sizeof(path), TEST_DIR "/%s", names[i]);
		argv[0] = path;
		read_args(names[i], argv + 1, MAX_ARGS);
		skip_reason[0] = '\0';
		rc = run_nested(argv, "    ", TEST_TIMEOUT);
		if (rc == 0)
			say("ok %d %s\n", i + 1, names[i]);
		else if (rc == 4)
			say("ok %d %s # SKIP%s\n", i + 1, names[i], skip_reason);
		else
			say("not ok %d %s # exit=%d\n", i + 1, names[i], rc);
	}
	say("execmem-harness: kselftest end\n");
}

/* A program's arguments, one a line in /tests/NAME.args; NULL-terminated. */
static void read_args(const char *name, char **argv, int max)
{
	char path[512], line[256];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), TEST_DIR "/%s.args", name);
	f = fopen(path, "r");
	while (f && n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			argv[n++] = strdup(line);
	}
	if (f)
		fclose(f);
	argv[n] = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = -1;

	if (fd >= 0) {
		ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
		close(fd);
	}
	return ret;
}

/*
 * Print execmem's statistics, one "execmem-harness: WHEN stats ..." line a
 * type, and the first line of the cache file as "WHEN cache ...".
 */
static void print_execmem(const char *when)
{
	char line[1024];
	FILE *f;

	f = fopen(EXECMEM_DIR "/stats", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "type=", 5))
			say("execmem-harness: %s stats %s", when, line);
	if (f)
		fclose(f);
	f = fopen(EXECMEM_DIR "/cache", "r");
	if (f && fgets(line, sizeof(line), f))
		say("execmem-harness: %s cache %s", when, line);
	if (f)
		fclose(f);
}

/* The value of @key in a "key=value ..." line, or -1. */
static long field(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p && !strncmp(line, pat + 1, strlen(pat + 1)))
		p = line - 1;
	return p ? strtol(p + strlen(pat), NULL, 0) : -1;
}

/* Has all the work the tests left to the kernel's workers been done? */
static bool execmem_settled(void)
{
	char line[1024];
	bool ok = true;
	FILE *f;

	f = fopen(EXECMEM_DIR "/cache", "r");
	if (f && fgets(line, sizeof(line), f))
		ok = field(line, "stuck") <= 0 && field(line, "windows") <= 0 &&
		     field(line, "chunks") == field(line, "pmd_mapped");
	if (f)
		fclose(f);
	f = fopen(EXECMEM_DIR "/stats", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "type=module_", 12) && field(line, "live") > 0)
			ok = false;
	if (f)
		fclose(f);
	return ok;
}

/*
 * Before the last report: let the kernel finish what the tests left to its
 * workers (deferred frees, the PMD restore, the freeing of init regions
 * after an RCU grace period) -- up to 30 s -- then run two kmemleak scans
 * at least 5 s apart, so that objects the tests leaked at the very end are
 * old enough to be reported, and print what they found.
 */
static void closing_checks(void)
{
	int i;

	for (i = 0; i < 150; i++) {
		write_file(EXECMEM_DIR "/flush", "1");
		if (execmem_settled())
			break;
		sleep_ms(200);
	}
	say("execmem-harness: settled after %d.%d s\n", i / 5, (i % 5) * 2);

	if (!access(KMEMLEAK, W_OK)) {
		char buf[4096];
		ssize_t n;
		int fd;

		sleep_ms(5500);
		write_file(KMEMLEAK, "scan");
		sleep_ms(5500);
		write_file(KMEMLEAK, "scan");
		fd = open(KMEMLEAK, O_RDONLY);
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			(void)!write(1, buf, n);
		if (fd >= 0)
			close(fd);
		say("execmem-harness: kmemleak scanned\n");
	}
	print_execmem("final");
}

/*
 * "harness.mode=gdb": load the test module, say where its text is, and
 * wait for the debugger (scripts/gdb-test.sh) to look, and end the run.
 */
static void gdb_target(void)
{
	char path[512], buf[64] = "";
	FILE *f;
	int fd;

	f = popen("find /lib/modules -name 'execmem_test_module.ko*'", "r");
	if (!f || !fgets(path, sizeof(path), f)) {
		say("execmem-harness: gdb: no test module\n");
		return;
	}
	pclose(f);
	path[strcspn(path, "\n")] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
		say("execmem-harness: gdb: loading %s: %s\n", path, strerror(errno));
		return;
	}
	close(fd);
	f = fopen("/sys/module/execmem_test_module/sections/.text", "r");
	if (f && fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
	/* And where kallsyms puts a function of it. */
	f = fopen("/proc/kallsyms", "r");
	while (f && fgets(path, sizeof(path), f))
		if (strstr(path, " execmem_test_sum\t") ||
		    strstr(path, " execmem_test_sum ")) {
			path[strcspn(path, " ")] = '\0';
			break;
		}
	if (f)
		fclose(f);
	say("execmem-harness: gdb ready text=%s sum=0x%s\n", buf, path);
	for (;;)
		pause();
}

int main(void)
{
	const char *mode;

	setup();
	mode = cmdline_mode();
	say("execmem-harness: init started, mode %s\n", mode);
	if (strcmp(mode, "shell") == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/sh", "sh", NULL);
			say("execmem-harness: no /bin/sh in this initramfs: %s\n",
			    strerror(errno));
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	} else if (strcmp(mode, "demo") == 0) {
		char *argv[] = { "/demo", NULL };

		if (run_nested(argv, "", TEST_TIMEOUT))
			say("execmem-harness: demo failed\n");
	} else if (strcmp(mode, "gdb") == 0) {
		gdb_target();
	} else if (strcmp(mode, "bench") == 0) {
		char *argv[] = { "/bench/run", NULL };

		if (run_nested(argv, "", 3 * TEST_TIMEOUT))
			say("execmem-harness: bench failed\n");
	} else {
		print_execmem("start");
		run_tests();
		closing_checks();
	}
	sync();
	say("execmem-harness: done\n");
	reboot(RB_AUTOBOOT);
	return 0;
}
