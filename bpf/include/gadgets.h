/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records the gadgets hand to user space. Every layout here is decoded byte by byte in
 * node-daemon/.../gadgets/<Gadget>Decoder.java; fields are ordered so that no implicit padding
 * exists (asserted below), which keeps the Java side free of guesswork.
 */
#ifndef KGADGET_GADGETS_H
#define KGADGET_GADGETS_H

#define KG_COMM_LEN 16
#define KG_PATH_MAX 256
#define KG_ARG_MAX 128          /* bytes kept per exec argument */
#define KG_ARGS_MAX 20          /* exec arguments kept, including the filename */
#define KG_ARGS_BUF (KG_ARG_MAX * KG_ARGS_MAX)

/* execsnoop: one per execve/execveat return (successful or not). */
struct kg_exec_event {
	__u64 ts_ns;          /* 0   bpf_ktime_get_ns() at syscall exit (CLOCK_MONOTONIC) */
	__u64 cgroup_id;      /* 8   */
	__u32 pid;            /* 16  tgid */
	__u32 ppid;           /* 20  real_parent->tgid */
	__u32 uid;            /* 24  */
	__s32 retval;         /* 28  0 or -errno */
	__u32 args_count;     /* 32  NUL-terminated strings in args: filename, argv[1..] */
	__u32 args_size;      /* 36  bytes used in args */
	__u32 args_truncated; /* 40  1 when argv had more than KG_ARGS_MAX entries */
	__u32 pad;            /* 44  */
	char comm[KG_COMM_LEN];   /* 48 comm of the new image (or the caller, on failure) */
	char args[KG_ARGS_BUF];   /* 64 */
};

/* opensnoop: one per open/openat/openat2 return. */
struct kg_open_event {
	__u64 ts_ns;          /* 0   */
	__u64 cgroup_id;      /* 8   */
	__u32 pid;            /* 16  tgid */
	__u32 tid;            /* 20  */
	__u32 uid;            /* 24  */
	__s32 ret;            /* 28  fd, or -errno */
	__u64 flags;          /* 32  open flags (openat2: open_how.flags) */
	__u32 mode;           /* 40  */
	__u32 syscall_nr;     /* 44  2 open, 257 openat, 437 openat2 */
	char comm[KG_COMM_LEN];  /* 48 */
	char path[KG_PATH_MAX];  /* 64 */
};

/* syscount: key and value of the kg_counts map. */
/* x86_64 syscall numbers are below this (the highest is in the 460s). */
#define KG_MAX_SYSCALLS 512

struct kg_syscall_key {
	__u32 tgid;           /* 0 unless per-process */
	__u32 nr;             /* syscall number (x86_64) */
};

struct kg_syscall_stat {
	__u64 count;
	__u64 total_ns;       /* 0 unless latency is measured */
};

/* bench: the ringbuf throughput producer. */
struct kg_bench_event {
	__u64 seq;
	__u64 ts_ns;
	__u32 cpu;
	__u32 batch;
	__u64 payload;
};

/* sigsnoop: one per signal generated (sent or raised by the kernel). */
struct kg_signal_event {
	__u64 ts_ns;          /* 0   */
	__u64 cgroup_id;      /* 8   the sender's, or the target's when only the target is traced */
	__u32 pid;            /* 16  sender tgid (current) */
	__u32 tpid;           /* 20  target tgid */
	__s32 sig;            /* 24  */
	__s32 result;         /* 28  TRACE_SIGNAL_*: 0 delivered, 1 ignored, 2 already pending, 3 overflow, 4 lose info */
	__s32 code;           /* 32  si_code: 0 SI_USER (kill), -6 SI_TKILL, 128 SI_KERNEL, >0 kernel faults */
	__u32 pad;            /* 36  */
	char comm[KG_COMM_LEN];   /* 40 sender */
	char tcomm[KG_COMM_LEN];  /* 56 target */
};

/* tcpconnect / tcpaccept / tcplife: one per connect, accept or close of a TCP socket. */
struct kg_tcp_event {
	__u64 ts_ns;          /* 0   */
	__u64 cgroup_id;      /* 8   the socket's cgroup (its creator's, inherited by accepted sockets) */
	__u64 duration_ns;    /* 16  close: since the socket was first seen */
	__u64 rx_bytes;       /* 24  close: tcp_sock.bytes_received */
	__u64 tx_bytes;       /* 32  close: tcp_sock.bytes_acked */
	__u32 pid;            /* 40  the process that connected, accepted or closed (0 when unknown) */
	__u16 family;         /* 44  AF_INET 2 / AF_INET6 10 */
	__u16 lport;          /* 46  host order */
	__u16 rport;          /* 48  host order */
	__u8 kind;            /* 50  0 connect, 1 accept, 2 close, 3 retransmit */
	__u8 pad8;            /* 51  retransmit: the socket's TCP state */
	__u32 pad32;          /* 52  */
	__u8 saddr[16];       /* 56  local address (IPv4 in the first 4 bytes) */
	__u8 daddr[16];       /* 72  remote address */
	char comm[KG_COMM_LEN];  /* 88 */
};

/* oomkill: one per OOM victim. */
struct kg_oom_event {
	__u64 ts_ns;          /* 0   */
	__u64 cgroup_id;      /* 8   the victim's */
	__u64 total_vm;       /* 16  victim's mm->total_vm, pages */
	__u64 rss_pages;      /* 24  victim's resident pages (file + anon + shmem) */
	__u32 pid;            /* 32  victim tgid */
	__u32 trigger_pid;    /* 36  the task whose allocation hit the limit (current) */
	__u32 uid;            /* 40  */
	__u32 pad;            /* 44  */
	char comm[KG_COMM_LEN];   /* 48 victim */
	char tcomm[KG_COMM_LEN];  /* 64 trigger */
};

/* profile / offcputime: key of kg_stack_counts (value: __u64 samples or blocked ns). */
#define KG_STACK_DEPTH 127
struct kg_stack_key {
	__u32 tgid;           /* 0  */
	__s32 kstack_id;      /* 4  kernel stack in kg_stacks, or < 0 when there is none */
	__s32 ustack_id;      /* 8  user stack in kg_stacks, or < 0 */
	__u32 pad;            /* 12 */
	char comm[KG_COMM_LEN];  /* 16 */
};

#ifndef __cplusplus
_Static_assert(sizeof(struct kg_stack_key) == 32, "stack key layout");
_Static_assert(sizeof(struct kg_signal_event) == 72, "signal event layout");
_Static_assert(sizeof(struct kg_tcp_event) == 104, "tcp event layout");
_Static_assert(sizeof(struct kg_oom_event) == 80, "oom event layout");
_Static_assert(sizeof(struct kg_exec_event) == 64 + KG_ARGS_BUF, "exec event layout");
_Static_assert(sizeof(struct kg_open_event) == 64 + KG_PATH_MAX, "open event layout");
_Static_assert(sizeof(struct kg_syscall_key) == 8, "syscall key layout");
_Static_assert(sizeof(struct kg_syscall_stat) == 16, "syscall stat layout");
_Static_assert(sizeof(struct kg_bench_event) == 32, "bench event layout");
#endif

#endif /* KGADGET_GADGETS_H */
