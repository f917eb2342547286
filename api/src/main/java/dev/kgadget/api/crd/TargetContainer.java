package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** {@code status.targets.nodes[].pods[].containers[]}: one selected container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetContainer {
    @JsonPropertyDescription("Container name")
    private String name;

    @JsonPropertyDescription("Container ID as in the pod status, e.g. containerd://<hex>; empty before it starts")
    private String containerId;

    public TargetContainer() {
    }

    public TargetContainer(String name, String containerId) {
        this.name = name;
        this.containerId = containerId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getContainerId() {
        return containerId;
    }

    public void setContainerId(String containerId) {
        this.containerId = containerId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetContainer t && Objects.equals(name, t.name)
                && Objects.equals(containerId, t.containerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, containerId);
    }

    @Override
    public String toString() {
        return "TargetContainer{name=" + name + ", containerId=" + containerId + "}";
    }
}
