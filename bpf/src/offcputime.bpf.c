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

/* Per task, where and when it left the CPU (ts_ns 0: not counted). Task-local storage, as in
 * runqlat: every context switch on the host looks up the task coming in, and this is a
 * pointer walk where a hash map hashes the tid and takes a bucket lock. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kg_offcpu_start);
} kg_offcpu SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(kg_offcpu_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct kg_offcpu_start *s;
	__u64 now = bpf_ktime_get_ns();

	/* prev (current) leaves the CPU: remember when and where */
	if (BPF_CORE_READ(prev, pid) && kg_current_allowed() &&
	    !(targ_blocked_only && BPF_CORE_READ(prev, __state) == KG_TASK_RUNNING)) {
		s = bpf_task_storage_get(&kg_offcpu, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (s) {
			s->ts_ns = now;
			kg_stack_key_of_current(ctx, &s->key);
		}
	}

	/* next comes back: charge the time it was away to the stack it left from */
	s = bpf_task_storage_get(&kg_offcpu, next, 0, 0);
	if (!s || !s->ts_ns)
		return 0;
	if (now - s->ts_ns >= min_block_ns)
		kg_stack_add(&s->key, now - s->ts_ns);
	s->ts_ns = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
