package dev.kgadget.cli;

import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.cli.render.EventTableRenderer;
import dev.kgadget.daemon.runtime.EventSink;

import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * Prints event rows as the runtime drains them: written and flushed once per drained batch
 * (every 1–8 ms while events flow), so `| grep` sees them live, and an event storm costs one
 * write per batch instead of one per row (under opensnoop's 1.3 M opens/s, the per-row write
 * was most of the CLI's CPU). The header goes out with the first row or once the gadget is
 * attached, whichever comes first, so a gadget that fails to start prints no header.
 */
public final class EventStream implements EventSink {
    private static final int FLUSH_CHARS = 64 * 1024;

    private final EventTableRenderer table;
    private final PrintStream out;
    /** Rows of the batch being drained; written at its end, or when this grows large. */
    private final StringBuilder pending = new StringBuilder();
    /*
     * As bytes: PrintStream's own path widens the text to chars and encodes them one by one (a
     * fifth of the CLI's CPU in an opensnoop storm). The CLI's stdout is UTF-8
     * (CliEnvironment.system()), so are the tests' streams.
     */
    private final Utf8Batch utf8 = new Utf8Batch();
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
    public synchronized void onEvent(EventBuffer event) {
        header();
        table.appendRow(pending, event);
        endOfRow();
    }

    /** One row and out at once: for events that arrive one by one (a followed cluster run). */
    public synchronized void onEventNow(EventRecord event) {
        header();
        table.appendRow(pending, event);
        endOfRow();
        endOfBatch();
    }

    private void endOfRow() {
        pending.append('\n');
        if (pending.length() >= FLUSH_CHARS) {
            endOfBatch();
        }
    }

    @Override
    public synchronized void endOfBatch() {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuffer bytes = utf8.encode(pending);
        out.write(bytes.array(), 0, bytes.position());
        pending.setLength(0);
        // checkError() flushes first, so this is also the batch's flush
        if (out.checkError()) {
            onClosedOutput.run();
        }
    }
}
