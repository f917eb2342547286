package dev.kgadget.cli;

import dev.kgadget.api.catalog.TraceDuration;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the user on stderr what is being traced and for how long. On a terminal the line is
 * redrawn in place every second and erased at the end so the result starts on a clean line;
 * elsewhere (logs, CI) it is written once, since \r would only litter the file.
 */
final class ProgressLine implements AutoCloseable {
    private final PrintStream err;
    private final ScheduledExecutorService ticker;
    private int drawnLength;
    private boolean erased;

    private ProgressLine(PrintStream err, ScheduledExecutorService ticker) {
        this.err = err;
        this.ticker = ticker;
    }

    /** @param redraw stderr is a terminal and nothing else is being written to it meanwhile */
    static ProgressLine start(String gadget, ActiveRun run, PrintStream err, boolean redraw) {
        String what = "Tracing " + subject(gadget);
        if (!redraw) {
            err.println(what + " for " + TraceDuration.format(run.duration()) + ". Ctrl-C to end early.");
            err.flush();
            return new ProgressLine(err, null);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kgadget-progress");
            t.setDaemon(true);
            return t;
        });
        ProgressLine line = new ProgressLine(err, ticker);
        ticker.scheduleAtFixedRate(() -> line.draw(what + "... " + seconds(run.elapsed()) + " of "
                + TraceDuration.format(run.duration()) + ". Ctrl-C to end early."), 0, 1, TimeUnit.SECONDS);
        return line;
    }

    /** The phrase for "Tracing ... for 10s"; the gadget's name where none is known. */
    static String subject(String gadget) {
        return switch (gadget) {
            case "biolatency" -> "block I/O latency";
            case "runqlat" -> "run queue latency";
            case "execsnoop" -> "exec()s";
            case "opensnoop" -> "open()s";
            case "syscount" -> "syscalls";
            default -> gadget;
        };
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    private synchronized void draw(String text) {
        if (erased) {
            return;
        }
        err.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        err.flush();
        drawnLength = text.length();
    }

    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        erase();
    }

    private synchronized void erase() {
        erased = true;
        err.print("\r" + " ".repeat(drawnLength) + "\r");
        err.flush();
    }
}
