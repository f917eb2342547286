package dev.kgadget.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of a counting gadget (syscount): a syscall, or a process when counting per process.
 *
 * @param name    syscall name, or the process comm when counting per process
 * @param pid     the process (tgid) when counting per process, else null
 * @param totalNs summed latency when measured, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CountRow(String name, Integer pid, long count, Long totalNs) {
    @JsonProperty("avgNs")
    public Double avgNs() {
        return totalNs == null || count == 0 ? null : (double) totalNs / count;
    }
}
