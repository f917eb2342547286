package dev.kgadget.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.runtime.GadgetException;

import dev.kgadget.daemon.testing.TemporaryProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Everything wrong with the input ends in exit code 2, one line on stderr, and nothing on stdout. */
class BadInputTest {
    static Stream<Arguments> badInput() {
        return Stream.of(
                arguments("run biolatncy", "unknown gadget 'biolatncy'; did you mean biolatency?"),
                arguments("run opensnop --duration 1s", "did you mean opensnoop?"),
                arguments("run biolatency -p nope=1", "gadget biolatency has no parameter 'nope'"),
                arguments("run biolatency -p per-dsk", "did you mean per-disk?"),
                arguments("run biolatency -p milliseconds=maybe", "'maybe' is not a boolean"),
                arguments("run syscount -p top=0", "parameter top: 0 is out of range [1, 1000]"),
                arguments("run syscount -p top=lots", "parameter top: 'lots' is not an integer"),
                arguments("run biolatency --duration 10x", "malformed duration '10x'"),
                arguments("run biolatency --duration abc", "malformed duration 'abc'"),
                arguments("run biolatency --duration 0s", "duration '0s' must be positive"),
                arguments("run biolatency --duration -5s", "duration '-5s' is negative"),
                arguments("run biolatency --duration=-5s", "duration '-5s' is negative"),
                arguments("run biolatency --duration 100h", "duration '100h' is too large; the maximum is 1h"),
                arguments("run biolatency --duration 99999999999999999999s", "is too large"),
                arguments("run biolatency -d 50ms", "too short"),
                arguments("run runqlat --pid 2147483646", "--pid 2147483646: no such process on this host"),
                arguments("run runqlat --pid 0", "--pid 0 is not a process id"),
                arguments("run runqlat --pid -3", "--pid -3 is not a process id"),
                arguments("run runqlat --pid abc", "Invalid value for option '--pid'"),
                arguments("run runqlat -o yaml", "Invalid value for option '--output'"),
                arguments("run runqlat --frobnicate", "Unknown option: '--frobnicate'"),
                arguments("run", "Missing required parameter: '<gadget>'"),
                arguments("list -o xml", "Invalid value for option '--output'"),
                arguments("runn biolatency", "did you mean run?"),
                arguments("", "missing command: use 'kgadget list' or 'kgadget run <gadget>'"));
    }

    @ParameterizedTest(name = "kgadget {0}")
    @MethodSource("badInput")
    void isRejectedWithOneLine(String commandLine, String expected) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");
        assertRejected(Cli.run(Cli.NO_KERNEL, args), expected);
    }

    @SuppressWarnings("try") // the property is scoped to the try block; nothing reads the guard
    @Test
    void aCgroupThatDoesNotExistIsBadInput(@TempDir Path root) throws Exception {
        Files.createFile(root.resolve("cgroup.procs"));
        try (var property = TemporaryProperty.set(CgroupV2.ROOT_PROPERTY, root.toString())) {
            assertRejected(Cli.run(Cli.NO_KERNEL, "run", "execsnoop", "--cgroup", "system.slice/nope.service"),
                    "--cgroup: cgroup system.slice/nope.service does not exist");
            assertRejected(Cli.run(Cli.NO_KERNEL, "run", "execsnoop", "--cgroup", "/etc"),
                    "is not under the cgroup2 mount");
        }
    }

    @Test
    void aCgroupThatDoesNotExistOnThisHostIsBadInput() {
        Path root = hostCgroupRoot();
        assumeTrue(root != null, "this host mounts no cgroup2 hierarchy");
        assertRejected(Cli.run(Cli.NO_KERNEL, "run", "biolatency", "--cgroup", root + "/kgadget-no-such-cgroup"),
                "kgadget-no-such-cgroup does not exist");
    }

    @Test
    void thePublicEntryPointRejectsBeforeLoadingAnything() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "biolatncy"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertRejected(new Cli.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)),
                "did you mean biolatency?");
    }

    @Test
    void verboseStillPrintsOneLineForBadInputButAddsTheStackTrace() {
        Cli.Outcome outcome = Cli.run(Cli.NO_KERNEL, "run", "biolatency", "-v", "--duration", "abc");
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).startsWith("kgadget: malformed duration 'abc'")
                .contains("InvalidParameterException", "\tat dev.kgadget.");
    }

    /** The host's real cgroup2 mount, found from /proc/self/mountinfo. */
    private static Path hostCgroupRoot() {
        try {
            return CgroupV2.host().root();
        } catch (GadgetException noCgroup2) {
            return null;
        }
    }

    private static void assertRejected(Cli.Outcome outcome, String expected) {
        assertThat(outcome.code()).as("exit code; stderr: %s", outcome.err()).isEqualTo(2);
        assertThat(outcome.out()).as("stdout").isEmpty();
        assertThat(outcome.err()).as("stderr").startsWith("kgadget: ").endsWith("\n").contains(expected)
                .doesNotContain("\tat ");
        assertThat(outcome.err().lines()).as("stderr lines").hasSize(1);
    }
}
