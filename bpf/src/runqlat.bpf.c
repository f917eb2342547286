// SPDX-License-Identifier: GPL-2.0
/*
 * runqlat: run queue (scheduler) latency as a log2 histogram, the time a task spends
 * runnable before it gets a CPU. The latency belongs to the task that waits (the one
 * woken or preempted), never to the waker or to the task that was running.
 */
#define KG_WITH_HIST
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

#define KG_TASK_RUNNING 0

/* Report milliseconds instead of microseconds. */
const volatile bool targ_ms = false;
/* One histogram per process: group = tgid, labelled in kg_names. */
const volatile bool targ_per_process = false;

/* When each task became runnable (0: not waiting). Task-local storage, reached through the
 * task itself: every context switch on the host runs kg_rq_switch, and a hash map would make
 * each of them hash a pid and take a bucket lock (libbpf-tools' runqlat does), where this is
 * a pointer walk. The storage goes away with its task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} kg_runq_start SEC(".maps");

static __always_inline void kg_rq_enqueue(struct task_struct *p)
{
	__u64 *ts;

	if (!kg_task_allowed(p))
		return;
	if (BPF_CORE_READ(p, pid) == 0) /* the idle tasks */
		return;
	ts = bpf_task_storage_get(&kg_runq_start, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ts)
		*ts = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(kg_rq_wake, struct task_struct *p)
{
	kg_rq_enqueue(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(kg_rq_wake_new, struct task_struct *p)
{
	kg_rq_enqueue(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(kg_rq_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 *tsp, now, delta;
	__u32 group = 0;

	/* prev was preempted and goes straight back to the run queue: its wait starts now. */
	if (prev_state == KG_TASK_RUNNING)
		kg_rq_enqueue(prev);

	/* next only counts if it was accepted when it became runnable. */
	tsp = bpf_task_storage_get(&kg_runq_start, next, 0, 0);
	if (!tsp || !*tsp)
		return 0;
	now = bpf_ktime_get_ns();
	delta = now - *tsp;
	*tsp = 0;
	if ((__s64)delta < 0)
		return 0;
	if (targ_ms)
		delta /= 1000000U;
	else
		delta /= 1000U;

	if (targ_per_process) {
		__u64 comm[KG_TASK_COMM_LEN / 8] = {};
		__u64 *known;

		group = BPF_CORE_READ(next, tgid);
		bpf_probe_read_kernel_str(comm, sizeof(comm), &next->comm);
		known = bpf_map_lookup_elem(&kg_names, &group);
		/* Write only when new or changed (exec): this runs on every context switch. */
		if (!known || known[0] != comm[0] || known[1] != comm[1])
			bpf_map_update_elem(&kg_names, &group, comm, BPF_ANY);
	}
	kg_hist_add(group, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
