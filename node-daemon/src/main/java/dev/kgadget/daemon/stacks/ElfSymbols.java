package dev.kgadget.daemon.stacks;

import net.fornwall.jelf.ElfException;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSegment;
import net.fornwall.jelf.ElfSymbol;
import net.fornwall.jelf.ElfSymbolTableSection;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The function symbols of one ELF file (.symtab, else .dynsym: a stripped library still names
 * its exported functions), and its loadable segments to turn a file offset into a symbol value
 * (which is how PIE executables and shared libraries are handled: mapped anywhere, the file
 * offset of an address is fixed).
 */
final class ElfSymbols {
    private record Func(long start, long size, String name) {
    }

    private record Load(long offset, long vaddr, long fileSize) {
    }

    private final List<Func> funcs;
    private final List<Load> loads;

    private ElfSymbols(List<Func> funcs, List<Load> loads) {
        this.funcs = funcs;
        this.loads = loads;
    }

    static final ElfSymbols NONE = new ElfSymbols(List.of(), List.of());

    static ElfSymbols read(File file) {
        try {
            ElfFile elf = ElfFile.from(file);
            List<Load> loads = new ArrayList<>();
            for (int i = 0; i < elf.e_phnum; i++) {
                ElfSegment ph = elf.getProgramHeader(i);
                if (ph.p_type == ElfSegment.PT_LOAD) {
                    loads.add(new Load(ph.p_offset, ph.p_vaddr, ph.p_filesz));
                }
            }
            List<Func> funcs = new ArrayList<>();
            add(funcs, elf.getSymbolTableSection());
            if (funcs.isEmpty()) {
                add(funcs, elf.getDynamicSymbolTableSection());
            }
            funcs.sort(Comparator.comparingLong(Func::start));
            return new ElfSymbols(funcs, loads);
        } catch (IOException | RuntimeException e) { // ElfException is a RuntimeException
            return NONE;
        }
    }

    private static void add(List<Func> out, ElfSymbolTableSection table) throws ElfException {
        if (table == null) {
            return;
        }
        for (ElfSymbol s : table.symbols) {
            if (s.getType() == ElfSymbol.STT_FUNC && s.st_value != 0) {
                String name = s.getName();
                if (name != null && !name.isEmpty()) {
                    out.add(new Func(s.st_value, s.st_size, name));
                }
            }
        }
    }

    /** The function at a file offset, or null. */
    String nameAtFileOffset(long fileOffset) {
        long vaddr = -1;
        for (Load l : loads) {
            if (fileOffset >= l.offset() && fileOffset < l.offset() + l.fileSize()) {
                vaddr = fileOffset - l.offset() + l.vaddr();
                break;
            }
        }
        if (vaddr < 0) {
            return null;
        }
        int lo = 0;
        int hi = funcs.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (funcs.get(mid).start() <= vaddr) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        Func f = funcs.get(found);
        return f.size() == 0 || vaddr < f.start() + f.size() ? f.name() : null;
    }
}
