/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-seccomp.c - the --enable-seccomp filter, loaded in forked children
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Each case forks; the child loads the filter and makes one kind of call
 * with harmless arguments, so that an allowed call fails with EBADF or
 * EFAULT, a denied one with EPERM, and a forbidden one kills the child
 * with SIGSYS. The parent prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <seccomp.h>

#include "sandbox.h"
#include "seccompfilter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Child exit codes */
#define CHILD_OK 0
#define CHILD_WRONG 1	  /* the call did not behave as expected */
#define CHILD_NO_FILTER 2 /* filter_prepare() or filter_install() failed */

static int test_no;
static int failures;
static pid_t child_pid;	 /* in the child, read before the filter */
static pid_t target_pid; /* a process the daemon would watch */
static int err_pipe[2];	 /* stderr of children that log */

static void report(bool ok, const char *name)
{
	test_no++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", test_no, name);
	fflush(stdout);
}

/* load the daemon's filter, as main() does without the sandbox,
 * watching target_pid: capabilities dropped first */
static int load_filter(void)
{
	if (filter_prepare(false, target_pid, false) < 0 ||
	    sandbox_drop_caps("--enable-seccomp") < 0)
		return -1;
	return filter_install();
}

/*
 * run_child() - fork, run @fn in the child with the filter loaded.
 * @ret_sig:	the signal that ended the child, or 0
 *
 * Return: the child's exit code, or -1 if a signal ended it.
 */
static int run_child(int (*fn)(void), bool load, int *ret_sig)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(99);
	}
	if (pid == 0) {
		child_pid = (pid_t)syscall(SYS_getpid);
		if (load && load_filter() < 0)
			_exit(CHILD_NO_FILTER);
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		exit(99);
	}
	*ret_sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool child_exits(int (*fn)(void), int code)
{
	int sig;

	return run_child(fn, true, &sig) == code;
}

static bool child_killed(int (*fn)(void))
{
	int sig;

	return run_child(fn, true, &sig) < 0 && sig == SIGSYS;
}

/* expect() - the call returned -1 with @err */
static int expect(long rc, int err)
{
	return rc == -1 && errno == err ? CHILD_OK : CHILD_WRONG;
}

/* --- allowed ------------------------------------------------------------ */

static int do_getpid(void)
{
	return syscall(SYS_getpid) == child_pid ? CHILD_OK : CHILD_WRONG;
}

static int do_close_bad(void)
{
	return expect(close(-1), EBADF);
}

static int do_socket_inet(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return CHILD_WRONG;
	close(fd);
	return CHILD_OK;
}

static int do_socket_inet6_stream(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			IPPROTO_TCP);

	if (fd < 0)
		return CHILD_WRONG;
	close(fd);
	return CHILD_OK;
}

static int do_setsockopt_reuseaddr_bad(void)
{
	int one = 1;

	return expect(
	    setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), EBADF);
}

static int do_setsockopt_nodelay_bad(void)
{
	int one = 1;

	return expect(
	    setsockopt(-1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), EBADF);
}

static int do_setsockopt_peek_off_bad(void)
{
	int off = 0;

	return expect(
	    setsockopt(-1, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)), EBADF);
}

static int do_setsockopt_linger_bad(void)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};

	return expect(setsockopt(-1, SOL_SOCKET, SO_LINGER, &l, sizeof(l)),
		      EBADF);
}

static int do_setsockopt_sndbuf_bad(void)
{
	int size = 1 << 22;

	return expect(
	    setsockopt(-1, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), EBADF);
}

/* as root without the sandbox, main() dropped capabilities:
 * CapEff holds CAP_NET_BIND_SERVICE (bit 10) at most */
static int do_caps_dropped(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long eff = ~0ULL;

	if (!f)
		return CHILD_WRONG;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff & ~(1ULL << 10)) == 0 ? CHILD_OK : CHILD_WRONG;
}

static int do_open_readonly(void)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	/* a missing file is fine too: the filter let the call through */
	if (fd < 0 && errno == EPERM)
		return CHILD_WRONG;
	if (fd >= 0)
		close(fd);
	return CHILD_OK;
}

static int do_ioctl_fionread_bad(void)
{
	int n;

	return expect(ioctl(-1, FIONREAD, &n), EBADF);
}

