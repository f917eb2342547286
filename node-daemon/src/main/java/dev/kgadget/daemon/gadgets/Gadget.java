package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.daemon.libbpf.BpfObject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user-space half of a gadget: how its parameters become .rodata, which programs a
 * parameter set needs, and how its maps or events become results. The BPF half is the
 * object {@code kgadget/bpf/<name>.bpf.o} on the classpath.
 */
public interface Gadget {
    GadgetDescriptor descriptor();

    default String objectResource() {
        return "kgadget/bpf/" + descriptor().name() + ".bpf.o";
    }

    /** Gadget-specific const volatile values (the shared filter values are set by the runtime). */
    Map<String, Object> rodata(GadgetParams params);

    /** Programs not needed for these parameters: not loaded, not attached. */
    default Set<String> unusedPrograms(GadgetParams params) {
        return Set.of();
    }

    /**
     * Maps the chosen mode never touches. They are created with one entry: a preallocated hash
     * of thousands costs milliseconds of start-up and kernel memory for nothing (syscount's
     * per-process counts, 7 ms; the grouped histograms of a whole-target one).
     */
    default Set<String> unusedMaps(GadgetParams params) {
        return Set.of();
    }

    /** Sampling gadgets (a perf_event program): samples per second on each CPU; 0 for the others. */
    default int sampleFrequency(GadgetParams params) {
        return 0;
    }

    /** Event gadgets decode ring buffer records; others return null. */
    default EventDecoder eventDecoder(GadgetParams params) {
        return null;
    }

    /** Histogram and count gadgets read their maps once the programs are detached. */
    default Collected collect(BpfObject object, GadgetParams params) {
        return Collected.NONE;
    }

    record Collected(List<Histogram> histograms, List<CountRow> counts) {
        public static final Collected NONE = new Collected(List.of(), List.of());

        public static Collected histograms(List<Histogram> h) {
            return new Collected(h, List.of());
        }

        public static Collected counts(List<CountRow> c) {
            return new Collected(List.of(), c);
        }
    }
}
