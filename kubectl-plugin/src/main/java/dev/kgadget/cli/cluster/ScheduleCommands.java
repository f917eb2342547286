package dev.kgadget.cli.cluster;


import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.AlertMetric;
import dev.kgadget.api.crd.ConcurrencyPolicy;
import dev.kgadget.api.crd.ScheduleAlert;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TraceScheduleSpec;
import dev.kgadget.api.schedule.ScheduleCron;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;
import dev.kgadget.cli.ExitCodes;
import dev.kgadget.cli.render.JsonRenderer;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code kubectl gadget schedule create|list|get|suspend|resume|delete}: TraceSchedules, CronJob-style. */
public final class ScheduleCommands {
    private ScheduleCommands() {
    }

    /** The {@code schedule} command with its subcommands. */
    public static CommandLine commandLine(CliEnvironment env) {
        return new CommandLine(new Parent(env))
                .addSubcommand(new Create(env))
                .addSubcommand(new ListSchedules(env))
                .addSubcommand(new Get(env))
                .addSubcommand("suspend", new Suspend(env, true))
                .addSubcommand("resume", new Suspend(env, false))
                .addSubcommand(new Delete(env));
    }

    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = "Periodic diagnostics: TraceSchedules run a TraceJob on a cron schedule and keep a trend of the results.",
            footer = {"", "Examples:",
                    "  kubectl gadget schedule create db-io --schedule '@hourly' biolatency -l app=db -d 60s --alert 'p99>10000'",
                    "  kubectl gadget schedule create checkout-runq --schedule '*/15 * * * *' runqlat -l app=checkout",
                    "  kubectl gadget schedule list -A",
                    "  kubectl gadget results --schedule db-io      # the trend, one line per run"})
    static final class Parent implements Callable<Integer> {
        private final CliEnvironment env;

        Parent(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            env.err().println("kgadget: schedule needs a subcommand: create, list, get, suspend, resume or delete "
                    + "(kubectl gadget schedule --help)");
            return ExitCodes.BAD_INPUT;
        }
    }

    /** Schedule commands: a missing CRD is the TraceSchedule CRD. */
    abstract static class ScheduleCommand extends ClusterCommand {
        ScheduleCommand(CliEnvironment env) {
            super(env);
        }

        @Override
        String crdMissing() {
            return KubeErrors.crdMissing(TraceSchedule.KIND, TraceSchedule.CRD_NAME);
        }

        static TraceSchedule requireSchedule(KubernetesClient client, String namespace, String name) {
            TraceSchedule s = client.resources(TraceSchedule.class).inNamespace(namespace).withName(name).get();
            if (s == null) {
                client.resources(TraceSchedule.class).inNamespace(namespace).list(
                        new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build()); // 404 here: no CRD
                throw new CliFailure(ExitCodes.BAD_INPUT, "traceschedule '" + name + "' not found in namespace " + namespace
                        + " (see 'kubectl gadget schedule list')");
            }
            return s;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create a TraceSchedule: run <gadget> on the selected pods at every due time of --schedule.",
            footer = {"", "Examples:",
                    "  kubectl gadget schedule create db-io --schedule '0 * * * *' biolatency -n db -l app=postgres -d 60s",
                    "  kubectl gadget schedule create runq --schedule '*/15 * * * *' --time-zone Europe/Berlin runqlat -l app=web \\",
                    "      --alert 'p99>5000' --alert 'lostEvents>0' --successful-history 5",
                    "",
                    "--alert METRIC>VALUE: METRIC is p50, p90, p99 (of the first histogram, or p99[LABEL] of one), eventCount or lostEvents."})
    static final class Create extends ScheduleCommand {
        private static final Pattern ALERT = Pattern.compile("^(p50|p90|p99|eventCount|lostEvents)(?:\\[([^\\]]+)\\])?\\s*>\\s*([0-9]+(?:\\.[0-9]+)?)$");

        @Parameters(index = "0", paramLabel = "NAME", description = "the TraceSchedule's name (its runs are NAME-<minute>)")
        String name;

        @Parameters(index = "1", paramLabel = "<gadget>", description = "what each run runs; see 'kubectl gadget list'")
        String gadget;

        @Option(names = "--schedule", required = true, paramLabel = "CRON",
                description = "five cron fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly")
        String schedule;

        @Option(names = "--time-zone", paramLabel = "TZ", description = "IANA zone the schedule is read in (default: UTC)")
        String timeZone;

        @Mixin
        JobSpecOptions job = new JobSpecOptions();

        @Option(names = "--concurrency-policy", paramLabel = "POLICY", defaultValue = "Forbid",
                description = "Forbid (skip a run while the previous one runs) or Replace (default: Forbid)")
        ConcurrencyPolicy concurrencyPolicy;

        @Option(names = "--starting-deadline", paramLabel = "DURATION",
                description = "a run found later than this after its due time is missed instead, e.g. 2m")
        String startingDeadline;

        @Option(names = "--successful-history", paramLabel = "N", description = "succeeded runs kept (default: 3)")
        Integer successfulHistory;

        @Option(names = "--failed-history", paramLabel = "N", description = "failed runs kept (default: 1)")
        Integer failedHistory;

        @Option(names = "--alert", paramLabel = "METRIC>VALUE", description = "a threshold checked on every run; repeatable")
        List<String> alerts = new ArrayList<>();

        @Option(names = "--suspend", description = "create it suspended")
        boolean suspend;

        private TraceScheduleSpec spec;

        Create(CliEnvironment env) {
            super(env);
        }

        @Override
        String what() {
            return "create the TraceSchedule";
        }

        @Override
        void validate() {
            job.validate(gadget);
            try {
                ScheduleCron.parse(schedule, timeZone);
            } catch (ScheduleCron.InvalidScheduleException e) {
                throw new InvalidParameterException(e.getMessage().replace("spec.schedule", "--schedule")
                        .replace("spec.timeZone", "--time-zone"));
            }
            for (Integer n : new Integer[]{successfulHistory, failedHistory}) {
                if (n != null && n < 0) {
                    throw new InvalidParameterException("--successful-history and --failed-history must be 0 or more");
                }
            }
            spec = new TraceScheduleSpec();
            spec.setSchedule(schedule);
            spec.setTimeZone(timeZone);
            spec.setSuspend(suspend);
            spec.setConcurrencyPolicy(concurrencyPolicy);
            if (startingDeadline != null) {
                spec.setStartingDeadlineSeconds(TraceDuration.parse(startingDeadline).toSeconds());
            }
            if (successfulHistory != null) {
                spec.setSuccessfulJobsHistoryLimit(successfulHistory);
            }
            if (failedHistory != null) {
                spec.setFailedJobsHistoryLimit(failedHistory);
            }
            spec.setJobTemplate(job.spec());
            List<ScheduleAlert> parsed = new ArrayList<>();
            for (String a : alerts) {
                parsed.add(alert(a));
            }
            spec.setAlerts(parsed.isEmpty() ? null : parsed);
        }

        static ScheduleAlert alert(String text) {
            Matcher m = ALERT.matcher(text.trim());
            if (!m.matches()) {
                throw new InvalidParameterException("--alert '" + text + "': write METRIC>VALUE, METRIC one of p50, p90, "
                        + "p99 (or p99[LABEL]), eventCount, lostEvents; e.g. --alert 'p99>5000'");
            }
            ScheduleAlert alert = new ScheduleAlert();
            for (AlertMetric metric : AlertMetric.values()) {
                if (metric.wireName().equals(m.group(1))) {
                    alert.setMetric(metric);
                }
            }
            if (m.group(2) != null && alert.getMetric() != AlertMetric.P50 && alert.getMetric() != AlertMetric.P90
                    && alert.getMetric() != AlertMetric.P99) {
                throw new InvalidParameterException("--alert '" + text + "': only percentiles take a [histogram label]");
            }
            alert.setHistogram(m.group(2));
            alert.setAbove(Double.parseDouble(m.group(3)));
            return alert;
        }

        @Override
        int execute(KubernetesClient client, String namespace) {
            TraceSchedule s = new TraceSchedule();
            s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            s.setSpec(spec);
            client.resource(s).create();
            env.out().println(name);
            env.err().println("Created traceschedule " + name + " in namespace " + namespace + ": " + gadget + " for "
                    + spec.getJobTemplate().getDuration() + " at '" + schedule + "' ("
                    + (timeZone == null ? "UTC" : timeZone) + "); see 'kubectl gadget results --schedule " + name + "'.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "TraceSchedules as a table: NAME, SCHEDULE, GADGET, SUSPEND, ACTIVE, LAST SCHEDULE, ALERTING, AGE.",
            footer = {"", "Examples:", "  kubectl gadget schedule list", "  kubectl gadget schedule list -A"})
    static final class ListSchedules extends ScheduleCommand {
        @Option(names = {"-A", "--all-namespaces"}, description = "schedules of every namespace (adds a NAMESPACE column)")
        boolean allNamespaces;

        ListSchedules(CliEnvironment env) {
            super(env);
        }

        @Override
        String what() {
            return "list traceschedules";
        }

        @Override
        int execute(KubernetesClient client, String namespace) {
            List<TraceSchedule> all = allNamespaces ? client.resources(TraceSchedule.class).inAnyNamespace().list().getItems()
                    : client.resources(TraceSchedule.class).inNamespace(namespace).list().getItems();
            if (all.isEmpty()) {
                env.err().println(allNamespaces ? "No traceschedules found." : "No traceschedules found in " + namespace + " namespace.");
                return ExitCodes.OK;
            }
            List<TraceSchedule> sorted = all.stream().sorted(Comparator.comparing((TraceSchedule s) -> s.getMetadata().getNamespace())
                    .thenComparing(s -> s.getMetadata().getName())).toList();
            ScheduleTables.list(sorted, allNamespaces, Instant.now()).forEach(env.out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "One TraceSchedule: its spec and status, and its trend (text), or the object as JSON/YAML.",
            footer = {"", "Examples:", "  kubectl gadget schedule get db-io", "  kubectl gadget schedule get db-io -o yaml"})
    static final class Get extends ScheduleCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text, json or yaml")
        OutputMode output;

        Get(CliEnvironment env) {
            super(env);
        }

        @Override
        String what() {
            return "get the traceschedule";
        }

        @Override
        int execute(KubernetesClient client, String namespace) {
            TraceSchedule s = requireSchedule(client, namespace, name);
            switch (output) {
                case JSON -> new JsonRenderer().render(s, env.out());
                case YAML -> env.out().print(JobReport.yaml(s));
                case TEXT -> describe(s).forEach(env.out()::println);
            }
            return ExitCodes.OK;
        }

        static List<String> describe(TraceSchedule s) {
            List<String> out = new ArrayList<>();
            var spec = s.getSpec();
            var t = spec.getJobTemplate();
            out.add("Name:         " + s.getMetadata().getName());
            out.add("Namespace:    " + s.getMetadata().getNamespace());
            out.add("Schedule:     " + spec.getSchedule() + " (" + (spec.getTimeZone() == null ? "UTC" : spec.getTimeZone()) + ")"
                    + (Boolean.TRUE.equals(spec.getSuspend()) ? ", suspended" : ""));
            out.add("Runs:         " + t.getGadget() + " for " + t.getDuration() + " on pods matching "
                    + LabelSelectors.format(t.getSelector() == null ? null : t.getSelector().getPodSelector())
                    + (t.getParameters() == null || t.getParameters().isEmpty() ? "" : ", parameters " + t.getParameters()));
            out.add("Policy:       " + spec.getConcurrencyPolicy() + ", keeps " + spec.getSuccessfulJobsHistoryLimit()
                    + " succeeded and " + spec.getFailedJobsHistoryLimit() + " failed runs"
                    + (spec.getStartingDeadlineSeconds() == null ? "" : ", starting deadline " + spec.getStartingDeadlineSeconds() + "s"));
            if (spec.getAlerts() != null) {
                out.add("Alerts:       " + String.join(", ", spec.getAlerts().stream().map(a -> a.getMetric().wireName()
                        + (a.getHistogram() == null ? "" : "[" + a.getHistogram() + "]") + " > " + a.getAbove()).toList()));
            }
            var st = s.getStatus();
            if (st != null) {
                out.add("Last run due: " + (st.getLastScheduleTime() == null ? "-" : st.getLastScheduleTime())
                        + ", last success: " + (st.getLastSuccessfulTime() == null ? "-" : st.getLastSuccessfulTime()));
                out.add("Active:       " + (st.getActive() == null ? "none" : String.join(", ", st.getActive()))
                        + "; missed " + orZero(st.getMissedRuns()) + ", skipped " + orZero(st.getSkippedRuns()));
                if (st.getConditions() != null) {
                    st.getConditions().forEach(c -> out.add("Condition:    " + c.getType() + "=" + c.getStatus() + " "
                            + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())));
                }
                if (st.getTrend() != null && !st.getTrend().isEmpty()) {
                    out.add("");
                    out.addAll(ScheduleTables.trend(st.getTrend()));
                }
            }
            return out;
        }

        private static long orZero(Long n) {
            return n == null ? 0 : n;
        }
    }

    @Command(mixinStandardHelpOptions = true,
            description = "suspend NAME: start no runs (a running one finishes); resume NAME: start them again.")
    static final class Suspend extends ScheduleCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        private final boolean suspend;

        Suspend(CliEnvironment env, boolean suspend) {
            super(env);
            this.suspend = suspend;
        }

        @Override
        String what() {
            return "update the traceschedule";
        }

        @Override
        int execute(KubernetesClient client, String namespace) {
            requireSchedule(client, namespace, name);
            client.resources(TraceSchedule.class).inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
            env.err().println("traceschedule " + name + (suspend ? " suspended" : " resumed"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a TraceSchedule; its runs (TraceJobs) go with it (Kubernetes garbage collection).")
    static final class Delete extends ScheduleCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Delete(CliEnvironment env) {
            super(env);
        }

        @Override
        String what() {
            return "delete the traceschedule";
        }

        @Override
        int execute(KubernetesClient client, String namespace) {
            requireSchedule(client, namespace, name);
            client.resources(TraceSchedule.class).inNamespace(namespace).withName(name).delete();
            env.err().println("traceschedule " + name + " deleted");
            return ExitCodes.OK;
        }
    }
}
