// SPDX-License-Identifier: GPL-2.0
/*
 * sigsnoop: every signal generated, from the signal_generate tracepoint (tp_btf), which runs
 * when the signal is queued: in the sender's context for kill()/tgkill(), in the target's for
 * faults. Traced when either the sender or the target is in the filter, so a pod's SIGTERM from
 * outside shows as well as the signals the pod sends.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

/* Only report signals that were not delivered (ignored, already pending, queue overflow). */
const volatile bool targ_failed = false;
/* Only this signal (0: all). */
const volatile int targ_sig = 0;

SEC("tp_btf/signal_generate")
int BPF_PROG(kg_sig_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
	struct kg_signal_event *e;
	__u64 cgid;

	if (targ_sig && sig != targ_sig)
		return 0;
	if (targ_failed && result == 0)
		return 0;
	if (kg_current_allowed())
		cgid = bpf_get_current_cgroup_id();
	else if (kg_task_allowed(task))
		cgid = kg_task_cgroup_id(task);
	else
		return 0;

	e = kg_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = cgid;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->tpid = BPF_CORE_READ(task, tgid);
	e->sig = sig;
	e->result = result;
	e->code = info && (__u64)info > 2 ? BPF_CORE_READ(info, si_code) : 0;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->tcomm, task, comm);
	kg_event_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
