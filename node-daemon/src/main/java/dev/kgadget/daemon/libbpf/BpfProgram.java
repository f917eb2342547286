package dev.kgadget.daemon.libbpf;

import com.sun.jna.Pointer;

/** A program of a {@link BpfObject}. */
public final class BpfProgram {
    private final Pointer prog;
    private final String name;
    private final String section;

    BpfProgram(Pointer prog) {
        this.prog = prog;
        this.name = Bpf.lib().bpf_program__name(prog);
        this.section = Bpf.lib().bpf_program__section_name(prog);
    }

    public String name() {
        return name;
    }

    /** e.g. {@code tp_btf/sched_switch}, {@code raw_tp/sys_enter}. */
    public String section() {
        return section;
    }

    /** The kernel hook this program attaches to, e.g. {@code sched_switch}. */
    public String hook() {
        int slash = section.indexOf('/');
        return slash < 0 ? section : section.substring(slash + 1);
    }

    public boolean autoload() {
        return Bpf.lib().bpf_program__autoload(prog);
    }

    /** Only before load. */
    public void setAutoload(boolean autoload) {
        Bpf.check(Bpf.lib().bpf_program__set_autoload(prog, autoload), "autoload " + name);
    }

    public int fd() {
        return Bpf.check(Bpf.lib().bpf_program__fd(prog), "fd of program " + name);
    }

    /** A perf_event program: sampled by perf events the caller opens ({@link PerfEvents}), not by a hook. */
    public boolean isPerfEvent() {
        return section.equals("perf_event");
    }

    /** The tracepoint a section attaches to (tp_btf/NAME, raw_tp/NAME, tp/.../NAME), or null for other kinds. */
    public static String tracepointOf(String section) {
        if (section.startsWith("tp_btf/") || section.startsWith("raw_tp/") || section.startsWith("tp/")) {
            return section.substring(section.lastIndexOf('/') + 1);
        }
        return null;
    }

    BpfLink attachPerfEvent(int pfd) {
        return new BpfLink(Bpf.check(Bpf.lib().bpf_program__attach_perf_event(prog, pfd),
                "attach " + name + " to a perf event"), name);
    }

    /** Attaches by section name (tp_btf, raw_tp, ...); the link must be closed to detach. */
    public BpfLink attach() {
        return new BpfLink(Bpf.check(Bpf.lib().bpf_program__attach(prog), "attach " + name + " to " + section), name);
    }
}