/* tcp.c's window without SO_MEMINFO (before Linux 4.12) */
static int do_ioctl_siocoutq_bad(void)
{
	int n;

	return expect(ioctl(-1, SIOCOUTQ, &n), EBADF);
}

static int do_mmap_rw(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return CHILD_WRONG;
	return munmap(p, 4096) == 0 ? CHILD_OK : CHILD_WRONG;
}

static int do_tgkill_self(void)
{
	/* signal 0: only the permission check, as abort() would pass */
	return syscall(SYS_tgkill, getpid(), gettid(), 0) == 0 ? CHILD_OK
							       : CHILD_WRONG;
}

static int do_malloc(void)
{
	/* large enough for mmap, then small ones for brk */
	char *big = malloc(1 << 20), *small = malloc(64);
	int ok = big && small;

	if (ok) {
		memset(big, 1, 1 << 20);
		memset(small, 1, 64);
	}
	free(big);
	free(small);
	return ok ? CHILD_OK : CHILD_WRONG;
}

/* --- denied with EPERM ---------------------------------------------------- */

static int do_uname(void)
{
	struct utsname u;

	return expect(uname(&u), EPERM);
}

static int do_socket_netlink(void)
{
	return expect(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0), EPERM);
}

static int do_socket_packet(void)
{
	return expect(socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), EPERM);
}

/* issue 15: other programs' sockets under /run */
static int do_socket_unix(void)
{
	return expect(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), EPERM);
}

static int do_socket_raw(void)
{
	return expect(socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP),
		      EPERM);
}

static int do_socket_sctp(void)
{
	return expect(socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), EPERM);
}

static int do_socketpair(void)
{
	int sv[2];

	return expect(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EPERM);
}

static int do_setsockopt_ulp(void)
{
	return expect(setsockopt(-1, IPPROTO_TCP, TCP_ULP, "tls", 3), EPERM);
}

static int do_setsockopt_filter(void)
{
	return expect(setsockopt(-1, SOL_SOCKET, SO_ATTACH_FILTER, NULL, 0),
		      EPERM);
}

/* with remote forwards possible: UNIX stream sockets, nothing else */
static int do_unix_wanted(void)
{
	int fd;

	if (filter_prepare(false, 0, true) < 0 || filter_install() < 0)
		return CHILD_NO_FILTER;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CHILD_WRONG;
	close(fd);
	return expect(socket(AF_UNIX, SOCK_DGRAM, 0), EPERM);
}

static int do_ioctl_tiocsti(void)
{
	char c = 'x';

	/* fd -1: had the filter let it through, EBADF */
	return expect(ioctl(-1, TIOCSTI, &c), EPERM);
}

static int do_open_write(void)
{
	return expect(open("/nonexistent/x", O_WRONLY | O_CLOEXEC), EPERM);
}

static int do_open_creat(void)
{
	return expect(
	    open("/nonexistent/x", O_RDONLY | O_CREAT | O_CLOEXEC, 0600),
	    EPERM);
}

static int do_mmap_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED && errno == EPERM ? CHILD_OK : CHILD_WRONG;
}

static int do_mprotect_exec(void)
{
	void *p =
	    mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return CHILD_WRONG;
	return expect(mprotect(p, 4096, PROT_READ | PROT_EXEC), EPERM);
}

static int do_kill_other(void)
{
	/* signal 0 to the parent: only a permission check */
	return expect(kill(getppid(), 0), EPERM);
}

/* where pidfd_open() is missing, the loop looks for its target's exit
 * with kill(PID, 0) (issue 16) */
static int do_kill_target_probe(void)
{
	return kill(target_pid, 0) == 0 ? CHILD_OK : CHILD_WRONG;
}

static int do_kill_target_signal(void)
{
	return expect(kill(target_pid, SIGCONT), EPERM);
}

static int do_tgkill_other(void)
{
	return expect(syscall(SYS_tgkill, getppid(), getppid(), 0), EPERM);
}

static int do_unlink(void)
{
	return expect(unlink("/nonexistent/x"), EPERM);
}

/* In the sandbox the filter lets the socket files be removed at exit */
static int do_unlink_sandboxed(void)
{
	scmp_filter_ctx ctx;
	const char *bad;

	if (filter_build(SCMP_ARCH_NATIVE, getpid(), 0, true, false, &ctx,
			 &bad) < 0 ||
	    seccomp_load(ctx) < 0)
		return CHILD_NO_FILTER;
	seccomp_release(ctx);
	return expect(unlink("/nonexistent/x"), ENOENT);
}

