/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccompfilter.c - --enable-seccomp: the system call allow-list
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Once started, the daemon only moves frames between the TAP fd and
 * libslirp's sockets, answers the API socket and reads /etc/resolv.conf.
 * The filter built here allows exactly the calls those paths make, found by
 * running the whole test suite under strace and by reading the code; each
 * entry names the path that needs it.
 *
 * Three outcomes:
 * - allowed: the lists below;
 * - killed (SIGSYS, whole process): calls that only an attacker who took
 *   over the process would make: running programs, debugging others,
 *   changing namespaces or mounts, loading kernel code;
 * - EPERM: everything else, so that an unexpected but harmless call from
 *   a library fails politely instead of taking the network down.
 *
 * Only the native ABI is allowed. On x86_64 the i386 (int 0x80) and x32
 * entry points are reachable from any process; the daemon uses neither, so
 * the filter kills a caller that tries them rather than filtering a second
 * copy of the table (old compat-layer bugs lived exactly there).
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/if_tun.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include <glib.h>
#include <seccomp.h>

#include "config.h"
#include "log.h"
#include "seccompfilter.h"
#include "util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allowed with any arguments: every call the daemon made in the test suite
 * after the filter was loaded (strace -f, tests/test-sandbox.sh plus IPv6,
 * ICMP, UDP, bess, --outbound-addr, every API command and every way out),
 * and the few more that code reading shows. Names the architecture does
 * not have (open on aarch64, fcntl64 on x86_64, ...) are skipped.
 */
/* clang-format off */
static const char *const allow_any[] = {
	/* the main loop (slirp4netns.c): epoll mirror of libslirp's fds,
	 * GLib's poll(); aarch64 and riscv64 only have the p* forms */
	"epoll_wait", "epoll_pwait", "epoll_ctl", "poll", "ppoll",
	/* the epoll set built anew in place of the old (rebuild_set()) */
	"epoll_create1", "dup3",
	/* TAP and bess frames (tap.c), signalfd, --exit-fd, the loop's
	 * eventfd, API replies; writev for the virtio-net header */
	"read", "write", "writev",
	/* libslirp's sockets: guest TCP, UDP and ICMP flows, add_hostfwd,
	 * --outbound-addr; socket() and setsockopt() are below;
	 * getsockopt() only reads (SO_ERROR after a connect, TCP_INFO) */
	"bind", "connect", "listen", "accept", "accept4", "shutdown",
	"getsockopt", "getsockname", "getpeername",
	"sendto", "recvfrom",
	/* libslirp reads ICMP errors of UDP flows (MSG_ERRQUEUE) */
	"recvmsg",
	/* every fd: close, O_NONBLOCK (libslirp, the API's clients) */
	"close", "fcntl", "fcntl64",
	/* libslirp's DNS forwarder: stat() then fopen() of
	 * /etc/resolv.conf (open is below); fclose() may seek */
	"fstat", "fstat64", "stat", "stat64", "newfstatat", "fstatat64",
	"statx", "lseek", "_llseek",
	/* malloc (mmap and mprotect are below) */
	"brk", "munmap", "mremap", "madvise",
	/* GMutex and g_once when contended */
	"futex",
	/* g_get_monotonic_time(), libslirp's clock: vDSO on most
	 * clocksources, a real syscall on the others */
	"clock_gettime", "clock_gettime64", "clock_getres",
	/* a poll() interrupted by SIGSTOP/SIGCONT resumes through
	 * restart_syscall; signal returns; abort() (g_error, assertions)
	 * masks signals and resets SIGABRT before raising it */
	"restart_syscall", "rt_sigreturn", "sigreturn", "rt_sigprocmask",
	"rt_sigaction",
	/* abort() and jansson's fallback seed name the process */
	"getpid", "gettid",
	/* glibc's arc4random and newer jansson seed from it */
	"getrandom",
	/* SIGTERM, SIGINT, --exit-fd, the target's exit */
	"exit_group", "exit",
};

