/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sandbox.c - --enable-sandbox: a private root holding /etc and resolv.conf
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Once the TAP fd, the API socket and libslirp exist, the daemon needs no
 * file but /etc/resolv.conf (read by libslirp for each DNS forward), so
 * sandbox_enter() takes the rest of the file system away, in this order:
 *
 * 1. check that the process is single-threaded and that /etc/resolv.conf
 *    will still be reachable from a root holding only /etc and /run;
 * 2. unprivileged: join the user namespace of the target (where we own
 *    every capability) so that we may create a mount namespace; as root,
 *    stay where we are (slirp4netns(1));
 * 3. unshare the mount namespace and make every mount private, so that
 *    nothing below propagates back to the host (Podman issue 4113);
 * 4. mount a small tmpfs, bind /etc into it read-only, and of /run only
 *    what /etc/resolv.conf leads to: the links of its symlink chain that
 *    lie in /run, recreated, and the file at its end, bound read-only.
 *    Then pivot_root into it and detach the old root: the daemon's / now
 *    lists etc and run only, and the tmpfs itself is read-only.
 *    /run holds other programs' sockets (the session bus, podman.sock,
 *    docker.sock), which a daemon taken over could talk to (issue 15);
 * 5. drop every capability but CAP_NET_BIND_SERVICE (permitted, effective,
 *    inheritable, bounding and ambient sets), and set no_new_privs.
 *
 * Step 5 also runs after a user namespace join: there we hold every
 * capability over the container's namespaces, which the daemon no longer
 * needs and an attacker would love.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include <glib.h>
#include <sys/capability.h>

#include "log.h"
#include "rfwd.h"
#include "util.h"
#include "sandbox.h"

#define RESOLV_CONF "/etc/resolv.conf"

/* sandbox_want_fwd_dir(): the new root gets SANDBOX_FWD_DIR */
static bool want_fwd_dir;

void sandbox_want_fwd_dir(void)
{
	want_fwd_dir = true;
}

/*
 * mount_fwd_dir() - a tmpfs for the remote forwards' sockets in the new
 * root, the only writable place in it: bridge.c binds a socket there for
 * each forward added after start-up. Inodes bound it: bridge.c holds at
 * most RFWD_MAX forwards, each one socket file at a time.
 *
 * Return: 0, or -1 after logging.
 */
static int mount_fwd_dir(const char *base)
{
	char dst[PATH_MAX];

	if (!want_fwd_dir)
		return 0;
	snprintf(dst, sizeof(dst), "%s%s", base, SANDBOX_FWD_DIR);
	if (mkdir(dst, 0700) < 0 ||
	    mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0700,size=16k,nr_inodes=512") < 0) {
		log_error("--enable-sandbox: cannot mount a tmpfs on %s: %s",
			  dst, strerror(errno));
		return -1;
	}
	return 0;
}

/* Mount points we may cover with the new root's tmpfs; any will do, since
 * the cover is only seen inside our private mount namespace. */
static const char *const base_dirs[] = {"/tmp", "/mnt", "/dev"};

/* The host directories the sandbox keeps whole, as slirp4netns(1) states */
static const char *const kept_dirs[] = {"etc"};

/* where resolv.conf may lead besides /etc: only its files are kept */
#define RUN_DIR "/run"

/* links followed from /etc/resolv.conf, as the kernel's limit */
#define MAX_HOPS 40

/*
 * check_single_thread() - unshare(CLONE_NEWNS) and setns(CLONE_NEWUSER)
 * refuse a process with several threads, and capabilities are per thread:
 * catch a caller that started GLib's worker thread too early.
 *
 * Return: 0, or -1 after logging.
 */
static int check_single_thread(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0; /* no /proc: unshare() will tell */
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	if (n > 1) {
		log_error("--enable-sandbox: %d threads are running; the "
			  "sandbox must be entered before any thread starts",
			  n);
		return -1;
	}
	return 0;
}

static bool in_run(const char *path)
{
	return !strncmp(path, RUN_DIR "/", strlen(RUN_DIR) + 1);
}

static bool in_kept_dir(const char *path)
{
	if (in_run(path))
		return true;
	for (size_t i = 0; i < sizeof(kept_dirs) / sizeof(kept_dirs[0]); i++) {
		size_t len = strlen(kept_dirs[i]);

		if (path[0] == '/' && !strncmp(path + 1, kept_dirs[i], len) &&
		    path[len + 1] == '/')
			return true;
	}
	return false;
}

