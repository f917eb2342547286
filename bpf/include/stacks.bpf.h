/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Stack gadgets (profile, offcputime): stack traces by id, and a count per
 * (process, kernel stack, user stack). User space symbolizes and folds them.
 */
#ifndef KGADGET_STACKS_BPF_H
#define KGADGET_STACKS_BPF_H

#include "gadgets.h"

/* Which stacks to take: 1 kernel, 2 user, 3 both. */
const volatile __u32 targ_stacks = 3;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KG_STACK_DEPTH * sizeof(__u64));
} kg_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 40960);
	__type(key, struct kg_stack_key);
	__type(value, __u64);
} kg_stack_counts SEC(".maps");

/* Fills key for current with its stacks (ctx: the program's context). */
static __always_inline void kg_stack_key_of_current(void *ctx, struct kg_stack_key *key)
{
	key->tgid = bpf_get_current_pid_tgid() >> 32;
	key->kstack_id = (targ_stacks & 1) ? bpf_get_stackid(ctx, &kg_stacks, 0) : -1;
	key->ustack_id = (targ_stacks & 2) ? bpf_get_stackid(ctx, &kg_stacks, BPF_F_USER_STACK) : -1;
	key->pad = 0;
	bpf_get_current_comm(key->comm, sizeof(key->comm));
}

static __always_inline void kg_stack_add(struct kg_stack_key *key, __u64 value)
{
	__u64 zero = 0, *v;

	v = bpf_map_lookup_elem(&kg_stack_counts, key);
	if (!v) {
		bpf_map_update_elem(&kg_stack_counts, key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&kg_stack_counts, key);
		if (!v)
			return;
	}
	__sync_fetch_and_add(v, value);
}

#endif
