package dev.kgadget.daemon.cgroup;

import dev.kgadget.daemon.runtime.GadgetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's cgroup2 hierarchy: where it is mounted (hybrid hosts mount it at e.g.
 * /sys/fs/cgroup/unified, pure v2 hosts at /sys/fs/cgroup) and the ids of its cgroups. A
 * cgroup v2 id is the inode number of its directory, which is what the kernel's
 * bpf_get_current_cgroup_id() returns.
 */
public final class CgroupV2 {
    /** Overrides discovery, e.g. {@code /host/sys/fs/cgroup} in a DaemonSet. */
    public static final String ROOT_PROPERTY = "kgadget.cgroupRoot";

    private final Path root;

    public CgroupV2(Path root) {
        this.root = root;
    }

    /** The cgroup2 hierarchy of this host, found from /proc/self/mountinfo. */
    public static CgroupV2 host() {
        String configured = System.getProperty(ROOT_PROPERTY, System.getenv("KGADGET_CGROUP_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return new CgroupV2(Path.of(configured));
        }
        try {
            return new CgroupV2(mountPoint(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                    .orElseThrow(() -> new GadgetException(
                            "no cgroup2 filesystem is mounted; mount one (mount -t cgroup2 none /sys/fs/cgroup/unified)"
                                    + " or set KGADGET_CGROUP_ROOT")));
        } catch (IOException e) {
            throw new GadgetException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /** mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superopts". */
    static Optional<Path> mountPoint(List<String> mountinfo) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                return Optional.of(Path.of(unescape(before[4])));
            }
        }
        return Optional.empty();
    }

    private static String unescape(String mountinfoPath) {
        return mountinfoPath.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    public Path root() {
        return root;
    }

    /**
     * The cgroup v2 id of a cgroup given as an absolute path under the cgroup2 mount or as a
     * path relative to it.
     *
     * @throws GadgetException if it does not exist or is no cgroup2 directory
     */
    public long idOf(String userPath) {
        return idOf(resolve(userPath));
    }

    public Path resolve(String userPath) {
        Path p = Path.of(userPath);
        Path full = p.isAbsolute() ? p.normalize() : root.resolve(p).normalize();
        if (!full.startsWith(root)) {
            throw new GadgetException("cgroup " + userPath + " is not under the cgroup2 mount " + root
                    + "; give a path under it or relative to it");
        }
        if (!Files.isDirectory(full)) {
            throw new GadgetException("cgroup " + userPath + " does not exist (looked for " + full + ")");
        }
        if (!Files.exists(full.resolve("cgroup.procs"))) {
            throw new GadgetException(full + " is not a cgroup2 directory (no cgroup.procs)");
        }
        return full;
    }

    public static long idOf(Path cgroupDir) {
        try {
            return ((Number) Files.getAttribute(cgroupDir, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new GadgetException("cannot read the id of cgroup " + cgroupDir + ": " + e.getMessage(), e);
        }
    }

    /** The cgroup2 path of a process, from /proc/PID/cgroup ("0::/path"). */
    public Optional<Path> cgroupOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                if (line.startsWith("0::")) {
                    return Optional.of(root.resolve(line.substring(3).replaceFirst("^/", "")).normalize());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
