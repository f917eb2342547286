// SPDX-License-Identifier: GPL-2.0
/*
 * oomkill: every OOM kill, from the mark_victim tracepoint (tp_btf), filtered on the victim's
 * cgroup. current is the task whose allocation ran out (for a cgroup limit, often the victim).
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"

static __always_inline __u64 kg_rss_pages(struct mm_struct *mm)
{
	/* MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES: percpu counters whose .count is the folded sum */
	__u64 sum = 0;
	for (int i = 0; i < 3; i++) {
		long v = BPF_CORE_READ(mm, rss_stat[i].count);
		if (v > 0)
			sum += v;
	}
	return sum;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(kg_oom_victim, struct task_struct *tsk, uid_t uid)
{
	struct kg_oom_event *e;
	struct mm_struct *mm;

	if (!kg_task_allowed(tsk))
		return 0;
	e = kg_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	mm = BPF_CORE_READ(tsk, mm);
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = kg_task_cgroup_id(tsk);
	e->total_vm = mm ? BPF_CORE_READ(mm, total_vm) : 0;
	e->rss_pages = mm ? kg_rss_pages(mm) : 0;
	e->pid = BPF_CORE_READ(tsk, tgid);
	e->trigger_pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = uid;
	e->pad = 0;
	BPF_CORE_READ_STR_INTO(&e->comm, tsk, comm);
	bpf_get_current_comm(e->tcomm, sizeof(e->tcomm));
	kg_event_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
