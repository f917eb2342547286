package dev.kgadget.daemon.jobs;

import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.DaemonThreads;
import dev.kgadget.daemon.cgroup.ContainerCgroups;
import dev.kgadget.daemon.runtime.EventSink;
import dev.kgadget.daemon.runtime.GadgetException;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.GadgetRun;
import dev.kgadget.daemon.runtime.GadgetRuntime;
import dev.kgadget.daemon.runtime.TargetFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The jobs this node runs, several at once, each with its own BPF objects and cgroup filter.
 * A job's targets are resolved to cgroups here (per container, reporting what does not
 * resolve), re-resolved when the operator reports restarted containers, and its result is
 * handed to the {@link Publisher} when it ends, whichever way it ends.
 */
public final class NodeJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeJobs.class);

    /** Where a job's node-level outcome goes (the TraceJob status and results ConfigMap). */
    public interface Publisher {
        /** The job is attached; {@code startedAt} is the same instant every later progress call carries. */
        void running(NodeJob job, List<ContainerCgroups.Resolution> resolutions, Instant startedAt);

        void finished(NodeJob job, List<ContainerCgroups.Resolution> resolutions, GadgetResult result);

        void failed(NodeJob job, List<ContainerCgroups.Resolution> resolutions, String reason, String message);

        /** Events seen so far by a running job, for progress displays; called every few seconds while they change. */
        default void progress(NodeJob job, List<ContainerCgroups.Resolution> resolutions, Instant startedAt,
                              long events, long lostEvents) {
        }
    }

    /** How often a running job's counts are re-published while they change. */
    static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(2);

    /** The answer to a start: refused (with a reason) or running, and how each container resolved. */
    public record Started(boolean accepted, String reason, String message, List<ContainerCgroups.Resolution> resolutions) {
        static final String ATTACHED = "Started";

        /** This call attached the gadget (not: refused, or the job was running already). */
        public boolean attachedNow() {
            return ATTACHED.equals(reason);
        }
    }

    /** A running job as listed for re-adoption. */
    public record Info(NodeJob job, Instant startedAt, long events, long lostEvents) {
    }

    private final GadgetRuntime runtime;
    private final ContainerCgroups cgroups;
    private final Publisher publisher;
    private final boolean kernelCost;
    private final Map<String, Active> jobs = new ConcurrentHashMap<>();
    /**
     * One thread for every job's progress, while there are jobs: a job's end is handled by the
     * thread that ends its run, so a job costs no thread of its own here (each parked thread held
     * ~110-160 KiB).
     */
    private final ScheduledThreadPoolExecutor progress = DaemonThreads.idleScheduler("job-progress");
    private boolean closed;

    public NodeJobs(GadgetRuntime runtime, ContainerCgroups cgroups, Publisher publisher) {
        this(runtime, cgroups, publisher, false);
    }

    /** @param kernelCost measure each job's in-kernel cost (see GadgetRequest#kernelCost) */
    public NodeJobs(GadgetRuntime runtime, ContainerCgroups cgroups, Publisher publisher, boolean kernelCost) {
        this.runtime = runtime;
        this.cgroups = cgroups;
        this.publisher = publisher;
        this.kernelCost = kernelCost;
    }

    /** Events a new follower gets replayed at most: the first ones of the job. */
    static final int REPLAY_LIMIT = 10_000;
    private static final JobFollower[] NO_FOLLOWERS = {};

    private final class Active implements EventSink {
        final NodeJob job;
        final Instant startedAt = Instant.now();
        /**
         * Replaced, never changed, under this (with {@link #backlog} and {@link #seen}: a follower
         * joins between two events); an array, so that the event path walks it without an iterator.
         */
        volatile JobFollower[] followers = NO_FOLLOWERS;
        final List<EventRecord> backlog = new ArrayList<>();
        long seen;
        volatile List<ContainerCgroups.Resolution> resolutions;
        volatile CgroupOwners owners;
        volatile GadgetRun run;
        volatile String stopReason;
        /** Re-publishes the counts every {@link #PROGRESS_EVERY} while they change. */
        ScheduledFuture<?> progress;
        /** Guards the three below: no progress write may be queued behind the final one. */
        final Object progressLock = new Object();
        long eventsPublished;
        long lostPublished;
        boolean ending;
        /** Done once the result is published and the job is gone from the node's list. */
        CompletableFuture<Void> completed;

        Active(NodeJob job, List<ContainerCgroups.Resolution> resolutions) {
            this.job = job;
            this.resolutions = resolutions;
            this.owners = CgroupOwners.of(job.targets(), resolutions);
        }

        int replayLimit() {
            return Math.min(REPLAY_LIMIT, job.maxEvents() > 0 ? job.maxEvents() : REPLAY_LIMIT);
        }

        /** Decoded only while someone follows or the replay backlog fills; else just counted. */
        @Override
        public synchronized boolean skipUndecoded() {
            if (followers.length > 0 || backlog.size() < replayLimit()) {
                return false;
            }
            seen++;
            return true;
        }

        @Override
        public synchronized void onEvent(EventBuffer event) {
            seen++;
            if (backlog.size() < replayLimit()) {
                // kept beyond this call: a lasting copy, shared with the run's kept events
                backlog.add(event.toRecord());
            }
            for (JobFollower f : followers) {
                try {
                    f.onEvent(event);
                } catch (RuntimeException ex) {
                    remove(f); // a broken follower must not stop the trace
                }
            }
        }

        /** The kept first events, then a gap for the ones not kept, then live: no event twice, none silently missing. */
        synchronized void follow(JobFollower f) {
            EventBuffer replay = new EventBuffer();
            for (EventRecord e : backlog) {
                f.onEvent(replay.load(e));
            }
            if (seen > backlog.size()) {
                f.skipped(seen - backlog.size());
            }
            JobFollower[] more = Arrays.copyOf(followers, followers.length + 1);
            more[followers.length] = f;
            followers = more;
        }

        synchronized void remove(JobFollower f) {
            followers = Arrays.stream(followers).filter(g -> g != f).toArray(JobFollower[]::new);
        }
    }

    /**
     * Starts a job, or reports the one already running under the same uid (the operator
     * re-sends StartTrace after its own restart).
     */
    public synchronized Started start(NodeJob job) {
        if (closed) {
            return new Started(false, "ShuttingDown", "the daemon is shutting down", List.of());
        }
        Active existing = jobs.get(job.jobUid());
        if (existing != null) {
            return new Started(true, "AlreadyRunning", "job " + job.display() + " is already running on this node",
                    existing.resolutions);
        }
        List<ContainerCgroups.Resolution> resolutions = resolve(job.targets());
        Set<Long> ids = ids(resolutions);
        if (ids.isEmpty()) {
            String message = "none of the " + resolutions.size() + " target containers resolved to a cgroup on this node"
                    + firstError(resolutions);
            publisher.failed(job, resolutions, "ContainersNotFound", message);
            return new Started(false, "ContainersNotFound", message, resolutions);
        }
        Active active = new Active(job, resolutions);
        GadgetRun run;
        try {
            run = runtime.start(new GadgetRequest(job.gadget(), job.params(), job.duration(),
                    TargetFilter.cgroups(ids), job.maxEvents(), kernelCost), active);
        } catch (GadgetException e) {
            publisher.failed(job, resolutions, "GadgetFailed", e.getMessage());
            return new Started(false, "GadgetFailed", e.getMessage(), resolutions);
        }
        active.run = run;
        jobs.put(job.jobUid(), active);
        publisher.running(job, resolutions, active.startedAt);
        active.progress = progress.scheduleWithFixedDelay(() -> publishProgress(active), PROGRESS_EVERY.toMillis(),
                PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // on the thread that ends the run, as it ends (or here, if it has ended already)
        active.completed = run.ended().thenRun(() -> complete(active));
        LOG.info("started {} on {} cgroups", job.display(), ids.size());
        return new Started(true, Started.ATTACHED, "tracing " + ids.size() + " containers", resolutions);
    }

    private void publishProgress(Active active) {
        synchronized (active.progressLock) {
            long events = active.run.eventsSoFar();
            long lost = active.run.lostSoFar();
            if (!active.ending && (events != active.eventsPublished || lost != active.lostPublished)) {
                publisher.progress(active.job, active.resolutions, active.startedAt, events, lost);
                active.eventsPublished = events;
                active.lostPublished = lost;
            }
        }
    }

    private void complete(Active active) {
        NodeJob job = active.job;
        active.progress.cancel(false);
        synchronized (active.progressLock) {
            active.ending = true;
        }
        try {
            GadgetResult result = active.run.await();
            publisher.finished(job, active.resolutions, placed(result, active.owners));
            LOG.info("finished {}: {} events, {} lost, stop reason {}", job.display(), result.eventCount(),
                    result.lostEvents(), active.stopReason == null ? result.stopReason() : active.stopReason);
        } catch (GadgetException e) {
            publisher.failed(job, active.resolutions, "GadgetFailed", e.getMessage());
            LOG.warn("failed {}: {}", job.display(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("publishing the result of " + job.display() + " failed", e);
        } finally {
            jobs.remove(job.jobUid(), active);
            for (JobFollower f : active.followers) {
                try {
                    f.close();
                } catch (RuntimeException ignored) {
                    // the follower has gone away already
                }
            }
        }
    }

    /** Containers restarted or came and went: resolve the new list and swap the kernel filter. */
    public List<ContainerCgroups.Resolution> updateTargets(String jobUid, List<PodTarget> targets) {
        Active active = jobs.get(jobUid);
        if (active == null) {
            throw new IllegalArgumentException("no job " + jobUid + " runs on this node");
        }
        List<ContainerCgroups.Resolution> resolutions = resolve(targets);
        active.run.updateFilter(ids(resolutions));
        active.resolutions = resolutions;
        active.owners = active.owners.plus(CgroupOwners.of(targets, resolutions));
        return resolutions;
    }

    /** @return false when no such job runs here */
    public boolean stop(String jobUid, String reason) {
        Active active = jobs.get(jobUid);
        if (active == null) {
            return false;
        }
        active.stopReason = reason;
        active.run.cancel();
        return true;
    }

    /** Streams a running job's events to {@code follower} (its kept first ones, then live) until the job ends. */
    public boolean follow(String jobUid, JobFollower follower) {
        Active active = jobs.get(jobUid);
        if (active == null) {
            return false;
        }
        active.follow(follower);
        if (jobs.get(jobUid) != active) {
            // the job ended between the lookup and the add: nobody would close this follower
            active.remove(follower);
            return false;
        }
        return true;
    }

    /** Who a running job's cgroup belongs to; {@link CgroupOwners#NONE}'s answer (null) when the job is not running. */
    public CgroupOwners owners(String jobUid) {
        Active active = jobs.get(jobUid);
        return active == null ? CgroupOwners.NONE : active.owners;
    }

    public void unfollow(String jobUid, JobFollower follower) {
        Active active = jobs.get(jobUid);
        if (active != null) {
            active.remove(follower);
        }
    }

    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (Active a : jobs.values()) {
            GadgetRun run = a.run;
            out.add(new Info(a.job, a.startedAt, run.eventsSoFar(), run.lostSoFar()));
        }
        return out;
    }

    public int running() {
        return jobs.size();
    }

    /** Event gadgets' events carry their pod, so results read "which pod did this" without the cgroup table. */
    private static GadgetResult placed(GadgetResult r, CgroupOwners owners) {
        return r.events().isEmpty() ? r : r.withEvents(r.events().stream().map(owners::placed).toList());
    }

    private List<ContainerCgroups.Resolution> resolve(List<PodTarget> targets) {
        List<ContainerCgroups.Resolution> out = new ArrayList<>();
        for (PodTarget pod : targets) {
            for (PodTarget.Container c : pod.containers()) {
                out.add(cgroups.resolve(pod.podUid(), c.containerId()));
            }
        }
        return out;
    }

    private static Set<Long> ids(List<ContainerCgroups.Resolution> resolutions) {
        Set<Long> ids = new LinkedHashSet<>();
        for (ContainerCgroups.Resolution r : resolutions) {
            if (r.cgroupId() != 0) {
                ids.add(r.cgroupId());
            }
        }
        return ids;
    }

    private static String firstError(List<ContainerCgroups.Resolution> resolutions) {
        return resolutions.stream().filter(r -> r.error() != null).findFirst().map(r -> ": " + r.error()).orElse("");
    }

    /** Graceful shutdown: every gadget is detached and every result published before this returns. */
    @Override
    public void close() {
        List<Active> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(jobs.values());
        }
        for (Active a : all) {
            a.stopReason = "DaemonShutdown";
            a.run.cancel();
        }
        for (Active a : all) {
            try {
                a.completed.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.error("completing " + a.job.display() + " failed", e.getCause());
            }
        }
        progress.shutdownNow();
    }
}
