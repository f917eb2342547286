// SPDX-License-Identifier: GPL-2.0
/*
 * tcpretrans: every TCP retransmission, from the tcp_retransmit_skb tracepoint (tp_btf). It
 * fires in softirq or timer context, where current is unrelated: the socket is attributed to
 * the cgroup the kernel stored in it when its owner created it (sk_cgrp_data, set in process
 * context), so the filter still picks the pod's sockets.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"
#include "tcp.bpf.h"

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(kg_tcp_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	struct kg_tcp_event *e;
	__u64 cgid;
	__u16 family;

	if (!kg_sock_traced(sk, &family, &cgid))
		return 0;
	e = kg_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = cgid;
	e->family = family;
	e->kind = 3;
	e->pad8 = BPF_CORE_READ(sk, __sk_common.skc_state);
	kg_sock_addrs(sk, family, e->saddr, e->daddr, &e->lport, &e->rport);
	kg_event_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
