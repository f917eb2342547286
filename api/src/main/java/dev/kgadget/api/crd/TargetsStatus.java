package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Objects;

/** {@code status.targets}: what the selector resolved to, grouped by node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetsStatus {
    @JsonPropertyDescription("Pods selected")
    private Integer pods;

    @JsonPropertyDescription("Containers selected")
    private Integer containers;

    @JsonPropertyDescription("The selected pods, per node")
    private List<TargetNode> nodes;

    public TargetsStatus() {
    }

    public TargetsStatus(Integer pods, Integer containers, List<TargetNode> nodes) {
        this.pods = pods;
        this.containers = containers;
        this.nodes = nodes;
    }

    public Integer getPods() {
        return pods;
    }

    public void setPods(Integer pods) {
        this.pods = pods;
    }

    public Integer getContainers() {
        return containers;
    }

    public void setContainers(Integer containers) {
        this.containers = containers;
    }

    public List<TargetNode> getNodes() {
        return nodes;
    }

    public void setNodes(List<TargetNode> nodes) {
        this.nodes = nodes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetsStatus t && Objects.equals(pods, t.pods)
                && Objects.equals(containers, t.containers) && Objects.equals(nodes, t.nodes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pods, containers, nodes);
    }

    @Override
    public String toString() {
        return "TargetsStatus{pods=" + pods + ", containers=" + containers + ", nodes=" + nodes + "}";
    }
}
