package dev.kgadget.daemon.jobs;

import dev.kgadget.api.result.EventBuffer;

/**
 * A reader of a running job's events (a FollowEvents stream). It gets the events the job kept
 * from before it started following, then the live ones; {@link #close()} when the job ends.
 */
public interface JobFollower extends AutoCloseable {
    /**
     * One event, on the gadget's drain thread (or the follower's registration, for the replay),
     * always under the job's lock: it must not block, and {@code event} is valid only during the call.
     */
    void onEvent(EventBuffer event);

    /**
     * {@code events} happened between the replayed ones and the first live one and are not
     * delivered (the replay keeps only the job's first events).
     */
    void skipped(long events);

    @Override
    void close();
}
