package dev.kgadget.api.catalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "did you mean" hints for mistyped gadget and parameter names. */
public final class NameSuggestions {
    private NameSuggestions() {
    }

    /** The known names within a small edit distance (or sharing a prefix), closest first. */
    public static List<String> closest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(2, t.length() / 3);
        return known.stream()
                .filter(k -> distance(t, k) <= limit || (t.length() >= 3 && k.startsWith(t)))
                .sorted(Comparator.comparingInt((String k) -> distance(t, k)).thenComparing(k -> k))
                .toList();
    }

    /** "; did you mean x or y?" or the empty string. */
    public static String didYouMean(String typed, Collection<String> known) {
        List<String> close = closest(typed, known);
        return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
