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
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <seccomp.h>

#include "log.h"
#include "seccompfilter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allowed with any arguments. Names the running architecture does not have
 * (open on aarch64, epoll_wait on riscv64, ...) are skipped.
 */
static const char *const allow_any[] = {
	/* GLib main loop and the epoll mirror of libslirp's fds (slirp4netns.c) */
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl",
	"poll", "ppoll",
	/* GWakeup of the main context; the loop reads and writes its eventfd */
	"read", "write", "readv", "writev",
	/* GMutex, GCond, g_once: futex when contended (GLib's worker thread) */
	"futex",
	/* g_get_monotonic_time(), libslirp's clock callback; the vDSO answers
	 * most of these without a syscall, but not on every clocksource */
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	/* signals: g_unix_signal_add() handlers, interrupted syscalls */
	"rt_sigreturn", "restart_syscall", "rt_sigprocmask", "rt_sigaction",
	"sigreturn",
	/* malloc, GSlice, libslirp's mbufs */
	"brk", "munmap", "mremap", "madvise",
	/* libslirp sockets: guest TCP/UDP/ICMP, hostfwd, --outbound-addr
	 * (socket() itself is below, with its domain checked) */
	"bind", "connect", "listen", "accept", "accept4",
	"setsockopt", "getsockopt", "getsockname", "getpeername",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown",
	/* API socket (api.c): accept4, recv, send, close; all fds */
	"close", "fcntl", "fcntl64",
	/* libslirp's DNS forwarder: stat() and fopen() of /etc/resolv.conf
	 * (open/openat are below, read-only) */
	"fstat", "fstat64", "newfstatat", "fstatat64", "stat", "stat64",
	"statx", "lseek", "_llseek",
	/* GLib hash tables and libslirp's random ports and ISNs */
	"getrandom",
	/* logging, g_get_*() */
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	/* exit paths: SIGTERM, --exit-fd, fatal errors */
	"exit", "exit_group",
	/* sched_yield: GLib spin locks and g_thread_yield() */
	"sched_yield",
	"nanosleep", "clock_nanosleep",
};

/*
 * Killed on sight. Allow-listing already denies them; killing tells a
 * compromised process apart from a harmless surprise, and stops an
 * attacker from probing.
 */
static const char *const kill_list[] = {
	/* running other code */
	"execve", "execveat", "fork", "vfork", "clone", "clone3",
	/* other processes' memory */
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
	"pidfd_getfd",
	/* namespaces and mounts: the sandbox must stay as built */
	"unshare", "setns", "mount", "umount", "umount2", "pivot_root",
	"chroot", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
	"fspick", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
	/* kernel code and state */
	"bpf", "perf_event_open", "userfaultfd", "kexec_load",
	"kexec_file_load", "init_module", "finit_module", "delete_module",
	"create_module", "iopl", "ioperm", "reboot", "swapon", "swapoff",
	"acct", "quotactl", "lookup_dcookie", "keyctl", "add_key",
	"request_key",
	/* identity and privileges (prctl stays a plain EPERM: newer glibc
	 * names malloc's mappings with it) */
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"setgroups", "capset",
};

/*
 * add_rule() - add one rule by name; a name the architecture does not
 * know (or knows only as a multiplexed pseudo call) is skipped.
 *
 * Return: 0, or -errno from libseccomp.
 */
static int add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
		    unsigned int n_args, const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr < 0)
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

/* add_values() - allow @name when argument @arg equals one of @values */
static int add_values(scmp_filter_ctx ctx, const char *name,
		      unsigned int arg, const uint64_t *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scmp_arg_cmp cmp = SCMP_CMP(arg, SCMP_CMP_EQ, values[i]);
		int rc = add_rule(ctx, SCMP_ACT_ALLOW, name, 1, &cmp);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* add_masked() - allow @name when (argument @arg & @mask) == @value */
static int add_masked(scmp_filter_ctx ctx, const char *name,
		      unsigned int arg, uint64_t mask, uint64_t value)
{
	struct scmp_arg_cmp cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask,
					   value);

	return add_rule(ctx, SCMP_ACT_ALLOW, name, 1, &cmp);
}

/*
 * add_conditional() - calls allowed only with some arguments. Each
 * condition shuts a door the daemon never uses.
 *
 * Return: 0, or -errno; *@ret_bad names the call that failed.
 */