/*
 * Inside the sandbox only: the API socket file (api.c, through the
 * directory fd it keeps) and a bess socket are removed at exit. There a
 * path reaches only the read-only /etc and /run and the directories the
 * daemon holds open; outside, it would reach every file the user may
 * delete, so without --enable-sandbox the files stay behind.
 */
/* clang-format off */
static const char *const allow_sandboxed[] = {
	"unlink", "unlinkat",
	/* the remote forwards' private directory (bridge.c), at exit */
	"rmdir",
};
/* clang-format on */

/*
 * Killed on sight. The allow-list denies them already; killing tells a
 * takeover apart from a harmless surprise and stops an attacker probing.
 */
static const char *const kill_list[] = {
    /* running other code */
    "execve",
    "execveat",
    "fork",
    "vfork",
    "clone",
    "clone3",
    /* other processes */
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    /* namespaces and mounts: the sandbox must stay as built */
    "unshare",
    "setns",
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "chroot",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "open_by_handle_at",
    "name_to_handle_at",
    /* kernel code and kernel state */
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "create_module",
    "iopl",
    "ioperm",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "lookup_dcookie",
    "keyctl",
    "add_key",
    "request_key",
    /* identity and privileges (prctl stays a plain EPERM: newer glibc
	 * names malloc's mappings with it) */
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setgroups",
    "capset",
};
/* clang-format on */

/*
 * add_rule() - add one rule by name. A name libseccomp does not know is
 * skipped; one the native ABI lacks (mmap2 on x86_64) resolves to a
 * negative pseudo number, which libseccomp ignores for the native ABI and
 * translates for the others.
 *
 * Return: 0, or -errno from libseccomp.
 */
static int add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
		    unsigned int n_args, const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rule_add_array(ctx, action, nr, n_args, args);
}

static int add_list(scmp_filter_ctx ctx, uint32_t action,
		    const char *const *names, size_t n, const char **ret_bad)
{
	for (size_t i = 0; i < n; i++) {
		int rc = add_rule(ctx, action, names[i], 0, NULL);

		if (rc < 0) {
			*ret_bad = names[i];
			return rc;
		}
	}
	return 0;
}

/* Flags that make open() write, create or truncate */
#define OPEN_WRITE_FLAGS (O_ACCMODE | O_CREAT | O_TRUNC | O_TMPFILE)

/*
 * struct arg_rule - a call allowed only when one argument matches:
 * (argument & @mask) == @value, or argument == @value if @mask is 0.
 */
struct arg_rule {
	const char *name;
	unsigned int arg;
	uint64_t mask;
	uint64_t value;
};

/*
 * Each condition shuts a door the daemon never uses.
 * - socket(): see socket_rules below.
 * - ioctl(): FIONREAD (libslirp's sorecvoob()), SIOCOUTQ (tcp.c's
 *   window where SO_MEMINFO is missing, before Linux 4.12), SIOCGIFINDEX
 *   (if_nametoindex()), TCGETS (glibc's isatty() when stdout buffers the
 *   summary main() prints after the filter), TUNGETIFF (tap.c probes a
 *   bess peer's socket when it connects). Never TIOCSTI on an inherited
 *   terminal, which types into the parent's shell (CVE-2017-5226).
 * - open(), openat(): read-only (libslirp's fopen() of resolv.conf).
 * - mmap(), mprotect(): memory, but never executable pages, which only
 *   an attacker with a write primitive wants.
 */
/* clang-format off */
static const struct arg_rule arg_rules[] = {
	{ "ioctl", 1, 0, FIONREAD },
	{ "ioctl", 1, 0, SIOCOUTQ },
	{ "ioctl", 1, 0, SIOCGIFINDEX },
	{ "ioctl", 1, 0, TCGETS },
	{ "ioctl", 1, 0, TUNGETIFF },
	{ "openat", 2, OPEN_WRITE_FLAGS, O_RDONLY },
	{ "open", 1, OPEN_WRITE_FLAGS, O_RDONLY },
	{ "mmap", 2, PROT_EXEC, 0 },
	{ "mmap2", 2, PROT_EXEC, 0 },
	{ "mprotect", 2, PROT_EXEC, 0 },
};
/* clang-format on */

