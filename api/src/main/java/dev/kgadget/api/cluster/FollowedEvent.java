package dev.kgadget.api.cluster;

import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.grpc.EventPod;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One event of a FollowEvents stream, as its reader wants it: the daemon sends them in batches
 * ({@link EventBatch}), {@link #of} splits one.
 *
 * @param jsonFields the event's fields as one JSON object
 * @param namespace  the pod the event's cgroup belongs to; empty strings when unknown
 */
public record FollowedEvent(String jobUid, String node, long seq, String jsonFields, String namespace, String pod,
                            String container) {

    /**
     * The batch's events, in order.
     *
     * @throws IllegalArgumentException when its parts do not add up (a daemon of another version)
     */
    public static List<FollowedEvent> of(EventBatch batch) {
        int n = batch.getSeqCount();
        if (batch.getPodRefCount() != n) {
            throw new IllegalArgumentException(n + " events but " + batch.getPodRefCount() + " pod references");
        }
        String lines = batch.getJsonLines().toString(StandardCharsets.UTF_8);
        List<FollowedEvent> out = new ArrayList<>(n);
        int from = 0;
        for (int i = 0; i < n; i++) {
            int end = lines.indexOf('\n', from); // JSON text escapes every newline inside its strings
            if (end < 0) {
                throw new IllegalArgumentException(n + " events but " + i + " JSON lines");
            }
            int ref = batch.getPodRef(i);
            if (ref > batch.getPodsCount()) {
                throw new IllegalArgumentException("pod reference " + ref + " of " + batch.getPodsCount() + " pods");
            }
            EventPod pod = ref == 0 ? EventPod.getDefaultInstance() : batch.getPods(ref - 1);
            out.add(new FollowedEvent(batch.getJobUid(), batch.getNode(), batch.getSeq(i), lines.substring(from, end),
                    pod.getNamespace(), pod.getPod(), pod.getContainer()));
            from = end + 1;
        }
        return out;
    }
}
