package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.runtime.GadgetException;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.TargetFilter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what the user typed into a GadgetRequest, rejecting anything wrong before the kernel
 * is touched: a typo should cost a one-line message, not a BPF load.
 */
final class RunRequestValidator {
    private final Path procRoot;

    RunRequestValidator(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** @throws InvalidParameterException for anything the user can fix by retyping */
    GadgetRequest validate(String gadgetName, String duration, List<String> params, List<String> cgroups,
                           Integer pid) {
        GadgetDescriptor gadget = GadgetCatalog.require(gadgetName);
        GadgetParams values = GadgetParams.of(gadget, ParamArgs.parse(params));
        Duration d = duration == null ? TraceDuration.DEFAULT : TraceDuration.parse(duration);
        if (pid != null) {
            checkProcess(pid);
        }
        TargetFilter filter = cgroups.isEmpty() ? TargetFilter.everything() : TargetFilter.cgroups(cgroupIds(cgroups));
        if (pid != null) {
            filter = filter.withTgid(pid);
        }
        return new GadgetRequest(gadget, values, d, filter, GadgetRequest.DEFAULT_MAX_KEPT_EVENTS, false);
    }

    private void checkProcess(int pid) {
        if (pid <= 0) {
            throw new InvalidParameterException("--pid " + pid + " is not a process id; give a positive pid");
        }
        if (!Files.isDirectory(procRoot.resolve(Integer.toString(pid)))) {
            throw new InvalidParameterException("--pid " + pid + ": no such process on this host");
        }
    }

    /**
     * A cgroup2 hierarchy missing from the host means kgadget cannot run here (GadgetException);
     * a path that is not a cgroup in it is a typo (InvalidParameterException).
     */
    private static Set<Long> cgroupIds(List<String> paths) {
        CgroupV2 host = CgroupV2.host();
        Set<Long> ids = new LinkedHashSet<>();
        for (String path : paths) {
            try {
                ids.add(host.idOf(path));
            } catch (GadgetException e) {
                throw new InvalidParameterException("--cgroup: " + e.getMessage());
            }
        }
        return ids;
    }
}
