// SPDX-License-Identifier: GPL-2.0
/*
 * offcputime: time blocked off-CPU per process and stack. At sched_switch the task leaving
 * the CPU (current) records when and where (its stacks); when it is switched back in, the
 * time in between is added to that stack. Runs shorter than min_block_ns are dropped.
 */
#include "vmlinux.h"
#include "kgadget.bpf.h"
#include "stacks.bpf.h"

#define KG_TASK_RUNNING 0

const volatile __u64 min_block_ns = 1000;
/* Count only tasks that blocked (sleep, I/O, locks), not ones preempted while runnable. */
const volatile bool targ_blocked_only = true;

struct kg_offcpu_start {
	__u64 ts_ns;
	struct kg_stack_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 40960);
	__type(key, __u32);   /* tid */
	__type(value, struct kg_offcpu_start);
} kg_offcpu SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(kg_offcpu_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct kg_offcpu_start *s, start = {};
	__u32 tid;
	__u64 now = bpf_ktime_get_ns();

	/* prev (current) leaves the CPU: remember when and where */
	tid = BPF_CORE_READ(prev, pid);
	if (tid && kg_current_allowed() && !(targ_blocked_only && BPF_CORE_READ(prev, __state) == KG_TASK_RUNNING)) {
		start.ts_ns = now;
		kg_stack_key_of_current(ctx, &start.key);
		bpf_map_update_elem(&kg_offcpu, &tid, &start, BPF_ANY);
	}

	/* next comes back: charge the time it was away to the stack it left from */
	tid = BPF_CORE_READ(next, pid);
	s = bpf_map_lookup_elem(&kg_offcpu, &tid);
	if (!s)
		return 0;
	if (now - s->ts_ns >= min_block_ns)
		kg_stack_add(&s->key, now - s->ts_ns);
	bpf_map_delete_elem(&kg_offcpu, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
