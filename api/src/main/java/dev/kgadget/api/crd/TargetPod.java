package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Objects;

/** {@code status.targets.nodes[].pods[]}: one selected pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetPod {
    @JsonPropertyDescription("Pod name")
    private String name;

    @JsonPropertyDescription("Pod UID")
    private String uid;

    @JsonPropertyDescription("The pod's selected containers")
    private List<TargetContainer> containers;

    public TargetPod() {
    }

    public TargetPod(String name, String uid, List<TargetContainer> containers) {
        this.name = name;
        this.uid = uid;
        this.containers = containers;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    public List<TargetContainer> getContainers() {
        return containers;
    }

    public void setContainers(List<TargetContainer> containers) {
        this.containers = containers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetPod t && Objects.equals(name, t.name) && Objects.equals(uid, t.uid)
                && Objects.equals(containers, t.containers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, uid, containers);
    }

    @Override
    public String toString() {
        return "TargetPod{name=" + name + ", uid=" + uid + ", containers=" + containers + "}";
    }
}
