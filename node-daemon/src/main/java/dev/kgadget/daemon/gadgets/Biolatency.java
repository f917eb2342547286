package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.daemon.libbpf.BpfObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Block I/O latency. The cgroup is judged when the request is created (block_io_start runs in
 * the submitter's context); completion runs in irq context, where "current" means nothing.
 */
final class Biolatency implements Gadget {
    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.BIOLATENCY;
    }

    @Override
    public Set<String> unusedMaps(GadgetParams p) {
        return HistogramMaps.unusedMaps(p.bool("per-disk"));
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("targ_ms", p.bool("milliseconds"), "targ_per_disk", p.bool("per-disk"),
                "targ_queued", p.bool("queued"));
    }

    @Override
    public Collected collect(BpfObject object, GadgetParams p) {
        boolean perDisk = p.bool("per-disk");
        return Collected.histograms(HistogramMaps.read(object, HistogramMaps.unit(p.bool("milliseconds")),
                (group, comm) -> perDisk ? diskName(group) : "all"));
    }

    /** dev is encoded as major << 20 | minor, like the kernel's dev_t. */
    static String diskName(long dev) {
        long major = dev >> 20;
        long minor = dev & 0xfffff;
        Path uevent = Path.of("/sys/dev/block/" + major + ":" + minor + "/uevent");
        try {
            for (String line : Files.readAllLines(uevent)) {
                if (line.startsWith("DEVNAME=")) {
                    return line.substring(8);
                }
            }
        } catch (IOException e) {
            // the disk went away or sysfs is not mounted: fall back to numbers
        }
        return major + ":" + minor;
    }
}
