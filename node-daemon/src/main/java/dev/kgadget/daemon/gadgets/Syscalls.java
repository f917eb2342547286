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
    private static final Map<Integer, String> NAMES = load();

    private Syscalls() {
    }

    public static String name(int nr) {
        return NAMES.getOrDefault(nr, "syscall_" + nr);
    }

    public static int number(String name) {
        return NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).mapToInt(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown syscall " + name));
    }

    private static Map<Integer, String> load() {
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
        return names;
    }
}