/*
 * socket(): only the families, types and protocols of the host sockets
 * libslirp opens for guest flows and forwards (and glibc's
 * if_nametoindex(), for a "nameserver fe80::1%eth0" line: it tries
 * AF_UNIX first and takes AF_INET when that is refused). AF_UNIX only
 * where remote forwards may exist (@unix_streams), and stream only:
 * a daemon taken over could otherwise reach other programs' sockets (the
 * session bus, podman.sock; issue 15), which the sandbox then keeps out
 * of its view. Its other UNIX sockets, the API's and bess's, exist before
 * the filter. No raw sockets, netlink, packet,
 * AF_ALG, SCTP, MPTCP or L2TP: kernel attack surface the daemon never
 * needs. SOCK_NONBLOCK and SOCK_CLOEXEC may be or'ed into the type.
 */
struct socket_rule {
	int family, type, protocol;
};

/* clang-format off */
static const struct socket_rule socket_rules[] = {
	/* TCP: guest connections (tcp_fconnect), forwards (tcp_listen) */
	{ AF_INET, SOCK_STREAM, 0 }, { AF_INET, SOCK_STREAM, IPPROTO_TCP },
	{ AF_INET6, SOCK_STREAM, 0 }, { AF_INET6, SOCK_STREAM, IPPROTO_TCP },
	/* UDP: guest datagrams (udp_attach), forwards (udp_listen) */
	{ AF_INET, SOCK_DGRAM, 0 }, { AF_INET, SOCK_DGRAM, IPPROTO_UDP },
	{ AF_INET6, SOCK_DGRAM, 0 }, { AF_INET6, SOCK_DGRAM, IPPROTO_UDP },
	/* ICMP echo from the guest, through unprivileged ping sockets
	 * (icmp_send; libslirp falls back to UDP when refused) */
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6 },
};
/* clang-format on */

/*
 * setsockopt(): the options set after start-up, one line each with who
 * sets it, found by reading libslirp 4.7 and by strace over the test
 * suite. Adding one (a TCP path of our own, say) is one more line. Every
 * other option is refused with EPERM: TCP_ULP (kTLS), SO_ATTACH_FILTER,
 * SO_ATTACH_BPF and their like reach deep into the kernel.
 */
struct sockopt_rule {
	int level, name;
};

/* clang-format off */
static const struct sockopt_rule sockopt_rules[] = {
	/* libslirp: every listening and UDP socket
	 * (slirp_socket_set_fast_reuse) */
	{ SOL_SOCKET, SO_REUSEADDR },
	/* libslirp: TCP urgent data inline (tcp_fconnect, tcp_listen) */
	{ SOL_SOCKET, SO_OOBINLINE },
	/* libslirp: connections to and from the host
	 * (slirp_socket_set_nodelay) */
	{ IPPROTO_TCP, TCP_NODELAY },
	/* libslirp: forwards on IPv6 leave IPv4 to their twin
	 * (SLIRP_HOSTFWD_V6ONLY, slirp_socket_set_v6only) */
	{ IPPROTO_IPV6, IPV6_V6ONLY },
	/* libslirp: ICMP errors of UDP flows back to the guest */
	{ IPPROTO_IP, IP_RECVERR },
	{ IPPROTO_IPV6, IPV6_RECVERR },
	/* libslirp: the guest's TTL or hop limit on UDP and ICMP flows
	 * (udp_output, sosendto), so that traceroute works */
	{ IPPROTO_IP, IP_TTL },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS },
	/* tcp.c: the read position of data peeked for the guest; refused,
	 * each peek would copy again all the guest has not acknowledged */
	{ SOL_SOCKET, SO_PEEK_OFF },
	/* tcp.c: a reset from the guest resets the host peer */
	{ SOL_SOCKET, SO_LINGER },
	/* tcp.c: a larger send buffer than the kernel's own growth */
	{ SOL_SOCKET, SO_SNDBUF },
};
/* clang-format on */

