// SPDX-License-Identifier: GPL-2.0
/*
 * opensnoop: one event per open/openat/openat2, emitted when the syscall returns.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

#define KG_NR_OPEN 2
#define KG_NR_OPENAT 257
#define KG_NR_OPENAT2 437

/* Only report opens that failed. */
const volatile bool targ_failed = false;

struct kg_open_args {
	__u64 path;   /* user pointer */
	__u64 flags;
	__u32 mode;
	__u32 nr;
};

/* tid -> arguments of the open in flight. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct kg_open_args);
} kg_opens SEC(".maps");

SEC("raw_tp/sys_enter")
int kg_open_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long id = (long)ctx->args[1];
	struct pt_regs *regs;
	struct kg_open_args a = {};
	__u32 tid;

	if (id != KG_NR_OPEN && id != KG_NR_OPENAT && id != KG_NR_OPENAT2)
		return 0;
	if (!kg_current_allowed())
		return 0;

	regs = (struct pt_regs *)ctx->args[0];
	a.nr = id;
	if (id == KG_NR_OPEN) {
		a.path = BPF_CORE_READ(regs, di);
		a.flags = (__u32)BPF_CORE_READ(regs, si);
		a.mode = BPF_CORE_READ(regs, dx);
	} else if (id == KG_NR_OPENAT) {
		a.path = BPF_CORE_READ(regs, si);
		a.flags = (__u32)BPF_CORE_READ(regs, dx);
		a.mode = BPF_CORE_READ(regs, r10);
	} else {
		struct open_how how = {};

		a.path = BPF_CORE_READ(regs, si);
		if (bpf_probe_read_user(&how, sizeof(how), (void *)BPF_CORE_READ(regs, dx)) == 0) {
			a.flags = how.flags;
			a.mode = how.mode;
		}
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&kg_opens, &tid, &a, BPF_ANY);
	return 0;
}

/* tp_btf: runs on every syscall exit of the host, and with a typed pt_regs the syscall
 * number is a plain load instead of a probe-read helper call. */
SEC("tp_btf/sys_exit")
int BPF_PROG(kg_open_exit, struct pt_regs *regs, long ret)
{
	long id = regs->orig_ax;
	struct kg_open_args *ap, a;
	struct {
		struct kg_event_tag tag;
		struct kg_open_event e;
	} out;
	__u64 pid_tgid;
	long n;
	__u32 tid;

	if (id != KG_NR_OPEN && id != KG_NR_OPENAT && id != KG_NR_OPENAT2)
		return 0;
	/* No filter check: only accepted opens have an entry. */
	pid_tgid = bpf_get_current_pid_tgid();
	tid = (__u32)pid_tgid;
	ap = bpf_map_lookup_elem(&kg_opens, &tid);
	if (!ap)
		return 0;
	a = *ap;
	bpf_map_delete_elem(&kg_opens, &tid);

	if (targ_failed && ret >= 0)
		return 0;

	out.e.ts_ns = bpf_ktime_get_ns();
	out.e.cgroup_id = bpf_get_current_cgroup_id();
	out.e.pid = pid_tgid >> 32;
	out.e.tid = tid;
	out.e.uid = (__u32)bpf_get_current_uid_gid();
	out.e.ret = (__s32)ret;
	out.e.flags = a.flags;
	out.e.mode = a.mode;
	out.e.syscall_nr = a.nr;
	bpf_get_current_comm(out.e.comm, sizeof(out.e.comm));
	/* Zeroes the buffer on failure; either way path is NUL-terminated. */
	n = bpf_probe_read_user_str(out.e.path, sizeof(out.e.path), (const void *)a.path);
	if (n < 1)
		n = 1;
	if (n > (long)sizeof(out.e.path))
		n = sizeof(out.e.path);
	/* A typical path is tens of bytes: the record ends with it (the decoder reads up to the
	 * record's length), three times more of them fit the ring than at full size. */
	kg_event_output(&out, sizeof(out.tag) + offsetof(struct kg_open_event, path) + n);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