/*
 * check_resolv_conf() - libslirp opens /etc/resolv.conf at each DNS
 * forward. Refuse a symlink that leads outside /etc and /run: DNS would
 * silently break inside the sandbox (slirp4netns(1) requires this).
 * Resolved before pivoting, while the whole host is still visible.
 * @ret_exists:	the file exists now, so must exist inside too
 *
 * Return: 0, or -1 after logging.
 */
static int check_resolv_conf(bool *ret_exists)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	*ret_exists = stat(RESOLV_CONF, &st) == 0;
	if (lstat(RESOLV_CONF, &st) < 0 || !S_ISLNK(st.st_mode))
		return 0; /* missing, or a plain file: nothing to follow */
	if (!realpath(RESOLV_CONF, target)) {
		/* dangling: name what the link says */
		n = readlink(RESOLV_CONF, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
	}
	if (in_kept_dir(target))
		return 0;
	log_error("--enable-sandbox: " RESOLV_CONF " is a symlink to \"%s\", "
		  "outside /etc and /run, so DNS would fail in the sandbox",
		  target);
	return -1;
}

/*
 * open_target_userns() - the user namespace to join when unprivileged.
 * --userns-path wins. A PID target names its own; a netns path names its
 * owner (NS_GET_USERNS). A TAP fd or bess socket names none.
 * @name:	filled with what to name in an error message
 * @ret_fd:	the namespace, or -1 when there is none to join
 *
 * Return: 0, or -errno.
 */
static int open_target_userns(const struct s4n_opts *opts, char *name,
			      size_t name_len, int *ret_fd)
{
	_cleanup_close_ int netns = -1;
	int fd = -1;

	if (opts->userns_path) {
		snprintf(name, name_len, "%s", opts->userns_path);
		fd = open(opts->userns_path, O_RDONLY | O_CLOEXEC);
	} else if (opts->target_type != S4N_TARGET_NETNS ||
		   opts->netns_type == S4N_NETNS_TAPFD) {
		*ret_fd = -1;
		return 0;
	} else if (opts->netns_type == S4N_NETNS_PID) {
		snprintf(name, name_len, "/proc/%d/ns/user",
			 (int)opts->target_pid);
		fd = open(name, O_RDONLY | O_CLOEXEC);
	} else {
		snprintf(name, name_len, "%s", opts->target);
		netns = open(opts->target, O_RDONLY | O_CLOEXEC);
		if (netns < 0)
			return -errno;
		/* the kernel opens it with O_CLOEXEC */
		fd = ioctl(netns, NS_GET_USERNS);
	}
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return util_write_all(fd, text, strlen(text));
}

/*
 * new_userns() - nothing to join: create a user namespace of our own,
 * mapping only our own ids, to gain CAP_SYS_ADMIN over a new mount
 * namespace. Same reach on the host as before: none.
 *
 * Return: 0, or -errno.
 */
static int new_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int rc;

	if (unshare(CLONE_NEWUSER) < 0)
		return -errno;
	/* an unprivileged gid_map needs setgroups denied (user_namespaces(7)) */
	rc = write_file("/proc/self/setgroups", "deny");
	if (rc < 0 && rc != -ENOENT)
		return rc;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)uid,
		 (unsigned int)uid);
	rc = write_file("/proc/self/uid_map", map);
	if (rc < 0)
		return rc;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)gid,
		 (unsigned int)gid);
	return write_file("/proc/self/gid_map", map);
}

/*
 * enter_userns() - unprivileged only: become able to build the sandbox.
 *
 * Return: 0, or -1 after logging.
 */
static int enter_userns(const struct s4n_opts *opts)
{
	char name[PATH_MAX] = "";
	int fd = -1, rc;

	rc = open_target_userns(opts, name, sizeof(name), &fd);
	if (rc < 0) {
		log_error("--enable-sandbox: cannot open the user namespace of "
			  "\"%s\": %s",
			  name, strerror(-rc));
		return -1;
	}
	if (fd >= 0 && util_is_own_userns(fd) == 1) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		rc = new_userns();
		if (rc < 0) {
			log_error("--enable-sandbox: cannot create a user "
				  "namespace: %s",
				  strerror(-rc));
			return -1;
		}
		return 0;
	}
	rc = setns(fd, CLONE_NEWUSER) < 0 ? -errno : 0;
	close(fd);
	if (rc < 0) {
		log_error("--enable-sandbox: cannot join the user namespace of "
			  "\"%s\": %s",
			  name, strerror(-rc));
		return -1;
	}
	return 0;
}

