package dev.kgadget.cli.render;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.GadgetResult;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Counting gadgets (syscount) as a top-N table, most frequent first: per syscall
 * {@code SYSCALL COUNT [TOTAL(us) AVG(us)]}, per process {@code PID COMM COUNT [...]}.
 */
public final class CountTableRenderer {
    private static final Comparator<CountRow> MOST_FIRST = Comparator.comparingLong(CountRow::count).reversed()
            .thenComparing(CountRow::name, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(CountRow::pid, Comparator.nullsLast(Comparator.naturalOrder()));

    public void render(GadgetResult result, Appendable out) {
        List<CountRow> rows = result.counts();
        boolean perProcess = flag(result, "per-process") || rows.stream().anyMatch(r -> r.pid() != null);
        boolean latency = flag(result, "latency") || rows.stream().anyMatch(r -> r.totalNs() != null);
        List<CountRow> top = top(result);

        TextOut.line(out, (perProcess ? TextOut.padLeft("PID", 7) + " " + TextOut.padRight("COMM", 16)
                : TextOut.padRight("SYSCALL", 22)) + " " + TextOut.padLeft("COUNT", 10)
                + (latency ? " " + TextOut.padLeft("TOTAL(us)", 14) + " " + TextOut.padLeft("AVG(us)", 12) : ""));
        for (CountRow r : top) {
            String key = perProcess
                    ? TextOut.padLeft(r.pid() == null ? "-" : r.pid().toString(), 7) + " " + TextOut.padRight(r.name(), 16)
                    : TextOut.padRight(r.name(), 22);
            String times = !latency ? ""
                    : r.totalNs() == null ? " " + TextOut.padLeft("-", 14) + " " + TextOut.padLeft("-", 12)
                    : String.format(Locale.ROOT, " %14.3f %12.3f", r.totalNs() / 1e3, r.avgNs() == null ? 0 : r.avgNs() / 1e3);
            TextOut.line(out, key + " " + TextOut.padLeft(Long.toString(r.count()), 10) + times);
        }
        TextOut.line(out, "");
        TextOut.line(out, summary(result));
    }

    /** The rows shown: the {@code top} parameter's worth, most frequent first. */
    public static List<CountRow> top(GadgetResult result) {
        Object top = result.params().get("top");
        long limit = top instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        return result.counts().stream().sorted(MOST_FIRST).limit(limit).toList();
    }

    /** {@code count 12345  rows 10 of 57  lost 0  kernel 85 ns/event}. */
    public static String summary(GadgetResult result) {
        long total = result.counts().stream().mapToLong(CountRow::count).sum();
        return "count " + total + "  rows " + top(result).size() + " of " + result.counts().size()
                + "  " + RunFooter.of(result);
    }

    private static boolean flag(GadgetResult result, String param) {
        return Boolean.TRUE.equals(result.params().get(param));
    }
}
