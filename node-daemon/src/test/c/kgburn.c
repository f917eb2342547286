/*
 * The profile test's CPU burner, built with frame pointers (-fno-omit-frame-pointer) as a PIE:
 * main -> burn_outer -> burn_hot, where burn_hot spins. Run for MSEC milliseconds, then it
 * waits for SIGTERM (so its mappings can be read for symbolization after the trace ends).
 *
 *   kgburn MSEC
 */
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

__attribute__((noinline)) unsigned long burn_hot(long until)
{
	volatile unsigned long x = 0;
	while (now_ms() < until)
		for (int i = 0; i < 100000; i++)
			x += i;
	return x;
}

__attribute__((noinline)) unsigned long burn_outer(long ms)
{
	return burn_hot(now_ms() + ms) + 1;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	burn_outer(atol(argv[1]));
	pause();
	return 0;
}
