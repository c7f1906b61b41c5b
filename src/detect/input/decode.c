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
 * Each template is cut once into its leading literal and its holes, each
 * with the literal that follows it (compile_all), so a message is not
 * compared with a template's text byte by byte nor the text walked for
 * its braces at every try.
 * Cost: O(template length + message length) for each template tried.
 */
#include <pthread.h>
#include <string.h>

#include "detect/input/access.h"
#include "detect/input/auditd.h"
#include "detect/input/decode.h"

enum { MAX_HOLES = 8 };

typedef struct hole {
	det_str name; /* a slice of the template's text */
	det_str lit;  /* the literal after it, up to the next hole or the end */
	bool rest;    /* "{name*}" at the end: the rest of the message */
} hole;

/* A template as written (action, text), and as compile_all cuts it: the
 * first head bytes of text are literal, then the holes. */
typedef struct tmpl {
	const char *action;
	const char *text;
	size_t action_n, head;
	int n_holes; /* -1: more than MAX_HOLES, never matches */
	hole holes[MAX_HOLES];
} tmpl;

static tmpl sshd[] = {
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
static tmpl pam_sshd[] = {
	{"ssh_auth_failure", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={srcip}  user={srcuser}"},
	{"ssh_auth_failure", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={srcip}"},
	{"ssh_session_opened", "session opened for user {dstuser} by"},
	{"ssh_session_closed", "session closed for user {dstuser}"},
	{NULL, NULL},
};

static tmpl sudo[] = {
	{"sudo_command", "{srcuser} : TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_denied", "{srcuser} : command not allowed ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_denied", "{srcuser} : user NOT in sudoers ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{"sudo_auth_failure", "{srcuser} : {count} incorrect password attempts ; TTY={tty} ; PWD={pwd} ; USER={dstuser} ; COMMAND={command*}"},
	{NULL, NULL},
};

static tmpl su[] = {
	{"su_success", "(to {dstuser}) {srcuser} on {tty}"},
	{"su_success", "Successful su for {dstuser} by {srcuser}"},
	{"su_failed", "FAILED SU (to {dstuser}) {srcuser} on {tty}"},
	{"su_failed", "FAILED su for {dstuser} by {srcuser}"},
	{"su_session_opened", "pam_unix(su:session): session opened for user {dstuser} by {srcuser}(uid={uid})"},
	{"su_session_opened", "session opened for user {dstuser} by {srcuser}(uid={uid})"},
	{NULL, NULL},
};

static tmpl accounts[] = {
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
	tmpl *templates;
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

/* Cuts t's text into its leading literal and holes (see tmpl). */
static void compile(tmpl *t)
{
	const char *tp = t->text;
	while (*tp && *tp != '{')
		tp++;
	t->head = (size_t)(tp - t->text);
	t->action_n = strlen(t->action);
	t->n_holes = 0;
	while (*tp) { /* at a '{' */
		const char *name = tp + 1, *close = name;
		while (*close != '}')
			close++;
		const char *lit = close + 1, *lit_end = lit;
		while (*lit_end && *lit_end != '{')
			lit_end++;
		if (t->n_holes == MAX_HOLES) {
			t->n_holes = -1;
			return;
		}
		bool rest = close[-1] == '*';
		t->holes[t->n_holes++] = (hole){{name, (size_t)(close - name) - rest},
		                                {lit, (size_t)(lit_end - lit)},
		                                rest};
		tp = lit_end;
	}
}

static void compile_all(void)
{
	tmpl *const tables[] = {sshd, pam_sshd, sudo, su, accounts};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		for (tmpl *t = tables[i]; t->text; t++)
			compile(t);
}

/* The first place in [p, end) where lit[0..n) (n > 0) stands; NULL when
 * none: its first byte by memchr, then the rest. */
static const char *find_lit(const char *p, const char *end, const char *lit, size_t n)
{
	for (const char *q = p; (size_t)(end - q) >= n; q++) {
		q = memchr(q, lit[0], (size_t)(end - q) - n + 1);
		if (q == NULL)
			return NULL;
		if (n == 1 || (q[1] == lit[1] && memcmp(q + 2, lit + 2, n - 2) == 0))
			return q;
	}
	return NULL;
}

/* Matches msg against one template; on success adds the holes' fields and
 * the action and returns how many it added, else 0 (adding nothing). A
 * hole takes the text up to the first place its literal stands, and is
 * never empty. */
static int apply(det_event *ev, det_str msg, const tmpl *t)
{
	if (t->n_holes < 0 || msg.n < t->head || memcmp(msg.p, t->text, t->head) != 0)
		return 0;
	const char *mp = msg.p + t->head, *me = msg.p + msg.n;
	det_str values[MAX_HOLES];
	for (int h = 0; h < t->n_holes; h++) {
		const hole *x = &t->holes[h];
		const char *stop;
		if (x->lit.n == 0 && x->rest) {
			stop = me;
		} else if (x->lit.n == 0) {
			stop = mp; /* the end: up to a space */
			while (stop < me && *stop != ' ')
				stop++;
		} else if ((stop = find_lit(mp, me, x->lit.p, x->lit.n)) == NULL) {
			return 0;
		}
		if (stop == mp)
			return 0;
		values[h] = (det_str){mp, (size_t)(stop - mp)};
		mp = stop + x->lit.n;
	}
	for (int h = 0; h < t->n_holes; h++)
		det_event_add(ev, t->holes[h].name.p, t->holes[h].name.n, values[h].p, values[h].n);
	det_event_add(ev, "action", 6, t->action, t->action_n);
	return t->n_holes + 1;
}

int det_decode(det_event *ev)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, compile_all);
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
				/* most fail at their first byte: no call */
				if (t->head && (ev->message.n == 0 || ev->message.p[0] != t->text[0]))
					continue;
				int added = apply(ev, ev->message, t);
				if (added)
					return added;
			}
			return 0;
		}
	}
	return 0;
}
