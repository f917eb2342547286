package dev.kgadget.daemon.testing;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A container's cgroup exactly where the kubelet puts it with the systemd driver and
 * containerd (Burstable QoS), under a fresh test directory of the host's cgroup2 hierarchy:
 * {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<id>.scope}.
 */
public final class PodCgroup {
    private PodCgroup() {
    }

    public static TestCgroup create(String podUid, String containerHexId) {
        return TestCgroup.createNested("pod", "kubepods.slice", "kubepods-burstable.slice",
                "kubepods-burstable-pod" + podUid.replace('-', '_') + ".slice", "cri-containerd-" + containerHexId + ".scope");
    }

    /** A pod's container cgroup and the daemon's target for it (pod bench-0 in namespace bench, container app). */
    public record Pod(TestCgroup cgroup, dev.kgadget.api.grpc.PodTarget target) implements AutoCloseable {
        @Override
        public void close() {
            cgroup.close();
        }
    }

    /** A fresh pod container cgroup, with its target as the operator would send it. */
    public static Pod pod(String podName, String namespace) {
        String podUid = java.util.UUID.randomUUID().toString();
        String id = randomContainerId();
        return new Pod(create(podUid, id), dev.kgadget.api.grpc.PodTarget.newBuilder().setPodUid(podUid).setPodName(podName)
                .setNamespace(namespace).addContainers(dev.kgadget.api.grpc.ContainerTarget.newBuilder().setName("app")
                        .setContainerId("containerd://" + id)).build());
    }

    /** A fresh 64-hex container id, as containerd makes them. */
    public static String randomContainerId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
