/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one header every kgadget BPF program shares: the in-kernel target filter, the
 * ringbuf with its loss counter, and log2 histograms. The Java runtime finds these maps
 * and rodata variables by the names below; keep them in sync with
 * node-daemon/.../runtime/SharedMaps.java.
 *
 * A gadget opts in to the pieces it needs before including this file:
 *   #define KG_WITH_RINGBUF   kg_events ring buffer + kg_lost per-CPU counter
 *   #define KG_WITH_HIST      kg_hist log2 histogram map + kg_names group label map
 */
#ifndef KGADGET_BPF_H
#define KGADGET_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define KG_TASK_COMM_LEN 16
#define KG_MAX_SLOTS 27 /* 2^26 units: enough for 67 s in usecs */
#define KG_FILTER_MAX_CGROUPS 10240

/* Set by the runtime before load. An empty filter map with the flag on traces nothing:
 * "no targets" must never mean "trace everything". */
const volatile bool filter_by_cgroup = false;
/* Optional process filter (local mode --pid): 0 = any process. */
const volatile __u32 filter_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KG_FILTER_MAX_CGROUPS);
	__type(key, __u64);   /* cgroup v2 id (inode of the cgroup directory) */
	__type(value, __u8);
} kg_cgroups SEC(".maps");

/*
 * The filter's common case, a pod's few containers, also as a plain list: two array lookups
 * the verifier inlines and a short compare loop, where the hash costs a helper call, hashing
 * the key and a bucket walk on every event. Entries 0 and 1 are two copies of the list;
 * entry 2's count says which one is current. User space fills the other copy and then
 * switches, so a program never reads a list being written. A count above KG_FILTER_FEW means
 * "too many: ask kg_cgroups", which always holds the whole set.
 */
#define KG_FILTER_FEW 8
#define KG_FILTER_SELECTOR 2

struct kg_filter_list {
	__u32 count;
	__u32 pad;
	__u64 ids[KG_FILTER_FEW];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct kg_filter_list);
} kg_cgroup_list SEC(".maps");

static __always_inline bool kg_cgroup_allowed(__u64 cgid)
{
	struct kg_filter_list *list;
	__u32 key = KG_FILTER_SELECTOR;

	if (!filter_by_cgroup)
		return true;
	list = bpf_map_lookup_elem(&kg_cgroup_list, &key);
	if (!list)
		return false;
	key = list->count & 1;
	list = bpf_map_lookup_elem(&kg_cgroup_list, &key);
	if (!list)
		return false;
	if (list->count <= KG_FILTER_FEW) {
		for (int i = 0; i < KG_FILTER_FEW; i++) {
			if (i >= list->count)
				return false;
			if (list->ids[i] == cgid)
				return true;
		}
		return false;
	}
	return bpf_map_lookup_elem(&kg_cgroups, &cgid) != NULL;
}

/* The cgroup v2 id of an arbitrary task (e.g. the task being woken), which is what
 * bpf_get_current_cgroup_id() returns for current. */
static __always_inline __u64 kg_task_cgroup_id(struct task_struct *t)
{
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
}

