package dev.kgadget.daemon.jobs;

import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pod container each traced cgroup belongs to, so an event (which carries only its
 * {@code cgroupId}) can be shown with its namespace, pod and container — in the follow stream
 * and in the published results alike.
 */
public final class CgroupOwners {
    /** A container of a selected pod. */
    public record Owner(String namespace, String pod, String container) {
    }

    static final CgroupOwners NONE = new CgroupOwners(Map.of());

    private final Map<Long, Owner> byCgroup;

    private CgroupOwners(Map<Long, Owner> byCgroup) {
        this.byCgroup = Map.copyOf(byCgroup);
    }

    /** The owners of the cgroups {@code resolved} found for {@code targets}. */
    static CgroupOwners of(List<PodTarget> targets, List<Resolution> resolved) {
        Map<String, PodTarget> pods = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (PodTarget pod : targets) {
            pods.putIfAbsent(pod.podUid(), pod);
            for (PodTarget.Container c : pod.containers()) {
                names.putIfAbsent(pod.podUid() + "/" + c.containerId(), c.name());
            }
        }
        Map<Long, Owner> byCgroup = new HashMap<>();
        for (Resolution r : resolved) {
            PodTarget pod = pods.get(r.podUid());
            if (r.resolved() && pod != null) {
                byCgroup.put(r.cgroupId(), new Owner(pod.namespace(), pod.podName(), names.get(r.podUid() + "/" + r.containerId())));
            }
        }
        return new CgroupOwners(byCgroup);
    }

    /** These owners plus {@code newer}'s (newer wins): a restarted container's old cgroup keeps its name. */
    CgroupOwners plus(CgroupOwners newer) {
        Map<Long, Owner> all = new HashMap<>(byCgroup);
        all.putAll(newer.byCgroup);
        return new CgroupOwners(all);
    }

    /** The owner of a cgroup, or null when it is not one of the job's. */
    public Owner owner(long cgroupId) {
        return byCgroup.get(cgroupId);
    }

    /** The owner of the event's cgroup, or null when the event has none or it is unknown. */
    public Owner ownerOf(EventRecord event) {
        return event.get("cgroupId") instanceof Number id ? byCgroup.get(id.longValue()) : null;
    }

    /** The event with {@code namespace}, {@code pod} and {@code container} first, when its cgroup's owner is known. */
    EventRecord placed(EventRecord event) {
        Owner o = ownerOf(event);
        if (o == null) {
            return event;
        }
        EventFields.Builder fields = EventFields.builder().put("namespace", o.namespace()).put("pod", o.pod())
                .put("container", o.container());
        event.fields().forEach(fields::put);
        return fields.record();
    }
}
