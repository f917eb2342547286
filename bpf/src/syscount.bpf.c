// SPDX-License-Identifier: GPL-2.0
/*
 * syscount: count syscalls (and optionally their total latency), system wide or per
 * process. User space reads the counts when the run ends.
 */
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

#define KG_NR_EXIT 60
#define KG_NR_EXIT_GROUP 231

/* Measure latency (sys_enter to sys_exit). Without it kg_sc_enter is not loaded. */
const volatile bool targ_latency = false;
/* Key counts by process (tgid) and keep its comm in kg_comms. */
const volatile bool targ_per_process = false;

/* Per CPU: every syscall of the host goes through here, and CPUs adding to one shared
 * counter (the same few syscalls) would bounce its cache line; user space sums the CPUs.
 * Per syscall, an array indexed by number: its lookup is inlined by the verifier, where a
 * hash lookup is a call that hashes the key. Per process, a hash keyed {tgid, nr}. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KG_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct kg_syscall_stat);
} kg_nr_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct kg_syscall_key);
	__type(value, struct kg_syscall_stat);
} kg_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, char[KG_COMM_LEN]);
} kg_comms SEC(".maps");

/* tid -> sys_enter time. LRU: a thread whose syscall never returns to us (tid change by
 * exec, a syscall in flight when we attached) must not fill the map for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} kg_sc_start SEC(".maps");

SEC("raw_tp/sys_enter")
int kg_sc_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long id;
	__u32 tid;
	__u64 ts;

	if (!kg_current_allowed())
		return 0;
	if (!targ_latency)
		return 0;
	/* exit and exit_group never reach sys_exit. */
	id = (long)ctx->args[1];
	if (id == KG_NR_EXIT || id == KG_NR_EXIT_GROUP)
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&kg_sc_start, &tid, &ts, BPF_ANY);
	return 0;
}

/* This CPU's own slot: no atomic needed (BPF programs run with migration disabled). */
static __always_inline void kg_sc_add(struct kg_syscall_stat *stat, __u64 delta)
{
	stat->count += 1;
	if (targ_latency)
		stat->total_ns += delta;
}

/* Keep a process's comm current (exec changes it); cheap compare first. */
static __always_inline void kg_sc_note_comm(__u32 tgid)
{
	__u64 comm[KG_COMM_LEN / 8] = {};
	__u64 *known;

	bpf_get_current_comm(comm, sizeof(comm));
	known = bpf_map_lookup_elem(&kg_comms, &tgid);
	if (!known || known[0] != comm[0] || known[1] != comm[1])
		bpf_map_update_elem(&kg_comms, &tgid, comm, BPF_ANY);
}

/* tp_btf: pt_regs arrives as a typed pointer, so orig_ax is a plain load, not a helper call. */
SEC("tp_btf/sys_exit")
int BPF_PROG(kg_sc_exit, struct pt_regs *regs, long ret)
{
	struct kg_syscall_key key = {};
	struct kg_syscall_stat *stat, init = {};
	__u64 delta = 0;
	long nr;

	if (targ_latency) {
		/* The filter ran at sys_enter: only accepted calls have a start time. */
		__u32 tid = (__u32)bpf_get_current_pid_tgid();
		__u64 *tsp = bpf_map_lookup_elem(&kg_sc_start, &tid);

		if (!tsp)
			return 0;
		delta = bpf_ktime_get_ns() - *tsp;
		bpf_map_delete_elem(&kg_sc_start, &tid);
		if ((__s64)delta < 0)
			delta = 0;
	} else if (!kg_current_allowed()) {
		return 0;
	}

	nr = regs->orig_ax;
	if (nr < 0)
		return 0;
	if (!targ_per_process) {
		__u32 slot = nr;

		stat = bpf_map_lookup_elem(&kg_nr_counts, &slot);
		if (stat) /* none beyond KG_MAX_SYSCALLS: not a syscall number */
			kg_sc_add(stat, delta);
		return 0;
	}

	key.nr = nr;
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	kg_sc_note_comm(key.tgid);
	stat = bpf_map_lookup_elem(&kg_counts, &key);
	if (!stat) {
		init.count = 1;
		init.total_ns = delta;
		if (bpf_map_update_elem(&kg_counts, &key, &init, BPF_NOEXIST) == 0)
			return 0;
		/* Created meanwhile (another CPU's slot, or this one after a preemption): add to it. */
		stat = bpf_map_lookup_elem(&kg_counts, &key);
		if (!stat)
			return 0;
	}
	kg_sc_add(stat, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