/*
 * make_readonly() - make the bind mount at @path and every mount below it
 * read-only, nosuid, nodev, noexec. Only adding flags: that is allowed
 * even on mounts whose flags a user namespace locked.
 *
 * Return: 0, or -errno.
 */
static int make_readonly(const char *path)
{
	unsigned long keep = 0;
	struct statvfs sv;

#ifdef MOUNT_ATTR_RDONLY
	struct mount_attr attr = {
	    .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
			MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
	};

	/* Linux 5.12: the whole tree at once */
	if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof(attr)) ==
	    0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
#endif
	/*
	 * Older kernels: remount the top mount only. A bind remount must
	 * restate the atime flags, which a user namespace may have locked
	 * (mount(2), EPERM).
	 */
	if (statvfs(path, &sv) < 0)
		return -errno;
	if (sv.f_flag & ST_NOATIME)
		keep |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		keep |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		keep |= MS_RELATIME;
	if (mount(NULL, path, NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV |
		      MS_NOEXEC | keep,
		  NULL) < 0)
		return -errno;
	return 0;
}

/*
 * bind_kept_dirs() - bind /etc into @base (recursively: a non-recursive
 * bind of a tree with locked submounts fails).
 *
 * Return: 0, or -1 after logging.
 */
static int bind_kept_dirs(const char *base)
{
	for (size_t i = 0; i < sizeof(kept_dirs) / sizeof(kept_dirs[0]); i++) {
		char src[16], dst[PATH_MAX];
		int rc;

		snprintf(src, sizeof(src), "/%s", kept_dirs[i]);
		snprintf(dst, sizeof(dst), "%s/%s", base, kept_dirs[i]);
		if (mkdir(dst, 0755) < 0) {
			log_error("--enable-sandbox: cannot create %s: %s", dst,
				  strerror(errno));
			return -1;
		}
		if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) {
			if (errno == ENOENT)
				continue; /* no /run on this host */
			log_error("--enable-sandbox: cannot bind %s: %s", src,
				  strerror(errno));
			return -1;
		}
		rc = make_readonly(dst);
		if (rc < 0) {
			log_error("--enable-sandbox: cannot make %s read-only: "
				  "%s",
				  src, strerror(-rc));
			return -1;
		}
	}
	return 0;
}

