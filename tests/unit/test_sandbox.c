/*
 * test_sandbox.c: what sigap serve gives up once started (base/sandbox.h),
 * each in a child process so the test itself keeps its rights:
 *   - Landlock: a file is written beneath a writable directory, not in
 *     another; nothing is executed (outside a sanitizer's build);
 *   - seccomp: executing a program, changing user and mounting answer
 *     EPERM, on a thread started before the filter too (TSYNC).
 * A kernel without Landlock skips that part, as sigap goes on without it.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

/* The child's exit status: 0 when every expectation held, else the
 * number of the first that did not; 77 when Landlock is not available. */
static int in_child(int (*fn)(const char *a, const char *b), const char *a, const char *b)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(a, b));
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int writes(const char *dir, const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	(void)dir;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int landlocked(const char *allowed, const char *other)
{
	const char *w[] = {allowed, NULL};
	char note[300], was[4200];
	/* a file outside, there before: not emptied either (Landlock ABI 3) */
	snprintf(was, sizeof was, "%s/was.txt", other);
	int wf = open(was, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (wf < 0 || write(wf, "data", 4) != 4)
		return 20;
	close(wf);
	int r = sandbox_files(w, 2, note, sizeof note);
	if (r == 0)
		return 77;
	if (r < 0)
		return 1;
	char in[4200], out[4200];
	snprintf(in, sizeof in, "%s/kept.txt", allowed);
	snprintf(out, sizeof out, "%s/refused.txt", other);
	if (writes(allowed, in) != 0)
		return 2;
	if (writes(other, out) == 0 || errno != EACCES)
		return 3;
	if (mkdir(out, 0700) == 0)
		return 4;
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* VERSION */);
	if (abi >= 3 && (truncate(was, 0) == 0 || errno != EACCES))
		return 7;
	/* reading anywhere stays open */
	if (access("/etc/hostname", R_OK) != 0 && access("/etc/os-release", R_OK) != 0)
		return 5;
	if (!SANITIZED) {
		char *argv[] = {(char *)"/bin/true", NULL};
		execv("/bin/true", argv);
		if (errno != EACCES)
			return 6;
	}
	return 0;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static void *try_exec(void *arg)
{
	int *out = arg;
	char *argv[] = {(char *)"/bin/true", NULL};
	execv("/bin/true", argv);
	*out = errno;
	return NULL;
}

static int filtered(const char *a, const char *b)
{
	(void)a;
	(void)b;
	pthread_t before;
	/* a thread that was running before the filter is filtered too */
	if (pthread_create(&before, NULL, idle, NULL) != 0)
		return 1;
	char note[300];
	if (sandbox_syscalls(note, sizeof note) != 1)
		return 2;
	if (!SANITIZED) {
		int err = 0;
		pthread_t t;
		if (pthread_create(&t, NULL, try_exec, &err) != 0 || pthread_join(t, NULL) != 0)
			return 3;
		if (err != EPERM)
			return 4;
	}
	if (setuid(getuid()) == 0 || errno != EPERM)
		return 5;
	if (mount("none", "/mnt", "tmpfs", 0, NULL) == 0 || errno != EPERM)
		return 6;
	/* no namespace, by unshare or by clone */
	if (unshare(CLONE_NEWUSER) == 0 || errno != EPERM)
		return 9;
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0 || errno != EPERM)
		return 10;
	/* and a child and a thread are still made (clone3 refused: clone) */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	int st;
	if (child < 0 || waitpid(child, &st, 0) != child)
		return 11;
	pthread_t t2;
	if (pthread_create(&t2, NULL, nothing, NULL) != 0 || pthread_join(t2, NULL) != 0)
		return 12;
	/* and what a service does still works */
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 7;
	close(fd);
	if (strstr(note, "system calls refused on every thread, and clone into a new namespace") == NULL)
		return 8;
	return 0;
}

static void test_landlock(void **state)
{
	(void)state;
	char a[] = "/tmp/sigap-sandbox-a-XXXXXX", b[] = "/tmp/sigap-sandbox-b-XXXXXX";
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	int r = in_child(landlocked, a, b);
	char kept[64];
	snprintf(kept, sizeof kept, "%s/kept.txt", a);
	if (r != 77) {
		assert_int_equal(r, 0);
		assert_int_equal(access(kept, F_OK), 0);
	}
	unlink(kept);
	char was[64];
	snprintf(was, sizeof was, "%s/was.txt", b);
	struct stat sb;
	if (r != 77)
		assert_true(stat(was, &sb) == 0 && sb.st_size == 4);
	unlink(was);
	rmdir(a);
	rmdir(b);
	if (r == 77)
		skip();
}

static void test_seccomp(void **state)
{
	(void)state;
	assert_int_equal(in_child(filtered, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_landlock),
		cmocka_unit_test(test_seccomp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
