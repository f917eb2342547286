// SPDX-License-Identifier: GPL-2.0
/*
 * biolatency: block I/O latency as a log2 histogram.
 *
 * A request is accepted (filter) when it is created, in the submitter's context
 * (block_io_start). Issue and completion run in any context (often an interrupt), so
 * they never look at the current cgroup: they only act on requests marked in the map.
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

/*
 * rq pointer -> start timestamp; 0: no measurement pending (completed, or not accepted); 1: accepted,
 * not issued yet (when timing from the issue). blk-mq recycles its requests, so the same pointers
 * come back: an entry stays after its request completes and is reused by the next one, updated in
 * place (a lookup), which costs a fraction of a map insert and a delete per request.
 * LRU: the keys a queue recycles are few, but a map that only grew would keep every request
 * pointer it ever saw.
 */
#define KG_BIO_ACCEPTED 1

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} kg_bio_start_ts SEC(".maps");

SEC("tp_btf/block_io_start")
int BPF_PROG(kg_bio_start, struct request *rq)
{
	__u64 key = (__u64)rq, start, *tsp;

	tsp = bpf_map_lookup_elem(&kg_bio_start_ts, &key);
	if (!kg_current_allowed()) {
		/* the pointer's last user may have been accepted and never completed: not this one */
		if (tsp)
			*tsp = 0;
		return 0;
	}
	/* timing from the issue: only mark it accepted, the issue takes the time */
	start = targ_queued ? bpf_ktime_get_ns() : KG_BIO_ACCEPTED;
	if (tsp)
		*tsp = start;
	else
		bpf_map_update_elem(&kg_bio_start_ts, &key, &start, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(kg_bio_issue, struct request *rq)
{
	__u64 key, *tsp;

	/* No filter here: only requests accepted at creation are marked in the map. */
	if (targ_queued)
		return 0;
	key = (__u64)rq;
	tsp = bpf_map_lookup_elem(&kg_bio_start_ts, &key);
	if (tsp && *tsp)
		*tsp = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(kg_bio_done, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	__u64 key, *tsp, start, now, delta;
	__u32 group = 0;

	/* No filter here either: only accepted requests have a start in the map. */
	key = (__u64)rq;
	tsp = bpf_map_lookup_elem(&kg_bio_start_ts, &key);
	if (!tsp)
		return 0;
	/* A request may complete in parts: only the caller that takes the start counts. */
	start = __sync_lock_test_and_set(tsp, 0);
	if (start <= KG_BIO_ACCEPTED)
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
