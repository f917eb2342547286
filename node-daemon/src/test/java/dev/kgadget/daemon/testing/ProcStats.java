package dev.kgadget.daemon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and peak RSS from /proc (children included for CPU: a shell wrapper's work counts). */
public final class ProcStats {
    private static final long TICK_MS = 10; // USER_HZ 100

    private ProcStats() {
    }

    /** utime + stime (+ reaped children's) in ms, or -1 when gone. */
    public static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the comm: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * TICK_MS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM (peak resident set) in KiB, or -1. */
    public static long peakRssKiB(long pid) {
        return statusKiB(pid, "VmHWM:");
    }

    /** VmRSS (resident set now) in KiB, or -1. */
    public static long rssKiB(long pid) {
        return statusKiB(pid, "VmRSS:");
    }

    private static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
