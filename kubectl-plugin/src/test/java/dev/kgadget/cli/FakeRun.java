package dev.kgadget.cli;

import dev.kgadget.api.result.GadgetResult;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A run that ends with a prepared result (or failure) instead of touching the kernel. */
final class FakeRun implements ActiveRun {
    private final GadgetResult result;
    private final RuntimeException failure;
    private final Duration duration;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    FakeRun(GadgetResult result, Duration duration) {
        this(result, null, duration);
    }

    FakeRun(GadgetResult result, RuntimeException failure, Duration duration) {
        this.result = result;
        this.failure = failure;
        this.duration = duration;
    }

    @Override
    public GadgetResult await() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    @Override
    public void cancel() {
        cancelled.set(true);
    }

    @Override
    public Duration elapsed() {
        return Duration.ZERO;
    }

    @Override
    public Duration duration() {
        return duration;
    }

    @Override
    public long eventsSoFar() {
        return 0;
    }

    @Override
    public long lostSoFar() {
        return 0;
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
