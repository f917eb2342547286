package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.daemon.libbpf.BpfLink;
import dev.kgadget.daemon.libbpf.BpfObject;
import dev.kgadget.daemon.libbpf.BpfProgram;
import dev.kgadget.daemon.libbpf.PerfEvents;
import dev.kgadget.daemon.libbpf.ProgramStats;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one gadget run holds in the kernel: the object (programs and maps), its links,
 * its share of the event ring and the stats reference. The single owner of their release, so
 * every path — success, failure while loading, exception, cancel — releases the same way.
 */
final class LoadedGadget implements AutoCloseable {
    /* shared map names, see bpf/include/kgadget.bpf.h */
    static final String FILTER_MAP = "kg_cgroups";
    static final String FILTER_LIST_MAP = "kg_cgroup_list";
    static final String EVENTS_MAP = "kg_events";
    static final String LOST_MAP = "kg_lost";

    final BpfObject object;
    private final List<BpfLink> links = new ArrayList<>();
    private final List<BpfProgram> attached = new ArrayList<>();
    private ProgramStats stats;
    private EventRing.Run ring;
    private CgroupFilter filter;
    private boolean closed;

    LoadedGadget(BpfObject object) {
        this.object = object;
    }

    /**
     * @param sampleFrequency for perf_event programs: samples per second on each CPU
     * @param kernelCost      turn the kernel's run-time statistics on while attached (see GadgetRequest)
     */
    void attachAll(int sampleFrequency, boolean kernelCost) {
        if (kernelCost) {
            stats = ProgramStats.enable();
        }
        for (BpfProgram p : object.programs()) {
            if (p.autoload()) {
                if (p.isPerfEvent()) {
                    links.addAll(PerfEvents.attachCpuClock(p, sampleFrequency));
                } else {
                    links.add(p.attach());
                }
                attached.add(p);
            }
        }
    }

    CgroupFilter filter() {
        if (filter == null) {
            filter = new CgroupFilter(object.map(FILTER_MAP), object.map(FILTER_LIST_MAP));
        }
        return filter;
    }

    /** Takes over the run's share of the event ring: released with everything else. */
    void joinRing(EventRing.Run run) {
        ring = run;
    }

    /** The run's share of the event ring; null for a gadget without events. */
    EventRing.Run ring() {
        return ring;
    }

    /** Stops the programs; maps stay readable until {@link #close()}. */
    synchronized void detach() {
        for (BpfLink link : links) {
            link.close();
        }
        links.clear();
    }

    List<ProgramCost> costs() {
        List<ProgramCost> out = new ArrayList<>();
        for (BpfProgram p : attached) {
            out.add(ProgramStats.cost(p.name(), p.fd()));
        }
        return out;
    }

    /** Events dropped in the kernel because the ring buffer was full (summed over CPUs). */
    synchronized long lost() {
        if (closed || !object.hasMap(LOST_MAP)) {
            return 0;
        }
        return object.map(LOST_MAP).sumPerCpuCounters();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach();
        if (ring != null) {
            ring.close();
        }
        if (stats != null) {
            stats.close();
        }
        object.close();
    }
}
