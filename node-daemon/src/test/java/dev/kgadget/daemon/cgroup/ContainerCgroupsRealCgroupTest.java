package dev.kgadget.daemon.cgroup;

import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContainerCgroups} on this machine's real cgroup2 hierarchy: a kubelet-style
 * (systemd driver, containerd, Burstable) tree of real cgroups with a real process in the
 * container's cgroup; what the kernel says about that process must match the resolution.
 * Needs root and a cgroup2 mount, like every gadget test; never skipped.
 */
class ContainerCgroupsRealCgroupTest {

    @Test
    void resolvesTheCgroupTheKernelPutsTheContainersProcessIn() throws Exception {
        CgroupV2 host = CgroupV2.host();
        Path mount = host.root();
        String podUid = UUID.randomUUID().toString();
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        String containerId = HexFormat.of().formatHex(random);

        Path parent = mount.resolve("kgadget-test-cgroups-" + UUID.randomUUID().toString().substring(0, 8));
        Path pod = parent.resolve("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + podUid.replace('-', '_') + ".slice");
        Path leaf = pod.resolve("cri-containerd-" + containerId + ".scope");
        List<Path> created = new ArrayList<>();
        Process process = null;
        try {
            created.add(Files.createDirectory(parent)); // mkdir(2) on cgroup2: a new cgroup
            for (Path name : parent.relativize(leaf)) {
                created.add(Files.createDirectory(created.get(created.size() - 1).resolve(name)));
            }
            process = new ProcessBuilder("sleep", "600").start();
            Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(process.pid()));

            Resolution r = new ContainerCgroups(mount).resolve(podUid, "containerd://" + containerId);

            assertThat(r.error()).isNull();
            assertThat(r.path()).isEqualTo(leaf);
            // the kernel's own word: /proc/PID/cgroup "0::<path relative to the mount>"
            String kernelPath = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "cgroup")).stream()
                    .filter(line -> line.startsWith("0::")).findFirst().orElseThrow().substring(3);
            assertThat(kernelPath).isEqualTo("/" + mount.relativize(leaf));
            assertThat(host.cgroupOf(process.pid())).contains(r.path());
            assertThat(r.cgroupId()).isEqualTo(CgroupV2.idOf(mount.resolve(kernelPath.substring(1)))).isPositive();
            assertThat(r.cgroupId()).isEqualTo(host.idOf(kernelPath.substring(1)));

            assertThat(new ContainerCgroups(mount).listContainers(podUid)).containsOnlyKeys(containerId)
                    .hasEntrySatisfying(containerId, listed -> assertThat(listed).isEqualTo(
                            new Resolution(podUid, containerId, leaf, r.cgroupId(), null)));
        } finally {
            cleanUp(process, created);
        }
        assertThat(parent).doesNotExist();
    }

    /** Kills the process, then removes the cgroups leaf first (rmdir fails while one is populated). */
    private static void cleanUp(Process process, List<Path> created) throws IOException, InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Collections.reverse(created);
        IOException failure = null;
        for (Path dir : created) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (IOException e) { // EBUSY until the kernel has finished with the exited process
                    if (attempt == 100) {
                        failure = failure == null ? e : failure;
                        break;
                    }
                    Thread.sleep(20);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