/* --- killed ------------------------------------------------------------- */

static int do_unshare(void)
{
	(void)unshare(0);
	return CHILD_WRONG;
}

static int do_setns(void)
{
	(void)setns(-1, 0);
	return CHILD_WRONG;
}

static int do_execve(void)
{
	char *const argv[] = {NULL};

	(void)execve("/nonexistent", argv, argv);
	return CHILD_WRONG;
}

static int do_ptrace(void)
{
	(void)syscall(SYS_ptrace, -1L, 0L, 0L, 0L);
	return CHILD_WRONG;
}

static int do_mount(void)
{
	(void)syscall(SYS_mount, NULL, NULL, NULL, 0L, NULL);
	return CHILD_WRONG;
}

static int do_bpf(void)
{
	(void)syscall(SYS_bpf, -1L, NULL, 0L);
	return CHILD_WRONG;
}

static int do_clone(void)
{
	/* fork() is clone() in glibc */
	if (fork() == 0)
		_exit(0);
	return CHILD_WRONG;
}

#if defined(__x86_64__)
/* i386 getpid (20) through int 0x80: another ABI, never ours */
static int do_int80(void)
{
	long rc;

	/* a kernel without IA32 emulation answers with SIGSEGV: let it
	 * kill, as it does outside ASan, whose handler would exit instead */
	signal(SIGSEGV, SIG_DFL);
	__asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "memory");
	(void)rc;
	return CHILD_WRONG;
}

/* x32 getpid: the x86_64 number with bit 30 set */
static int do_x32(void)
{
	(void)syscall(0x40000000L | SYS_getpid);
	return CHILD_WRONG;
}
#endif

/* --- threads: TSYNC puts the filter on a thread started before ----------- */

static int thread_result = CHILD_WRONG;
static pthread_barrier_t barrier;

static void *thread_fn(void *arg)
{
	struct utsname u;

	(void)arg;
	pthread_barrier_wait(&barrier); /* running: load the filter */
	pthread_barrier_wait(&barrier); /* filter loaded by main thread */
	thread_result = expect(uname(&u), EPERM);
	return NULL;
}

static int do_thread(void)
{
	pthread_t t;

	pthread_barrier_init(&barrier, NULL, 2);
	if (pthread_create(&t, NULL, thread_fn, NULL))
		return CHILD_NO_FILTER;
	pthread_barrier_wait(&barrier);
	if (load_filter() < 0)
		return CHILD_NO_FILTER;
	pthread_barrier_wait(&barrier);
	pthread_join(t, NULL);
	return thread_result;
}

/* --- sandbox_enter() refuses to run with a second thread ------------------ */

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* Needs no privilege: the thread check comes before anything changes */
static int do_sandbox_threads(void)
{
	struct s4n_opts opts = {.target_type = S4N_TARGET_BESS};
	pthread_t t;

	if (pthread_create(&t, NULL, sleeper, NULL))
		return CHILD_NO_FILTER;
	if (dup2(err_pipe[1], STDERR_FILENO) < 0)
		return CHILD_WRONG;
	return sandbox_enter(&opts) == -1 ? CHILD_OK : CHILD_WRONG;
}

/* run_logging() - run @fn in a child whose stderr we read */
static int run_logging(int (*fn)(void), char *buf, size_t len)
{
	ssize_t n;
	int sig, code;

	if (pipe(err_pipe) < 0) {
		perror("pipe");
		exit(99);
	}
	code = run_child(fn, false, &sig);
	close(err_pipe[1]);
	n = read(err_pipe[0], buf, len - 1);
	close(err_pipe[0]);
	buf[n > 0 ? n : 0] = '\0';
	return code;
}

static bool one_line(const char *buf)
{
	return buf[0] && strchr(buf, '\n') == buf + strlen(buf) - 1;
}

static void test_sandbox_threads(void)
{
	char buf[512];
	int code = run_logging(do_sandbox_threads, buf, sizeof(buf));

	report(code == CHILD_OK && strstr(buf, "threads are running") &&
		   one_line(buf),
	       "sandbox_enter() refuses a second thread, in one line");
}

/* --- a kernel without seccomp -------------------------------------------- */

/*
 * Pretend the kernel lacks seccomp: a first filter makes
 * prctl(PR_GET_SECCOMP) fail with EINVAL, as it does without
 * CONFIG_SECCOMP. filter_prepare() must then refuse with one line.
 */
