package dev.kgadget.daemon.cgroup;

import dev.kgadget.daemon.cgroup.ContainerId.Runtime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Container id parsing and cgroup name matching, without a file system. */
class CgroupNamesTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String UID = "8f2a1c3e-4b5d-4e6f-9a0b-1c2d3e4f5a6b";
    private static final String UID_ = UID.replace('-', '_');

    @Test
    void parsesEveryRuntimePrefixAndTheBareId() {
        assertThat(ContainerId.parse("containerd://" + ID)).isEqualTo(new ContainerId(Runtime.CONTAINERD, ID));
        assertThat(ContainerId.parse("cri-o://" + ID)).isEqualTo(new ContainerId(Runtime.CRIO, ID));
        assertThat(ContainerId.parse("crio://" + ID)).isEqualTo(new ContainerId(Runtime.CRIO, ID));
        assertThat(ContainerId.parse("docker://" + ID)).isEqualTo(new ContainerId(Runtime.DOCKER, ID));
        assertThat(ContainerId.parse(ID)).isEqualTo(new ContainerId(Runtime.UNSPECIFIED, ID));
        assertThat(ContainerId.parse(" containerd://" + ID.toUpperCase() + "\n").id()).isEqualTo(ID);
        assertThat(ContainerId.parse("cri-o://" + ID)).hasToString("cri-o://" + ID);
        assertThat(ContainerId.parse(ID)).hasToString(ID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "containerd://", "containerd://xyz", "abc", "../../etc/passwd", "containerd:/" + ID, "://" + ID,
            "containerd://" + ID + "0", "docker://g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"})
    void rejectsMalformedIds(String raw) {
        assertThatThrownBy(() -> ContainerId.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed container id '");
    }

    @Test
    void malformedMessagesQuoteTheInputExactlyOrShortened() {
        assertThatThrownBy(() -> ContainerId.parse(null)).hasMessageStartingWith("malformed container id ''");
        assertThatThrownBy(() -> ContainerId.parse("containerd://xyz")).hasMessageStartingWith("malformed container id 'containerd://xyz'");
        assertThatThrownBy(() -> ContainerId.parse("x".repeat(500) + "\u0001")).hasMessageContaining("x".repeat(80) + "…'")
                .hasMessageNotContaining("x".repeat(81));
    }

    @Test
    void rejectsUnknownRuntimesByName() {
        assertThatThrownBy(() -> ContainerId.parse("foo://" + ID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unsupported container runtime 'foo' in container id 'foo://" + ID + "'");
    }

    @Test
    void matchesPodDirectoriesOfBothDriversInBothUidForms() {
        for (String uid : new String[] {UID, UID_}) {
            assertThat(CgroupNames.isPodDir("kubepods-pod" + UID_ + ".slice", uid)).isTrue();
            assertThat(CgroupNames.isPodDir("kubepods-burstable-pod" + UID_ + ".slice", uid)).isTrue();
            assertThat(CgroupNames.isPodDir("kubelet-kubepods-besteffort-pod" + UID_ + ".slice", uid)).isTrue();
            assertThat(CgroupNames.isPodDir("pod" + UID, uid)).isTrue();
            assertThat(CgroupNames.isPodDir("pod" + UID_, uid)).isTrue();
            assertThat(CgroupNames.isPodDir("kubepods-burstable-pod" + UID + ".slice", uid)).isTrue();

            assertThat(CgroupNames.isPodDir("kubepods-burstable-pod" + UID_ + "0.slice", uid)).isFalse();
            assertThat(CgroupNames.isPodDir("pod" + UID + "0", uid)).isFalse();
            assertThat(CgroupNames.isPodDir("xpod" + UID, uid)).isFalse();
            assertThat(CgroupNames.isPodDir("kubepods-burstable-pod" + UID_, uid)).isFalse();
            assertThat(CgroupNames.isPodDir("kubepods.slice", uid)).isFalse();
        }
        String staticPod = "6b2f1e0f8c7a4d3b9e5a1c2d3e4f5a6b"; // a static pod's uid: no dashes
        assertThat(CgroupNames.isPodDir("kubepods-besteffort-pod" + staticPod + ".slice", staticPod)).isTrue();
        assertThat(CgroupNames.isPodDir("pod" + staticPod, staticPod)).isTrue();
    }

    @Test
    void recognisesAnyPodDirectoryButNotKubepodsOrQosLevels() {
        assertThat(CgroupNames.isAnyPodDir("pod" + UID)).isTrue();
        assertThat(CgroupNames.isAnyPodDir("kubepods-besteffort-pod" + UID_ + ".slice")).isTrue();
        assertThat(CgroupNames.isAnyPodDir("kubepods-pod" + UID_ + ".slice")).isTrue();
        for (String name : new String[] {"kubepods", "kubepods.slice", "kubepods-burstable.slice", "burstable", "besteffort",
                "kubelet-kubepods.slice", "podman", "pods", "system.slice", "docker-" + ID + ".scope"}) {
            assertThat(CgroupNames.isAnyPodDir(name)).as(name).isFalse();
        }
    }

    @Test
    void listsTheContainerNamesOfItsOwnRuntimeFirst() {
        assertThat(CgroupNames.containerDirNames(new ContainerId(Runtime.CONTAINERD, ID)))
                .startsWith("cri-containerd-" + ID + ".scope", ID)
                .containsExactlyInAnyOrder("cri-containerd-" + ID + ".scope", ID, "crio-" + ID + ".scope", "crio-" + ID,
                        "docker-" + ID + ".scope");
        assertThat(CgroupNames.containerDirNames(new ContainerId(Runtime.CRIO, ID))).startsWith("crio-" + ID + ".scope", "crio-" + ID);
        assertThat(CgroupNames.containerDirNames(new ContainerId(Runtime.DOCKER, ID))).startsWith("docker-" + ID + ".scope", ID);
        assertThat(CgroupNames.containerDirNames(new ContainerId(Runtime.UNSPECIFIED, ID))).hasSize(5)
                .noneMatch(n -> n.contains("conmon"));
    }

    @Test
    void readsContainerIdsFromDirectoryNamesButNotConmonOrSubgroups() {
        for (String name : new String[] {"cri-containerd-" + ID + ".scope", "crio-" + ID + ".scope", "crio-" + ID,
                "docker-" + ID + ".scope", ID}) {
            assertThat(CgroupNames.containerIdOf(name)).as(name).contains(ID);
        }
        for (String name : new String[] {"crio-conmon-" + ID + ".scope", "crio-conmon-" + ID, "container", "init.scope",
                ID.substring(1), "pod" + UID, "cri-containerd-" + ID.toUpperCase() + ".scope"}) {
            assertThat(CgroupNames.containerIdOf(name)).as(name).isEmpty();
        }
    }
}
