package dev.kgadget.daemon.runtime;

import dev.kgadget.daemon.gadgets.Gadget;
import dev.kgadget.daemon.gadgets.Gadgets;
import dev.kgadget.daemon.libbpf.BpfException;
import dev.kgadget.daemon.libbpf.BpfObject;
import dev.kgadget.daemon.libbpf.BpfProgram;
import dev.kgadget.daemon.libbpf.LibC;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link GadgetRequest} into a running, attached gadget. The event gadgets it runs at
 * once share one ring buffer ({@link EventRing}).
 */
public final class GadgetRuntime {
    /**
     * The daemon's ring, kept small for its memory: its consumer only counts most events, and
     * keeps up with the fastest producer measured (opensnoop, 1.6 M events/s) without losses.
     * A 4 MiB ring lost events in that storm (bench/compare).
     */
    public static final int DEFAULT_RING_BYTES = 8 << 20;

    private final EventRing events;

    public GadgetRuntime() {
        this(DEFAULT_RING_BYTES);
    }

    /**
     * @param ringBytes the event ring (a power of two of at least a page): what it holds is the
     *                  burst a consumer falling behind can take before the kernel counts events as
     *                  lost. Its pages count in the resident set while an event gadget runs.
     */
    public GadgetRuntime(int ringBytes) {
        if (ringBytes < 4096 || Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size " + ringBytes + " is not a power of two of at least 4096");
        }
        this.events = new EventRing(ringBytes);
    }

    /**
     * Creates the event ring ahead of the first event gadget (see {@link EventRing#prepare()}).
     *
     * @throws dev.kgadget.daemon.libbpf.BpfException when the kernel refuses it
     */
    public void prepareEvents() {
        events.prepare();
    }

    /**
     * Preflight (privileges, BTF, hooks), open, set parameters, load, fill the filter, attach.
     * Returns once the gadget is attached and collecting.
     *
     * @throws GadgetException with a one-line message; nothing is left loaded
     */
    public GadgetRun start(GadgetRequest request, EventSink sink) {
        Preflight.checkLibbpf();
        Preflight.checkPrivileges();
        Preflight.checkBtf();
        Gadget gadget = Gadgets.of(request.gadget());
        String name = request.gadget().name();
        LoadedGadget loaded = null;
        try {
            loaded = new LoadedGadget(BpfObject.open(name, objectBytes(gadget)));
            GadgetRun run = new GadgetRun(request, gadget, loaded, sink, events);
            prepare(loaded, gadget, request);
            try {
                loaded.object.load();
            } catch (BpfException e) {
                throw new GadgetException("the kernel refused gadget " + name + ": " + e.getMessage()
                        + " (set KGADGET_DEBUG=1 for libbpf's log)", e);
            }
            // libbpf parsed the kernel's whole BTF (~6 MiB raw, several times that in memory) to
            // relocate the programs and freed it; glibc keeps freed heap for reuse, which in a
            // long-running daemon would sit in its RSS for good
            LibC.INSTANCE.malloc_trim(0);
            loaded.filter().replace(request.filter().cgroupIds());
            loaded.attachAll(gadget.sampleFrequency(request.params()), request.kernelCost());
            run.begin();
            return run;
        } catch (RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            }
            if (e instanceof BpfException) {
                throw new GadgetException("gadget " + name + " could not start: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void prepare(LoadedGadget loaded, Gadget gadget, GadgetRequest request) {
        BpfObject object = loaded.object;
        Map<String, Object> rodata = new HashMap<>(gadget.rodata(request.params()));
        rodata.put("filter_by_cgroup", request.filter().byCgroup());
        rodata.put("filter_tgid", request.filter().tgid());
        EventRing.Run ring = loaded.ring();
        if (ring != null) {
            rodata.put("kg_run", ring.id);
        }
        object.setRodata(rodata);
        Set<String> unused = gadget.unusedPrograms(request.params());
        for (BpfProgram p : object.programs()) {
            if (unused.contains(p.name())) {
                p.setAutoload(false);
            }
        }
        for (String map : gadget.unusedMaps(request.params())) {
            object.map(map).setMaxEntries(1);
        }
        List<String> hooks = object.programs().stream().filter(BpfProgram::autoload)
                .map(p -> BpfProgram.tracepointOf(p.section())).filter(java.util.Objects::nonNull).distinct().toList();
        Preflight.checkHooks(request.gadget().name(), hooks);
        if (ring != null) { // every object with the events map is an event gadget's
            object.map(LoadedGadget.EVENTS_MAP).reuse(ring.fd());
        }
    }

    private static byte[] objectBytes(Gadget gadget) {
        try (InputStream in = GadgetRuntime.class.getClassLoader().getResourceAsStream(gadget.objectResource())) {
            if (in == null) {
                throw new GadgetException("the BPF object " + gadget.objectResource()
                        + " is missing from the classpath; rebuild with ./kgadget setup (needs clang)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new GadgetException("cannot read " + gadget.objectResource() + ": " + e.getMessage(), e);
        }
    }
}
