package dev.kgadget.daemon.stacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The kernel's text symbols from /proc/kallsyms (root sees the addresses), for kernel stack frames. */
public final class KernelSymbols {
    private final long[] addresses;
    private final String[] names;

    private KernelSymbols(long[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    public static KernelSymbols load() {
        return load(Path.of("/proc/kallsyms"));
    }

    static KernelSymbols load(Path kallsyms) {
        int n = 0;
        long[] addrs = new long[1 << 18];
        String[] names = new String[1 << 18];
        try (BufferedReader in = Files.newBufferedReader(kallsyms)) {
            String line;
            while ((line = in.readLine()) != null) {
                int a = line.indexOf(' ');
                if (a != 16 || line.length() < 20) {
                    continue;
                }
                char type = line.charAt(17);
                if (type != 't' && type != 'T' && type != 'w' && type != 'W') {
                    continue;
                }
                int end = line.indexOf('\t', 19);
                String name = end < 0 ? line.substring(19) : line.substring(19, end);
                if (n == addrs.length) {
                    addrs = Arrays.copyOf(addrs, n * 2);
                    names = Arrays.copyOf(names, n * 2);
                }
                addrs[n] = Long.parseUnsignedLong(line.substring(0, 16), 16);
                names[n] = name;
                n++;
            }
        } catch (IOException | NumberFormatException e) {
            return new KernelSymbols(new long[0], new String[0]);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] a = addrs;
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(a[x], a[y]));
        long[] sortedA = new long[n];
        String[] sortedN = new String[n];
        for (int i = 0; i < n; i++) {
            sortedA[i] = addrs[order[i]];
            sortedN[i] = names[order[i]];
        }
        return new KernelSymbols(sortedA, sortedN);
    }

    /** The function containing {@code ip}, or null (no symbols readable, or below the first). */
    public String name(long ip) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], ip) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 || addresses[found] == 0 ? null : names[found];
    }
}
