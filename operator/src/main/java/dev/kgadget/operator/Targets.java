package dev.kgadget.operator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A TraceJob's selector resolved to running containers, grouped by node. Only pods of the
 * job's own namespace are ever considered, and only containers that run now (they have a
 * container id), so an empty result means "nothing to trace" — never "trace everything".
 */
public record Targets(Map<String, List<Pod>> podsByNode, Map<String, List<Container>> containersByPod) {

    /** A running container of a selected pod. */
    public record Container(String podUid, String podName, String name, String containerId) {
    }

    public boolean isEmpty() {
        return podsByNode.isEmpty();
    }

    public int podCount() {
        return podsByNode.values().stream().mapToInt(List::size).sum();
    }

    public int containerCount() {
        return containersByPod.values().stream().mapToInt(List::size).sum();
    }

    public List<Container> containersOn(String node) {
        List<Container> out = new ArrayList<>();
        for (Pod p : podsByNode.getOrDefault(node, List.of())) {
            out.addAll(containersByPod.getOrDefault(p.getMetadata().getUid(), List.of()));
        }
        return out;
    }

    /**
     * @param pods       the pods of the job's namespace (from the informer cache)
     * @param nodeLabels labels of a node by name (null when unknown)
     */
    public static Targets resolve(List<Pod> pods, LabelSelector podSelector, String nodeName,
                                  Map<String, String> nodeSelector, String containerName,
                                  Function<String, Map<String, String>> nodeLabels) {
        Predicate<Map<String, String>> selected = PodSelection.compile(podSelector, "spec.selector.podSelector");
        Map<String, List<Pod>> byNode = new TreeMap<>();
        Map<String, List<Container>> byPod = new TreeMap<>();
        for (Pod pod : pods) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (node == null || pod.getMetadata().getDeletionTimestamp() != null
                    || !selected.test(pod.getMetadata().getLabels())
                    || (nodeName != null && !nodeName.isBlank() && !nodeName.equals(node))
                    || !nodeMatches(nodeSelector, nodeLabels.apply(node))) {
                continue;
            }
            List<Container> running = running(pod, containerName);
            if (running.isEmpty()) {
                continue;
            }
            byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            byPod.put(pod.getMetadata().getUid(), running);
        }
        byNode.values().forEach(l -> l.sort(Comparator.comparing(p -> p.getMetadata().getName())));
        return new Targets(byNode, byPod);
    }

    private static boolean nodeMatches(Map<String, String> nodeSelector, Map<String, String> labels) {
        if (nodeSelector == null || nodeSelector.isEmpty()) {
            return true;
        }
        if (labels == null) {
            return false;
        }
        return nodeSelector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    private static List<Container> running(Pod pod, String containerName) {
        List<Container> out = new ArrayList<>();
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return out;
        }
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            boolean runs = cs.getState() == null || cs.getState().getRunning() != null;
            if (cs.getContainerID() == null || cs.getContainerID().isBlank() || !runs) {
                continue;
            }
            if (containerName != null && !containerName.isBlank() && !containerName.equals(cs.getName())) {
                continue;
            }
            out.add(new Container(pod.getMetadata().getUid(), pod.getMetadata().getName(), cs.getName(), cs.getContainerID()));
        }
        return out;
    }
}
