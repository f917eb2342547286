package dev.kgadget.daemon.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CPU clock perf event on every online CPU, each sampled by a perf_event program. */
public final class PerfEvents {
    private static final long SYS_PERF_EVENT_OPEN = 298; // x86_64
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final long PERF_COUNT_SW_CPU_CLOCK = 0;
    private static final int ATTR_SIZE = 128; // PERF_ATTR_SIZE_VER7
    private static final long FLAG_FREQ = 1L << 10;
    private static final long PERF_FLAG_FD_CLOEXEC = 1L << 3;

    private PerfEvents() {
    }

    /** Links (one per CPU) that stop sampling and close their events when closed. */
    public static List<BpfLink> attachCpuClock(BpfProgram program, int frequency) {
        List<BpfLink> links = new ArrayList<>();
        try {
            for (int cpu : onlineCpus()) {
                Memory attr = new Memory(ATTR_SIZE);
                attr.clear();
                attr.setInt(0, PERF_TYPE_SOFTWARE);
                attr.setInt(4, ATTR_SIZE);
                attr.setLong(8, PERF_COUNT_SW_CPU_CLOCK);
                attr.setLong(16, frequency);
                attr.setLong(40, FLAG_FREQ);
                long fd = LibC.INSTANCE.syscall(SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
                if (fd < 0) {
                    throw new BpfException("perf_event_open on CPU " + cpu, Native.getLastError(), "needs CAP_PERFMON");
                }
                try {
                    links.add(program.attachPerfEvent((int) fd));
                } catch (RuntimeException e) {
                    LibC.INSTANCE.close((int) fd);
                    throw e;
                }
            }
            return links;
        } catch (RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
    }

    /** /sys/devices/system/cpu/online, e.g. "0-3,6". */
    static List<Integer> onlineCpus() {
        List<Integer> cpus = new ArrayList<>();
        try {
            for (String part : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
                int dash = part.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
                for (int c = lo; c <= hi; c++) {
                    cpus.add(c);
                }
            }
        } catch (IOException | NumberFormatException e) {
            for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }
}
