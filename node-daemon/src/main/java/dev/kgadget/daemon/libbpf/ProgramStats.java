package dev.kgadget.daemon.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;

import dev.kgadget.api.result.ProgramCost;

/**
 * The kernel's own accounting of BPF program run time. Counting is on while any
 * {@link ProgramStats} is open (bpf_enable_stats(BPF_STATS_RUN_TIME) holds a reference).
 */
public final class ProgramStats implements AutoCloseable {
    /* offsets in struct bpf_prog_info (linux/bpf.h, stable UAPI) */
    private static final int INFO_SIZE = 232;
    private static final int OFF_ID = 4;
    private static final int OFF_NAME = 64;
    private static final int OFF_RUN_TIME_NS = 192;
    private static final int OFF_RUN_CNT = 200;
    private static final int OFF_RECURSION_MISSES = 208;

    private int fd;

    private ProgramStats(int fd) {
        this.fd = fd;
    }

    /** @return an open handle, or one that reports nothing when the kernel refuses (pre-5.8) */
    public static ProgramStats enable() {
        return new ProgramStats(Bpf.lib().bpf_enable_stats(LibBpf.BPF_STATS_RUN_TIME));
    }

    public boolean enabled() {
        return fd >= 0;
    }

    public static ProgramCost cost(String name, int progFd) {
        Info info = Info.of(progFd);
        return new ProgramCost(name, info.runCount, info.runTimeNs, info.recursionMisses);
    }

    /** Identity and counters of a loaded program, from bpf_obj_get_info_by_fd. */
    public record Info(int id, String name, long runTimeNs, long runCount, long recursionMisses) {
        public static Info of(int progFd) {
            Memory info = new Memory(INFO_SIZE);
            info.clear();
            IntByReference len = new IntByReference(INFO_SIZE);
            Bpf.check(Bpf.lib().bpf_obj_get_info_by_fd(progFd, info, len), "program info");
            return new Info(info.getInt(OFF_ID), info.getString(OFF_NAME), info.getLong(OFF_RUN_TIME_NS),
                    info.getLong(OFF_RUN_CNT), info.getLong(OFF_RECURSION_MISSES));
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            LibC.INSTANCE.close(fd);
            fd = -1;
        }
    }
}
