/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* TCP gadgets: a socket's cgroup and addresses. */
#ifndef KGADGET_TCP_BPF_H
#define KGADGET_TCP_BPF_H

#include <bpf/bpf_endian.h>

#define KG_AF_INET 2
#define KG_AF_INET6 10

/* The cgroup the kernel stored in the socket when its creator made it (process context). */
static __always_inline __u64 kg_sock_cgroup_id(const struct sock *sk)
{
	return BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
}

/* An IPv4/IPv6 socket of a traced cgroup: its family and cgroup; false for any other socket. */
static __always_inline bool kg_sock_traced(const struct sock *sk, __u16 *family, __u64 *cgid)
{
	*family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (*family != KG_AF_INET && *family != KG_AF_INET6)
		return false;
	*cgid = kg_sock_cgroup_id(sk);
	return kg_cgroup_allowed(*cgid);
}

/* Local and remote address (IPv4: the first 4 bytes) and ports (host order). */
static __always_inline void kg_sock_addrs(const struct sock *sk, __u16 family, __u8 *saddr, __u8 *daddr,
					  __u16 *lport, __u16 *rport)
{
	*lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == KG_AF_INET) {
		bpf_core_read(saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

#endif