static int do_no_seccomp(void)
{
	const struct scmp_arg_cmp get = {
	    .arg = 0,
	    .op = SCMP_CMP_EQ,
	    .datum_a = PR_GET_SECCOMP,
	    .datum_b = 0,
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx ||
	    seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl),
				   1, &get) < 0 ||
	    seccomp_load(ctx) < 0)
		return CHILD_WRONG;
	seccomp_release(ctx);
	if (dup2(err_pipe[1], STDERR_FILENO) < 0)
		return CHILD_WRONG;
	return filter_prepare(false, 0, false) == -1 ? CHILD_OK : CHILD_WRONG;
}

static void test_no_seccomp(void)
{
	char buf[512];
	int code = run_logging(do_no_seccomp, buf, sizeof(buf));

	report(code == CHILD_OK, "no seccomp in the kernel: install fails");
	report(strstr(buf, "does not support seccomp") && one_line(buf),
	       "no seccomp in the kernel: exactly one clear line");
}

/* --- every architecture --------------------------------------------------- */

static const char *const arch_names[] = {
    "x86",	   "x86_64", "x32",	 "arm",	   "aarch64",  "loongarch64",
    "m68k",	   "mips",   "mipsel",	 "mips64", "mipsel64", "mips64n32",
    "mipsel64n32", "parisc", "parisc64", "ppc",	   "ppc64",    "ppc64le",
    "riscv64",	   "s390",   "s390x",	 "sh",	   "sheb",
};

