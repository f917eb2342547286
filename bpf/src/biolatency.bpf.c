// SPDX-License-Identifier: GPL-2.0
/*
 * biolatency: block I/O latency as a log2 histogram.
 *
 * A request is accepted (filter) when it is created, in the submitter's context
 * (block_io_start). Issue and completion run in any context (often an interrupt), so
 * they never look at the current cgroup: they only act on requests already in the map.
 */
#define KG_WITH_HIST
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

/* Report milliseconds instead of microseconds. */
const volatile bool targ_ms = false;
/* One histogram per disk: group = (major << 20) | first_minor. */
const volatile bool targ_per_disk = false;
/* Measure from creation (includes OS queue time) instead of from issue to the device. */
const volatile bool targ_queued = false;

/* rq pointer -> start timestamp. LRU: a request that vanishes without a completion
 * event (merged away, flush machinery) must not fill the map for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} kg_bio_start_ts SEC(".maps");

SEC("tp_btf/block_io_start")
int BPF_PROG(kg_bio_start, struct request *rq)
{
	__u64 key, ts;

	if (!kg_current_allowed())
		return 0;
	key = (__u64)rq;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&kg_bio_start_ts, &key, &ts, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(kg_bio_issue, struct request *rq)
{
	__u64 key, *tsp;

	/* No filter here: only requests accepted at creation are in the map. */
	if (targ_queued)
		return 0;
	key = (__u64)rq;
	tsp = bpf_map_lookup_elem(&kg_bio_start_ts, &key);
	if (tsp)
		*tsp = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(kg_bio_done, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	__u64 key, *tsp, start, now, delta;
	__u32 group = 0;

	/* No filter here either: the map holds only accepted requests. */
	key = (__u64)rq;
	tsp = bpf_map_lookup_elem(&kg_bio_start_ts, &key);
	if (!tsp)
		return 0;
	start = *tsp;
	/* A request may complete in parts: only the caller whose delete succeeds counts. */
	if (bpf_map_delete_elem(&kg_bio_start_ts, &key) != 0)
		return 0;
	now = bpf_ktime_get_ns();
	if ((__s64)(now - start) < 0)
		return 0;
	delta = now - start;
	if (targ_ms)
		delta /= 1000000U;
	else
		delta /= 1000U;

	if (targ_per_disk) {
		struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
		__u32 major = 0, minor = 0;

		if (disk) {
			major = BPF_CORE_READ(disk, major);
			minor = BPF_CORE_READ(disk, first_minor);
		}
		group = (major << 20) | (minor & 0xfffff);
	}
	kg_hist_add(group, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
