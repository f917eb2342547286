package dev.kgadget.daemon.status;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for work that comes in bursts (a job's status writes at its start and end): up
 * to {@code threads} daemon threads while there is work, none once they have been idle a few
 * seconds. A daemon spends most of its life between jobs, and each parked thread holds its
 * stack's pages.
 */
final class IdleThreads {
    private static final long KEEP_ALIVE_SECONDS = 10;

    private IdleThreads() {
    }

    static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
