package dev.kgadget.operator;

import dev.kgadget.api.cluster.DaemonDirectory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Informer caches of pods and nodes: selectors are resolved against these, never with a
 * list call per reconcile. Pods are indexed by namespace.
 */
public final class ClusterView implements AutoCloseable {
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;

    public ClusterView(KubernetesClient client) {
        pods = client.pods().inAnyNamespace().inform();
        nodes = client.nodes().inform();
    }

    public boolean synced() {
        return pods.hasSynced() && nodes.hasSynced();
    }

    public List<Pod> podsIn(String namespace) {
        return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    public List<Pod> daemonPods(String namespace) {
        return podsIn(namespace).stream().filter(p -> p.getMetadata().getLabels() != null
                && DaemonDirectory.DAEMON_LABEL_VALUE.equals(p.getMetadata().getLabels().get(DaemonDirectory.DAEMON_LABEL)))
                .toList();
    }

    public Function<String, Map<String, String>> nodeLabels() {
        return name -> {
            Node n = nodes.getIndexer().getByKey(name);
            return n == null ? null : n.getMetadata().getLabels();
        };
    }

    @Override
    public void close() {
        pods.close();
        nodes.close();
    }
}
