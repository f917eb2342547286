package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobStatus;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;
import dev.kgadget.cli.EventStream;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.cli.render.JsonRenderer;
import dev.kgadget.cli.render.RunFooter;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trace the selected pods with a gadget, on every node they run on, and show the merged result.",
                "Creates a TraceJob (generated name <gadget>-xxxxx), shows its progress on stderr, prints the result "
                        + "when it ends and deletes it (unless --keep). Ctrl-C deletes it too (unless --keep)."},
        footer = {"", "Examples:",
                "  kubectl gadget run biolatency -n shop -l app=checkout --duration 30s",
                "  kubectl gadget run execsnoop -l 'app in (web,api),tier!=canary' --container app",
                "  kubectl gadget run syscount -l app=db -p latency -p top=20 -o json",
                "  kubectl gadget run runqlat -l app=web --per-node    # merged, then each node's histogram",
                "  kubectl gadget run runqlat -l app=web --detach      # then: kubectl gadget results <job>",
                "  kubectl gadget run execsnoop -l app=web -f          # each exec as it happens, from every node",
                "  kubectl gadget run opensnoop --local --duration 5s   # this host only, no cluster",
                "",
                "Exit codes: 0 Succeeded, 4 PartiallySucceeded, 5 Failed, 2 invalid input, 3 cluster problem, "
                        + "130 interrupted."})
public final class ClusterRunCommand extends ClusterCommand {
    static final Duration POLL = Duration.ofMillis(500);
    /** How long past its duration the CLI waits for a job's final phase (the operator's grace is shorter). */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    @Parameters(index = "0", paramLabel = "<gadget>", description = "what to run; see 'kubectl gadget list'")
    String gadget;

    @picocli.CommandLine.Mixin
    JobSpecOptions job = new JobSpecOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or yaml (default: text)")
    OutputMode output;

    @Option(names = "--per-node",
            description = "after the merged histograms, each node's (histogram gadgets, text output)")
    boolean perNode;

    @Option(names = "--detach", description = "create the TraceJob, print its name and exit; see 'kubectl gadget results'")
    boolean detach;

    @Option(names = {"-f", "--follow"},
            description = "event gadgets: print events as they happen, streamed from each node's daemon "
                    + "(straight to the pod IP when reachable, else by port-forward: needs get/list on pods and "
                    + "create on pods/portforward in the daemon namespace); -o json prints one JSON object per line")
    boolean follow;

    @Option(names = "--daemon-namespace", paramLabel = "NS", defaultValue = "kgadget-system",
            description = "where the kgadget daemons run, for --follow (default: kgadget-system)")
    String daemonNamespace;

    @Option(names = "--svg", paramLabel = "FILE", description = "profile/offcputime: also write the flame graph (every node's stacks merged) here")
    java.nio.file.Path svg;

    @Option(names = "--keep", description = "keep the TraceJob (and its results ConfigMap) after printing")
    boolean keep;

    @Option(names = "--local", description = "run on this host instead, without a cluster (as ./kgadget run)")
    boolean local;

    private GadgetDescriptor descriptor;
    private Duration traceDuration;
    private LabelSelector podSelector;
    /** --follow: where each event goes (made once: the table's header is printed once). */
    private java.util.function.Consumer<EventRecord> printer;

    public ClusterRunCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String what() {
        return "create the TraceJob";
    }

    /** Everything the user typed is checked here, before any request reaches the cluster. */
    @Override
    void validate() {
        job.validate(gadget);
        descriptor = job.descriptor();
        traceDuration = job.traceDuration();
        podSelector = job.podSelector();
        JobReport.checkPerNode(perNode, descriptor.name(), output, null);
        dev.kgadget.cli.render.StackRenderer.checkSvg(svg, descriptor);
        if (follow) {
            if (descriptor.output() != dev.kgadget.api.catalog.OutputKind.EVENTS) {
                throw new InvalidParameterException("--follow: " + descriptor.name() + " has no events to stream "
                        + "(--follow is for event gadgets: " + String.join(", ", GadgetCatalog.all().stream()
                        .filter(g -> g.output() == dev.kgadget.api.catalog.OutputKind.EVENTS).map(GadgetDescriptor::name).toList()) + ")");
            }
            if (detach) {
                throw new InvalidParameterException("--follow and --detach exclude each other");
            }
            if (output == OutputMode.YAML) {
                throw new InvalidParameterException("--follow prints text rows or JSON lines (-o json), not YAML");
            }
        }
    }

