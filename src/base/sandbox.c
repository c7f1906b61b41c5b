/*
 * sandbox.c: Landlock and seccomp for sigap serve (sandbox.h).
 *
 * In a build with AddressSanitizer, LeakSanitizer stops the world with
 * ptrace at exit and the report is symbolized by a program it executes:
 * those two stay allowed there, and only there.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* ---- Landlock ---- */

/* ABI 3 (Linux 6.2) took truncation apart from writing; headers older
 * than the kernel may not name it. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

/* The rights over files and directories that are write, make, remove
 * (and execute, outside a sanitizer's build), by ABI version. */
static uint64_t handled(int abi)
{
	uint64_t r = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
	             LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	             LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
	             LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
	             LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (!SANITIZED)
		r |= LANDLOCK_ACCESS_FS_EXECUTE;
#ifdef LANDLOCK_ACCESS_FS_REFER
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
#endif
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return r;
}

int sandbox_files(const char *const *writable, size_t n, char *note, size_t note_n)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		snprintf(note, note_n, "Landlock is not available in this kernel (%s)",
		         strerror(errno));
		return 0;
	}
	uint64_t rights = handled(abi);
	struct landlock_ruleset_attr attr = {.handled_access_fs = rights};
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (rs < 0) {
		snprintf(note, note_n, "Landlock: no ruleset (%s)", strerror(errno));
		return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!writable[i])
			continue;
		int fd = open(writable[i], O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue; /* not there: nothing to allow */
		/* a directory takes every right; a file (/dev/null) those of a file */
		uint64_t allowed = rights & ~(uint64_t)LANDLOCK_ACCESS_FS_EXECUTE;
		struct landlock_path_beneath_attr pb = {.allowed_access = allowed, .parent_fd = fd};
		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0) {
			pb.allowed_access = rights & (LANDLOCK_ACCESS_FS_WRITE_FILE |
			                              LANDLOCK_ACCESS_FS_TRUNCATE);
			syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
		}
		close(fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) != 0) {
		snprintf(note, note_n, "Landlock: not applied (%s)", strerror(errno));
		close(rs);
		return -1;
	}
	close(rs);
	snprintf(note, note_n, "Landlock ABI %d: writes only beneath the state directories%s", abi,
	         SANITIZED ? "" : ", no program executed");
	return 1;
}

/* ---- seccomp ---- */

int sandbox_syscalls(char *note, size_t note_n)
{
	static const char *const denied[] = {
	    /* other processes and programs */
	    "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
	    "kcmp", "pidfd_getfd",
	    /* the system itself */
	    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
	    "fsconfig", "fsmount", "fspick", "kexec_load", "kexec_file_load", "init_module",
	    "finit_module", "delete_module", "bpf", "perf_event_open", "reboot", "swapon",
	    "swapoff", "acct", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
	    "sethostname", "setdomainname", "iopl", "ioperm", "quotactl", "lookup_dcookie",
	    "vhangup", "syslog", "userfaultfd",
	    /* keys, namespaces, personality */
	    "add_key", "request_key", "keyctl", "unshare", "setns", "personality",
	    /* who it is: given up already, not taken back */
	    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
	    "setfsuid", "setfsgid", "capset"};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(note, note_n, "seccomp: no filter");
		return -1;
	}
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	size_t added = 0;
	for (size_t i = 0; rc == 0 && i < sizeof denied / sizeof denied[0]; i++) {
		if (SANITIZED && (strcmp(denied[i], "ptrace") == 0 || strncmp(denied[i], "execve", 6) == 0))
			continue;
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not a system call of this architecture */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		added += rc == 0;
	}
	/* no new namespace by clone either (a user namespace is where a
	 * kernel's bugs are reached from); clone3 passes its flags in
	 * memory a filter cannot read, so it answers ENOSYS and the C
	 * library falls back to clone */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
	static const unsigned long spaces[] = {CLONE_NEWUSER,   CLONE_NEWNS,  CLONE_NEWPID,
	                                       CLONE_NEWNET,    CLONE_NEWUTS, CLONE_NEWIPC,
	                                       CLONE_NEWCGROUP, CLONE_NEWTIME};
	for (size_t i = 0; rc == 0 && i < sizeof spaces / sizeof spaces[0]; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                      SCMP_A0(SCMP_CMP_MASKED_EQ, spaces[i], spaces[i]));
	if (rc == 0 && seccomp_syscall_resolve_name("clone3") != __NR_SCMP_ERROR)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	added += rc == 0 ? 2 : 0;
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		snprintf(note, note_n, "seccomp: not applied (%s)", strerror(-rc));
		return -1;
	}
	snprintf(note, note_n,
	         "seccomp: %zu system calls refused on every thread, and clone into a new "
	         "namespace%s",
	         added,
	         SANITIZED ? " (ptrace and execve allowed: a sanitizer's build)" : "");
	return 1;
}
