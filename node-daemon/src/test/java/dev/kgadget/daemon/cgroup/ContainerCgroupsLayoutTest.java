package dev.kgadget.daemon.cgroup;

import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContainerCgroups} over fake hierarchies in a temporary directory, laid out as
 * kubelet and the runtimes lay them out. The "cgroup id" of a fake cgroup is the inode of its
 * directory, as for a real one.
 */
class ContainerCgroupsLayoutTest {
    private static final String UID = "8f2a1c3e-4b5d-4e6f-9a0b-1c2d3e4f5a6b";
    private static final String UID_ = UID.replace('-', '_');
    private static final String ID = "3f4c1e2d".repeat(8);
    private static final String PAUSE = "9a8b7c6d".repeat(8);
    private static final String OTHER_UID = "11111111-2222-4333-8444-555555555555";
    private static final String OTHER_ID = "e0e1e2e3".repeat(8);
    private static final String THIRD_UID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    private static final String NODE = "77777777".repeat(8);

    @TempDir
    Path root;

    private ContainerCgroups cgroups;

    @BeforeEach
    void otherCgroupsOfTheHost() throws IOException {
        // what else a node has: services, sessions, another pod, and control files everywhere
        for (String dir : List.of("init.scope", "system.slice/containerd.service", "system.slice/kubelet.service",
                "user.slice/user-0.slice/session-1.scope",
                "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + OTHER_UID.replace('-', '_')
                        + ".slice/cri-containerd-" + OTHER_ID + ".scope")) {
            Files.createDirectories(root.resolve(dir));
        }
        for (String file : List.of("cgroup.procs", "cgroup.subtree_control", "memory.pressure", "system.slice/cgroup.procs")) {
            Files.writeString(root.resolve(file), "");
        }
        cgroups = new ContainerCgroups(root);
    }

    // ---- every runtime × driver × QoS class -------------------------------------------------

    private static final Map<String, Map<String, String>> POD_DIRS = Map.of(
            "systemd", Map.of(
                    "guaranteed", "kubepods.slice/kubepods-pod{U_}.slice",
                    "burstable", "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{U_}.slice",
                    "besteffort", "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{U_}.slice"),
            "cgroupfs", Map.of(
                    "guaranteed", "kubepods/pod{U}",
                    "burstable", "kubepods/burstable/pod{U}",
                    "besteffort", "kubepods/besteffort/pod{U}"));

    /** runtime prefix → driver → the container's directory in its pod, then its siblings (pause, conmon). */
    private static final Map<String, Map<String, List<String>>> CONTAINER_DIRS = Map.of(
            "containerd://", Map.of(
                    "systemd", List.of("cri-containerd-{ID}.scope", "cri-containerd-{PAUSE}.scope"),
                    "cgroupfs", List.of("{ID}", "{PAUSE}")),
            "cri-o://", Map.of(
                    "systemd", List.of("crio-{ID}.scope", "crio-conmon-{ID}.scope", "crio-{PAUSE}.scope", "crio-conmon-{PAUSE}.scope"),
                    "cgroupfs", List.of("crio-{ID}", "crio-conmon-{ID}", "crio-{PAUSE}", "crio-conmon-{PAUSE}")),
            "docker://", Map.of(
                    "systemd", List.of("docker-{ID}.scope", "docker-{PAUSE}.scope"),
                    "cgroupfs", List.of("{ID}", "{PAUSE}")));

