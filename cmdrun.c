/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmdrun.c - "slirp4netns [OPTION]... -- COMMAND": a command in a network
 * of its own
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * pasta's "pasta -- CMD" in slirp4netns's terms. The stages:
 *  1. the supervisor (the process the user started) blocks the signals it
 *     forwards and forks the command's process;
 *  2. that child unshares a user and a network namespace and waits;
 *  3. the supervisor maps the caller to root in it, with the subordinate
 *     ranges of /etc/subuid and /etc/subgid through newuidmap(1) and
 *     newgidmap(1) when they allow it, else the caller's ids alone (as
 *     root: every id, unchanged);
 *  4. it forks the daemon, which goes on as "slirp4netns -c PID": it
 *     joins the namespaces, configures tap0 and reports ready on a pipe;
 *  5. then the command is told to run: it execs COMMAND, with the
 *     supervisor's stdin, stdout and stderr;
 *  6. the supervisor forwards the signals it gets to the command and,
 *     when the command ends, waits for the daemon (which sees its target
 *     exit) and exits with the command's status, or 128+signal.
 * The daemon runs in a process group of its own, so that ^C reaches the
 * command (and the supervisor, which leaves signals the terminal sent to
 * the command alone) but not the network under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmdrun.h"
#include "log.h"
#include "util.h"

/* How long the daemon may take to go once the command ended */
#define DAEMON_EXIT_TIMEOUT_S 5

static const int forwarded[] = {SIGTERM, SIGINT,  SIGHUP,
				SIGQUIT, SIGUSR1, SIGUSR2};

