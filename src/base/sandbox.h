/*
 * sandbox.h: what sigap serve gives up once it has started, so that a
 * parser of network input, a scanner report or an uploaded file that an
 * attacker subverts can do little with the process it took:
 *   - Landlock (Linux 5.13 and later): no program is executed from any
 *     file, and nothing is written, made or removed outside the
 *     directories named (the store's, the evidence's, the caches', the
 *     temporary ones);
 *   - seccomp (libseccomp), on every thread: the system calls a service
 *     never needs answer EPERM: executing programs, tracing or reading
 *     other processes, mounting, loading modules or BPF, kernel keys,
 *     namespaces, changing user or group, rebooting.
 * Reading files stays open (the rules, SOP files and CA files are read
 * again at a reload). A kernel without Landlock is told, not fatal: the
 * rest still applies.
 */
#ifndef SG_SANDBOX_H
#define SG_SANDBOX_H

#include <stddef.h>

/* Landlock for this thread and the threads it starts afterwards (call it
 * before any is started): writes only beneath the writable paths (NULL
 * entries skipped), no execution. 1 applied, 0 not available (why in
 * note), -1 failed (why in note). */
int sandbox_files(const char *const *writable, size_t n, char *note, size_t note_n);

/* seccomp on every thread of the process (TSYNC). 1 applied, -1 failed
 * (why in note). */
int sandbox_syscalls(char *note, size_t note_n);

#endif
