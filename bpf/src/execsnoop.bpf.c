// SPDX-License-Identifier: GPL-2.0
/*
 * execsnoop: one event per execve/execveat, emitted when the syscall returns.
 *
 * sys_enter captures filename and argv into a per-thread entry; sys_exit completes it
 * with the return value and the (new) comm and hands it to user space.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

#define KG_NR_EXECVE 59
#define KG_NR_EXECVEAT 322

/* Strings kept per exec, the filename included; capped to KG_ARGS_MAX. */
const volatile __u32 max_args = KG_ARGS_MAX;
/* Only report execs that failed. */
const volatile bool targ_failed_only = false;

/* The event under construction plus what is needed to capture it again. */
struct kg_exec_entry {
	struct kg_exec_event ev;
	__u64 filename;   /* user pointers given to the syscall */
	__u64 argv;
	__u32 incomplete; /* a user read failed at sys_enter (page not present yet) */
	__u32 pad;
};

/* tid -> exec in flight. Not preallocated: at ~2.6 KiB an entry, 10240 of them would take
 * 26 MiB of kernel memory and 7 ms at load for the few execs ever in flight at once; an
 * exec is rare enough to allocate its entry. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct kg_exec_entry);
} kg_execs SEC(".maps");

/* Never written: a zeroed entry to create kg_execs entries from (too large for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kg_exec_entry);
} kg_exec_zero SEC(".maps");

static __always_inline __u32 kg_args_limit(void)
{
	__u32 limit = max_args;

	return limit > KG_ARGS_MAX ? KG_ARGS_MAX : limit;
}

static __always_inline void kg_args_reset(struct kg_exec_entry *x)
{
	x->ev.args_count = 0;
	x->ev.args_size = 0;
	x->ev.args_truncated = 0;
	x->incomplete = 0;
}

/*
 * Filename then argv[1..limit-1] from the syscall's user pointers. The filename is
 * always kept (argv[0] is replaced by it). A failed read (the page is not present:
 * BPF cannot fault it in) marks the entry incomplete so that a later hook retries.
 */
static __always_inline void kg_args_from_user(struct kg_exec_entry *x)
{
	const char *const *argv = (const char *const *)x->argv;
	struct kg_exec_event *e = &x->ev;
	const char *argp;
	__u32 i, size, limit = kg_args_limit();
	long n;

	kg_args_reset(x);
	n = bpf_probe_read_user_str(e->args, KG_ARG_MAX, (const char *)x->filename);
	if (n <= 0) {
		x->incomplete = 1;
		return;
	}
	size = n;
	e->args_count = 1;
	e->args_size = size;

	for (i = 1; i < KG_ARGS_MAX; i++) {
		if (i >= limit)
			break;
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) != 0) {
			x->incomplete = 1;
			return;
		}
		if (!argp)
			return;
		/* Explicit bound, for the verifier: a whole KG_ARG_MAX read must fit. */
		if (size > KG_ARGS_BUF - KG_ARG_MAX)
			return;
		n = bpf_probe_read_user_str(&e->args[size], KG_ARG_MAX, argp);
		if (n <= 0) {
			x->incomplete = 1;
			return;
		}
		size += n;
		e->args_count++;
		e->args_size = size;
	}

	/* Stopped by the limit, not by argv's NULL: tell whether argv went on. */
	if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) == 0 && argp)
		e->args_truncated = 1;
}

/*
 * After a successful exec: filename from the kernel's copy, argv from the new image's
 * argument area (mm->arg_start..arg_end, NUL-separated, written by the kernel and so
 * present).
 */
static __always_inline void kg_args_from_image(struct kg_exec_entry *x, struct task_struct *task,
					       struct linux_binprm *bprm)
{
	struct kg_exec_event *e = &x->ev;
	__u64 p, end;
	__u32 i, size, limit = kg_args_limit();
	long n;
	char last;

	kg_args_reset(x);
	n = bpf_probe_read_kernel_str(e->args, KG_ARG_MAX, BPF_CORE_READ(bprm, filename));
	if (n <= 0)
		return;
	size = n;
	e->args_count = 1;
	e->args_size = size;

