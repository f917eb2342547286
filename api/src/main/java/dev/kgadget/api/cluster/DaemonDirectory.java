package dev.kgadget.api.cluster;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.List;
import java.util.Optional;

/**
 * Finds the node daemon serving a node: a Ready pod of the daemon DaemonSet on that node,
 * reached at its pod IP on the port named "grpc" (or the {@value #PORT_ANNOTATION} annotation).
 */
public final class DaemonDirectory {
    public static final String DAEMON_LABEL = "app.kubernetes.io/name";
    public static final String DAEMON_LABEL_VALUE = "kgadget-daemon";
    public static final String PORT_ANNOTATION = "kgadget.dev/grpc-port";
    public static final int DEFAULT_PORT = 7701;

    private DaemonDirectory() {
    }

    /** The address of the node's daemon, host:port, if one is Ready there. */
    public static Optional<String> addressOn(String node, List<Pod> daemonPods) {
        return podOn(node, daemonPods).map(p -> p.getStatus().getPodIP() + ":" + port(p));
    }

    /** The Ready daemon pod of a node (one with a pod IP), if there is one. */
    public static Optional<Pod> podOn(String node, List<Pod> daemonPods) {
        return daemonPods.stream()
                .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(DaemonDirectory::ready)
                .filter(p -> p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isBlank())
                .findFirst();
    }

    static boolean ready(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    /** The daemon pod's gRPC port. */
    public static int port(Pod p) {
        String annotated = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(PORT_ANNOTATION);
        if (annotated != null) {
            try {
                return Integer.parseInt(annotated.trim());
            } catch (NumberFormatException e) {
                // fall through to the named port
            }
        }
        if (p.getSpec().getContainers() != null) {
            for (var c : p.getSpec().getContainers()) {
                if (c.getPorts() != null) {
                    for (ContainerPort port : c.getPorts()) {
                        if ("grpc".equals(port.getName()) && port.getContainerPort() != null) {
                            return port.getContainerPort();
                        }
                    }
                }
            }
        }
        return DEFAULT_PORT;
    }
}
