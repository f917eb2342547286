package dev.kgadget.daemon.libbpf;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * The slice of the system libbpf (1.1+) kgadget uses. libbpf 1.x reports failures as NULL
 * (errno set) or as a negative errno; {@link Bpf} turns both into exceptions.
 */
public interface LibBpf extends Library {
    LibBpf INSTANCE = Loader.load();

    int BPF_STATS_RUN_TIME = 0;
    int BTF_KIND_TYPEDEF = 8;
    int BTF_KIND_DATASEC = 15;

    Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    Pointer bpf_object__btf(Pointer obj);

    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    boolean bpf_program__autoload(Pointer prog);

    int bpf_program__fd(Pointer prog);

    Pointer bpf_program__attach(Pointer prog);

    /** Takes over pfd: destroying the link disables and closes it. */
    Pointer bpf_program__attach_perf_event(Pointer prog, int pfd);

    int bpf_link__destroy(Pointer link);

    String bpf_map__name(Pointer map);

    int bpf_map__fd(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    /** Before load: the object uses the map {@code fd} (dup'ed) instead of creating its own. */
    int bpf_map__reuse_fd(Pointer map, int fd);

    /** A map of its own (not of an object): its fd, or a negative errno. */
    int bpf_map_create(int mapType, String name, int keySize, int valueSize, int maxEntries, Pointer opts);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    Pointer bpf_map__initial_value(Pointer map, LongByReference size);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    Pointer btf__parse(String path, Pointer ext);

    void btf__free(Pointer btf);

    int btf__find_by_name_kind(Pointer btf, String name, int kind);

    Pointer btf__type_by_id(Pointer btf, int id);

    String btf__name_by_offset(Pointer btf, int offset);

    int bpf_enable_stats(int type);

    int bpf_obj_get_info_by_fd(int fd, Pointer info, IntByReference infoLen);

    int bpf_prog_get_next_id(int startId, IntByReference nextId);

    int bpf_prog_get_fd_by_id(int id);

    int libbpf_num_possible_cpus();

    int libbpf_strerror(int err, byte[] buf, long size);

    Pointer libbpf_set_print(PrintFn fn);

    /** libbpf's log callback: {@code int (*)(enum libbpf_print_level, const char *fmt, va_list)}. */
    interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer vaList);
    }

    /** Loads libbpf.so.1 by its soname so the -dev package (libbpf.so symlink) is not needed at run time. */
    final class Loader {
        private Loader() {
        }

        static LibBpf load() {
            try {
                return NativeLibs.load("libbpf.so.1", LibBpf.class);
            } catch (UnsatisfiedLinkError first) {
                return NativeLibs.load("bpf", LibBpf.class);
            }
        }
    }
}
