/*
 * Workloads with exactly known kernel activity, for the gadget tests: each mode performs N
 * of one thing and nothing else of that kind, so a gadget's count can be asserted tightly.
 *
 *   kgwork directio FILE N        N 4 KiB O_DIRECT pwrites over FILE (which must exist, >= 4 KiB)
 *   kgwork exec N PATH [ARG...]   fork+execv PATH N times, waiting for each
 *   kgwork open N PATH            open(PATH, O_RDONLY)+close N times (glibc issues openat)
 *   kgwork openat2 N PATH         openat2(AT_FDCWD, PATH, {O_RDONLY})+close N times
 *   kgwork getppid N              the getppid syscall N times
 *   kgwork mix N                  N syscalls, eight kinds in turn (getppid, getuid, read, write, lseek,
 *                                 fstat, umask, close of a bad fd), each N/8 times
 *   kgwork sleep N USEC [CPU]     N sleeps of USEC microseconds (N wakeups), pinned to CPU if given
 *   kgwork spin MSEC [CPU]        burn CPU for MSEC milliseconds, pinned to CPU if given
 *   kgwork signal N SIG           fork a child that waits; send it SIG (caught) N times, then SIGKILL
 *   kgwork tcp N BYTES 4|6        loopback server (a child) accepts N connections; the parent connects N
 *                                 times, writes BYTES, reads BYTES echoed back, closes; port printed
 *   kgwork pingpong N [CPU]       two processes pass a byte back and forth over pipes N times (2N wakeups),
 *                                 both pinned to CPU if given
 *   kgwork backlog MSEC           a loopback listener that never accepts (backlog 0): one connection
 *                                 fills its queue, a second one's SYNs are dropped by the kernel and
 *                                 retried for MSEC ms (what tcpretrans sees), then all is closed
 *   kgwork oom MEMCG MIB          join the cgroup v1 memory cgroup MEMCG, then touch MIB MiB (OOM-killed
 *                                 when MEMCG's limit is lower)
 *
 * The modes that do N operations (all but tcp, which prints its port, spin, backlog and oom) end by
 * printing their own rate on stderr, measured around the operations alone, not the process's
 * start:  kgwork MODE: N ops in S s, R ops/s
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
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

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	(void)sig;
	got++;
}

static void io_all(int fd, char *buf, long n, int writing)
{
	long done = 0;
	while (done < n) {
		ssize_t r = writing ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
		if (r <= 0)
			die(writing ? "write" : "read");
		done += r;
	}
}

static int tcp(long n, long bytes, int v6)
{
	int family = v6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage addr = {0};
	socklen_t len;
	int ls = socket(family, SOCK_STREAM, 0), one = 1;
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&addr;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&addr;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	if (bind(ls, (struct sockaddr *)&addr, len) || listen(ls, 64) || getsockname(ls, (struct sockaddr *)&addr, &len))
		die("bind/listen");
	int port = ntohs(v6 ? ((struct sockaddr_in6 *)&addr)->sin6_port : ((struct sockaddr_in *)&addr)->sin_port);
	printf("%d\n", port);
	fflush(stdout);
	char *buf = malloc(bytes > 0 ? bytes : 1);
	memset(buf, 'k', bytes > 0 ? bytes : 1);
	pid_t server = fork();
	if (server == 0) {
		for (long i = 0; i < n; i++) {
			int c = accept(ls, NULL, NULL);
			if (c < 0)
				die("accept");
			io_all(c, buf, bytes, 0);
			io_all(c, buf, bytes, 1);
			close(c);
		}
		_exit(0);
	}
	close(ls);
	for (long i = 0; i < n; i++) {
		int c = socket(family, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&addr, len))
			die("connect");
		io_all(c, buf, bytes, 1);
		io_all(c, buf, bytes, 0);
		close(c);
	}
	int status;
	waitpid(server, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: kgwork MODE ARGS (see source)\n");
		return 2;
	}
	const char *mode = argv[1];
	long ops = 0; /* set by the modes that do N operations */
	long t0 = now_ns();

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
		ops = n;
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
		ops = n;
	} else if (!strcmp(mode, "open") && argc == 4) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++) {
			int fd = open(argv[3], O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		ops = n;
	} else if (!strcmp(mode, "openat2") && argc == 4) {
		long n = atol(argv[2]);
		struct open_how how = { .flags = O_RDONLY };
		for (long i = 0; i < n; i++) {
			long fd = syscall(SYS_openat2, AT_FDCWD, argv[3], &how, sizeof(how));
			if (fd >= 0)
				close((int)fd);
		}
		ops = n;
	} else if (!strcmp(mode, "getppid") && argc == 3) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		ops = n;
	} else if (!strcmp(mode, "mix") && argc == 3) {
		long n = atol(argv[2]);
		int zero = open("/dev/zero", O_RDONLY);
		int null = open("/dev/null", O_WRONLY);
		char c = 0;
		struct stat st;
		if (zero < 0 || null < 0)
			die("open /dev/zero, /dev/null");
		/* raw syscalls: libc caches or skips none of them */
		for (long i = 0; i < n; i++) {
			switch (i & 7) {
			case 0: syscall(SYS_getppid); break;
			case 1: syscall(SYS_getuid); break;
			case 2: if (syscall(SYS_read, zero, &c, 1) != 1) die("read"); break;
			case 3: if (syscall(SYS_write, null, &c, 1) != 1) die("write"); break;
			case 4: syscall(SYS_lseek, zero, 0, SEEK_SET); break;
			case 5: syscall(SYS_fstat, zero, &st); break;
			case 6: syscall(SYS_umask, 022); break;
			default: syscall(SYS_close, -1); break;
			}
		}
		close(zero);
		close(null);
		ops = n;
	} else if (!strcmp(mode, "sleep") && argc >= 4) {
		long n = atol(argv[2]);
		long usec = atol(argv[3]);
		struct timespec ts = { .tv_sec = usec / 1000000, .tv_nsec = (usec % 1000000) * 1000 };
		pin(argc, argv, 4);
		for (long i = 0; i < n; i++)
			nanosleep(&ts, NULL);
		ops = n;
	} else if (!strcmp(mode, "spin") && argc >= 3) {
		long end = now_ns() + atol(argv[2]) * 1000000L;
		volatile unsigned long x = 0;
		pin(argc, argv, 3);
		while (now_ns() < end)
			x++;
	} else if (!strcmp(mode, "signal") && argc == 4) {
		long n = atol(argv[2]);
		int sig = atoi(argv[3]);
		int ready[2];
		if (pipe(ready))
			die("pipe");
		pid_t child = fork();
		if (child == 0) {
			signal(sig, on_signal);
			close(ready[0]);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		char r;
		close(ready[1]);
		if (read(ready[0], &r, 1) != 1)
			die("child not ready");
		for (long i = 0; i < n; i++) {
			if (kill(child, sig))
				die("kill");
			usleep(1000);
		}
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		ops = n;
	} else if (!strcmp(mode, "tcp") && argc == 5) {
		return tcp(atol(argv[2]), atol(argv[3]), atoi(argv[4]) == 6);
	} else if (!strcmp(mode, "pingpong") && argc >= 3) {
		long n = atol(argv[2]);
		int ab[2], ba[2];
		char c = 'k';
		pin(argc, argv, 3); /* before the fork: both ends */
		if (pipe(ab) || pipe(ba))
			die("pipe");
		pid_t child = fork();
		if (child == 0) {
			for (long i = 0; i < n; i++)
				if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
					_exit(1);
			_exit(0);
		}
		for (long i = 0; i < n; i++)
			if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
				die("pingpong");
		waitpid(child, NULL, 0);
		ops = n;
	} else if (!strcmp(mode, "backlog") && argc == 3) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(a);
		int ls = socket(AF_INET, SOCK_STREAM, 0);
		if (ls < 0 || bind(ls, (struct sockaddr *)&a, len) || listen(ls, 0) || getsockname(ls, (struct sockaddr *)&a, &len))
			die("listen");
		int first = socket(AF_INET, SOCK_STREAM, 0);
		if (first < 0 || connect(first, (struct sockaddr *)&a, len))
			die("first connect");
		usleep(100000); /* the first connection settles in the accept queue */
		int second = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (second < 0 || (connect(second, (struct sockaddr *)&a, len) && errno != EINPROGRESS))
			die("second connect");
		usleep(atol(argv[2]) * 1000L);
		close(second);
		close(first);
		close(ls);
	} else if (!strcmp(mode, "oom") && argc == 4) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/cgroup.procs", argv[2]);
		FILE *f = fopen(path, "w");
		if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
			die("join memcg");
		long mib = atol(argv[3]);
		for (long i = 0; i < mib; i++) {
			char *p = malloc(1 << 20);
			if (!p)
				die("malloc");
			memset(p, 1, 1 << 20);
		}
	} else {
		fprintf(stderr, "kgwork: unknown mode or wrong arguments: %s\n", mode);
		return 2;
	}
	if (ops > 0) {
		double sec = (now_ns() - t0) / 1e9;
		fprintf(stderr, "kgwork %s: %ld ops in %.6f s, %.0f ops/s\n", mode, ops, sec, ops / sec);
	}
	return 0;
}
