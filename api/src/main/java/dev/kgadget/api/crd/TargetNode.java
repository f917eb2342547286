package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Objects;

/** {@code status.targets.nodes[]}: the selected pods on one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetNode {
    @JsonPropertyDescription("Node name")
    private String node;

    @JsonPropertyDescription("The selected pods on this node")
    private List<TargetPod> pods;

    public TargetNode() {
    }

    public TargetNode(String node, List<TargetPod> pods) {
        this.node = node;
        this.pods = pods;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public List<TargetPod> getPods() {
        return pods;
    }

    public void setPods(List<TargetPod> pods) {
        this.pods = pods;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetNode t && Objects.equals(node, t.node) && Objects.equals(pods, t.pods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, pods);
    }

    @Override
    public String toString() {
        return "TargetNode{node=" + node + ", pods=" + pods + "}";
    }
}