/* one rule allowing @name with the @n comparisons of @cmp */
static int add_cmp_rule(scmp_filter_ctx ctx, const char *name, unsigned int n,
			const struct scmp_arg_cmp *cmp, const char **ret_bad)
{
	int rc = add_rule(ctx, SCMP_ACT_ALLOW, name, n, cmp);

	if (rc < 0)
		*ret_bad = name;
	return rc;
}

/* the two tables above, and with @unix_streams AF_UNIX stream sockets */
static int add_socket_rules(scmp_filter_ctx ctx, bool unix_streams,
			    const char **ret_bad)
{
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(socket_rules) && rc == 0; i++) {
		const struct socket_rule *r = &socket_rules[i];
		struct scmp_arg_cmp cmp[3] = {
		    {.arg = 0,
		     .op = SCMP_CMP_EQ,
		     .datum_a = (uint64_t)r->family},
		    {.arg = 1,
		     .op = SCMP_CMP_MASKED_EQ,
		     .datum_a = ~(uint64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC) &
				0xffffffffu,
		     .datum_b = (uint64_t)r->type},
		    {.arg = 2,
		     .op = SCMP_CMP_EQ,
		     .datum_a = (uint64_t)r->protocol},
		};

		rc = add_cmp_rule(ctx, "socket", 3, cmp, ret_bad);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sockopt_rules) && rc == 0; i++) {
		const struct sockopt_rule *r = &sockopt_rules[i];
		struct scmp_arg_cmp cmp[2] = {
		    {.arg = 1,
		     .op = SCMP_CMP_EQ,
		     .datum_a = (uint64_t)r->level},
		    {.arg = 2, .op = SCMP_CMP_EQ, .datum_a = (uint64_t)r->name},
		};

		rc = add_cmp_rule(ctx, "setsockopt", 2, cmp, ret_bad);
	}
	if (unix_streams && rc == 0) {
		struct scmp_arg_cmp cmp[2] = {
		    {.arg = 0, .op = SCMP_CMP_EQ, .datum_a = AF_UNIX},
		    {.arg = 1,
		     .op = SCMP_CMP_MASKED_EQ,
		     .datum_a = ~(uint64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC) &
				0xffffffffu,
		     .datum_b = SOCK_STREAM},
		};

		rc = add_cmp_rule(ctx, "socket", 2, cmp, ret_bad);
	}
	return rc;
}

/*
 * add_target_probe() - kill(@target, 0) and nothing else of kill(): where
 * pidfd_open() does not exist (kernels before 5.3), the loop
 * (slirp4netns.c, on_target_poll()) notices the target's exit that way,
 * once a second.
 *
 * Return: 0, or -errno; *@ret_bad names the call that failed.
 */
static int add_target_probe(scmp_filter_ctx ctx, pid_t target,
			    const char **ret_bad)
{
	const struct scmp_arg_cmp cmp[2] = {
	    {.arg = 0, .op = SCMP_CMP_EQ, .datum_a = (uint64_t)target},
	    {.arg = 1, .op = SCMP_CMP_EQ, .datum_a = 0},
	};
	int rc = add_rule(ctx, SCMP_ACT_ALLOW, "kill", 2, cmp);

	if (rc < 0)
		*ret_bad = "kill";
	return rc;
}

/*
 * add_arg_rules() - the table above, tgkill() aimed at ourselves only
 * (abort(), for g_error and assertions, raises SIGABRT that way), and
 * kill(@target, 0) if @target is not 0.
 *
 * Return: 0, or -errno; *@ret_bad names the call that failed.
 */
