package dev.kgadget.cli;

import dev.kgadget.api.result.EventRecord;
import dev.kgadget.cli.render.EventTableRenderer;
import dev.kgadget.daemon.runtime.EventSink;

import java.io.PrintStream;

/**
 * Prints event rows the moment the runtime drains them, flushed per row so `| grep` sees them
 * live. The header goes out with the first row or once the gadget is attached, whichever comes
 * first, so a gadget that fails to start prints no header.
 */
public final class EventStream implements EventSink {
    private final EventTableRenderer table;
    private final PrintStream out;
    private boolean headerDone;
    private volatile Runnable onClosedOutput = () -> { };

    public EventStream(EventTableRenderer table, PrintStream out) {
        this.table = table;
        this.out = out;
    }

    /** What to do when stdout goes away (e.g. `| head` exited): the run then has no reader. */
    void onClosedOutput(Runnable action) {
        onClosedOutput = action;
    }

    public synchronized void header() {
        if (!headerDone) {
            headerDone = true;
            out.print(table.header() + "\n");
            out.flush();
        }
    }

    @Override
    public synchronized void onEvent(EventRecord event) {
        header();
        out.print(table.row(event) + "\n");
        // checkError() flushes first, so this is also the per-row flush
        if (out.checkError()) {
            onClosedOutput.run();
        }
    }
}
