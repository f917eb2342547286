package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetDescriptor;

import java.util.List;

/** The user-space halves of every gadget in the catalog. */
public final class Gadgets {
    private static final List<Gadget> ALL = List.of(new Biolatency(), new Runqlat(), new Execsnoop(),
            new Opensnoop(), new Syscount(), new Sigsnoop(), Tcp.connect(), Tcp.accept(), Tcp.life(), Tcp.retrans(), new Oomkill(),
            Stacks.profile(), Stacks.offcputime());

    private Gadgets() {
    }

    public static Gadget of(GadgetDescriptor descriptor) {
        return ALL.stream().filter(g -> g.descriptor().name().equals(descriptor.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no implementation for gadget " + descriptor.name()));
    }

    public static List<Gadget> all() {
        return ALL;
    }
}
