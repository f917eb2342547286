package dev.kgadget.daemon.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names kubelet and the container runtimes give to pod and container cgroups.
 *
 * <p>Pod directories, under a kubepods root that may itself be nested anywhere (the QoS level
 * is absent for Guaranteed pods):
 * <ul>
 *   <li>systemd driver: {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice},
 *       where {@code <uid_>} is the uid with {@code -} replaced by {@code _}; with a cgroup root such as
 *       kind's {@code /kubelet} every name gains its parent's prefix
 *       ({@code kubelet-kubepods-burstable-pod<uid_>.slice}), so only the {@code -pod<uid_>.slice} tail is
 *       matched;</li>
 *   <li>cgroupfs driver: {@code kubepods/burstable/pod<uid>}.</li>
 * </ul>
 * Either uid form is accepted in either layout.
 *
 * <p>Container directories inside a pod directory:
 * <ul>
 *   <li>containerd: {@code cri-containerd-<id>.scope} (systemd), {@code <id>} (cgroupfs);</li>
 *   <li>CRI-O: {@code crio-<id>.scope} (systemd), {@code crio-<id>} (cgroupfs); its sibling
 *       {@code crio-conmon-<id>[.scope]} holds the container monitor, not the container;</li>
 *   <li>Docker (dockershim / cri-dockerd): {@code docker-<id>.scope} (systemd), {@code <id>} (cgroupfs).</li>
 * </ul>
 * crun under the systemd driver runs the container's processes in a sub-cgroup of the scope,
 * {@value #CRUN_SUBGROUP} by default.
 */
final class CgroupNames {
    /** The sub-cgroup crun creates inside a systemd scope for the container's processes. */
    static final String CRUN_SUBGROUP = "container";

    /** Kubernetes pod uids: UUIDs, or for static pods a 32-hex-digit hash of the manifest. */
    private static final Pattern POD_UID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

    /** Any pod's directory (such a directory never holds another pod: the walk does not enter it). */
    private static final Pattern ANY_POD_DIR = Pattern.compile("pod[0-9a-fA-F_-]{32,}|.+-pod[0-9a-fA-F_-]{32,}\\.slice");

    private static final Pattern CONTAINER_DIR = Pattern.compile("(?:cri-containerd-|crio-|docker-)?([0-9a-f]{64})(?:\\.scope)?");

    private CgroupNames() {
    }

    static boolean isValidPodUid(String uid) {
        return uid != null && POD_UID.matcher(uid).matches();
    }

    /** The pod's uid as the cache key: the API's form, with dashes. */
    static String canonicalPodUid(String uid) {
        return uid.replace('_', '-');
    }

    /** Whether {@code name} is the cgroup directory of the pod {@code uid} (either uid form). */
    static boolean isPodDir(String name, String uid) {
        for (String form : List.of(uid.replace('_', '-'), uid.replace('-', '_'))) {
            if (name.equals("pod" + form) || name.endsWith("-pod" + form + ".slice")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} is some pod's cgroup directory. */
    static boolean isAnyPodDir(String name) {
        return ANY_POD_DIR.matcher(name).matches();
    }

    /**
     * The names the container's directory may have inside its pod directory, those of its own
     * runtime first. The others follow because the id alone is unambiguous, and a runtime may
     * report itself under another's name (cri-dockerd says {@code docker://}).
     */
    static List<String> containerDirNames(ContainerId container) {
        String id = container.id();
        Set<String> names = new LinkedHashSet<>(switch (container.runtime()) {
            case CONTAINERD -> List.of("cri-containerd-" + id + ".scope", id);
            case CRIO -> List.of("crio-" + id + ".scope", "crio-" + id);
            case DOCKER -> List.of("docker-" + id + ".scope", id);
            case UNSPECIFIED -> List.<String>of();
        });
        names.addAll(List.of("cri-containerd-" + id + ".scope", "crio-" + id + ".scope", "docker-" + id + ".scope",
                "crio-" + id, id));
        return new ArrayList<>(names);
    }

    /** The container id a directory inside a pod directory stands for, if it is a container's. */
    static Optional<String> containerIdOf(String dirName) {
        Matcher m = CONTAINER_DIR.matcher(dirName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