static int add_conditional(scmp_filter_ctx ctx, pid_t self,
			   const char **ret_bad)
{
	/*
	 * socket(): libslirp opens AF_INET and AF_INET6 sockets; glibc's
	 * if_nametoindex() opens an AF_UNIX datagram socket for a
	 * "nameserver fe80::1%eth0" line. Netlink, packet, AF_ALG and the
	 * other families are kernel attack surface the daemon never needs.
	 */
	static const uint64_t domains[] = { AF_INET, AF_INET6, AF_UNIX };
	/*
	 * ioctl(): FIONREAD (libslirp sorecvoob), FIONBIO (libslirp's
	 * slirp_set_nonblock fallback), SIOCGIFINDEX (if_nametoindex()).
	 * No terminal ioctl: TIOCSTI on an inherited tty would let the
	 * process type commands into its parent's shell (CVE-2017-5226).
	 */
	static const uint64_t ioctls[] = { FIONREAD, FIONBIO, SIOCGIFINDEX };
	/* open()/openat(): read-only, never creating; libslirp's fopen() of
	 * /etc/resolv.conf */
	const uint64_t open_mask = O_ACCMODE | O_CREAT | O_TRUNC | O_TMPFILE;
	int rc;

	*ret_bad = "socket";
	rc = add_values(ctx, "socket", 0, domains, ARRAY_SIZE(domains));
	if (rc < 0)
		return rc;
	*ret_bad = "ioctl";
	rc = add_values(ctx, "ioctl", 1, ioctls, ARRAY_SIZE(ioctls));
	if (rc < 0)
		return rc;
	*ret_bad = "openat";
	rc = add_masked(ctx, "openat", 2, open_mask, O_RDONLY);
	if (rc < 0)
		return rc;
	*ret_bad = "open";
	rc = add_masked(ctx, "open", 1, open_mask, O_RDONLY);
	if (rc < 0)
		return rc;
	/* mmap()/mprotect(): malloc and GLib need memory, never new
	 * executable pages; an attacker with a write primitive does. */
	*ret_bad = "mmap";
	rc = add_masked(ctx, "mmap", 2, PROT_EXEC, 0);
	if (rc < 0)
		return rc;
	rc = add_masked(ctx, "mmap2", 2, PROT_EXEC, 0);
	if (rc < 0)
		return rc;
	*ret_bad = "mprotect";
	rc = add_masked(ctx, "mprotect", 2, PROT_EXEC, 0);
	if (rc < 0)
		return rc;
	/* abort() (g_error, assertions) raises SIGABRT on itself; signals to
	 * any other process stay denied. */
	*ret_bad = "tgkill";
	rc = add_values(ctx, "tgkill", 0, (const uint64_t[]){ (uint64_t)self },
			1);
	if (rc < 0)
		return rc;
	*ret_bad = "kill";
	return add_values(ctx, "kill", 0, (const uint64_t[]){ (uint64_t)self },
			  1);
}

#ifdef S4N_SANITIZERS
/*
 * ASan and UBSan, --enable-sanitizers builds only: stack and shadow set-up
 * of new memory, and the report written when they find a bug.
 */
static const char *const allow_sanitizers[] = {
	"sigaltstack", "prlimit64", "getrlimit", "setrlimit",
	"sched_getaffinity", "readlink", "readlinkat", "getdents64",
	"pread64", "wait4", "sched_getparam",
};
#endif

/* The kill action the kernel understands: whole process since Linux 4.14 */
static uint32_t kill_action(void)
{
	if (seccomp_api_get() >= 3)
		return SCMP_ACT_KILL_PROCESS;
	return SCMP_ACT_KILL;
}

int seccomp_filter_build(uint32_t arch, pid_t self, scmp_filter_ctx *ret_ctx,
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
	/* GLib's worker thread must be filtered too */
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
	rc = add_conditional(ctx, self, ret_bad);
	if (rc < 0)
		goto err;
	rc = add_list(ctx, kill, kill_list, ARRAY_SIZE(kill_list), ret_bad);
	if (rc < 0)
		goto err;
	*ret_ctx = ctx;
	return 0;
err:
	seccomp_release(ctx);
	return rc;
}

int seccomp_install(void)
{
	scmp_filter_ctx ctx;
	const char *what;
	int rc;

	/* Without CONFIG_SECCOMP the prctl itself is unknown */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		log_error("--enable-seccomp: this kernel does not support "
			  "seccomp");
		return -1;
	}
	rc = seccomp_filter_build(SCMP_ARCH_NATIVE, getpid(), &ctx, &what);
	if (rc < 0) {
		log_error("--enable-seccomp: cannot build the filter (%s): %s",
			  what, strerror(-rc));
		return -1;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		log_error("--enable-seccomp: cannot load the filter: %s",
			  strerror(-rc));
		return -1;
	}
	return 0;
}
