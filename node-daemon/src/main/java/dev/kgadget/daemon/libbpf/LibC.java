package dev.kgadget.daemon.libbpf;

import com.sun.jna.Library;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * libc calls Java has no API for: mmap of a BPF map fd, fd close, va_list formatting, raw
 * syscalls, giving freed heap back.
 */
public interface LibC extends Library {
    LibC INSTANCE = NativeLibs.load(Platform.C_LIBRARY_NAME, LibC.class);

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    long MAP_FAILED = -1;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int close(int fd);

    int getpagesize();

    int getppid();

    int vsnprintf(byte[] buf, long size, String format, Pointer vaList);

    /** glibc: returns free heap memory to the kernel; 1 if any was released. */
    int malloc_trim(long pad);

    /** perf_event_open(2) has no libc wrapper. */
    long syscall(long number, Object... args);
}
