package dev.kgadget.daemon.testing;

import dev.kgadget.daemon.cgroup.CgroupV2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh cgroup v2 for one test, with processes started inside it from their first
 * instruction (the shell moves itself in, then execs the workload). Removed on close.
 */
public final class TestCgroup implements AutoCloseable {
    private final Path path;
    /* directories this fixture created, outermost first: removed innermost first */
    private final List<Path> created;

    private TestCgroup(Path path, List<Path> created) {
        this.path = path;
        this.created = created;
    }

    public static TestCgroup create(String purpose) {
        Path dir = CgroupV2.host().root().resolve("kgadget-test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create test cgroup " + dir + " (tests need root and cgroup2)", e);
        }
        return new TestCgroup(dir, List.of(dir));
    }

    /** A cgroup at exactly {@code dir} (its parent must exist), removed on close. */
    public static TestCgroup createAt(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create test cgroup " + dir, e);
        }
        return new TestCgroup(dir, List.of(dir));
    }

    /**
     * A leaf cgroup at {@code segments} below a fresh test parent, e.g. the kubelet's
     * systemd/containerd layout of a pod's container; every level is a real cgroup.
     */
    public static TestCgroup createNested(String purpose, String... segments) {
        Path dir = CgroupV2.host().root().resolve("kgadget-test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8));
        List<Path> made = new ArrayList<>();
        try {
            Files.createDirectory(dir);
            made.add(dir);
            for (String s : segments) {
                dir = dir.resolve(s);
                Files.createDirectory(dir);
                made.add(dir);
            }
        } catch (IOException e) {
            new TestCgroup(dir, made).close();
            throw new IllegalStateException("cannot create test cgroup " + dir + " (tests need root and cgroup2)", e);
        }
        return new TestCgroup(dir, List.copyOf(made));
    }

    public Path path() {
        return path;
    }

    public long id() {
        return CgroupV2.idOf(path);
    }

    /** Starts a command inside this cgroup. */
    public Process start(String... command) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "echo 0 > \"$0\" && exec \"$@\"",
                path.resolve("cgroup.procs").toString()));
        cmd.addAll(List.of(command));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command inside this cgroup to completion; fails the test if it fails. */
    public void run(String... command) {
        waitOk(start(command), String.join(" ", command));
    }

    public static void waitOk(Process p, String what) {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish in 120 s");
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                throw new AssertionError(what + " exited " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /** rmdir(2) of a cgroup answers EBUSY until the kernel is done with its exited processes. */
    private static void removeWhenReleased(Path dir) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        try {
            for (int attempt = 0; attempt < 50 && Files.exists(path.resolve("cgroup.procs")); attempt++) {
                List<String> pids = Files.readAllLines(path.resolve("cgroup.procs"));
                if (pids.isEmpty()) {
                    break;
                }
                for (String pid : pids) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
                Thread.sleep(20);
            }
            for (int i = created.size() - 1; i >= 0; i--) {
                removeWhenReleased(created.get(i));
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot remove test cgroup " + path, e);
        }
    }
}