/* mkdir -p the directories above @path (all inside the new root) */
static int make_parents(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/* @host_path, a file of /run, at the same place under @base, read-only */
static int keep_file(const char *base, const char *host_path)
{
	char dst[PATH_MAX];
	int fd, rc;

	snprintf(dst, sizeof(dst), "%s%s", base, host_path);
	rc = make_parents(dst);
	if (rc < 0)
		return rc;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	if (mount(host_path, dst, NULL, MS_BIND, NULL) < 0)
		return -errno;
	return make_readonly(dst);
}

/* @link's target as an absolute path, its directory resolved (a
 * relative link from /etc reads "../run/..."; /var/run is /run).
 * Return: 0, or -errno */
static int link_next(const char *link, const char *target, char *ret,
		     size_t size)
{
	g_autofree char *joined = NULL, *dir = NULL, *base = NULL;
	char real[PATH_MAX];
	int n;

	if (target[0] == '/')
		joined = g_strdup(target);
	else
		joined = g_strdup_printf(
		    "%.*s/%s", (int)(strrchr(link, '/') - link), link, target);
	dir = g_path_get_dirname(joined);
	base = g_path_get_basename(joined);
	if (!realpath(dir, real))
		return -errno;
	n = snprintf(ret, size, "%s/%s", strcmp(real, "/") ? real : "", base);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * keep_chain() - of /run, only what @start leads to: follow its symlink
 * chain, recreate under @base each link that lies in /run, and bind the
 * file at its end (resolv.conf, or the UNIX socket of a remote forward)
 * read-only. A bind pins the file: a resolv.conf replaced (rather than
 * rewritten) after start-up is not seen, which slirp4netns.1.md says.
 *
 * Return: 0, or -1 after logging.
 */
static int keep_chain(const char *base, const char *start)
{
	char path[PATH_MAX], target[PATH_MAX], dst[PATH_MAX];
	struct stat st;
	int hop, rc = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s", start);
	for (hop = 0; hop < MAX_HOPS && rc == 0; hop++) {
		if (lstat(path, &st) < 0)
			return 0; /* missing: the check after pivot_root */
		if (!S_ISLNK(st.st_mode)) {
			if (in_run(path))
				rc = keep_file(base, path);
			break;
		}
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return 0;
		target[n] = '\0';
		if (in_run(path)) {
			snprintf(dst, sizeof(dst), "%s%s", base, path);
			rc = make_parents(dst);
			if (rc == 0 && symlink(target, dst) < 0 &&
			    errno != EEXIST)
				rc = -errno;
		}
		if (rc == 0)
			rc = link_next(path, target, path, sizeof(path));
	}
	if (rc < 0) {
		log_error("--enable-sandbox: cannot keep %s in the sandbox: %s",
			  path, strerror(-rc));
		return -1;
	}
	return 0;
}

/*
 * mount_base() - mount the new root's tmpfs on the first directory that
 * takes it.
 *
 * Return: the directory, or NULL after logging.
 */
static const char *mount_base(void)
{
	int err = ENOENT;

	for (size_t i = 0; i < sizeof(base_dirs) / sizeof(base_dirs[0]); i++) {
		/* room for two directories and the few of resolv.conf's chain */
		if (mount("tmpfs", base_dirs[i], "tmpfs",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "mode=0755,size=64k,nr_inodes=64") == 0)
			return base_dirs[i];
		err = errno;
	}
	log_error("--enable-sandbox: cannot mount a tmpfs for the new root: "
		  "%s",
		  strerror(err));
	return NULL;
}

/*
 * switch_root() - make the current directory, a mount, the root and
 * detach the old one. pivot_root(".", ".") stacks the old root on the new
 * one, so no directory is needed to hold it (pivot_root(2)). On an
 * initramfs there is nothing to pivot away from; Podman turns the sandbox
 * off there, as upstream slirp4netns fails the same way.
 *
 * Return: 0, or -1 after logging.
 */
static int switch_root(void)
{
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		int err = errno;

		log_error("--enable-sandbox: cannot pivot_root into the new "
			  "root: %s%s",
			  strerror(err),
			  err == EINVAL ? " (is / the initramfs?)" : "");
		return -1;
	}
	if (umount2(".", MNT_DETACH) < 0) {
		log_error("--enable-sandbox: cannot detach the old root: %s",
			  strerror(errno));
		return -1;
	}
	if (chdir("/") < 0) {
		log_error("--enable-sandbox: chdir /: %s", strerror(errno));
		return -1;
	}
	/* nothing may create files in the new root itself */
	if (mount(NULL, "/", NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV |
		      MS_NOEXEC,
		  NULL) < 0) {
		log_error("--enable-sandbox: cannot make the new root "
			  "read-only: %s",
			  strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * build_root() - steps 3 and 4: new mount namespace, new root.
 *
 * Return: 0, or -1 after logging.
 */
/*
 * keep_run_files() - what the daemon reaches in /run after start-up:
 * resolv.conf (unless --disable-dns) and the UNIX sockets --guestfwd
 * names. A socket that add_guestfwd names later is reachable only if it
 * is one of these, or lies in /etc.
 *
 * Return: 0, or -1 after logging.
 */
static int keep_run_files(const char *base, const struct s4n_opts *opts)
{
	if (!opts->disable_dns && keep_chain(base, RESOLV_CONF) < 0)
		return -1;
	for (unsigned int i = 0; i < opts->n_guestfwd; i++) {
		struct rfwd_spec spec;
		const char *why;

		if (rfwd_parse(opts->guestfwd[i], opts, &spec, &why) == 0 &&
		    spec.path[0] && keep_chain(base, spec.path) < 0)
			return -1;
	}
	return 0;
}

static int build_root(const struct s4n_opts *opts)
{
	char run[PATH_MAX];
	const char *base;

	if (unshare(CLONE_NEWNS) < 0) {
		log_error("--enable-sandbox: cannot create a mount namespace: "
			  "%s",
			  strerror(errno));
		return -1;
	}
	/* Podman may start us in a namespace with shared mounts: without
	 * this, our tmpfs would appear on the host (Podman issue 4113). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		int err = errno;

		/* EINVAL: / is no mount point, as in a chroot(2) */
		log_error("--enable-sandbox: cannot make mounts private: %s%s",
			  strerror(err),
			  err == EINVAL ? " (is / a chroot?)" : "");
		return -1;
	}
	base = mount_base();
	if (!base || bind_kept_dirs(base) < 0 || mount_fwd_dir(base) < 0)
		return -1;
	/* /run is always there, as slirp4netns(1) has it; empty unless
	 * resolv.conf leads into it */
	snprintf(run, sizeof(run), "%s" RUN_DIR, base);
	if (mkdir(run, 0755) < 0) {
		log_error("--enable-sandbox: cannot create %s: %s", run,
			  strerror(errno));
		return -1;
	}
	if (keep_run_files(base, opts) < 0)
		return -1;
	if (chdir(base) < 0) {
		log_error("--enable-sandbox: chdir %s: %s", base,
			  strerror(errno));
		return -1;
	}
	return switch_root();
}

/* do we hold @c in our effective set? */
static bool have_cap(cap_value_t c)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps)
		(void)cap_get_flag(caps, c, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

int sandbox_drop_caps(const char *opt)
{
	const cap_value_t keep = CAP_NET_BIND_SERVICE;
	cap_flag_value_t have = CAP_CLEAR;
	cap_t caps;
	int rc;

	/* Without CAP_SETPCAP (an unprivileged daemon outside a user
	 * namespace) the bounding set cannot shrink; with no capability in
	 * the other sets and no_new_privs, it grants nothing either.
	 * cap_get_bound() is -1 past the kernel's last capability. */
	for (cap_value_t c = 0; have_cap(CAP_SETPCAP) && cap_get_bound(c) >= 0;
	     c++) {
		if (c == keep || cap_get_bound(c) == 0)
			continue;
		if (cap_drop_bound(c) < 0) {
			int err = errno;
			char *name = cap_to_name(c);

			log_error("%s: cannot drop %s from the bounding set: "
				  "%s",
				  opt, name ? name : "?", strerror(err));
			cap_free(name);
			return -1;
		}
	}
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0) {
		log_error("%s: cannot clear the ambient capabilities: %s", opt,
			  strerror(errno));
		return -1;
	}
	caps = cap_get_proc();
	if (caps)
		(void)cap_get_flag(caps, keep, CAP_PERMITTED, &have);
	if (caps)
		cap_clear(caps);
	else
		caps = cap_init();
	if (!caps) {
		log_error("%s: %s", opt, strerror(errno));
		return -1;
	}
	if (have == CAP_SET) {
		cap_set_flag(caps, CAP_PERMITTED, 1, &keep, CAP_SET);
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &keep, CAP_SET);
	}
	rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc < 0) {
		log_error("%s: cannot drop capabilities: %s", opt,
			  strerror(errno));
		return -1;
	}
	/* no exec ever gains privileges back (also set by seccomp) */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_error("%s: cannot set no_new_privs: %s", opt,
			  strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_enter(const struct s4n_opts *opts)
{
	bool resolv_exists;
	struct stat st;

	if (check_single_thread() < 0)
		return -1;
	/* --disable-dns: libslirp never reads resolv.conf */
	resolv_exists = false;
	if (!opts->disable_dns && check_resolv_conf(&resolv_exists) < 0)
		return -1;
	/* As root, stay in our user namespace (slirp4netns(1)): a root
	 * daemon drops its capabilities instead. */
	if (geteuid() != 0 && enter_userns(opts) < 0)
		return -1;
	if (build_root(opts) < 0)
		return -1;
	/* A chain of links may pass through a directory we left behind
	 * (/etc/resolv.conf -> /var/run/... with /var/run -> /run). */
	if (resolv_exists && stat(RESOLV_CONF, &st) < 0) {
		log_error("--enable-sandbox: " RESOLV_CONF " is unreachable in "
			  "the sandbox: it leads through a path outside /etc "
			  "and /run");
		return -1;
	}
	if (sandbox_drop_caps("--enable-sandbox") < 0)
		return -1;
	return 0;
}
