package dev.kgadget.daemon.cgroup;

import dev.kgadget.daemon.runtime.GadgetException;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the cgroup v2 directory, and so the cgroup id, of a Kubernetes container on this
 * node: containerd, CRI-O and Docker, systemd and cgroupfs cgroup drivers, every QoS class
 * (layouts in {@link CgroupNames}).
 *
 * <p>The kubepods root is not assumed to be at the top of the hierarchy (kind puts it under
 * {@code /kubelet.slice}, a host sees kind's pods under the node container's scope, rootless
 * setups under a user slice): the pod directory is searched by name, breadth first, at most
 * {@value #MAX_POD_DEPTH} levels below the root, without entering other pods' directories. It
 * is then cached per pod uid and looked up again if it disappears.
 *
 * <p>Pod uids are those of the cgroup, i.e. of the kubelet: for a static pod that is the
 * {@code kubernetes.io/config.mirror} annotation of its mirror pod, not the mirror's own uid.
 *
 * <p>Never throws for bad input or a missing cgroup: every answer is a {@link Resolution},
 * with the reason in {@link Resolution#error()}. Thread-safe.
 */
public final class ContainerCgroups {
    /** How deep below the root a pod directory may be. */
    static final int MAX_POD_DEPTH = 8;
    /** At most this many directories are listed in one search (a bound on its cost). */
    static final int MAX_SEARCHED_DIRS = 20_000;
    private static final int MAX_CACHED_PODS = 4096;

    /**
     * A container's cgroup, or why it has none.
     *
     * @param podUid      the pod uid asked for
     * @param containerId the container id asked for (listings: the bare 64 hex digits)
     * @param path        the container's leaf cgroup directory; null if unresolved
     * @param cgroupId    its cgroup v2 id (the directory's inode, what bpf_get_current_cgroup_id()
     *                    returns in it); 0 if unresolved
     * @param error       why it is unresolved; null if resolved
     */
    public record Resolution(String podUid, String containerId, Path path, long cgroupId, String error) {
        static Resolution failed(String podUid, String containerId, String error) {
            return new Resolution(podUid, containerId, null, 0, error);
        }

        public boolean resolved() {
            return error == null;
        }
    }

    private final Path root;
    /** Pod uid (dashed) → its cgroup directory, least recently used first. Guarded by itself. */
    private final LinkedHashMap<String, Path> podDirs = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicInteger searches = new AtomicInteger();

    /** @param cgroup2Root the host's cgroup2 mount as this process sees it, e.g. {@code /host/sys/fs/cgroup} */
    public ContainerCgroups(Path cgroup2Root) {
        this.root = cgroup2Root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * The cgroup of one container.
     *
     * @param podUid      the pod's {@code metadata.uid} (dashes; the underscore form is accepted too)
     * @param containerId as in the pod status ({@code containerd://…}, {@code cri-o://…},
     *                    {@code docker://…}) or the bare 64 hex digits
     */
    public Resolution resolve(String podUid, String containerId) {
        ContainerId container;
        try {
            container = ContainerId.parse(containerId);
        } catch (IllegalArgumentException e) {
            return Resolution.failed(podUid, containerId, e.getMessage());
        }
        Optional<String> podError = checkPodUid(podUid);
        if (podError.isPresent()) {
            return Resolution.failed(podUid, containerId, podError.get());
        }
        Path podDir = podDir(podUid);
        if (podDir == null) {
            return Resolution.failed(podUid, containerId, podNotFound(podUid));
        }
        for (String name : CgroupNames.containerDirNames(container)) {
            Path dir = podDir.resolve(name);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return describe(podUid, containerId, leafOf(dir));
            }
        }
        return Resolution.failed(podUid, containerId, "container " + container + " not found in pod cgroup " + podDir
                + " (not started yet, or exited?)");
    }

    /** {@link #resolve} for several containers of one pod, in order. */
    public List<Resolution> resolveAll(String podUid, Collection<String> containerIds) {
        List<Resolution> out = new ArrayList<>();
        if (containerIds != null) {
            for (String id : containerIds) {
                out.add(resolve(podUid, id));
            }
        }
        return out;
    }

    /**
     * The containers whose cgroups are under the pod's directory now, by bare id (64 hex
     * digits), sorted; the pod's sandbox ("pause") container included, CRI-O's conmon cgroups
     * not. Empty if the pod has no cgroup (or the uid is malformed). A restarted container
     * shows up under its new id.
     */
    public Map<String, Resolution> listContainers(String podUid) {
        Map<String, Resolution> out = new TreeMap<>();
        if (checkPodUid(podUid).isPresent()) {
            return out;
        }
        Path podDir = podDir(podUid);
        if (podDir == null) {
            return out;
        }
        for (Path dir : subdirectories(podDir)) {
            CgroupNames.containerIdOf(dir.getFileName().toString())
                    .ifPresent(id -> out.putIfAbsent(id, describe(podUid, id, leafOf(dir))));
        }
        return out;
    }

    /** Drops the cached directory of a pod (e.g. once it is deleted). */
    public void forget(String podUid) {
        if (podUid != null) {
            synchronized (podDirs) {
                podDirs.remove(CgroupNames.canonicalPodUid(podUid));
            }
        }
    }

    /** How many times the hierarchy was searched for a pod directory (the cache's misses). */
    int searches() {
        return searches.get();
    }

    private static Optional<String> checkPodUid(String podUid) {
        return CgroupNames.isValidPodUid(podUid) ? Optional.empty()
                : Optional.of("malformed pod uid '" + ContainerId.excerpt(podUid == null ? "" : podUid)
                        + "' (expected the pod's metadata.uid)");
    }

    private String podNotFound(String podUid) {
        if (!Files.isDirectory(root)) {
            return "cgroup root " + root + " does not exist (set KGADGET_CGROUP_ROOT or -D" + CgroupV2.ROOT_PROPERTY
                    + " to the host's cgroup2 mount)";
        }
        return "pod " + podUid + " has no cgroup under " + root + " (searched " + MAX_POD_DEPTH
                + " levels deep; is the pod on this node, and is " + root + " the host's cgroup2 root?)";
    }

    /** The pod's directory, from the cache if it still exists there, else searched (and cached). */
    private Path podDir(String podUid) {
        String key = CgroupNames.canonicalPodUid(podUid);
        Path cached;
        synchronized (podDirs) {
            cached = podDirs.get(key);
        }
        if (cached != null) {
            if (Files.isDirectory(cached, LinkOption.NOFOLLOW_LINKS)) {
                return cached;
            }
            synchronized (podDirs) {
                podDirs.remove(key, cached);
            }
        }
        Path found = searchPodDir(podUid);
        if (found != null) {
            synchronized (podDirs) {
                podDirs.put(key, found);
                Iterator<String> eldest = podDirs.keySet().iterator();
                while (podDirs.size() > MAX_CACHED_PODS) {
                    eldest.next();
                    eldest.remove();
                }
            }
        }
        return found;
    }

    /** Breadth first, so the shallowest match wins; never enters another pod's directory. */
    private Path searchPodDir(String podUid) {
        searches.incrementAndGet();
        List<Path> level = List.of(root);
        int listed = 0;
        for (int depth = 1; depth <= MAX_POD_DEPTH && !level.isEmpty(); depth++) {
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                if (++listed > MAX_SEARCHED_DIRS) {
                    return null;
                }
                for (Path child : subdirectories(dir)) {
                    String name = child.getFileName().toString();
                    if (CgroupNames.isPodDir(name, podUid)) {
                        return child;
                    }
                    if (!CgroupNames.isAnyPodDir(name)) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return null;
    }

    /**
     * The cgroup the container's processes live in: crun's {@code container} sub-cgroup when
     * the scope has one and holds no process itself, else the directory itself.
     */
    private static Path leafOf(Path containerDir) {
        Path sub = containerDir.resolve(CgroupNames.CRUN_SUBGROUP);
        return Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS) && !holdsProcesses(containerDir) ? sub : containerDir;
    }

    private static boolean holdsProcesses(Path cgroup) {
        try {
            return !Files.readString(cgroup.resolve("cgroup.procs")).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static Resolution describe(String podUid, String containerId, Path leaf) {
        try {
            return new Resolution(podUid, containerId, leaf, CgroupV2.idOf(leaf), null);
        } catch (GadgetException e) {
            return Resolution.failed(podUid, containerId, e.getMessage());
        }
    }

    /** Subdirectories (not following links); none if the directory cannot be read or vanished. */
    private static List<Path> subdirectories(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException e) {
            // a cgroup removed while we look, or one we may not read: nothing below it
        }
        return out;
    }
}
