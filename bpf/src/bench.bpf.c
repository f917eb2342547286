// SPDX-License-Identifier: GPL-2.0
/*
 * bench: ring buffer throughput producer. Each getppid() of the benchmark process emits
 * a batch of kg_bench_event records (batch size set at run time in kg_bench_cfg), every
 * attempt with a global sequence number (from 0): a reservation that fails leaves a
 * gap in the sequence and is counted in kg_lost.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

#define KG_NR_GETPPID 110
#define KG_BENCH_MAX_BATCH 65536

/* The benchmark process (tgid); nothing else triggers a batch. */
const volatile __u32 bench_tgid = 0;

/* [0] = events per getppid(), written by user space while running. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} kg_bench_cfg SEC(".maps");

/* [0] = next sequence number, shared by all CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} kg_bench_seq SEC(".maps");

struct kg_bench_ctx {
	__u64 *seq;
	__u32 batch;
	__u32 cpu;
};

static int kg_bench_emit(__u32 index, void *data)
{
	struct kg_bench_ctx *c = data;
	struct kg_bench_event *e;
	__u64 seq;

	/* Every attempt takes a number: a lost event leaves a gap (and counts in kg_lost). */
	seq = __sync_fetch_and_add(c->seq, 1);
	e = kg_event_reserve(sizeof(struct kg_bench_event));
	if (!e)
		return 0; /* keep going so that every drop is counted */
	e->seq = seq;
	e->ts_ns = bpf_ktime_get_ns();
	e->cpu = c->cpu;
	e->batch = c->batch;
	e->payload = index;
	kg_event_submit(e);
	return 0;
}

SEC("raw_tp/sys_enter")
int kg_bench_tick(struct bpf_raw_tracepoint_args *ctx)
{
	struct kg_bench_ctx c = {};
	__u32 zero = 0, *batch;

	if ((long)ctx->args[1] != KG_NR_GETPPID)
		return 0;
	if (!kg_current_allowed())
		return 0;
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != bench_tgid)
		return 0;

	batch = bpf_map_lookup_elem(&kg_bench_cfg, &zero);
	c.seq = bpf_map_lookup_elem(&kg_bench_seq, &zero);
	if (!batch || !c.seq)
		return 0;
	c.batch = *batch;
	if (c.batch > KG_BENCH_MAX_BATCH)
		c.batch = KG_BENCH_MAX_BATCH;
	if (c.batch == 0)
		return 0;
	c.cpu = bpf_get_smp_processor_id();
	bpf_loop(c.batch, kg_bench_emit, &c, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
