package dev.kgadget.daemon.libbpf;

import com.sun.jna.ptr.IntByReference;

import java.util.ArrayList;
import java.util.List;

/** Every BPF program loaded in the kernel right now, by anyone: the ground truth for leak checks. */
public final class LoadedPrograms {
    private LoadedPrograms() {
    }

    public static List<ProgramStats.Info> list() {
        List<ProgramStats.Info> out = new ArrayList<>();
        IntByReference next = new IntByReference();
        int id = 0;
        while (Bpf.lib().bpf_prog_get_next_id(id, next) == 0) {
            id = next.getValue();
            int fd = Bpf.lib().bpf_prog_get_fd_by_id(id);
            if (fd < 0) {
                continue; // released between the two calls
            }
            try {
                out.add(ProgramStats.Info.of(fd));
            } finally {
                LibC.INSTANCE.close(fd);
            }
        }
        return out;
    }

    /** Programs whose kernel name starts with {@code prefix} (kgadget names all its programs kg_...). */
    public static List<ProgramStats.Info> named(String prefix) {
        return list().stream().filter(p -> p.name().startsWith(prefix)).toList();
    }
}