static int add_arg_rules(scmp_filter_ctx ctx, pid_t self, pid_t target,
			 const char **ret_bad)
{
	struct scmp_arg_cmp cmp;
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(arg_rules); i++) {
		const struct arg_rule *r = &arg_rules[i];

		/* spelt out: SCMP_CMP() leaves datum_b to the compiler */
		cmp = (struct scmp_arg_cmp){
		    .arg = r->arg,
		    .op = r->mask ? SCMP_CMP_MASKED_EQ : SCMP_CMP_EQ,
		    .datum_a = r->mask ? r->mask : r->value,
		    .datum_b = r->mask ? r->value : 0,
		};
		rc = add_rule(ctx, SCMP_ACT_ALLOW, r->name, 1, &cmp);
		if (rc < 0) {
			*ret_bad = r->name;
			return rc;
		}
	}
	cmp = (struct scmp_arg_cmp){
	    .arg = 0,
	    .op = SCMP_CMP_EQ,
	    .datum_a = (uint64_t)self,
	    .datum_b = 0,
	};
	rc = add_rule(ctx, SCMP_ACT_ALLOW, "tgkill", 1, &cmp);
	if (rc < 0) {
		*ret_bad = "tgkill";
		return rc;
	}
	return target > 0 ? add_target_probe(ctx, target, ret_bad) : 0;
}

#ifdef S4N_SANITIZERS
/*
 * ASan and UBSan, --enable-sanitizers builds only, as seen under strace:
 * sigaltstack() before a noreturn call (__asan_handle_no_return), and
 * readlink() when a report names the modules of a stack trace.
 * LeakSanitizer needs clone(), ptrace() and /proc at exit, which the
 * filter and the sandbox take away for good: run these builds with
 * ASAN_OPTIONS=detect_leaks=0 when a test enables either option.
 */
static const char *const allow_sanitizers[] = {
    "sigaltstack",
    "readlink",
    "readlinkat",
};
#endif

/* The kill action the kernel understands: whole process since Linux 4.14 */
static uint32_t kill_action(void)
{
	if (seccomp_api_get() >= 3)
		return SCMP_ACT_KILL_PROCESS;
	return SCMP_ACT_KILL;
}

int filter_build(uint32_t arch, pid_t self, pid_t target, bool sandboxed,
		 bool unix_streams, scmp_filter_ctx *ret_ctx,
		 const char **ret_bad)
{
	uint32_t kill = kill_action();
	scmp_filter_ctx ctx;
	int rc;

	*ret_bad = "seccomp_init";
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -ENOMEM;
	if (arch != SCMP_ARCH_NATIVE) {
		/* tests: the same rules for another ABI, still numbered as
		 * native calls (libseccomp translates them by name) */
		*ret_bad = "seccomp_arch_add";
		rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (rc == 0)
			rc = seccomp_arch_add(ctx, arch);
		if (rc < 0)
			goto err;
	}
	/* A foreign ABI (i386 or x32 on x86_64) is an attacker's trick */
	*ret_bad = "SCMP_FLTATR_ACT_BADARCH";
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kill);
	if (rc < 0)
		goto err;
	/* a thread a library started (GLib's worker, once
	 * g_unix_signal_add() ran) must be filtered too */
	*ret_bad = "SCMP_FLTATR_CTL_TSYNC";
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (rc < 0)
		goto err;
	/* the kernel's errno instead of libseccomp's ECANCELED (2.5+) */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);

	rc = add_list(ctx, SCMP_ACT_ALLOW, allow_any, ARRAY_SIZE(allow_any),
		      ret_bad);
	if (rc < 0)
		goto err;
#ifdef S4N_SANITIZERS
	rc = add_list(ctx, SCMP_ACT_ALLOW, allow_sanitizers,
		      ARRAY_SIZE(allow_sanitizers), ret_bad);
	if (rc < 0)
		goto err;
