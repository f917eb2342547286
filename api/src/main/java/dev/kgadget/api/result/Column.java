package dev.kgadget.api.result;

/**
 * One column of an event table.
 *
 * @param key    the field name in JSON output and in {@link EventRecord#fields()}
 * @param header the column header in text output
 * @param width  minimum text width; the last column is never padded
 * @param right  right-align (numbers)
 */
public record Column(String key, String header, int width, boolean right) {
    public static Column left(String key, String header, int width) {
        return new Column(key, header, width, false);
    }

    public static Column right(String key, String header, int width) {
        return new Column(key, header, width, true);
    }
}
