package dev.kgadget.daemon;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon's worker threads: daemon threads (they never hold up its exit), named {@code name-n}. */
public final class DaemonThreads {
    private static final long KEEP_ALIVE_SECONDS = 10;

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A pool for work that comes in bursts (a job's status writes at its start and end): up to
     * {@code threads} threads while there is work, none once they have been idle a few seconds.
     * A daemon spends most of its life between jobs, and each parked thread holds its stack's pages.
     */
    public static ExecutorService idlePool(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * One scheduler thread for timed work of many jobs (their ends, their progress), while there
     * is any: it ends after a few idle seconds, and a cancelled task leaves the queue at once.
     */
    public static ScheduledThreadPoolExecutor idleScheduler(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, named(name));
        pool.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }
}