#endif
	rc = add_arg_rules(ctx, self, target, ret_bad);
	if (rc == 0)
		rc = add_socket_rules(ctx, unix_streams, ret_bad);
	if (rc < 0)
		goto err;
	if (sandboxed) {
		rc = add_list(ctx, SCMP_ACT_ALLOW, allow_sandboxed,
			      ARRAY_SIZE(allow_sandboxed), ret_bad);
		if (rc < 0)
			goto err;
	}
	rc = add_list(ctx, kill, kill_list, ARRAY_SIZE(kill_list), ret_bad);
	if (rc < 0)
		goto err;
	*ret_ctx = ctx;
	return 0;
err:
	seccomp_release(ctx);
	return rc;
}

/* the program filter_prepare() built, until filter_install() loads it */
static struct sock_fprog prepared;

static void free_program(void)
{
	util_unmap(prepared.filter, prepared.len * sizeof(struct sock_filter));
	prepared.filter = NULL;
	prepared.len = 0;
}

/* read the program a child exported to @fd */
static int read_program(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	ssize_t n;

	if (size <= 0 || size % sizeof(struct sock_filter) ||
	    size / sizeof(struct sock_filter) > USHRT_MAX)
		return -EINVAL;
	/* freed just before the daemon idles: out of the heap, where its
	 * few KiB would keep a page dirty for good */
	prepared.len = (unsigned short)(size / sizeof(struct sock_filter));
	prepared.filter = util_map((size_t)size);
	n = pread(fd, prepared.filter, (size_t)size, 0);
	if (n != (ssize_t)size) {
		free_program();
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/* in a child: build the filter and export it to @fd */
static int build_and_export(int fd, pid_t self, pid_t target, bool sandboxed,
			    bool unix_streams)
{
	scmp_filter_ctx ctx;
	const char *what;
	int rc;

	rc = filter_build(SCMP_ARCH_NATIVE, self, target, sandboxed,
			  unix_streams, &ctx, &what);
	if (rc < 0) {
		log_error("--enable-seccomp: cannot build the filter (%s): %s",
			  what, strerror(-rc));
		return 1;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		log_error("--enable-seccomp: cannot export the filter: %s",
			  strerror(-rc));
		return 1;
	}
	return 0;
}

int filter_prepare(bool sandboxed, pid_t target, bool unix_streams)
{
	_cleanup_close_ int fd = -1;
	pid_t self = getpid(), pid;
	int status, rc;

	/* Without CONFIG_SECCOMP the prctl itself is unknown */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		log_error("--enable-seccomp: this kernel does not support "
			  "seccomp");
		return -1;
	}
	/* libseccomp needs some 100 KiB of heap to compile the rules and
	 * leaves the pages dirty: a child does it, and hands the program
	 * (a few KiB) over in a memfd (libseccomp 2.5 exports to fds only) */
	fd = memfd_create("seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		log_error("--enable-seccomp: memfd_create: %s",
			  strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_error("--enable-seccomp: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		_exit(build_and_export(fd, self, target, sandboxed,
				       unix_streams));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (!WIFEXITED(status))
			log_error("--enable-seccomp: building the filter "
				  "failed");
		return -1; /* the child said why */
	}
	rc = read_program(fd);
	if (rc < 0) {
		log_error("--enable-seccomp: cannot read the filter: %s",
			  strerror(-rc));
		return -1;
	}
	return 0;
}

int filter_install(void)
{
	long rc;

	if (!prepared.filter) {
		log_error("--enable-seccomp: no filter was prepared");
		return -1;
	}
	/* what seccomp_load() does with the attributes set above: no new
	 * privileges, and every thread filtered */
	rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (rc == 0)
		rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_TSYNC, &prepared);
	free_program();
	if (rc != 0) {
		/* a positive value names a thread that could not follow */
		log_error("--enable-seccomp: cannot load the filter: %s",
			  rc < 0 ? strerror(errno) : "a thread refused it");
		return -1;
	}
	return 0;
}
