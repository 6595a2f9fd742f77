// SPDX-License-Identifier: GPL-2.0
/*
 * The init of the test initramfs: a small static program, so that arm64 and
 * riscv64 need no shell.
 *
 * It mounts the pseudo filesystems, runs every executable in /tests in name
 * order as a KTAP runner (each program's own TAP output nested by four
 * spaces), reports kmemleak findings, and reboots; QEMU runs with
 * -no-reboot, so that ends the run.  The harness reads the console between
 * the "execmem-harness:" marker lines.
 *
 * Kernel command line switches:
 *   harness.mode=test    run /tests (default)
 *   harness.mode=demo    run /demo (make run)
 *   harness.mode=shell   exec /bin/sh (make boot, make run SHELL=1)
 *   harness.mode=bench   run /bench/run (make bench)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_DIR	"/tests"
#define TEST_TIMEOUT	900	/* seconds, per program; TCG is slow */
#define MAX_TESTS	64

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

static const char *cmdline_mode(void)
{
	static char buf[4096];
	char *p;
	int fd, n;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return "test";
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "harness.mode=");
	if (!p)
		return "test";
	p += strlen("harness.mode=");
	p[strcspn(p, " \n")] = '\0';
	return p;
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

		if (de->d_name[0] == '.')
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
		char path[512];
		char *argv[] = { path, NULL };
		int rc;

		snprintf(path, sizeof(path), TEST_DIR "/%s", names[i]);
		rc = run_nested(argv, "    ", TEST_TIMEOUT);
		if (rc == 0)
			say("ok %d %s\n", i + 1, names[i]);
		else if (rc == 4)
			say("ok %d %s # SKIP\n", i + 1, names[i]);
		else
			say("not ok %d %s # exit=%d\n", i + 1, names[i], rc);
	}
	say("execmem-harness: kselftest end\n");
}

/* Ask kmemleak for a scan now and print what it found. */
static void kmemleak_report(void)
{
	const char *f = "/sys/kernel/debug/kmemleak";
	char buf[4096];
	int fd;
	ssize_t n;

	fd = open(f, O_WRONLY);
	if (fd < 0)
		return;
	(void)!write(fd, "scan", 4);
	close(fd);
	fd = open(f, O_RDONLY);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		(void)!write(1, buf, n);
	close(fd);
	say("execmem-harness: kmemleak scanned\n");
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
	} else if (strcmp(mode, "bench") == 0) {
		char *argv[] = { "/bench/run", NULL };

		if (run_nested(argv, "", 3 * TEST_TIMEOUT))
			say("execmem-harness: bench failed\n");
	} else {
		run_tests();
		kmemleak_report();
	}
	sync();
	say("execmem-harness: done\n");
	reboot(RB_AUTOBOOT);
	return 0;
}