/* Checked first in every program that runs in the context of the traced task. */
static __always_inline bool kg_current_allowed(void)
{
	if (filter_tgid && (__u32)(bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return false;
	/* checked here too: the helper call would run before kg_cgroup_allowed's own check */
	if (!filter_by_cgroup)
		return true;
	return kg_cgroup_allowed(bpf_get_current_cgroup_id());
}

/* For events attributed to another task than current (woken task, preempted task). */
static __always_inline bool kg_task_allowed(struct task_struct *t)
{
	if (filter_tgid && (__u32)BPF_CORE_READ(t, tgid) != filter_tgid)
		return false;
	if (!filter_by_cgroup)
		return true;
	return kg_cgroup_allowed(kg_task_cgroup_id(t));
}

static __always_inline __u32 kg_log2(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* bcc's bucket convention: slot 0 = [0,1], slot k = [2^k, 2^(k+1)-1]. */
static __always_inline __u32 kg_log2l(__u64 v)
{
	__u32 hi = v >> 32;
	if (hi)
		return kg_log2(hi) + 32;
	return kg_log2(v);
}

#ifdef KG_WITH_RINGBUF
/* One ring for every gadget a runtime (the daemon) runs at once: the runtime creates it and
 * hands its fd to each object before load (bpf_map__reuse_fd), so its memory does not grow with
 * the number of event jobs. The size here only matters to an object loaded on its own. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} kg_events SEC(".maps");

/* The run this object's records belong to, set before load: user space hands each record of
 * the shared ring to its run by this tag, which precedes the gadget's own record. */
const volatile __u32 kg_run = 0;

struct kg_event_tag {
	__u32 run;
	__u32 pad; /* keeps the record behind it 8-byte aligned */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} kg_lost SEC(".maps");

/* An event the ring had no room for: every drop is counted and reported. */
static __always_inline void kg_event_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&kg_lost, &zero);

	if (lost)
		*lost += 1; /* per-CPU slot: no atomic needed */
}

/* Reserve an event (behind its run tag) or count it as lost. */
static __always_inline void *kg_event_reserve(__u64 size)
{
	struct kg_event_tag *tag = bpf_ringbuf_reserve(&kg_events, sizeof(*tag) + size, 0);

	if (!tag) {
		kg_event_lost();
		return NULL;
	}
	tag->run = kg_run;
	tag->pad = 0;
	return tag + 1;
}

/* The consumer drains on a timer, so no per-event wakeup is needed. */
static __always_inline void kg_event_submit(void *e)
{
	bpf_ringbuf_submit((struct kg_event_tag *)e - 1, BPF_RB_NO_WAKEUP);
}

/* A record built elsewhere (on the stack), copied in at its used size: for records whose
 * tail is mostly unused (a path), so the ring holds several times more of them. The record
 * must begin with a struct kg_event_tag, which this fills in. */
static __always_inline void kg_event_output(void *data, __u64 size)
{
	struct kg_event_tag *tag = data;

	tag->run = kg_run;
	tag->pad = 0;
	if (bpf_ringbuf_output(&kg_events, data, size, BPF_RB_NO_WAKEUP))
		kg_event_lost();
}
#endif /* KG_WITH_RINGBUF */

#ifdef KG_WITH_HIST
struct kg_hist_key {
	__u32 group; /* 0, or a disk (dev_t) / process (tgid) when the gadget splits by it */
	__u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct kg_hist_key);
	__type(value, __u64);
} kg_hist SEC(".maps");

/* Group 0 (the whole target: the common case) per CPU, a slot per bucket: counting then
 * neither hashes a key nor bounces a shared counter's cache line between CPUs. Split
 * histograms (per disk, per process) use kg_hist; user space adds the CPUs up. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KG_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} kg_hist0 SEC(".maps");

/* Human label of a histogram group (process comm); disks are named from sysfs instead. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, char[KG_TASK_COMM_LEN]);
} kg_names SEC(".maps");

static __always_inline void kg_hist_add(__u32 group, __u64 value)
{
	struct kg_hist_key key = { .group = group, .slot = kg_log2l(value) };
	__u64 *count, one = 1;

	if (key.slot >= KG_MAX_SLOTS)
		key.slot = KG_MAX_SLOTS - 1;
	if (group == 0) {
		count = bpf_map_lookup_elem(&kg_hist0, &key.slot);
		/* atomic still: another program of the gadget may interrupt this one on this CPU
		 * (a completion in irq context), and an uncontended atomic add is cheap */
		if (count)
			__sync_fetch_and_add(count, 1);
		return;
	}
	count = bpf_map_lookup_elem(&kg_hist, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return;
	}
	/* Lost race with another CPU creating the slot: add to the winner's entry. */
	if (bpf_map_update_elem(&kg_hist, &key, &one, BPF_NOEXIST) != 0) {
		count = bpf_map_lookup_elem(&kg_hist, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
}
#endif /* KG_WITH_HIST */

#endif /* KGADGET_BPF_H */
