package dev.kgadget.daemon.libbpf;

import com.sun.jna.Pointer;

/** An attachment of a program; closing it detaches. */
public final class BpfLink implements AutoCloseable {
    private Pointer link;
    private final String program;

    BpfLink(Pointer link, String program) {
        this.link = link;
        this.program = program;
    }

    public String program() {
        return program;
    }

    @Override
    public synchronized void close() {
        if (link != null) {
            Bpf.lib().bpf_link__destroy(link);
            link = null;
        }
    }
}
