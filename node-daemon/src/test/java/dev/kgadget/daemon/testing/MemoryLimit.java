package dev.kgadget.daemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A memory-limited cgroup for OOM tests: the cgroup v2 test cgroup itself when the memory
 * controller is enabled there (pure v2 hosts), else a cgroup v1 memory cgroup (hybrid hosts,
 * where v2 has no memory controller). {@link #joinPath()} is what a process joins.
 */
public final class MemoryLimit implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/memory");

    private final Path dir;
    private final boolean own;

    private MemoryLimit(Path dir, boolean own) {
        this.dir = dir;
        this.own = own;
    }

    public static MemoryLimit of(TestCgroup cg, long bytes) {
        try {
            Path controllers = cg.path().getParent().resolve("cgroup.subtree_control");
            if (Files.exists(controllers) && Files.readString(controllers).contains("memory")) {
                Files.writeString(cg.path().resolve("memory.max"), Long.toString(bytes));
                Files.writeString(cg.path().resolve("memory.swap.max"), "0");
                return new MemoryLimit(cg.path(), false);
            }
            if (!Files.isDirectory(V1)) {
                throw new IllegalStateException("no memory controller: neither in cgroup v2 at " + cg.path().getParent()
                        + " nor a cgroup v1 hierarchy at " + V1);
            }
            Path d = Files.createDirectory(V1.resolve("kgadget-oom-" + UUID.randomUUID()));
            Files.writeString(d.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            if (Files.exists(d.resolve("memory.memsw.limit_in_bytes"))) {
                Files.writeString(d.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
            }
            return new MemoryLimit(d, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cgroup directory whose cgroup.procs a process writes itself into. */
    public Path joinPath() {
        return dir;
    }

    @Override
    public void close() {
        if (!own) {
            return;
        }
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
