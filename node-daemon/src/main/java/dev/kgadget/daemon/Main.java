package dev.kgadget.daemon;

import dev.kgadget.api.ops.HealthEndpoints;
import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.cgroup.ContainerCgroups;
import dev.kgadget.daemon.jobs.NodeJobs;
import dev.kgadget.daemon.runtime.GadgetException;
import dev.kgadget.daemon.runtime.GadgetRuntime;
import dev.kgadget.daemon.runtime.Preflight;
import dev.kgadget.daemon.server.DaemonServer;
import dev.kgadget.daemon.server.NodeDaemonService;
import dev.kgadget.daemon.status.KubeApi;
import dev.kgadget.daemon.status.StatusPublisher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import io.grpc.ServerCredentials;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The node daemon (one per node, a DaemonSet): serves the NodeDaemon gRPC service to the
 * operator, runs the gadgets of the jobs it is given and writes this node's part of their
 * results, and serves /healthz and /readyz. SIGTERM ends every running trace (detached, results
 * published) before the process exits.
 *
 * <p>Logs are JSON lines (logback's JsonEncoder, {@link dev.kgadget.api.ops.ServerLogging}), set up
 * here before the first logger is created; other users of this module (the CLI) get neither
 * the backend nor its configuration.
 */
@Command(name = "kgadget-daemon", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The kgadget node daemon: runs the gadgets of TraceJobs on this node.")
public final class Main implements Callable<Integer> {

    static {
        dev.kgadget.api.ops.ServerLogging.configure(); // before any logger exists, i.e. before LOG below
        smallNetty();
        noDefaultTrustStore();
    }

    /**
     * gRPC's Netty sized for a daemon that serves a few connections, before Netty reads these
     * (a -D on the command line still wins): two event loops however many CPUs the node has (the
     * default is two per CPU, each a thread with its caches), one buffer arena of each kind with
     * 256 KiB chunks instead of one per two CPUs with 4 MiB chunks, and the JDK's TLS, which the
     * API client loads anyway, instead of a second TLS stack (netty-tcnative's BoringSSL, unpacked
     * to /tmp and loaded); and no Flight Recorder events for its allocator (with them on, Netty
     * registers its event types with JFR at start, ~100 JFR classes and 1,300 annotation objects
     * the daemon never uses). Together with the JVM flags of the image, measured by bench/compare
     * (docs/benchmarks.md).
     */
    private static void smallNetty() {
        String netty = "io.grpc.netty.shaded.io.netty.";
        Map.of("eventLoopThreads", "2", "allocator.numDirectArenas", "1", "allocator.numHeapArenas", "1",
                "allocator.maxOrder", "5", "handler.ssl.noOpenSsl", "true", "jfr.enabled", "false")
                .forEach((key, value) -> defaultProperty(netty + key, value));
    }

    /**
     * An empty default trust store: the daemon trusts only the CAs it is given (the operator's,
     * for gRPC clients; the ServiceAccount's, for the API server), yet Netty's JDK TLS context
     * loads the JDK's 148 public CAs at start and keeps them in the heap, ~1 MiB.
     */
    private static void noDefaultTrustStore() {
        defaultProperty("javax.net.ssl.trustStore", "NONE");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (env NODE_NAME, e.g. from the downward API spec.nodeName); required")
    String nodeName;

    @Option(names = "--grpc-port", defaultValue = "${env:KGADGET_GRPC_PORT:-7701}",
            description = "gRPC port for the operator (env KGADGET_GRPC_PORT; default ${DEFAULT-VALUE}; 0: ephemeral)")
    int grpcPort;

    @Option(names = "--health-port", defaultValue = "${env:KGADGET_HEALTH_PORT:-8081}",
            description = "Port of /healthz and /readyz (env KGADGET_HEALTH_PORT; default ${DEFAULT-VALUE}; 0 disables)")
    int healthPort;

    @Option(names = "--cgroup-root", defaultValue = "${env:KGADGET_CGROUP_ROOT}",
            description = "The host's cgroup2 mount as this process sees it, e.g. /host/sys/fs/cgroup "
                    + "(env KGADGET_CGROUP_ROOT; default: found in /proc/self/mountinfo)")
    Path cgroupRoot;

    @Option(names = "--btf", defaultValue = "${env:KGADGET_BTF}",
            description = "The kernel's BTF (env KGADGET_BTF; default /sys/kernel/btf/vmlinux)")
    Path btf;

    @Option(names = "--tls-dir", defaultValue = "${env:KGADGET_TLS_DIR:-/etc/kgadget/tls}",
            description = "The daemon's TLS Secret as files ca.crt, tls.crt, tls.key: gRPC clients must present a "
                    + "certificate of that CA (env KGADGET_TLS_DIR; default ${DEFAULT-VALUE})")
    Path tlsDir;

    @Option(names = "--api-server", description = "The Kubernetes API server the job status and results are written to"
            + " (default: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, as in every pod)")
    URI apiServer;

    @Option(names = "--service-account-dir", defaultValue = "${env:KGADGET_SERVICE_ACCOUNT_DIR:-"
            + "/var/run/secrets/kubernetes.io/serviceaccount}",
            description = "The ServiceAccount credentials for that server, as files ca.crt and token (env "
                    + "KGADGET_SERVICE_ACCOUNT_DIR; default ${DEFAULT-VALUE})")
    Path serviceAccountDir;

    @Option(names = "--events-budget-bytes", defaultValue = "${env:KGADGET_EVENTS_BUDGET_BYTES:-262144}",
            description = "This node's share of a job's results ConfigMap (1 MiB for all nodes together), in bytes;"
                    + " events beyond it are dropped and counted (env KGADGET_EVENTS_BUDGET_BYTES; default ${DEFAULT-VALUE})")
    long eventsBudgetBytes;

    @Option(names = "--kernel-cost-stats", defaultValue = "${env:KGADGET_KERNEL_COST_STATS:-false}",
            description = "Turn on the kernel's BPF run-time statistics while a job runs, for its \"kernel ns/event\";"
                    + " needs CAP_SYS_ADMIN and adds about 25 ns to every BPF program run on the node"
                    + " (env KGADGET_KERNEL_COST_STATS; default ${DEFAULT-VALUE})")
    boolean kernelCostStats;

    public static void main(String[] args) {
        int rc = dev.kgadget.api.ops.ServerCommand.execute(new Main(), args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (nodeName == null || nodeName.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the node name is required: --node-name or NODE_NAME");
        }
        if (eventsBudgetBytes <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--events-budget-bytes must be positive, got " + eventsBudgetBytes);
        }
        if (btf != null) {
            System.setProperty(Preflight.BTF_PROPERTY, btf.toString());
        }
        Path root = cgroupRoot();
        ServerCredentials tls = DaemonTls.server(TlsMaterial.fromDirectory(tlsDir));

        KubeApi api = KubeApi.inCluster(apiServer != null ? apiServer : KubeApi.inClusterServer(System.getenv()),
                serviceAccountDir);
        StatusPublisher publisher = new StatusPublisher(api, nodeName, eventsBudgetBytes);
        ContainerCgroups cgroups = new ContainerCgroups(root);
        NodeJobs jobs = new NodeJobs(new GadgetRuntime(), cgroups, publisher, kernelCostStats);
        NodeDaemonService service = new NodeDaemonService(nodeName, jobs, cgroups);
        DaemonServer server = DaemonServer.start(grpcPort, service, tls);
        HealthEndpoints health = healthPort > 0 ? HealthEndpoints.start(healthPort, () -> notReady(root)) : null;

        if (kernelCostStats) {
            Preflight.kernelCostUnavailable().ifPresent(why -> LOG.warn("--kernel-cost-stats: {}", why));
        }
        Optional<String> notReady = notReady(root);
        LOG.info("node {}: kernel {}, BTF {}, cgroup2 root {}, gRPC port {}, health port {}, API server {}; {}", nodeName,
                System.getProperty("os.version"), Preflight.btfPath(), root, server.port(),
                health == null ? "none" : health.port(), api.server(), notReady.map(r -> "NOT READY: " + r).orElse("ready"));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("terminating");
            server.close(); // every gadget detached, every result handed to the publisher
            publisher.close(); // ... and written
            if (health != null) {
                health.close();
            }
        }, "shutdown"));
        server.awaitTermination();
        return 0;
    }

    /** --cgroup-root, else the cgroup2 mount of this host; a missing root makes the daemon not ready. */
    private Path cgroupRoot() {
        if (cgroupRoot != null) {
            return cgroupRoot.toAbsolutePath().normalize();
        }
        try {
            return CgroupV2.host().root();
        } catch (GadgetException e) {
            LOG.error("{}", e.getMessage());
            return Path.of("/sys/fs/cgroup");
        }
    }

    /** Empty when this node can run gadgets; else why not (served by /readyz). */
    static Optional<String> notReady(Path cgroupRoot) {
        try {
            Preflight.checkLibbpf();
            Preflight.checkPrivileges();
            Preflight.checkBtf();
        } catch (GadgetException e) {
            return Optional.of(e.getMessage());
        }
        if (!Files.isRegularFile(cgroupRoot.resolve("cgroup.procs"))) {
            return Optional.of("the cgroup2 root " + cgroupRoot + " does not exist or is no cgroup2 directory;"
                    + " mount the host's /sys/fs/cgroup and set --cgroup-root (KGADGET_CGROUP_ROOT)");
        }
        return Optional.empty();
    }
}