	p = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	for (i = 0; i < KG_ARGS_MAX; i++) {
		if (p >= end)
			return;
		if (i >= limit) {
			e->args_truncated = 1;
			return;
		}
		if (size > KG_ARGS_BUF - KG_ARG_MAX)
			return;
		/* argv[0] is read where argv[1] goes, only to find where argv[1] starts. */
		n = bpf_probe_read_user_str(&e->args[size], KG_ARG_MAX, (const char *)p);
		if (n <= 0)
			return;
		if (i > 0) {
			size += n;
			e->args_count++;
			e->args_size = size;
		}
		if (n == KG_ARG_MAX &&
		    (bpf_probe_read_user(&last, 1, (const char *)(p + n - 1)) != 0 || last)) {
			/* Cut string: where the next one starts is unknown. */
			e->args_truncated = 1;
			return;
		}
		p += n;
	}
	if (p < end)
		e->args_truncated = 1;
}

SEC("raw_tp/sys_enter")
int kg_exec_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long id = (long)ctx->args[1];
	struct pt_regs *regs;
	struct kg_exec_entry *x, *zero;
	struct task_struct *task;
	__u64 pid_tgid;
	__u32 tid, zkey = 0;

	if (id != KG_NR_EXECVE && id != KG_NR_EXECVEAT)
		return 0;
	if (!kg_current_allowed())
		return 0;

	zero = bpf_map_lookup_elem(&kg_exec_zero, &zkey);
	if (!zero)
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	tid = (__u32)pid_tgid;
	/* BPF_ANY: a stale entry of this tid (an exec whose exit we never saw) is replaced. */
	if (bpf_map_update_elem(&kg_execs, &tid, zero, BPF_ANY) != 0)
		return 0;
	x = bpf_map_lookup_elem(&kg_execs, &tid);
	if (!x)
		return 0;

	regs = (struct pt_regs *)ctx->args[0];
	if (id == KG_NR_EXECVE) {
		x->filename = BPF_CORE_READ(regs, di);
		x->argv = BPF_CORE_READ(regs, si);
	} else {
		x->filename = BPF_CORE_READ(regs, si);
		x->argv = BPF_CORE_READ(regs, dx);
	}

	task = (struct task_struct *)bpf_get_current_task();
	x->ev.cgroup_id = bpf_get_current_cgroup_id();
	x->ev.pid = pid_tgid >> 32;
	x->ev.ppid = BPF_CORE_READ(task, real_parent, tgid);
	x->ev.uid = (__u32)bpf_get_current_uid_gid();
	kg_args_from_user(x);
	return 0;
}

/*
 * Runs inside a successful exec, before sys_exit. Two jobs:
 *  - an exec from a thread other than the leader takes over the leader's tid
 *    (de_thread), so sys_exit sees another tid than sys_enter did: move the entry;
 *  - if sys_enter could not read the strings, take them from the new image.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(kg_exec_rekey, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct kg_exec_entry *x;
	__u32 old_tid, new_tid;

	if (!kg_current_allowed())
		return 0;
	old_tid = old_pid;
	new_tid = (__u32)bpf_get_current_pid_tgid();
	x = bpf_map_lookup_elem(&kg_execs, &old_tid);
	if (!x)
		return 0;
	if (x->incomplete)
		kg_args_from_image(x, p, bprm);
	if (old_tid != new_tid &&
	    bpf_map_update_elem(&kg_execs, &new_tid, x, BPF_ANY) == 0)
		bpf_map_delete_elem(&kg_execs, &old_tid);
	return 0;
}

/* tp_btf: runs on every syscall exit of the host, and with a typed pt_regs the syscall
 * number is a plain load instead of a probe-read helper call. */
SEC("tp_btf/sys_exit")
int BPF_PROG(kg_exec_exit, struct pt_regs *regs, long ret)
{
	long id = regs->orig_ax;
	struct kg_exec_entry *x;
	struct kg_exec_event *out;
	__u64 pid_tgid;
	__u32 key;

	if (id != KG_NR_EXECVE && id != KG_NR_EXECVEAT)
		return 0;
	/* No filter check: only accepted execs have an entry. */
	pid_tgid = bpf_get_current_pid_tgid();
	key = (__u32)pid_tgid;
	x = bpf_map_lookup_elem(&kg_execs, &key);
	if (!x)
		return 0;

	if (targ_failed_only && ret >= 0)
		goto out;
	/* A failed exec still has its old image: the kernel has touched the filename by
	 * now, so a read that failed at sys_enter may work. */
	if (ret < 0 && x->incomplete)
		kg_args_from_user(x);
	x->ev.retval = (__s32)ret;
	x->ev.ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(x->ev.comm, sizeof(x->ev.comm));

	out = kg_event_reserve(sizeof(struct kg_exec_event));
	if (!out)
		goto out;
	bpf_probe_read_kernel(out, sizeof(*out), &x->ev);
	kg_event_submit(out);
out:
	bpf_map_delete_elem(&kg_execs, &key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
