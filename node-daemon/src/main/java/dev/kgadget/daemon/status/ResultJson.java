package dev.kgadget.daemon.status;

import dev.kgadget.api.result.GadgetResult;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The daemon's JSON: results with the field names of {@code kgadget run -o json},
 * instants as ISO-8601 strings; and the fitting of a node's result into its share of the results
 * ConfigMap (a ConfigMap holds at most 1 MiB in total, shared by every node of the job).
 */
public final class ResultJson {
    private ResultJson() {
    }

    /**
     * A node's result as stored in the results ConfigMap: the {@link GadgetResult} fields plus
     * {@code truncated}, {@code eventsDropped} and {@code countsDropped}, and (given) {@code node}.
     *
     * @param json          the document, at most {@code budgetBytes} UTF-8 bytes unless even
     *                      its events and count rows dropped it is larger ({@link #fits} false)
     * @param truncated     true when events or count rows were dropped to fit the budget
     * @param eventsDropped events of {@link GadgetResult#events()} left out (the first ones are kept)
     * @param countsDropped count rows left out (the first ones, i.e. the largest, are kept); only
     *                      when all events were dropped and it still did not fit
     * @param bytes         the document's size in UTF-8 bytes
     */
    public record Budgeted(String json, boolean truncated, int eventsDropped, int countsDropped, int bytes,
                           boolean fits) {
    }

    /**
     * The node's result, cut to {@code budgetBytes}: all of it if it fits; else as many of its
     * events as fit (in order, the rest dropped and counted); if not even the result without
     * events fits, as many count rows as fit too. Histograms, totals and costs are always kept.
     * A pure function.
     *
     * @param node the node name written into the document (null: none)
     */
    public static Budgeted withinBudget(GadgetResult result, String node, long budgetBytes) {
        List<?> events = result.events();
        List<?> counts = result.counts();
        byte[] full = document(result, node, events.size(), counts.size());
        if (full.length <= budgetBytes) {
            return budgeted(full, 0, 0, true);
        }
        // size grows strictly with the number of events kept (each adds at least "{}," while
        // eventsDropped shrinks by at most one digit): binary search for the most that fit
        int keep = largestFitting(events.size(), k -> document(result, node, k, counts.size()).length <= budgetBytes);
        if (keep >= 0) {
            return budgeted(document(result, node, keep, counts.size()), events.size() - keep, 0, true);
        }
        int rows = largestFitting(counts.size(), k -> document(result, node, 0, k).length <= budgetBytes);
        if (rows >= 0) {
            return budgeted(document(result, node, 0, rows), events.size(), counts.size() - rows, true);
        }
        return budgeted(document(result, node, 0, 0), events.size(), counts.size(), false);
    }

    private interface Fits {
        boolean test(int kept);
    }

    /** The largest k in [0, n) for which fits holds, given it is monotone; -1 if none. */
    private static int largestFitting(int n, Fits fits) {
        int lo = 0;
        int hi = n - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (fits.test(mid)) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    private static Budgeted budgeted(byte[] json, int eventsDropped, int countsDropped, boolean fits) {
        return new Budgeted(new String(json, StandardCharsets.UTF_8),
                eventsDropped > 0 || countsDropped > 0, eventsDropped, countsDropped, json.length, fits);
    }

    /** The document with the first {@code events} events and {@code counts} count rows. */
    static byte[] document(GadgetResult r, String node, int events, int counts) {
        GadgetResult cut = events == r.events().size() && counts == r.counts().size() ? r
                : new GadgetResult(r.gadget(), r.params(), r.startedAt(), r.durationMs(), r.stopReason(), r.kind(),
                r.histograms(), r.counts().subList(0, counts), r.events().subList(0, events), r.eventCount(),
                r.lostEvents(), r.programs());
        int eventsDropped = r.events().size() - events;
        int countsDropped = r.counts().size() - counts;
        return ModelJson.bytes(g -> {
            g.writeStartObject();
            if (node != null) {
                g.writeStringField("node", node);
            }
            ModelJson.resultFields(g, cut);
            g.writeBooleanField("truncated", eventsDropped > 0 || countsDropped > 0);
            g.writeNumberField("eventsDropped", eventsDropped);
            g.writeNumberField("countsDropped", countsDropped);
            g.writeEndObject();
        });
    }
}
