// SPDX-License-Identifier: GPL-2.0
/*
 * tcpconnect, tcpaccept and tcplife in one object (targ_mode picks which events are emitted),
 * all from the inet_sock_set_state tracepoint (tp_btf; no kprobes). A socket is attributed to
 * the cgroup stored in it by the kernel when its creator made it (sk_cgrp_data, in process
 * context): that holds in softirq too, and accepted sockets inherit the listener's.
 *
 *   connect: CLOSE -> SYN_SENT, in the connect() caller's context (pid, comm = current); the
 *            kernel picks the local port right after, so LPORT is 0 unless bind() chose it
 *   accept:  SYN_RECV -> ESTABLISHED of a passive socket (softirq): pid and comm of the process
 *            that called listen() on that port (recorded at CLOSE -> LISTEN, in its context)
 *   close:   -> CLOSE, with the time since the socket was first seen and the data bytes sent and
 *            received; pid and comm of the connecting process, or of the process that closed it.
 *            Addresses are kept from when it connected: at close the kernel has cleared them.
 */
#define KG_WITH_RINGBUF
#include "vmlinux.h"
#include "gadgets.h"
#include "kgadget.bpf.h"
#include "tcp.bpf.h"

enum { KG_TCP_CONNECT = 0, KG_TCP_ACCEPT = 1, KG_TCP_CLOSE = 2 };

/* 0 tcpconnect, 1 tcpaccept, 2 tcplife */
const volatile int targ_mode = 0;
/* Only this local or remote port (0: all). */
const volatile __u16 targ_port = 0;

struct kg_tcp_birth {
	__u64 ts_ns;
	__u32 pid;
	__u16 lport;
	__u16 rport;
	__u16 family;
	__u8 fin_in;   /* the peer's FIN arrived: bytes_received counts it as one byte */
	__u8 passive;  /* accepted: pid/comm are the listener's until its owner closes it */
	__u8 pad[4];
	__u8 saddr[16];
	__u8 daddr[16];
	char comm[KG_COMM_LEN];
};

/* listening port (and family) -> the process that called listen(): accepted sockets' process */
struct kg_tcp_listener {
	__u32 pid;
	char comm[KG_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);   /* lport | family << 16 */
	__type(value, struct kg_tcp_listener);
} kg_tcp_listeners SEC(".maps");

/* socket -> when it was first seen, and by which process */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct kg_tcp_birth);
} kg_tcp_births SEC(".maps");

/* The socket's addresses while it is connected (at close they are already cleared). */
static __always_inline void kg_read_addrs(struct kg_tcp_birth *b, const struct sock *sk, __u16 family)
{
	b->family = family;
	kg_sock_addrs(sk, family, b->saddr, b->daddr, &b->lport, &b->rport);
}

static __always_inline void kg_emit(const struct kg_tcp_birth *b, __u8 kind, __u64 cgid, __u64 duration_ns,
				    __u64 rx, __u64 tx)
{
	struct kg_tcp_event *e;

	e = kg_event_reserve(sizeof(*e));
	if (!e)
		return;
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = cgid;
	e->duration_ns = duration_ns;
	e->rx_bytes = rx;
	e->tx_bytes = tx;
	e->pid = b->pid;
	e->family = b->family;
	e->lport = b->lport;
	e->rport = b->rport;
	e->kind = kind;
	e->pad8 = 0;
	e->pad32 = 0;
	__builtin_memcpy(e->saddr, b->saddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, b->daddr, sizeof(e->daddr));
	__builtin_memcpy(e->comm, b->comm, sizeof(e->comm));
	kg_event_submit(e);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(kg_tcp_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct kg_tcp_birth *b, birth = {};
	__u64 key = (__u64)sk, cgid, now;
	__u16 family;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP || !kg_sock_traced(sk, &family, &cgid))
		return 0;
	if (filter_tgid && newstate == TCP_SYN_SENT && (__u32)(bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (targ_port && BPF_CORE_READ(sk, __sk_common.skc_num) != targ_port
	    && bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)) != targ_port)
		return 0;

	now = bpf_ktime_get_ns();
	/* a listener starts or stops (an accepted socket's first change is LISTEN -> SYN_RECV: not that) */
	if (newstate == TCP_LISTEN || (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)) {
		__u32 lkey = BPF_CORE_READ(sk, __sk_common.skc_num) | ((__u32)family << 16);
		if (newstate == TCP_LISTEN) {
			struct kg_tcp_listener l = {};
			l.pid = bpf_get_current_pid_tgid() >> 32;
			bpf_get_current_comm(l.comm, sizeof(l.comm));
			bpf_map_update_elem(&kg_tcp_listeners, &lkey, &l, BPF_ANY);
		} else {
			bpf_map_delete_elem(&kg_tcp_listeners, &lkey);
		}
		return 0;
	}
	if (newstate == TCP_SYN_SENT || (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)) {
		bool active = newstate == TCP_SYN_SENT;
		birth.ts_ns = now;
		kg_read_addrs(&birth, sk, family);
		if (active) {
			birth.pid = bpf_get_current_pid_tgid() >> 32;
			bpf_get_current_comm(birth.comm, sizeof(birth.comm));
		} else {
			__u32 lkey = birth.lport | ((__u32)family << 16);
			birth.passive = 1;
			struct kg_tcp_listener *l = bpf_map_lookup_elem(&kg_tcp_listeners, &lkey);
			if (l) {
				birth.pid = l->pid;
				__builtin_memcpy(birth.comm, l->comm, sizeof(birth.comm));
			}
		}
		if (targ_mode == KG_TCP_CONNECT && active)
			kg_emit(&birth, KG_TCP_CONNECT, cgid, 0, 0, 0);
		else if (targ_mode == KG_TCP_ACCEPT && !active)
			kg_emit(&birth, KG_TCP_ACCEPT, cgid, 0, 0, 0);
		if (targ_mode == KG_TCP_CLOSE)
			bpf_map_update_elem(&kg_tcp_births, &key, &birth, BPF_ANY);
		return 0;
	}
	b = bpf_map_lookup_elem(&kg_tcp_births, &key);
	if (!b)
		return 0;
	/* a connect()ing socket learns its local port only after SYN_SENT */
	if (newstate == TCP_ESTABLISHED && b->lport == 0)
		kg_read_addrs(b, sk, family);
	if (newstate == TCP_CLOSE_WAIT || newstate == TCP_CLOSING || (oldstate == TCP_FIN_WAIT2 && newstate == TCP_CLOSE))
		b->fin_in = 1;
	/* the owner closing the socket (close() in its context): an accepted socket's real process,
	 * e.g. a worker the listener forked, rather than the listener's */
	if ((newstate == TCP_FIN_WAIT1 || newstate == TCP_LAST_ACK) && b->passive) {
		b->passive = 0;
		b->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(b->comm, sizeof(b->comm));
	}
	if (newstate == TCP_CLOSE) {
		struct tcp_sock *tp = (struct tcp_sock *)sk;
		__u64 rx = BPF_CORE_READ(tp, bytes_received);
		/* data bytes only: bytes_sent leaves out SYN and FIN; bytes_received counts the peer's FIN */
		kg_emit(b, KG_TCP_CLOSE, cgid, now - b->ts_ns, rx > b->fin_in ? rx - b->fin_in : 0,
			BPF_CORE_READ(tp, bytes_sent));
		bpf_map_delete_elem(&kg_tcp_births, &key);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