/* The command's process: stages 2 and 5 */
static void __attribute__((noreturn))
command_main(const struct s4n_opts *opts, const sigset_t *oldmask, int up,
	     int go)
{
	char c;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		die("-- COMMAND: cannot create a user and network namespace: "
		    "%s",
		    strerror(errno));
	(void)util_write_all(up, "1", 1);
	close(up);
	if (read(go, &c, 1) != 1)
		_exit(1); /* the supervisor gave up and said why */
	close(go);
	if (opts->ready_fd >= 0)
		close(opts->ready_fd);
	if (opts->exit_fd >= 0)
		close(opts->exit_fd);
	for (size_t i = 0; i < G_N_ELEMENTS(forwarded); i++)
		signal(forwarded[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	execvp(opts->command[0], opts->command);
	die("-- COMMAND \"%s\": %s", opts->command[0], strerror(errno));
}

/* subids() - the first range of @file ("name:start:count") for our user */
static bool subids(const char *file, const char *name, unsigned long id,
		   unsigned long *ret_start, unsigned long *ret_count)
{
	FILE *f = fopen(file, "re");
	char line[256], idstr[32];
	bool found = false;

	if (!f)
		return false;
	snprintf(idstr, sizeof(idstr), "%lu", id);
	while (!found && fgets(line, sizeof(line), f)) {
		char *who = strtok(line, ":"), *a = strtok(NULL, ":"),
		     *b = strtok(NULL, ":\n");

		if (!who || !a || !b ||
		    (strcmp(who, idstr) && (!name || strcmp(who, name))))
			continue;
		*ret_start = strtoul(a, NULL, 10);
		*ret_count = strtoul(b, NULL, 10);
		found = *ret_count > 0;
	}
	fclose(f);
	return found;
}

/* run_map() - newuidmap/newgidmap PID 0 ID 1 1 START COUNT */
static bool run_map(const char *tool, pid_t pid, unsigned long id,
		    unsigned long start, unsigned long count)
{
	char a[5][32];
	int status;
	pid_t p;

	snprintf(a[0], 32, "%d", (int)pid);
	snprintf(a[1], 32, "%lu", id);
	snprintf(a[2], 32, "%lu", start);
	snprintf(a[3], 32, "%lu", count);
	p = fork();
	if (p < 0)
		return false;
	if (p == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		execlp(tool, tool, a[0], "0", a[1], "1", "1", a[2], a[3],
		       (char *)NULL);
		_exit(127);
	}
	while (waitpid(p, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* map_ids() - stage 3. Return: 0, or -1 after logging */
static int map_ids(pid_t pid)
{
	unsigned long uid = getuid(), gid = getgid(), start, count;
	struct passwd *pw = getpwuid((uid_t)uid);
	const char *name = pw ? pw->pw_name : NULL;
	char buf[64];
	bool umap = false, gmap = false;
	int rc;

	if (geteuid() == 0) {
		if (write_proc(pid, "uid_map", "0 0 4294967295") == 0 &&
		    write_proc(pid, "gid_map", "0 0 4294967295") == 0)
			return 0;
		log_error("-- COMMAND: cannot map the ids of the user "
			  "namespace: %s",
			  strerror(errno));
		return -1;
	}
	if (subids("/etc/subuid", name, uid, &start, &count))
		umap = run_map("newuidmap", pid, uid, start, count);
	if (subids("/etc/subgid", name, uid, &start, &count))
		gmap = run_map("newgidmap", pid, gid, start, count);
	if (!umap) {
		snprintf(buf, sizeof(buf), "0 %lu 1", uid);
		rc = write_proc(pid, "uid_map", buf);
		if (rc < 0)
			goto fail;
	}
	if (!gmap) {
		/* a single mapped gid needs setgroups denied (user_namespaces(7)) */
		snprintf(buf, sizeof(buf), "0 %lu 1", gid);
		rc = write_proc(pid, "setgroups", "deny");
		if (rc == 0)
			rc = write_proc(pid, "gid_map", buf);
		if (rc < 0)
			goto fail;
	}
	log_debug("-- COMMAND: ids mapped (%s uids, %s gids)",
		  umap ? "subordinate" : "own", gmap ? "subordinate" : "own");
	return 0;
fail:
	log_error("-- COMMAND: cannot map the ids of the user namespace: %s",
		  strerror(-rc));
	return -1;
}

/* reap() - wait for @pid; Return: a shell's idea of its status */
static int reap(pid_t pid, int flags)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, flags);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* wait_daemon() - the command is gone, so the daemon goes too: give it a
 * moment to clean up (API socket), then insist */
static void wait_daemon(pid_t daemon)
{
	for (int i = 0; i < DAEMON_EXIT_TIMEOUT_S * 10; i++) {
		if (reap(daemon, WNOHANG) >= 0)
			return;
		usleep(100 * 1000);
	}
	kill(daemon, SIGKILL);
	(void)reap(daemon, 0);
}

/* supervise() - stage 6. Return: the exit status */
static int supervise(const sigset_t *set, pid_t cmd, pid_t daemon)
{
	siginfo_t si;
	int status = -1;

	while (status < 0) {
		if (sigwaitinfo(set, &si) < 0)
			continue;
		if (si.si_signo == SIGCHLD) {
			status = reap(cmd, WNOHANG);
			continue;
		}
		/* the terminal sent it to the whole group: the command has
		 * it already */
		if (si.si_code == SI_KERNEL)
			continue;
		kill(cmd, si.si_signo);
	}
	wait_daemon(daemon);
	return status;
}

static void kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	(void)reap(pid, 0);
}

static char target_buf[16];

int cmdrun_start(struct s4n_opts *opts)
{
	int up[2], go[2], ready[2], user_ready = opts->ready_fd, status;
	sigset_t set, old;
	pid_t cmd, daemon;
	char c;

	sigemptyset(&set);
	for (size_t i = 0; i < G_N_ELEMENTS(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 ||
	    pipe2(ready, O_CLOEXEC) < 0)
		die("-- COMMAND: cannot create a pipe: %s", strerror(errno));
	cmd = fork();
	if (cmd < 0)
		die("-- COMMAND: cannot fork: %s", strerror(errno));
	if (cmd == 0) {
		close(up[0]);
		close(go[1]);
		close(ready[0]);
		close(ready[1]);
		command_main(opts, &old, up[1], go[0]);
	}
	close(up[1]);
	close(go[0]);
	if (read(up[0], &c, 1) != 1) {
		(void)reap(cmd, 0); /* it said why */
		exit(1);
	}
	close(up[0]);
	if (map_ids(cmd) < 0) {
		kill_reap(cmd);
		exit(1);
	}
	daemon = fork();
	if (daemon < 0) {
		log_error("-- COMMAND: cannot fork: %s", strerror(errno));
		kill_reap(cmd);
		exit(1);
	}
	if (daemon == 0) {
		/* stage 4: on as "slirp4netns -c PID", ready on our pipe */
		close(go[1]);
		close(ready[0]);
		if (user_ready >= 0)
			close(user_ready);
		(void)setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		snprintf(target_buf, sizeof(target_buf), "%d", (int)cmd);
		opts->target = target_buf;
		opts->target_pid = cmd;
		opts->netns_type = S4N_NETNS_PID;
		opts->ready_fd = ready[1];
		if (!opts->debug) {
			opts->quiet = true; /* stdout is the command's */
			log_set_quiet(true);
		}
		return 0;
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		/* the daemon failed, and said why */
		kill_reap(cmd);
		(void)reap(daemon, 0);
		exit(1);
	}
	close(ready[0]);
	if (user_ready >= 0) {
		(void)util_write_all(user_ready, "1", 1);
		close(user_ready);
	}
	(void)util_write_all(go[1], "1", 1);
	close(go[1]);
	status = supervise(&set, cmd, daemon);
	exit(status);
}
