package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.Map;
import java.util.Objects;

/**
 * Which containers a TraceJob traces. Pods are always looked up in the TraceJob's own namespace:
 * a TraceJob can never reach another namespace's workloads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceJobSelector {
    @Required
    @JsonPropertyDescription("Pods of this TraceJob's namespace (never another namespace) by label: matchLabels "
            + "and matchExpressions; {} selects every pod of the namespace")
    private LabelSelector podSelector;

    @JsonPropertyDescription("Only pods running on this node")
    private String nodeName;

    @JsonPropertyDescription("Only pods running on nodes with all of these labels")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Only this container of each pod; all containers when unset")
    private String containerName;

    public LabelSelector getPodSelector() {
        return podSelector;
    }

    public void setPodSelector(LabelSelector podSelector) {
        this.podSelector = podSelector;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public String getContainerName() {
        return containerName;
    }

    public void setContainerName(String containerName) {
        this.containerName = containerName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceJobSelector s && Objects.equals(podSelector, s.podSelector)
                && Objects.equals(nodeName, s.nodeName) && Objects.equals(nodeSelector, s.nodeSelector)
                && Objects.equals(containerName, s.containerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(podSelector, nodeName, nodeSelector, containerName);
    }

    @Override
    public String toString() {
        return "TraceJobSelector{podSelector=" + podSelector + ", nodeName=" + nodeName
                + ", nodeSelector=" + nodeSelector + ", containerName=" + containerName + "}";
    }
}
