package dev.kgadget.bench;

import dev.kgadget.api.grpc.ContainerTarget;
import dev.kgadget.api.grpc.PodTarget;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.TestCgroup;

import java.util.UUID;

/** The workloads' cgroup, laid out like a pod's container so the daemon can be given it as a target. */
record BenchPod(TestCgroup cgroup, PodTarget target) implements AutoCloseable {
    static BenchPod create() {
        String podUid = UUID.randomUUID().toString();
        String id = PodCgroup.randomContainerId();
        TestCgroup cg = PodCgroup.create(podUid, id);
        return new BenchPod(cg, PodTarget.newBuilder().setPodUid(podUid).setPodName("bench-0").setNamespace("bench")
                .addContainers(ContainerTarget.newBuilder().setName("app").setContainerId("containerd://" + id)).build());
    }

    @Override
    public void close() {
        cgroup.close();
    }
}
