// SPDX-License-Identifier: GPL-2.0
/*
 * profile: CPU samples at a fixed frequency on every CPU (a perf_event software clock per
 * CPU, attached by the runtime), counted per process and kernel + user stack. Only samples of
 * traced tasks are kept; the idle task is never one of them.
 */
#include "vmlinux.h"
#include "kgadget.bpf.h"
#include "stacks.bpf.h"

SEC("perf_event")
int kg_profile_sample(struct bpf_perf_event_data *ctx)
{
	struct kg_stack_key key;

	if (!(bpf_get_current_pid_tgid() >> 32))
		return 0; /* idle */
	if (!kg_current_allowed())
		return 0;
	kg_stack_key_of_current(ctx, &key);
	kg_stack_add(&key, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
