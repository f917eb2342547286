package dev.kgadget.cli;

import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.runtime.GadgetRun;
import dev.kgadget.daemon.runtime.GadgetRuntime;

import java.time.Duration;

/** A gadget running in this host's kernel, through the node-daemon's runtime. */
final class LocalRun implements ActiveRun {
    /** This process's runtime: one, so the ring NativeWarmup prepares is the one the run uses. */
    static final GadgetRuntime RUNTIME = new GadgetRuntime(RunCommand.RING_BYTES);

    private final GadgetRun run;

    LocalRun(GadgetRun run) {
        this.run = run;
    }

    @Override
    public GadgetResult await() throws InterruptedException {
        return run.await();
    }

    @Override
    public void cancel() {
        run.cancel();
    }

    @Override
    public Duration elapsed() {
        return run.elapsed();
    }

    @Override
    public Duration duration() {
        return run.duration();
    }

    @Override
    public long eventsSoFar() {
        return run.eventsSoFar();
    }

    @Override
    public long lostSoFar() {
        return run.lostSoFar();
    }

    @Override
    public void close() {
        run.close();
    }
}
