package dev.kgadget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.cli.render.Results;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class CancelOnInterruptTest {
    @Test
    void ctrlCCancelsThenEndsTheJvmWithTheCliExitCode() throws Exception {
        FakeRun run = new FakeRun(Results.biolatency(), Duration.ofSeconds(10));
        ExitGate gate = new ExitGate();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Thread hook = new Thread(() -> CancelOnInterrupt.onShutdown(run, gate, Duration.ofSeconds(10), halted::complete));
        hook.start();

        // the hook holds the JVM until the CLI has printed and chosen its exit code
        assertThat(halted).isNotDone();
        Thread.sleep(50);
        assertThat(run.cancelled).isTrue();
        assertThat(halted).isNotDone();
        gate.open(0);
        assertThat(halted.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aCliThatNeverFinishesCannotHoldTheJvmForever() throws Exception {
        FakeRun run = new FakeRun(Results.biolatency(), Duration.ofSeconds(10));
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        CancelOnInterrupt.onShutdown(run, new ExitGate(), Duration.ofMillis(10), halted::complete);
        assertThat(halted.get()).isEqualTo(CancelOnInterrupt.INTERRUPTED);
    }

    @Test
    void theHookIsRemovedWhenTheRunIsOver() {
        CancelOnInterrupt installed = CancelOnInterrupt.install(new FakeRun(null, Duration.ZERO), new ExitGate());
        installed.close();
        installed.close();
    }
}
