package dev.kgadget.daemon.libbpf;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** Loads the native libraries kgadget calls (libc, libbpf) by soname, through the dynamic linker. */
final class NativeLibs {
    static {
        // Unless this is set, JNA's first use runs `/sbin/ldconfig -p` (a fork and exec, and
        // 10-20 ms of the CLI's start to attached) to build a search path of its own. Sonames
        // resolve through the dynamic linker without it.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
    }

    private NativeLibs() {
    }

    static <T extends Library> T load(String name, Class<T> type) {
        return Native.load(name, type);
    }
}
