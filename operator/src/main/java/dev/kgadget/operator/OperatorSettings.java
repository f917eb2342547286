package dev.kgadget.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How an operator instance runs: what it watches, where the daemons are, how long nodes may be
 * late, what jobs are allowed, and whether it must hold the leader lease first.
 *
 * @param namespaces      namespaces whose TraceJobs are reconciled; empty = all
 * @param daemonNamespace where the daemon DaemonSet's pods and the TLS Secrets are
 * @param grace           how long past a job's duration a node may take to report
 * @param policy          gadgets and durations this cluster allows
 * @param leaderElection  reconcile only while holding the Lease {@value #LEASE_NAME} in the daemon namespace
 *                        (replicas &gt; 1 are then safe: the others wait)
 * @param metricsPort     where /metrics is served; 0 an ephemeral port, -1 none
 * @param clock           what schedules read the time from (tests move it)
 * @param schedulePoll    how often a schedule looks at its runs at most (new due times wake it sooner)
 */
public record OperatorSettings(Set<String> namespaces, String daemonNamespace, Duration grace, JobPolicy policy,
                               boolean leaderElection, int metricsPort, Clock clock, Duration schedulePoll) {
    public static final String LEASE_NAME = "kgadget-operator";

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
    }

    /** Every namespace, 10 s grace, everything allowed, no leader election. */
    public static OperatorSettings of(String daemonNamespace) {
        return new OperatorSettings(Set.of(), daemonNamespace, Duration.ofSeconds(10), JobPolicy.OPEN, false, -1,
                Clock.systemUTC(), Duration.ofSeconds(5));
    }

    public OperatorSettings withGrace(Duration g) {
        return new OperatorSettings(namespaces, daemonNamespace, g, policy, leaderElection, metricsPort, clock, schedulePoll);
    }

    public OperatorSettings withNamespaces(Set<String> ns) {
        return new OperatorSettings(ns, daemonNamespace, grace, policy, leaderElection, metricsPort, clock, schedulePoll);
    }

    public OperatorSettings withPolicy(JobPolicy p) {
        return new OperatorSettings(namespaces, daemonNamespace, grace, p, leaderElection, metricsPort, clock, schedulePoll);
    }

    public OperatorSettings withMetricsPort(int port) {
        return new OperatorSettings(namespaces, daemonNamespace, grace, policy, leaderElection, port, clock, schedulePoll);
    }

    public OperatorSettings withClock(Clock c, Duration poll) {
        return new OperatorSettings(namespaces, daemonNamespace, grace, policy, leaderElection, metricsPort, c, poll);
    }

    public OperatorSettings withLeaderElection(boolean on) {
        return new OperatorSettings(namespaces, daemonNamespace, grace, policy, on, metricsPort, clock, schedulePoll);
    }
}