    TraceJob build(String namespace) {
        TraceJob created = new TraceJob();
        created.setMetadata(new ObjectMetaBuilder().withGenerateName(descriptor.name() + "-").withNamespace(namespace).build());
        created.setSpec(job.spec());
        return created;
    }

    @Override
    int execute(KubernetesClient client, String namespace) throws InterruptedException {
        TraceJob created = client.resource(build(namespace)).create();
        String name = created.getMetadata().getName();
        if (detach) {
            env.out().println(name);
            env.err().println("Created tracejob " + name + " in namespace " + namespace + " (" + descriptor.name()
                    + " for " + TraceDuration.format(traceDuration) + "); see 'kubectl gadget results " + name + "'.");
            return ExitCodes.OK;
        }
        Waiter waiter = new Waiter();
        Thread hook = new Thread(waiter::interrupt, "kgadget-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean cleaned = false;
        EventFollow following = null;
        if (follow) {
            printer = printer();
            following = new EventFollow(client, daemonNamespace, printer, env.err(), verbose());
        }
        try {
            TraceJob done = waiter.await(client, created, following);
            if (done == null) {
                cleanUp(client, created, "interrupted");
                cleaned = true;
                return ExitCodes.INTERRUPTED;
            }
            if (following != null) {
                return followed(client, done, following);
            }
            List<JobResult.NodeDocument> docs = List.of();
            if (done.getStatus().getPhase() != TraceJobPhase.Failed && JobReport.needsDocuments(descriptor.name())) {
                docs = JobResult.fetch(client, done, null);
            }
            int code = JobReport.print(done, docs, null, perNode, output, env.zone(), env.out(), env.err());
            if (svg != null && done.getStatus().getPhase() != TraceJobPhase.Failed) {
                JobReport.writeSvg(svg, done, docs, null, env.err());
            }
            return code;
        } finally {
            if (following != null) {
                following.close();
            }
            if (!cleaned && !waiter.vanished) {
                cleanUp(client, created, null);
            }
            waiter.done();
            removeHook(hook);
        }
    }

    /** Where --follow prints each event: a table row, or one JSON object per line. */
    private java.util.function.Consumer<EventRecord> printer() {
        if (output == OutputMode.JSON) {
            return e -> {
                try {
                    env.out().println(JsonRenderer.mapper().writeValueAsString(e.fields()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                    throw new IllegalStateException("cannot write an event as JSON", ex);
                }
                env.out().flush();
            };
        }
        EventStream table = new EventStream(JobReport.eventTable(descriptor, env.zone()), env.out());
        table.header();
        return table::onEventNow;
    }

    /**
     * The end of a --follow run: the events of nodes that were not streamed (from the results),
     * why they were not, and the totals line; the exit code of the job's phase.
     */
    private int followed(KubernetesClient client, TraceJob done, EventFollow following) throws InterruptedException {
        following.awaitEnd();
        PrintStream err = env.err();
        if (!JobReport.announce(done, err)) {
            return ExitCodes.FAILED;
        }
        List<String> missing = new ArrayList<>(following.unstreamed());
        if (done.getStatus().getNodes() != null) {
            done.getStatus().getNodes().stream().map(NodeStatusEntry::getNode).filter(n -> !following.knows(n))
                    .forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            JobResult.events(done, JobResult.fetch(client, done, missing)).forEach(printer);
        }
        following.notes().forEach(n -> err.println("kgadget: " + n));
        var totals = JobResult.of(done, List.of(), null);
        err.println("events " + totals.eventCount() + "  " + RunFooter.of(totals));
        err.flush();
        return JobReport.exitCode(done.getStatus().getPhase());
    }

    /** Deletes the job unless --keep; says so on stderr. */
    private void cleanUp(KubernetesClient client, TraceJob job, String why) {
        String name = job.getMetadata().getName();
        PrintStream err = env.err();
        if (keep) {
            err.println((why == null ? "" : "kgadget: " + why + "; ") + "kept tracejob " + name
                    + " (kubectl gadget delete " + name + " removes it)");
            err.flush();
            return;
        }
        try {
            client.resource(job).delete();
            if (why != null) {
                err.println("kgadget: " + why + "; deleted tracejob " + name);
            }
        } catch (KubernetesClientException e) {
            err.println("kgadget: could not delete tracejob " + name + ": " + e.getMessage());
        }
        err.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook waits for the CLI's exit gate and halts with its code
        }
    }

    /** Polls the job until it ends, drawing progress on stderr; Ctrl-C ends the wait. */
    private final class Waiter {
        private final CountDownLatch interrupted = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        volatile boolean vanished;
        private String lastLine = "";
        private int drawn;

        /** Shutdown hook: ends the wait, then holds the JVM until the CLI has cleaned up. */
        void interrupt() {
            interrupted.countDown();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The final job, or null when interrupted. */
        TraceJob await(KubernetesClient client, TraceJob created, EventFollow following) throws InterruptedException {
            String ns = created.getMetadata().getNamespace();
            String name = created.getMetadata().getName();
            long deadline = System.nanoTime() + traceDuration.plus(PATIENCE).toNanos();
            PrintStream err = env.err();
            err.println("Tracing " + descriptor.name() + " on the pods of " + ns + " matching "
                    + LabelSelectors.format(podSelector) + " for " + TraceDuration.format(traceDuration)
                    + " (tracejob " + name + "). Ctrl-C to stop.");
            err.flush();
            try {
                while (true) {
                    TraceJob job = client.resources(TraceJob.class).inNamespace(ns).withName(name).get();
                    if (job == null) {
                        vanished = true;
                        throw new CliFailure(ExitCodes.CANNOT_RUN, "tracejob " + name + " was deleted while it ran");
                    }
                    TraceJobStatus s = job.getStatus();
                    if (s != null && s.getPhase() != null && s.getPhase().isFinal()) {
                        progressEnd();
                        return job;
                    }
                    if (following != null) {
                        following.poll(job);
                    }
                    progress(job, following == null && env.interactive());
                    if (System.nanoTime() > deadline) {
                        progressEnd();
                        throw new CliFailure(ExitCodes.CANNOT_RUN, "tracejob " + name + " has not ended "
                                + TraceDuration.format(PATIENCE) + " after its duration (phase "
                                + (s == null || s.getPhase() == null ? "none" : s.getPhase())
                                + "); is the kgadget operator running?");
                    }
                    if (interrupted.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        progressEnd();
                        return null;
                    }
                }
            } catch (KubernetesClientException e) {
                progressEnd();
                throw e;
            }
        }

        /** Called when execute has printed and cleaned up: lets a Ctrl-C hook return (the JVM then exits). */
        void done() {
            finished.countDown();
        }

        /** @param redraw one line redrawn in place (a terminal that shows nothing else meanwhile) */
        private void progress(TraceJob job, boolean redraw) {
            String line = progressLine(job, traceDuration, Instant.now());
            PrintStream err = env.err();
            if (redraw) {
                err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
                drawn = line.length();
                err.flush();
            } else {
                // logs and pipes: a line only when the phase or the nodes done change
                String stable = line.replaceAll("\\d+\\S* left", "").replaceAll("events \\d+", "");
                if (!stable.equals(lastLine)) {
                    err.println(line);
                    err.flush();
                    lastLine = stable;
                }
            }
        }

        private void progressEnd() {
            if (env.interactive() && drawn > 0) {
                env.err().print("\r" + " ".repeat(drawn) + "\r");
                env.err().flush();
                drawn = 0;
            }
        }
    }

    /** "Running: 7s left, nodes 0/2 done, events 1234" (Pending before the operator has acted). */
    static String progressLine(TraceJob job, Duration duration, Instant now) {
        TraceJobStatus s = job.getStatus();
        if (s == null || s.getPhase() == null) {
            return "Pending: waiting for the kgadget operator";
        }
        StringBuilder sb = new StringBuilder(s.getPhase().name());
        Instant start = parse(s.getStartTime());
        if (start != null) {
            Duration left = duration.minus(Duration.between(start, now));
            sb.append(": ").append(left.isNegative() ? "0s" : TraceDuration.format(Duration.ofSeconds(
                    (left.toMillis() + 999) / 1000))).append(" left");
        } else {
            sb.append(":");
        }
        if (s.getProgress() != null) {
            sb.append(start != null ? ", " : " ").append("nodes ").append(s.getProgress()).append(" done");
        }
        long events = 0;
        if (s.getNodes() != null) {
            for (NodeStatusEntry n : s.getNodes()) {
                events += n.getEvents() == null ? 0 : n.getEvents();
            }
        }
        sb.append(", events ").append(events);
        return sb.toString();
    }

    private static Instant parse(String t) {
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
