/*
 * decode.c: message templates per program.
 *
 * A template is literal text with named holes: "Failed password for
 * {srcuser} from {srcip} port {srcport}". A hole takes the text up to the
 * literal that follows it (or, at the end, up to the next space, or with
 * a '*' after its name, the rest of the message); the message may go on
 * after the template ("… ssh2"). Field names are the
 * holes' names, slices of the template string, so decoding allocates
 * nothing. The registration table ties programs to their templates (or
 * to the access-log and audit parsers, for whole records relayed through
 * syslog), in the manner of Suricata's keyword tables; a program no entry
 * names costs a length compare an entry. The first template that matches
 * wins, so the specific go before the general.
 * Cost: O(template length + message length) for each template tried.
 */
#include <string.h>

#include "detect/input/access.h"
#include "detect/input/auditd.h"
#include "detect/input/decode.h"

typedef struct tmpl {
	const char *action;
	const char *text;
} tmpl;

static const tmpl sshd[] = {
	{"ssh_login_failed", "Failed {method} for invalid user {srcuser} from {srcip} port {srcport}"},
	{"ssh_login_failed", "Failed {method} for {srcuser} from {srcip} port {srcport}"},
	{"ssh_login_success", "Accepted {method} for {srcuser} from {srcip} port {srcport}"},
	{"ssh_invalid_user", "Invalid user {srcuser} from {srcip} port {srcport}"},
	{"ssh_invalid_user", "Invalid user {srcuser} from {srcip}"},
	{"ssh_invalid_user", "input_userauth_request: invalid user {srcuser} [preauth]"},
	{"ssh_break_in_attempt", "reverse mapping checking getaddrinfo for {srchost} [{srcip}] failed"},
	{"ssh_break_in_attempt", "Address {srcip} maps to {srchost}, but this does not map back"},
	{"ssh_disconnect", "Received disconnect from {srcip} port {srcport}:"},
	{"ssh_disconnect", "Received disconnect from {srcip}:"},
	{"ssh_disconnect", "Disconnected from user {srcuser} {srcip} port {srcport}"},
	{"ssh_disconnect", "Connection closed by {srcip} port {srcport}"},
	{"ssh_disconnect", "Connection closed by {srcip}"},
	{"ssh_auth_failure", "PAM {count} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={srcip}  user={srcuser}"},
	{"ssh_auth_failure", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={srcip}  user={srcuser}"},
	{"ssh_auth_failure", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={srcip}"},
	{"ssh_too_many_failures", "error: maximum authentication attempts exceeded for invalid user {srcuser} from {srcip} port {srcport}"},
	{"ssh_too_many_failures", "error: maximum authentication attempts exceeded for {srcuser} from {srcip} port {srcport}"},
	{NULL, NULL},
};

/* Old pam_unix lines, as program "sshd(pam_unix)". */
static const tmpl pam_sshd[] = {
	{"ssh_auth_failure", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={srcip}  user={srcuser}"},
	{"ssh_auth_failure", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={srcip}"},
	{"ssh_session_opened", "session opened for user {dstuser} by"},
	{"ssh_session_closed", "session closed for user {dstuser}"},
	{NULL, NULL},
};

static const tmpl sudo[] = {
	{"sudo_command", "{srcuser} : TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_denied", "{srcuser} : command not allowed ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_denied", "{srcuser} : user NOT in sudoers ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_auth_failure", "{srcuser} : {count} incorrect password attempts ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{NULL, NULL},
};

static const tmpl su[] = {
	{"su_success", "(to {dstuser}) {srcuser} on {tty}"},
	{"su_success", "Successful su for {dstuser} by {srcuser}"},
	{"su_failed", "FAILED SU (to {dstuser}) {srcuser} on {tty}"},
	{"su_failed", "FAILED su for {dstuser} by {srcuser}"},
	{"su_session_opened", "pam_unix(su:session): session opened for user {dstuser} by {srcuser}(uid={uid})"},
	{"su_session_opened", "session opened for user {dstuser} by {srcuser}(uid={uid})"},
	{NULL, NULL},
};

static const tmpl accounts[] = {
	{"user_added", "new user: name={dstuser}, UID={uid}, GID={gid}, home={home}, shell={shell}"},
	{"group_added", "new group: name={group}, GID={gid}"},
	{"user_added_to_group", "add '{dstuser}' to group '{group}'"},
	{"user_added_to_group", "add '{dstuser}' to shadow group '{group}'"},
	{"user_changed", "change user '{dstuser}' password"},
	{"user_changed", "change user '{dstuser}' shell from '{old}' to '{new}'"},
	{"user_deleted", "delete user '{dstuser}'"},
	{"password_changed", "pam_unix(passwd:chauthtok): password changed for {dstuser}"},
	{NULL, NULL},
};

/* What reads a program's messages: templates, or a whole record's parser
 * (an access-log or audit line relayed through syslog). */
typedef enum { BY_TEMPLATES, BY_ACCESS, BY_AUDITD } reader_kind;

#define PROGRAM(s) {s, sizeof s - 1}
static const struct {
	det_str program;
	reader_kind kind;
	const tmpl *templates;
} registry[] = {
	{PROGRAM("sshd"), BY_TEMPLATES, sshd},
	{PROGRAM("sshd(pam_unix)"), BY_TEMPLATES, pam_sshd},
	{PROGRAM("sudo"), BY_TEMPLATES, sudo},
	{PROGRAM("su"), BY_TEMPLATES, su},
	{PROGRAM("su(pam_unix)"), BY_TEMPLATES, su},
	{PROGRAM("useradd"), BY_TEMPLATES, accounts},
	{PROGRAM("usermod"), BY_TEMPLATES, accounts},
	{PROGRAM("groupadd"), BY_TEMPLATES, accounts},
	{PROGRAM("userdel"), BY_TEMPLATES, accounts},
	{PROGRAM("passwd"), BY_TEMPLATES, accounts},
	{PROGRAM("gpasswd"), BY_TEMPLATES, accounts},
	{PROGRAM("nginx"), BY_ACCESS, NULL},
	{PROGRAM("apache2"), BY_ACCESS, NULL},
	{PROGRAM("httpd"), BY_ACCESS, NULL},
	{PROGRAM("apache"), BY_ACCESS, NULL},
	{PROGRAM("audit"), BY_AUDITD, NULL},
	{PROGRAM("auditd"), BY_AUDITD, NULL},
	{PROGRAM("audispd"), BY_AUDITD, NULL},
	{PROGRAM("audisp-syslog"), BY_AUDITD, NULL},
};
#undef PROGRAM

enum { MAX_HOLES = 8 };

/* Matches msg against one template; on success adds the holes' fields and
 * the action and returns how many it added, else 0 (adding nothing). */
static int apply(det_event *ev, det_str msg, const tmpl *t)
{
	det_str names[MAX_HOLES], values[MAX_HOLES];
	int n = 0;
	const char *tp = t->text, *mp = msg.p, *me = msg.p + msg.n;
	while (*tp) {
		if (*tp != '{') {
			if (mp >= me || *mp != *tp)
				return 0;
			mp++;
			tp++;
			continue;
		}
		/* Templates are short: walked here, not by strchr's calls. */
		const char *name = tp + 1, *close = name;
		while (*close != '}')
			close++;
		tp = close + 1;
		/* The literal after the hole: up to the next hole or the end. */
		const char *lit = tp, *lit_end = tp;
		while (*lit_end && *lit_end != '{')
			lit_end++;
		size_t ll = (size_t)(lit_end - lit);
		const char *v = mp, *stop;
		bool rest = close[-1] == '*';
		if (ll == 0 && rest) {
			stop = me;
		} else if (ll == 0) {
			stop = mp; /* the end: up to a space */
			while (stop < me && *stop != ' ')
				stop++;
		} else {
			/* the literal's first byte by memchr, then the rest */
			stop = NULL;
			for (const char *q = mp; (size_t)(me - q) >= ll; q++) {
				q = memchr(q, lit[0], (size_t)(me - q) - ll + 1);
				if (q == NULL)
					break;
				if (memcmp(q + 1, lit + 1, ll - 1) == 0) {
					stop = q;
					break;
				}
			}
			if (stop == NULL)
				return 0;
		}
		if (stop == v || n == MAX_HOLES)
			return 0;
		names[n] = (det_str){name, (size_t)(close - name) - rest};
		values[n++] = (det_str){v, (size_t)(stop - v)};
		mp = stop;
	}
	for (int i = 0; i < n; i++)
		det_event_add(ev, names[i].p, names[i].n, values[i].p, values[i].n);
	det_event_add(ev, "action", 6, t->action, strlen(t->action));
	return n + 1;
}

int det_decode(det_event *ev)
{
	size_t before = ev->n_fields;
	det_str prog = ev->program;
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
		if (prog.n != registry[i].program.n ||
		    memcmp(prog.p, registry[i].program.p, prog.n) != 0)
			continue;
		switch (registry[i].kind) {
		case BY_ACCESS:
			return det_access_parse(ev->message.p, ev->message.n, ev) == 0
				       ? (int)(ev->n_fields - before)
				       : 0;
		case BY_AUDITD:
			return det_auditd_parse(ev->message.p, ev->message.n, ev) == 0
				       ? (int)(ev->n_fields - before)
				       : 0;
		case BY_TEMPLATES:
			for (const tmpl *t = registry[i].templates; t->text; t++) {
				int added = apply(ev, ev->message, t);
				if (added)
					return added;
			}
			return 0;
		}
	}
	return 0;
}