    static Stream<Arguments> everyLayout() {
        List<Arguments> out = new ArrayList<>();
        for (String runtime : List.of("containerd://", "cri-o://", "docker://")) {
            for (String driver : List.of("systemd", "cgroupfs")) {
                for (String qos : List.of("guaranteed", "burstable", "besteffort")) {
                    List<String> dirs = CONTAINER_DIRS.get(runtime).get(driver);
                    out.add(Arguments.of(runtime, driver, qos, POD_DIRS.get(driver).get(qos), dirs.get(0),
                            dirs.subList(1, dirs.size())));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyLayout")
    void resolvesEveryRuntimeDriverAndQosClass(String runtime, String driver, String qos, String podDir, String containerDir,
                                               List<String> siblings) throws IOException {
        Path pod = mkdirs(podDir);
        Path container = mkdirs(podDir + "/" + containerDir);
        for (String sibling : siblings) {
            mkdirs(podDir + "/" + sibling);
        }

        assertResolved(cgroups.resolve(UID, runtime + ID), UID, runtime + ID, container);
        assertResolved(cgroups.resolve(UID, ID), UID, ID, container);
        assertResolved(cgroups.resolve(UID_, runtime + ID.toUpperCase()), UID_, runtime + ID.toUpperCase(), container);

        Map<String, Resolution> listed = cgroups.listContainers(UID);
        assertThat(listed).containsOnlyKeys(ID, PAUSE);
        assertResolved(listed.get(ID), UID, ID, container);
        assertThat(listed.get(PAUSE).path().getParent()).isEqualTo(pod);
        assertThat(listed.get(PAUSE).path().getFileName().toString()).doesNotContain("conmon");
        assertThat(cgroups.searches()).isEqualTo(1);
    }

    static Stream<Arguments> nestedRoots() {
        return Stream.of(
                Arguments.of("kind node, burstable",
                        "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod{U_}.slice",
                        "cri-containerd-{ID}.scope"),
                Arguments.of("kind node, guaranteed",
                        "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-pod{U_}.slice", "cri-containerd-{ID}.scope"),
                Arguments.of("kind seen from its host",
                        "system.slice/docker-{NODE}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice"
                                + "/kubelet-kubepods-besteffort-pod{U_}.slice",
                        "cri-containerd-{ID}.scope"),
                Arguments.of("k3s parent, cgroupfs", "k3s/kubepods/besteffort/pod{U}", "{ID}"),
                Arguments.of("rootless, in a user slice",
                        "user.slice/user-1000.slice/user@1000.service/kubepods.slice/kubepods-burstable.slice"
                                + "/kubepods-burstable-pod{U_}.slice",
                        "crio-{ID}.scope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nestedRoots")
    void findsPodsUnderANestedKubepodsRoot(String what, String podDir, String containerDir) throws IOException {
        Path container = mkdirs(podDir + "/" + containerDir);
        assertResolved(cgroups.resolve(UID, ID), UID, ID, container);
        assertThat(cgroups.listContainers(UID)).containsOnlyKeys(ID);
    }

    @Test
    void podDirectoryEightLevelsDownIsFoundNineIsNot() throws IOException {
        Path container = mkdirs("a/b/c/d/e/f/g/pod{U}/{ID}");
        assertThat(root.relativize(container.getParent()).getNameCount()).isEqualTo(ContainerCgroups.MAX_POD_DEPTH);
        assertResolved(cgroups.resolve(UID, ID), UID, ID, container);

        mkdirs("a/b/c/d/e/f/g/h/pod{THIRD}/{OTHER_ID}");
        assertThat(cgroups.resolve(THIRD_UID, OTHER_ID).error()).startsWith("pod " + THIRD_UID + " has no cgroup under " + root);
    }

    @Test
    void doesNotLookForPodsInsideOtherPods() throws IOException {
        mkdirs("kubepods/burstable/pod{THIRD}/{OTHER_ID}/kubepods/burstable/pod{U}/{ID}");
        assertThat(cgroups.resolve(UID, ID).error()).startsWith("pod " + UID + " has no cgroup under");
        assertThat(cgroups.resolve(THIRD_UID, OTHER_ID).resolved()).isTrue();
    }

    @Test
    void podUidMatchesInEitherFormInEitherLayout() throws IOException {
        Path cgroupfsWithUnderscores = mkdirs("kubepods/burstable/pod{U_}/{ID}");
        assertResolved(cgroups.resolve(UID, ID), UID, ID, cgroupfsWithUnderscores);

        String systemdWithDashes = "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{THIRD}.slice";
        Path third = mkdirs(systemdWithDashes + "/cri-containerd-{OTHER_ID}.scope");
        assertThat(cgroups.resolve(THIRD_UID.replace('-', '_'), "containerd://" + OTHER_ID).path()).isEqualTo(third);
    }

    // ---- CRI-O specifics -----------------------------------------------------------------------

    @Test
    void crioConmonSiblingIsNeverTheContainer() throws IOException {
        String pod = "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{U_}.slice";
        mkdirs(pod + "/crio-conmon-{ID}.scope");
        Resolution onlyConmon = cgroups.resolve(UID, "cri-o://" + ID);
        assertThat(onlyConmon.resolved()).isFalse();
        assertThat(onlyConmon.error()).isEqualTo("container cri-o://" + ID + " not found in pod cgroup "
                + root.resolve(fill(pod)) + " (not started yet, or exited?)");
        assertThat(cgroups.listContainers(UID)).isEmpty();

        Path container = mkdirs(pod + "/crio-{ID}.scope");
        assertResolved(cgroups.resolve(UID, "cri-o://" + ID), UID, "cri-o://" + ID, container);
        assertThat(cgroups.listContainers(UID)).containsOnlyKeys(ID);
    }

    @Test
    void prefersCrunsContainerSubgroupWhenTheScopeHoldsNoProcess() throws IOException {
        String scope = "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{U_}.slice/crio-{ID}.scope";
        Path leaf = mkdirs(scope + "/container");
        Files.writeString(root.resolve(fill(scope)).resolve("cgroup.procs"), "");
        assertResolved(cgroups.resolve(UID, "cri-o://" + ID), UID, "cri-o://" + ID, leaf);
        assertResolved(cgroups.listContainers(UID).get(ID), UID, ID, leaf);

        Files.writeString(root.resolve(fill(scope)).resolve("cgroup.procs"), "4242\n");
        assertResolved(cgroups.resolve(UID, "cri-o://" + ID), UID, "cri-o://" + ID, leaf.getParent());
    }

    // ---- the pod directory cache ---------------------------------------------------------------

    @Test
    void searchesOncePerPod() throws IOException {
        mkdirs("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{U_}.slice/cri-containerd-{ID}.scope");
        mkdirs("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{U_}.slice/cri-containerd-{PAUSE}.scope");
        for (int i = 0; i < 3; i++) {
            assertThat(cgroups.resolve(UID, "containerd://" + ID).resolved()).isTrue();
            assertThat(cgroups.resolve(UID_, "containerd://" + PAUSE).resolved()).isTrue();
            assertThat(cgroups.listContainers(UID)).hasSize(2);
        }
        assertThat(cgroups.searches()).isEqualTo(1);
        assertThat(cgroups.resolve(OTHER_UID, OTHER_ID).resolved()).isTrue();
        assertThat(cgroups.searches()).isEqualTo(2);

        cgroups.forget(UID);
        assertThat(cgroups.resolve(UID, ID).resolved()).isTrue();
        assertThat(cgroups.searches()).isEqualTo(3);
    }

    @Test
    void searchesAgainWhenTheCachedPodDirectoryDisappears() throws IOException {
        Path first = mkdirs("kubepods/burstable/pod{U}/{ID}");
        assertResolved(cgroups.resolve(UID, ID), UID, ID, first);

        deleteTree(root.resolve("kubepods"));
        assertThat(cgroups.resolve(UID, ID).error()).startsWith("pod " + UID + " has no cgroup under " + root);
        assertThat(cgroups.listContainers(UID)).isEmpty();

        Path second = mkdirs("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{U_}.slice/cri-containerd-{ID}.scope");
        assertResolved(cgroups.resolve(UID, ID), UID, ID, second);
        assertThat(cgroups.searches()).isEqualTo(4); // found, gone (2 misses), found elsewhere
    }

    @Test
    void listingNoticesARestartedContainer() throws IOException {
        String pod = "kubepods.slice/kubepods-pod{U_}.slice";
        Path old = mkdirs(pod + "/docker-{ID}.scope");
        assertThat(cgroups.listContainers(UID)).containsOnlyKeys(ID);

        Files.delete(old);
        Path restarted = mkdirs(pod + "/docker-{OTHER_ID}.scope");
        Map<String, Resolution> listed = cgroups.listContainers(UID);
        assertThat(listed).containsOnlyKeys(OTHER_ID);
        assertResolved(listed.get(OTHER_ID), UID, OTHER_ID, restarted);
        assertThat(cgroups.resolve(UID, "docker://" + ID).error()).startsWith("container docker://" + ID + " not found in pod cgroup");
    }

    // ---- errors: reported, never thrown --------------------------------------------------------

    @Test
    void unknownPod() {
        Resolution r = cgroups.resolve(UID, "containerd://" + ID);
        assertThat(r).isEqualTo(new Resolution(UID, "containerd://" + ID, null, 0, r.error()));
        assertThat(r.resolved()).isFalse();
        assertThat(r.error()).isEqualTo("pod " + UID + " has no cgroup under " + root + " (searched 8 levels deep; is the pod on"
                + " this node, and is " + root + " the host's cgroup2 root?)");
    }

    @Test
    void unknownContainer() throws IOException {
        Path pod = mkdirs("kubepods/besteffort/pod{U}");
        mkdirs("kubepods/besteffort/pod{U}/{PAUSE}");
        Resolution r = cgroups.resolve(UID, "containerd://" + ID);
        assertThat(r.path()).isNull();
        assertThat(r.cgroupId()).isZero();
        assertThat(r.error()).isEqualTo("container containerd://" + ID + " not found in pod cgroup " + pod
                + " (not started yet, or exited?)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"containerd://", "containerd://abc", "cri-o://000000000000000000000000000000000000000000000000000000000000000", "../../../etc", "docker:/x"})
    void malformedContainerId(String containerId) throws IOException {
        mkdirs("kubepods/pod{U}/{ID}");
        Resolution r = cgroups.resolve(UID, containerId);
        assertThat(r.resolved()).isFalse();
        assertThat(r.containerId()).isEqualTo(containerId);
        assertThat(r.error()).startsWith("malformed container id '" + (containerId == null ? "" : containerId) + "'");
    }

    @Test
    void unsupportedRuntime() {
        Resolution r = cgroups.resolve(UID, "foo://" + ID);
        assertThat(r.error()).startsWith("unsupported container runtime 'foo' in container id 'foo://" + ID + "'");
        assertThat(cgroups.resolve(UID, "rkt://" + ID).error()).startsWith("unsupported container runtime 'rkt'");
        assertThat(cgroups.searches()).isZero();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../kubepods", "8f2a1c3e/4b5d", "pod uid"})
    void malformedPodUid(String podUid) {
        Resolution r = cgroups.resolve(podUid, ID);
        assertThat(r.error()).isEqualTo("malformed pod uid '" + (podUid == null ? "" : podUid) + "' (expected the pod's metadata.uid)");
        assertThat(cgroups.listContainers(podUid)).isEmpty();
        cgroups.forget(podUid);
        assertThat(cgroups.searches()).isZero();
    }

    @Test
    void missingRoot() {
        ContainerCgroups nowhere = new ContainerCgroups(root.resolve("no-such-mount"));
        assertThat(nowhere.resolve(UID, ID).error()).startsWith("cgroup root " + root.resolve("no-such-mount") + " does not exist");
        assertThat(nowhere.listContainers(UID)).isEmpty();
    }

    @Test
    void resolveAllKeepsOrderAndReportsEachFailure() throws IOException {
        Path container = mkdirs("kubepods/burstable/pod{U}/{ID}");
        List<Resolution> all = cgroups.resolveAll(UID, Arrays.asList("containerd://" + ID, "", null, "docker://" + PAUSE, ID));
        assertThat(all).hasSize(5);
        assertResolved(all.get(0), UID, "containerd://" + ID, container);
        assertThat(all.get(1).error()).startsWith("malformed container id ''");
        assertThat(all.get(2).error()).startsWith("malformed container id ''");
        assertThat(all.get(3).error()).startsWith("container docker://" + PAUSE + " not found");
        assertResolved(all.get(4), UID, ID, container);
        assertThat(cgroups.resolveAll(UID, null)).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void assertResolved(Resolution r, String podUid, String containerId, Path expected) throws IOException {
        assertThat(r.error()).isNull();
        assertThat(r.resolved()).isTrue();
        assertThat(r.podUid()).isEqualTo(podUid);
        assertThat(r.containerId()).isEqualTo(containerId);
        assertThat(r.path()).isEqualTo(expected);
        assertThat(r.cgroupId()).isEqualTo(((Number) Files.getAttribute(expected, "unix:ino")).longValue()).isPositive();
    }

    private Path mkdirs(String template) throws IOException {
        return Files.createDirectories(root.resolve(fill(template)));
    }

    private static String fill(String template) {
        return template.replace("{U_}", UID_).replace("{U}", UID).replace("{ID}", ID).replace("{PAUSE}", PAUSE)
                .replace("{OTHER}", OTHER_UID).replace("{THIRD}", THIRD_UID).replace("{OTHER_ID}", OTHER_ID).replace("{NODE}", NODE);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
