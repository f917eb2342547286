package dev.kgadget.api.crd;

import dev.kgadget.api.result.CountRow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** One row of a counting gadget (syscount) as it appears in the status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CountSummary {
    @JsonPropertyDescription("Syscall name, or the process comm when counting per process")
    private String name;

    @JsonPropertyDescription("The process (tgid) when counting per process")
    private Integer pid;

    @JsonPropertyDescription("How many times")
    private Long count;

    @JsonPropertyDescription("Summed latency in ns, when measured")
    private Long totalNs;

    public CountSummary() {
    }

    public CountSummary(String name, Integer pid, Long count, Long totalNs) {
        this.name = name;
        this.pid = pid;
        this.count = count;
        this.totalNs = totalNs;
    }

    public static CountSummary of(CountRow row) {
        return new CountSummary(row.name(), row.pid(), row.count(), row.totalNs());
    }

    public CountRow toCountRow() {
        return new CountRow(name, pid, count == null ? 0 : count, totalNs);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getPid() {
        return pid;
    }

    public void setPid(Integer pid) {
        this.pid = pid;
    }

    public Long getCount() {
        return count;
    }

    public void setCount(Long count) {
        this.count = count;
    }

    public Long getTotalNs() {
        return totalNs;
    }

    public void setTotalNs(Long totalNs) {
        this.totalNs = totalNs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountSummary c && Objects.equals(name, c.name) && Objects.equals(pid, c.pid)
                && Objects.equals(count, c.count) && Objects.equals(totalNs, c.totalNs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, pid, count, totalNs);
    }

    @Override
    public String toString() {
        return "CountSummary{name=" + name + ", pid=" + pid + ", count=" + count + ", totalNs=" + totalNs + "}";
    }
}
