package dev.kgadget.daemon.gadgets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** x86_64 syscall numbers → names (from asm/unistd_64.h, plus the calls added since). */
public final class Syscalls {
    /** By number: an array, as a name is looked up for every event of opensnoop (no boxing, no hashing). */
    private static final String[] NAMES = load();

    private Syscalls() {
    }

    public static String name(int nr) {
        String name = nr >= 0 && nr < NAMES.length ? NAMES[nr] : null;
        return name != null ? name : "syscall_" + nr;
    }

    private static String[] load() {
        Map<Integer, String> names = new HashMap<>();
        try (InputStream in = Syscalls.class.getResourceAsStream("/kgadget/syscalls_x86_64.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t");
                if (f.length == 2) {
                    names.put(Integer.parseInt(f[0]), f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] byNumber = new String[names.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        names.forEach((nr, name) -> byNumber[nr] = name);
        return byNumber;
    }
}
