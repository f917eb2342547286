package dev.kgadget.daemon.jobs;

import java.util.List;

/** A pod of a job on this node, with the containers to trace (as written in the pod's status). */
public record PodTarget(String podUid, String podName, String namespace, List<Container> containers) {
    public PodTarget {
        containers = List.copyOf(containers);
    }

    /** @param containerId as in pod status, e.g. {@code containerd://<hex>} */
    public record Container(String name, String containerId) {
    }
}
