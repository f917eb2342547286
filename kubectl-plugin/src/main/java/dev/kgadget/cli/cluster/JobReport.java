package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobStatus;
import dev.kgadget.api.result.Column;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.cli.render.CountTableRenderer;
import dev.kgadget.cli.render.EventTableRenderer;
import dev.kgadget.cli.render.HistogramRenderer;
import dev.kgadget.cli.render.JsonRenderer;

import io.fabric8.kubernetes.api.model.Condition;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished job as the user sees it: the result with the local renderers (text), or one JSON /
 * YAML document; the failed nodes' reasons on stderr; and the exit code of its phase.
 */
final class JobReport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .registerModule(new JavaTimeModule());

    private JobReport() {
    }

    static int exitCode(TraceJobPhase phase) {
        return switch (phase) {
            case Succeeded -> ExitCodes.OK;
            case PartiallySucceeded -> ExitCodes.PARTIAL;
            case Failed -> ExitCodes.FAILED;
            default -> ExitCodes.CANNOT_RUN;
        };
    }

    /**
     * Prints a final job: its result (unless it Failed) on {@code out}, every failed node's
     * reason on {@code err}. Returns the exit code of its phase.
     */
    static int print(TraceJob job, List<JobResult.NodeDocument> docs, String onlyNode, OutputMode output,
                     ZoneId zone, PrintStream out, PrintStream err) {
        return print(job, docs, onlyNode, false, output, zone, out, err);
    }

    /** As above; {@code perNode}: after the merged histograms, each node's (text output). */
    static int print(TraceJob job, List<JobResult.NodeDocument> docs, String onlyNode, boolean perNode,
                     OutputMode output, ZoneId zone, PrintStream out, PrintStream err) {
        TraceJobPhase phase = job.getStatus().getPhase();
        if (!announce(job, err)) {
            return ExitCodes.FAILED;
        }
        GadgetResult result = JobResult.of(job, docs, onlyNode);
        render(job, result, onlyNode, output, zone, out, err);
        if (perNode && output == OutputMode.TEXT) {
            perNode(job, out);
            out.flush();
        }
        return exitCode(phase);
    }

    /**
     * Says on stderr why a job Failed or only PartiallySucceeded, with each failed node's reason.
     * Returns false when it Failed (there is no result to print).
     */
    static boolean announce(TraceJob job, PrintStream err) {
        TraceJobStatus status = job.getStatus();
        String name = job.getMetadata().getName();
        if (status.getPhase() == TraceJobPhase.Failed) {
            err.println("kgadget: tracejob " + name + " Failed: " + completed(status));
            failedNodes(status).forEach(l -> err.println("kgadget:   " + l));
            err.flush();
            return false;
        }
        if (status.getPhase() == TraceJobPhase.PartiallySucceeded) {
            err.println("kgadget: tracejob " + name + " PartiallySucceeded: the result merges the nodes that finished");
            failedNodes(status).forEach(l -> err.println("kgadget:   " + l));
            err.flush();
        }
        return true;
    }

    /**
     * Each node's histograms, after the merged ones: a {@code node = <name>} line, then the node's
     * result as the merged one is printed (buckets, percentiles, lost events, kernel cost). Nodes
     * that did not succeed have no result; their reasons are on stderr.
     */
    static void perNode(TraceJob job, PrintStream out) {
        if (job.getStatus().getNodes() == null) {
            return;
        }
        for (NodeStatusEntry n : job.getStatus().getNodes()) {
            if (n.getPhase() != NodeTracePhase.Succeeded) {
                continue;
            }
            out.println();
            out.println("node = " + n.getNode());
            new HistogramRenderer().render(JobResult.of(job, List.of(), n.getNode()), out);
        }
    }

    /** --per-node prints histograms, as text: anything else is a usage error (exit 2) before any request. */
    static void checkPerNode(boolean perNode, String gadget, OutputMode output, String onlyNode) {
        if (!perNode) {
            return;
        }
        if (onlyNode != null) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("--per-node and --node exclude each other");
        }
        if (output != OutputMode.TEXT) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("--per-node is for text output; "
                    + "-o json|yaml has every node in nodes[] (and --node NAME gives one node's result)");
        }
        GadgetCatalog.find(gadget).filter(g -> g.output() != dev.kgadget.api.catalog.OutputKind.HISTOGRAM)
                .ifPresent(g -> {
                    throw new dev.kgadget.api.catalog.InvalidParameterException("--per-node: " + g.name()
                            + " prints no histogram (--per-node is for histogram gadgets; --node NAME gives one node's result)");
                });
    }

    static void render(TraceJob job, GadgetResult result, String onlyNode, OutputMode output, ZoneId zone,
                       PrintStream out, PrintStream err) {
        switch (output) {
            case JSON -> new JsonRenderer().render(JobResult.document(job, result, onlyNode), out);
            case YAML -> {
                out.print(yaml(JobResult.document(job, result, onlyNode)));
            }
            case TEXT -> {
                GadgetDescriptor gadget = GadgetCatalog.require(result.gadget());
                switch (gadget.output()) {
                    case HISTOGRAM -> new HistogramRenderer().render(result, out);
                    case COUNTS -> new CountTableRenderer().render(result, out);
                    case EVENTS -> {
                        eventTable(gadget, zone).render(result, out);
                        err.println(EventTableRenderer.summary(result));
                    }
                    case STACKS -> {
                        dev.kgadget.cli.render.StackRenderer.render(result, out);
                        err.println(dev.kgadget.cli.render.StackRenderer.summary(result));
                    }
                }
            }
        }
        out.flush();
        err.flush();
    }

    /** A cluster event table: where each event happened (node, namespace, pod, container), then the gadget's columns. */
    static EventTableRenderer eventTable(GadgetDescriptor gadget, ZoneId zone) {
        List<Column> columns = new ArrayList<>(JobResult.PLACEMENT);
        columns.addAll(gadget.columns());
        return new EventTableRenderer(columns, zone);
    }

    /** The CLI's YAML: no document start marker, quotes only where needed. */
    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a finished job's node documents are needed to print it (events, every stack). */
    static boolean needsDocuments(String gadget) {
        return GadgetCatalog.find(gadget).map(g -> g.output() == dev.kgadget.api.catalog.OutputKind.EVENTS
                || g.output() == dev.kgadget.api.catalog.OutputKind.STACKS).orElse(false);
    }

    /** --svg FILE: the job's flame graph (every node's stacks merged, or one node's). */
    static void writeSvg(java.nio.file.Path svg, TraceJob job, List<JobResult.NodeDocument> docs, String onlyNode, PrintStream err) {
        GadgetResult result = JobResult.of(job, docs, onlyNode);
        String unit = dev.kgadget.api.stacks.FoldedStacks.unit(result.gadget());
        dev.kgadget.cli.render.StackRenderer.writeSvg(svg, dev.kgadget.cli.render.StackRenderer.folded(result.counts()),
                result.gadget() + " of " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName()
                        + (onlyNode == null ? "" : " on " + onlyNode) + " (" + unit + ")", unit);
        err.println("flame graph: " + svg);
        err.flush();
    }

    /** The Completed condition's reason and message, e.g. "NoTargets: no running container ...". */
    static String completed(TraceJobStatus status) {
        if (status.getConditions() != null) {
            for (Condition c : status.getConditions()) {
                if ("Completed".equals(c.getType())) {
                    return c.getReason() + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage());
                }
            }
        }
        return "no reason given";
    }

    /** "node-a: Failed NoDaemon: no kgadget daemon ..." per node that did not succeed. */
    static List<String> failedNodes(TraceJobStatus status) {
        List<String> lines = new ArrayList<>();
        if (status.getNodes() != null) {
            for (NodeStatusEntry n : status.getNodes()) {
                if (n.getPhase() != NodeTracePhase.Succeeded) {
                    lines.add(n.getNode() + ": " + n.getPhase() + (n.getReason() == null ? "" : " " + n.getReason())
                            + (n.getMessage() == null ? "" : ": " + n.getMessage()));
                }
            }
        }
        return lines;
    }
}
