package dev.kgadget.daemon.stacks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A process's user-space frames: its executable mappings from /proc/PID/maps, each file read
 * through /proc/PID/map_files (the very file mapped, inside the container's filesystem, even
 * when deleted since). A process that has exited can no longer be symbolized: its frames are
 * "[unknown]".
 */
final class ProcessSymbols {
    private record Mapping(long start, long end, long offset, String path, String fileKey) {
    }

    private final int tgid;
    private final List<Mapping> mappings;
    private final Map<String, ElfSymbols> files;

    private ProcessSymbols(int tgid, List<Mapping> mappings, Map<String, ElfSymbols> files) {
        this.tgid = tgid;
        this.mappings = mappings;
        this.files = files;
    }

    /** @param files ELF files already read, shared across processes (by device and inode) */
    static ProcessSymbols of(int tgid, Map<String, ElfSymbols> files) {
        List<Mapping> mappings = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tgid + "/maps"))) {
                String[] f = line.split("\\s+", 6);
                if (f.length < 6 || f[1].indexOf('x') < 0 || !f[5].startsWith("/")) {
                    continue;
                }
                int dash = f[0].indexOf('-');
                mappings.add(new Mapping(Long.parseUnsignedLong(f[0].substring(0, dash), 16),
                        Long.parseUnsignedLong(f[0].substring(dash + 1), 16), Long.parseUnsignedLong(f[2], 16),
                        f[5].replace(" (deleted)", ""), f[3] + ":" + f[4]));
            }
        } catch (IOException | RuntimeException e) {
            // gone: every frame stays unknown
        }
        return new ProcessSymbols(tgid, mappings, files);
    }

    /** The frame's function, "[file+0xoffset]" when the file has no symbol for it, "[unknown]" when unmapped. */
    String name(long ip) {
        for (Mapping m : mappings) {
            if (ip >= m.start() && ip < m.end()) {
                long fileOffset = ip - m.start() + m.offset();
                ElfSymbols elf = files.computeIfAbsent(m.fileKey(), k -> ElfSymbols.read(new File(
                        "/proc/" + tgid + "/map_files/" + Long.toHexString(m.start()) + "-" + Long.toHexString(m.end()))));
                String name = elf.nameAtFileOffset(fileOffset);
                if (name != null) {
                    return name;
                }
                return "[" + new File(m.path()).getName() + "+0x" + Long.toHexString(fileOffset) + "]";
            }
        }
        return "[unknown]";
    }
}
