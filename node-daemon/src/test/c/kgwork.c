/*
 * Workloads with exactly known kernel activity, for the gadget tests: each mode performs N
 * of one thing and nothing else of that kind, so a gadget's count can be asserted tightly.
 *
 *   kgwork directio FILE N        N 4 KiB O_DIRECT pwrites over FILE (which must exist, >= 4 KiB)
 *   kgwork exec N PATH [ARG...]   fork+execv PATH N times, waiting for each
 *   kgwork open N PATH            open(PATH, O_RDONLY)+close N times (glibc issues openat)
 *   kgwork openat2 N PATH         openat2(AT_FDCWD, PATH, {O_RDONLY})+close N times
 *   kgwork getppid N              the getppid syscall N times
 *   kgwork sleep N USEC [CPU]     N sleeps of USEC microseconds (N wakeups), pinned to CPU if given
 *   kgwork spin MSEC [CPU]        burn CPU for MSEC milliseconds, pinned to CPU if given
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "kgwork: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void pin(int argc, char **argv, int idx)
{
	if (argc > idx) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(atoi(argv[idx]), &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("sched_setaffinity");
	}
}

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: kgwork MODE ARGS (see source)\n");
		return 2;
	}
	const char *mode = argv[1];

	if (!strcmp(mode, "directio") && argc == 4) {
		long n = atol(argv[3]);
		int fd = open(argv[2], O_WRONLY | O_DIRECT);
		struct stat st;
		void *buf;
		if (fd < 0)
			die("open O_DIRECT");
		if (fstat(fd, &st))
			die("fstat");
		long blocks = st.st_size / 4096;
		if (blocks < 1) {
			fprintf(stderr, "kgwork: %s is smaller than 4 KiB\n", argv[2]);
			return 1;
		}
		if (posix_memalign(&buf, 4096, 4096))
			die("posix_memalign");
		memset(buf, 0x5a, 4096);
		for (long i = 0; i < n; i++)
			if (pwrite(fd, buf, 4096, (i % blocks) * 4096) != 4096)
				die("pwrite");
		close(fd);
	} else if (!strcmp(mode, "exec") && argc >= 4) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				execv(argv[3], &argv[3]);
				_exit(127); /* a failed exec is part of the workload */
			}
			if (waitpid(pid, NULL, 0) < 0)
				die("waitpid");
		}
	} else if (!strcmp(mode, "open") && argc == 4) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			int fd = open(argv[3], O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(mode, "openat2") && argc == 4) {
		long n = atol(argv[2]);
		struct open_how how = { .flags = O_RDONLY };
		for (long i = 0; i < n; i++) {
			long fd = syscall(SYS_openat2, AT_FDCWD, argv[3], &how, sizeof(how));
			if (fd >= 0)
				close((int)fd);
		}
	} else if (!strcmp(mode, "getppid") && argc == 3) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(mode, "sleep") && argc >= 4) {
		long n = atol(argv[2]);
		long usec = atol(argv[3]);
		struct timespec ts = { .tv_sec = usec / 1000000, .tv_nsec = (usec % 1000000) * 1000 };
		pin(argc, argv, 4);
		for (long i = 0; i < n; i++)
			nanosleep(&ts, NULL);
	} else if (!strcmp(mode, "spin") && argc >= 3) {
		long end = now_ns() + atol(argv[2]) * 1000000L;
		volatile unsigned long x = 0;
		pin(argc, argv, 3);
		while (now_ns() < end)
			x++;
	} else {
		fprintf(stderr, "kgwork: unknown mode or wrong arguments: %s\n", mode);
		return 2;
	}
	return 0;
}