/* The same rules build and compile to BPF for each ABI libseccomp knows */
static void test_arches(void)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++) {
		uint32_t arch = seccomp_arch_resolve_name(arch_names[i]);
		scmp_filter_ctx ctx;
		const char *bad;
		char name[96];
		int rc;

		if (arch == 0)
			continue; /* older libseccomp */
		rc = filter_build(arch, 1, 1, true, false, &ctx, &bad);
		if (rc == 0) {
			rc = seccomp_export_bpf(ctx, null);
			seccomp_release(ctx);
		}
		snprintf(name, sizeof(name), "filter builds for %s",
			 arch_names[i]);
		report(rc == 0, name);
		if (rc)
			printf("# %s: %s: %s\n", arch_names[i], bad,
			       strerror(-rc));
	}
	close(null);
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} allowed[] =
	    {
		{"allowed: getpid", do_getpid},
		{"allowed: close(-1) fails with EBADF", do_close_bad},
		{"allowed: socket(AF_INET)", do_socket_inet},
		{"allowed: socket(AF_INET6, SOCK_STREAM | flags, IPPROTO_TCP)",
		 do_socket_inet6_stream},
		{"allowed: setsockopt(SO_REUSEADDR) on -1 fails with EBADF",
		 do_setsockopt_reuseaddr_bad},
		{"allowed: setsockopt(TCP_NODELAY) on -1 fails with EBADF",
		 do_setsockopt_nodelay_bad},
		{"allowed: setsockopt(SO_PEEK_OFF) on -1 fails with EBADF",
		 do_setsockopt_peek_off_bad},
		{"allowed: setsockopt(SO_LINGER) on -1 fails with EBADF",
		 do_setsockopt_linger_bad},
		{"allowed: setsockopt(SO_SNDBUF) on -1 fails with EBADF",
		 do_setsockopt_sndbuf_bad},
		{"allowed: open read-only", do_open_readonly},
		{"allowed: ioctl(FIONREAD) on -1 fails with EBADF",
		 do_ioctl_fionread_bad},
		{"allowed: ioctl(SIOCOUTQ) on -1 fails with EBADF",
		 do_ioctl_siocoutq_bad},
		{"allowed: mmap read-write", do_mmap_rw},
		{"allowed: tgkill(self, 0)", do_tgkill_self},
		{"allowed: kill(target, 0)", do_kill_target_probe},
		{"allowed: malloc and free", do_malloc},
	    },
	  denied[] =
	      {
		  {"denied with EPERM: uname", do_uname},
		  {"denied with EPERM: socket(AF_NETLINK)", do_socket_netlink},
		  {"denied with EPERM: socket(AF_PACKET)", do_socket_packet},
		  {"denied with EPERM: socket(AF_UNIX)", do_socket_unix},
		  {"denied with EPERM: socket(AF_INET, SOCK_RAW)",
		   do_socket_raw},
		  {"denied with EPERM: socket(IPPROTO_SCTP)", do_socket_sctp},
		  {"denied with EPERM: socketpair(AF_UNIX)", do_socketpair},
		  {"denied with EPERM: setsockopt(TCP_ULP)", do_setsockopt_ulp},
		  {"denied with EPERM: setsockopt(SO_ATTACH_FILTER)",
		   do_setsockopt_filter},
		  {"denied with EPERM: ioctl(TIOCSTI)", do_ioctl_tiocsti},
		  {"denied with EPERM: open for writing", do_open_write},
		  {"denied with EPERM: open with O_CREAT", do_open_creat},
		  {"denied with EPERM: mmap(PROT_EXEC)", do_mmap_exec},
		  {"denied with EPERM: mprotect(PROT_EXEC)", do_mprotect_exec},
		  {"denied with EPERM: kill(parent, 0)", do_kill_other},
		  {"denied with EPERM: kill(target, SIGCONT)",
		   do_kill_target_signal},
		  {"denied with EPERM: tgkill(parent, 0)", do_tgkill_other},
		  {"denied with EPERM: unlink", do_unlink},
	      },
	  killed[] = {
		  {"killed: unshare(0)", do_unshare},
		  {"killed: setns(-1, 0)", do_setns},
		  {"killed: execve", do_execve},
		  {"killed: ptrace", do_ptrace},
		  {"killed: mount", do_mount},
		  {"killed: bpf", do_bpf},
		  {"killed: fork", do_clone},
#if defined(__x86_64__)
		  {"killed: i386 syscall through int 0x80", do_int80},
		  {"killed: x32 syscall", do_x32},
#endif
	  };
	size_t n_arches = 0;
	int sig;

	/* the target process a daemon would watch: it waits to be killed */
	target_pid = fork();
	if (target_pid < 0) {
		perror("fork");
		return 99;
	}
	if (target_pid == 0) {
		pause();
		_exit(0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
		n_arches += seccomp_arch_resolve_name(arch_names[i]) != 0;
	printf("1..%zu\n", ARRAY_SIZE(allowed) + ARRAY_SIZE(denied) +
			       ARRAY_SIZE(killed) + n_arches + 9);

	/* Without the filter the "denied" calls must succeed, or the
	 * EPERM below would prove nothing. */
	report(run_child(do_uname, false, &sig) == CHILD_WRONG,
	       "without the filter uname succeeds");

	for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
		report(child_exits(allowed[i].fn, CHILD_OK), allowed[i].name);
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++)
		report(child_exits(denied[i].fn, CHILD_OK), denied[i].name);
	for (size_t i = 0; i < ARRAY_SIZE(killed); i++) {
#if defined(__x86_64__)
		/* a kernel without IA32 emulation (ia32_emulation=0, or
		 * built without it) kills int 0x80 itself, with SIGSEGV:
		 * there is no ABI left for the filter to shut */
		if (killed[i].fn == do_int80 &&
		    run_child(do_int80, false, &sig) < 0) {
			printf("ok %d # SKIP %s: the kernel kills it without "
			       "the filter (signal %d)\n",
			       ++test_no, killed[i].name, sig);
			continue;
		}
#endif
		report(child_killed(killed[i].fn), killed[i].name);
	}

	if (geteuid() == 0)
		report(child_exits(do_caps_dropped, CHILD_OK),
		       "as root, only CAP_NET_BIND_SERVICE stays effective");
	else
		printf("ok %d # SKIP not root: no capabilities to drop\n",
		       ++test_no);
	report(run_child(do_unix_wanted, false, &sig) == CHILD_OK,
	       "unix_streams: AF_UNIX stream allowed, datagram denied");
	report(run_child(do_unlink_sandboxed, false, &sig) == CHILD_OK,
	       "sandboxed filter: unlink allowed (ENOENT)");
	report(run_child(do_thread, false, &sig) == CHILD_OK,
	       "a thread started before the filter is filtered too");
	report(run_child(do_getpid, false, &sig) == CHILD_OK &&
		   prctl(PR_GET_SECCOMP) == 0,
	       "the parent is not filtered");
	test_no_seccomp();
	test_sandbox_threads();
	test_arches();
	kill(target_pid, SIGKILL);
	waitpid(target_pid, NULL, 0);
	return failures ? 1 : 0;
}
