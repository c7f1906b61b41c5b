/*
 * policies.c: the library of information-security policies, the records
 * of SOP kebijakan (seed 004; docs/policies.md). policy_read.c reads
 * them.
 *
 * The SOP's cases write the library as they go, at the steps marked
 * catat: (sop/load.c checks they carry the fields):
 *
 *   kebijakan.draf         penyusunan 3: the draft. A version of the case's
 *                          policy (the case field kebijakan), or of a new
 *                          one (judul_kebijakan, jenis_dokumen), its text Markdown
 *                          (teks) with the controls it implements; state
 *                          diverifikasi (submitted). Done again after a
 *                          refusal, it rewrites the same version.
 *   kebijakan.verifikasi   penyusunan 4: the Kabid approves (disetujui) or
 *                          sends it back (draf).
 *   kebijakan.pengesahan   penyusunan 5: the Kepala Dinas ratifies it
 *                          (disahkan): number, date and signatory
 *                          recorded, the text frozen with its SHA-256 in
 *                          the logbook; or sends it back (draf). There is
 *                          no ratification without an approved version.
 *   kebijakan.publikasi    publikasi 3: the policy's ratified version is
 *                          published (the public page /kebijakan shows
 *                          it); its review falls due review_months later.
 *   kebijakan.evaluasi     evaluasi 2: Perlu Revisi (the first branch; the
 *                          SOP's hand-over opens a drafting case of the
 *                          same policy) or not, when the next review is
 *                          set.
 *
 * Each runs inside the step's transaction (cases.c's advance): a refusal
 * leaves the step undone and nothing written. Outside the steps: a
 * version sent back (draf) may have its text rewritten; a frozen one
 * never. policy_round opens an evaluation case for each policy whose
 * review has fallen due (the outbox sender's beat, `sigap policy round`).
 * Staff acknowledge having read a published version; a policy is
 * withdrawn (dicabut) by the Kabid or the Kepala Dinas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "case_row.h"
#include "col_json.h"

const char *const policy_kinds[] = {"kebijakan", "standar", "prosedur", NULL};

static const char *const AUTHORS[] = {"tim_penyusun", NULL};
static const char *const WITHDRAWERS[] = {"kabid", "kepala_dinas", NULL};

enum { TITLE_MAX = 200, BODY_MAX = 65536, NUMBER_MAX = 120, DAY = 86400 };

/* Whether user holds one of roles (the machine's owner does). */
static bool holds_any(app *a, const char *user, const char *const roles[])
{
	if (user_is_owner(user))
		return true;
	sg_err ignore;
	json_t *held = user_roles(a, user, &ignore);
	bool yes = false;
	for (size_t i = 0; held && roles[i]; i++)
		yes |= roles_hold(held, roles[i]);
	json_decref(held);
	return yes;
}

json_t *policy_insider_roles(app *a)
{
	json_t *out = json_pack("[s, s]", "admin", "agen_siber");
	for (size_t i = 0; i < a->sops.n; i++) {
		const sop *s = a->sops.v[i].sop;
		for (size_t k = 0; k < s->n_roles; k++)
			if (!s->roles[k].luar && !roles_hold(out, s->roles[k].id))
				json_array_append_new(out, json_string(s->roles[k].id));
	}
	return out;
}

bool policy_insider(app *a, const char *user)
{
	if (user_is_owner(user))
		return true;
	sg_err ignore;
	json_t *roles = user_roles(a, user, &ignore), *in = policy_insider_roles(a), *r;
	bool yes = false;
	size_t i;
	json_array_foreach(roles, i, r) yes |= roles_hold(in, json_string_value(r));
	json_decref(roles);
	json_decref(in);
	return yes;
}

int policy_ref_check(app *a, const char *field, const char *value, sg_err *e)
{
	char *end;
	long long id = strtoll(value, &end, 10);
	char status[16] = "";
	if (*value >= '0' && *value <= '9' && *end == '\0' && id > 0) {
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e, "SELECT status FROM policies WHERE id = ?", "i",
		                    (int64_t)id) != 0)
			return -1;
		int rc = db_step(st, e);
		if (rc == DB_ROW)
			snprintf(status, sizeof status, "%s", db_col_text(st, 0));
		db_finalize(st);
		if (rc < 0)
			return -1;
	}
	if (*status == '\0')
		return sg_err_set(e, SG_EINVAL,
		                  "field '%s': there is no policy %s in the library (/kebijakan): give "
		                  "its number",
		                  field, value);
	if (strcmp(status, "aktif") != 0)
		return sg_err_set(e, SG_ESTATE, "field '%s': policy %lld is withdrawn (dicabut)", field,
		                  id);
	return 0;
}

int policy_may(app *a, const char *user, policy_act act)
{
	return holds_any(a, user, act == POLICY_EDIT ? AUTHORS : WITHDRAWERS);
}

static const char *value(json_t *values, const char *name)
{
	const char *v = json_string_value(json_object_get(values, name));
	return v ? v : "";
}

static int log_policy(app *a, const char *actor, const char *action, int64_t id, json_t *d,
                      sg_err *e)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	return logbook_record(a, actor, action, "policy", oid, d, e);
}

/* body with each CR LF as LF (a browser's form sends CR LF): one text,
 * one SHA-256, whatever sent it. malloc'd. */
static char *lf_only(const char *body)
{
	char *out = malloc(strlen(body) + 1), *w = out;
	if (out == NULL)
		abort();
	for (const char *p = body; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*w++ = *p;
	*w = '\0';
	return out;
}

static int check_body(const char *body, sg_err *e)
{
	if (body[strspn(body, " \t\r\n")] == '\0')
		return sg_err_set(e, SG_EINVAL, "a policy's text must not be empty");
	if (strlen(body) > BODY_MAX)
		return sg_err_set(e, SG_EINVAL, "a policy's text is at most %d bytes", BODY_MAX);
	if (!utf8_valid(body, strlen(body)))
		return sg_err_set(e, SG_EINVAL, "a policy's text is not UTF-8");
	for (const unsigned char *p = (const unsigned char *)body; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			return sg_err_set(e, SG_EINVAL,
			                  "a policy's text holds a control character (byte %u)",
			                  (unsigned)*p);
	return 0;
}

/* The case's policy (its field kebijakan), 0 when it names none; an id
 * that is no policy in force is refused. */
static int case_policy(app *a, int64_t case_id, int64_t *id, sg_err *e)
{
	*id = 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT fields FROM cases WHERE id = ?", "i", case_id) !=
	    0)
		return -1;
	int rc = db_step(st, e);
	char ref[80] = "";
	if (rc == DB_ROW) {
		json_t *f = col_json_doc(st, 0);
		snprintf(ref, sizeof ref, "%s", value(f, "kebijakan"));
		json_decref(f);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (*ref == '\0')
		return 0;
	char *end;
	long long v = strtoll(ref, &end, 10);
	char status[16] = "";
	if (*end == '\0' && v > 0) {
		if (db_prepare_bind(a->db, &st, e, "SELECT status FROM policies WHERE id = ?", "i",
		                    (int64_t)v) != 0)
			return -1;
		if ((rc = db_step(st, e)) == DB_ROW)
			snprintf(status, sizeof status, "%s", db_col_text(st, 0));
		db_finalize(st);
		if (rc < 0)
			return -1;
	}
	if (*status == '\0')
		return sg_err_set(e, SG_EINVAL,
		                  "the case names policy '%s', which is not in the library (/kebijakan)",
		                  ref);
	if (strcmp(status, "aktif") != 0)
		return sg_err_set(e, SG_ESTATE, "policy %lld is withdrawn (dicabut)", v);
	*id = v;
	return 0;
}

/* The version the case drafted ({id, policy, number, state}); id 0 when
 * none. */
typedef struct drafted {
	int64_t id, policy_id, version;
	char state[16];
} drafted;

static int case_version(app *a, int64_t case_id, drafted *d, sg_err *e)
{
	memset(d, 0, sizeof *d);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, policy_id, version, state FROM policy_versions WHERE case_id "
	                    "= ? ORDER BY version DESC LIMIT 1",
	                    "i", case_id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		d->id = db_col_int(st, 0);
		d->policy_id = db_col_int(st, 1);
		d->version = db_col_int(st, 2);
		snprintf(d->state, sizeof d->state, "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int put_controls(app *a, int64_t version_id, const char *list, sg_err *e)
{
	char ids[SOP_REFS_MAX][65];
	size_t n = 0;
	if (sop_ref_list(list, ids, SOP_REFS_MAX, &n) != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "the controls are codes of the catalogue separated by commas (at "
		                  "most %d), not '%s'",
		                  SOP_REFS_MAX, list);
	if (db_run(a->db, e, "DELETE FROM policy_controls WHERE version_id = ?", "i", version_id) !=
	    0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (controls_check_ref(&a->ctls, ids[i], e) != 0 ||
		    db_run(a->db, e,
		           "INSERT INTO policy_controls (version_id, ref) VALUES (?, ?) ON CONFLICT DO "
		           "NOTHING",
		           "is", version_id, ids[i]) != 0)
			return -1;
	}
	return 0;
}

static int draft_in(app *a, const branch_taken *t, const char *body, sg_err *e);

static int on_draft(app *a, const branch_taken *t, sg_err *e)
{
	char *body = lf_only(value(t->values, "teks"));
	int rc = draft_in(a, t, body, e);
	free(body);
	return rc;
}

static int draft_in(app *a, const branch_taken *t, const char *body, sg_err *e)
{
	const char *title = value(t->values, "judul_kebijakan"),
	           *kind = value(t->values, "jenis_dokumen");
	if (check_body(body, e) != 0)
		return -1;
	drafted d;
	int64_t policy = 0, now = app_now(a);
	if (case_version(a, t->row->id, &d, e) != 0 || case_policy(a, t->row->id, &policy, e) != 0)
		return -1;
	if (d.id && (strcmp(d.state, "disahkan") == 0 || strcmp(d.state, "dipublikasikan") == 0 ||
	             strcmp(d.state, "dicabut") == 0))
		return sg_err_set(e, SG_ESTATE,
		                  "version %lld of policy %lld is %s: a ratified version is frozen and "
		                  "never changed; draft a new version (a case of kebijakan/penyusunan)",
		                  (long long)d.version, (long long)d.policy_id, d.state);
	if (d.id == 0 && policy == 0) {
		/* a new policy: its title and kind */
		if (title[strspn(title, " \t")] == '\0')
			return sg_err_set(e, SG_EINVAL,
			                  "a new policy needs its title (judul_kebijakan): this case names "
			                  "no policy of the library");
		if (utf8_length(title) > TITLE_MAX)
			return sg_err_set(e, SG_EINVAL, "a policy's title is at most %d characters",
			                  TITLE_MAX);
		if (*kind == '\0')
			kind = "kebijakan";
		if (db_insert(a->db, e, &policy,
		              "INSERT INTO policies (title, kind, created_by, created_at, updated_at) "
		              "VALUES (?, ?, ?, ?, ?)",
		              "sssii", title, kind, t->actor, now, now) != 0 ||
		    log_policy(a, t->actor, "policy.create", policy,
		               json_pack("{s:s, s:s, s:s}", "title", title, "kind", kind, "ticket",
		                         t->ticket),
		               e) != 0)
			return -1;
	} else if (d.id) {
		policy = d.policy_id;
		int64_t withdrawn = 0;
		if (db_query_int(a->db, e, &withdrawn,
		                 "SELECT COUNT(*) FROM policies WHERE id = ? AND status = 'dicabut'", "i",
		                 policy) != DB_ROW)
			return -1;
		if (withdrawn)
			return sg_err_set(e, SG_ESTATE, "policy %lld is withdrawn (dicabut)",
			                  (long long)policy);
	}
	if (d.id == 0 && policy) {
		/* one version on its way at a time: a second draft beside it
		 * would let an older version be published after a newer one */
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e,
		                    "SELECT v.version, v.state, c.ticket FROM policy_versions v JOIN "
		                    "cases c ON c.id = v.case_id WHERE v.policy_id = ? AND v.state IN "
		                    "('draf', 'diverifikasi', 'disetujui', 'disahkan') ORDER BY v.version "
		                    "LIMIT 1",
		                    "i", policy) != 0)
			return -1;
		int rc = db_step(st, e);
		if (rc == DB_ROW)
			sg_err_set(e, SG_ESTATE,
			           "policy %lld has version %lld on its way (%s, case %s): finish it, or "
			           "end that case, before drafting another",
			           (long long)policy, (long long)db_col_int(st, 0), db_col_text(st, 1),
			           db_col_text(st, 2));
		db_finalize(st);
		if (rc != DB_DONE)
			return -1;
	}
	if (d.id == 0) {
		int64_t next = 0;
		if (db_query_int(a->db, e, &next,
		                 "SELECT COALESCE(MAX(version), 0) + 1 FROM policy_versions WHERE "
		                 "policy_id = ?",
		                 "i", policy) != DB_ROW ||
		    db_insert(a->db, e, &d.id,
		              "INSERT INTO policy_versions (policy_id, version, body, state, case_id, "
		              "created_by, created_at, updated_at) VALUES (?, ?, ?, 'diverifikasi', ?, "
		              "?, ?, ?)",
		              "iisisii", policy, next, body, t->row->id, t->actor, now, now) != 0)
			return -1;
		d.version = next;
	} else if (db_run(a->db, e,
	                  "UPDATE policy_versions SET body = ?, state = 'diverifikasi', updated_at = ? "
	                  "WHERE id = ?",
	                  "sii", body, now, d.id) != 0) {
		return -1;
	}
	/* a title or kind given for an existing policy changes them */
	if (*title && db_run(a->db, e, "UPDATE policies SET title = ?, updated_at = ? WHERE id = ?",
	                     "sii", title, now, policy) != 0)
		return -1;
	if (*kind && db_run(a->db, e, "UPDATE policies SET kind = ? WHERE id = ?", "si", kind,
	                    policy) != 0)
		return -1;
	if (put_controls(a, d.id, value(t->values, "kontrol"), e) != 0)
		return -1;
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(body, strlen(body), sha);
	return log_policy(a, t->actor, "policy.draft", policy,
	                  json_pack("{s:I, s:s, s:s}", "version", (json_int_t)d.version, "ticket",
	                            t->ticket, "sha256", sha),
	                  e);
}

/* The case's version in state want, or refused naming what it is. */
static int version_in(app *a, const branch_taken *t, const char *want, drafted *d, sg_err *e)
{
	if (case_version(a, t->row->id, d, e) != 0)
		return -1;
	if (d->id == 0)
		return sg_err_set(e, SG_ESTATE,
		                  "case %s has no draft of a policy: its drafting step writes the "
		                  "version first",
		                  t->ticket);
	if (strcmp(d->state, want) != 0)
		return sg_err_set(e, SG_ESTATE, "version %lld of policy %lld is %s, not %s",
		                  (long long)d->version, (long long)d->policy_id, d->state, want);
	return 0;
}

static int set_state(app *a, int64_t version_id, const char *state, sg_err *e)
{
	return db_run(a->db, e, "UPDATE policy_versions SET state = ?, updated_at = ? WHERE id = ?",
	              "sii", state, app_now(a), version_id);
}

static bool first_branch(const branch_taken *t)
{
	return t->decision && strcmp(t->decision, t->st->branches[0].label) == 0;
}

static int on_verify(app *a, const branch_taken *t, sg_err *e)
{
	drafted d;
	if (version_in(a, t, "diverifikasi", &d, e) != 0)
		return -1;
	bool ok = first_branch(t);
	if (set_state(a, d.id, ok ? "disetujui" : "draf", e) != 0)
		return -1;
	return log_policy(a, t->actor, ok ? "policy.approve" : "policy.send_back", d.policy_id,
	                  json_pack("{s:I, s:s}", "version", (json_int_t)d.version, "ticket",
	                            t->ticket),
	                  e);
}

/* The name a signatory is written by: the user's full name, else the
 * account. */
static void signatory(app *a, const char *actor, char out[200])
{
	snprintf(out, 200, "%s", actor);
	sg_err ignore;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, &ignore,
	                    "SELECT full_name FROM users WHERE name = ? AND full_name IS NOT NULL "
	                    "AND full_name <> ''",
	                    "s", actor) != 0)
		return;
	if (db_step(st, &ignore) == DB_ROW)
		snprintf(out, 200, "%s", db_col_text(st, 0));
	db_finalize(st);
}

static int on_ratify(app *a, const branch_taken *t, sg_err *e)
{
	drafted d;
	if (!first_branch(t)) {
		if (version_in(a, t, "disetujui", &d, e) != 0 || set_state(a, d.id, "draf", e) != 0)
			return -1;
		return log_policy(a, t->actor, "policy.send_back", d.policy_id,
		                  json_pack("{s:I, s:s}", "version", (json_int_t)d.version, "ticket",
		                            t->ticket),
		                  e);
	}
	if (case_version(a, t->row->id, &d, e) != 0)
		return -1;
	if (d.id == 0)
		return sg_err_set(e, SG_ESTATE,
		                  "there is no draft to ratify: case %s wrote no version of a policy",
		                  t->ticket);
	if (strcmp(d.state, "disetujui") != 0)
		return sg_err_set(e, SG_ESTATE,
		                  "version %lld of policy %lld is %s: only a draft the Kabid approved "
		                  "is ratified",
		                  (long long)d.version, (long long)d.policy_id, d.state);
	const char *number = value(t->values, "nomor_kebijakan"),
	           *day = value(t->values, "tanggal_pengesahan");
	if (number[strspn(number, " \t")] == '\0')
		return sg_err_set(e, SG_EINVAL, "a ratification records the policy's number");
	if (utf8_length(number) > NUMBER_MAX)
		return sg_err_set(e, SG_EINVAL, "a policy's number is at most %d characters",
		                  NUMBER_MAX);
	int64_t at = 0;
	if (strlen(day) != 10 || civil_parse(day, a->cfg.cal.zone, &at) != 0)
		return sg_err_set(e, SG_EINVAL, "the date of ratification '%s' must be a date, YYYY-MM-DD",
		                  day);
	if (at > app_now(a))
		return sg_err_set(e, SG_EINVAL, "a policy is not ratified on a day to come (%s)", day);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT body FROM policy_versions WHERE id = ?", "i",
	                    d.id) != 0)
		return -1;
	char sha[SHA256_HEX_LEN + 1] = "";
	if (db_step(st, e) == DB_ROW) {
		const char *body = db_col_text(st, 0);
		sha256_hex(body, strlen(body), sha);
	}
	db_finalize(st);
	char who[200];
	signatory(a, t->actor, who);
	int64_t now = app_now(a);
	if (db_run(a->db, e,
	           "UPDATE policy_versions SET state = 'disahkan', sha256 = ?, ratified_by = ?, "
	           "ratified_number = ?, ratified_on = ?, ratified_at = ?, updated_at = ? WHERE id = ?",
	           "ssssiii", sha, who, number, day, now, now, d.id) != 0)
		return -1;
	return log_policy(a, t->actor, "policy.ratify", d.policy_id,
	                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "version",
	                            (json_int_t)d.version, "ticket", t->ticket, "sha256", sha,
	                            "number", number, "date", day, "signatory", who),
	                  e);
}

/* Inside a transaction: the next review of policy id, review_months
 * from now. */
static int next_review(app *a, int64_t id, sg_err *e)
{
	int64_t months = 12;
	if (db_query_int(a->db, e, &months, "SELECT review_months FROM policies WHERE id = ?", "i",
	                 id) != DB_ROW)
		return -1;
	return db_run(a->db, e,
	              "UPDATE policies SET next_review_at = ?, review_case_id = NULL, updated_at = ? "
	              "WHERE id = ?",
	              "iii", civil_add_months(app_now(a), a->cfg.cal.zone, (int)months), app_now(a), id);
}

static int on_publish(app *a, const branch_taken *t, sg_err *e)
{
	int64_t policy = 0;
	if (case_policy(a, t->row->id, &policy, e) != 0)
		return -1;
	if (policy == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "case %s names no policy (its field kebijakan): say which policy is "
		                  "published",
		                  t->ticket);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, version FROM policy_versions WHERE policy_id = ? AND state = "
	                    "'disahkan' ORDER BY version DESC LIMIT 1",
	                    "i", policy) != 0)
		return -1;
	int64_t vid = 0, version = 0;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		vid = db_col_int(st, 0);
		version = db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (vid == 0)
		return sg_err_set(e, SG_ESTATE,
		                  "policy %lld has no ratified version to publish: a version is "
		                  "published only after the Kepala Dinas ratified it",
		                  (long long)policy);
	int64_t now = app_now(a), replaced = 0;
	/* the version it replaces is withdrawn from circulation */
	if (db_query_int(a->db, e, &replaced,
	                 "SELECT COALESCE(MAX(version), 0) FROM policy_versions WHERE policy_id = ? "
	                 "AND state = 'dipublikasikan'",
	                 "i", policy) != DB_ROW)
		return -1;
	if (replaced > version)
		return sg_err_set(e, SG_ESTATE,
		                  "policy %lld has version %lld published, newer than version %lld",
		                  (long long)policy, (long long)replaced, (long long)version);
	if (db_run(a->db, e,
	           "UPDATE policy_versions SET state = 'dicabut', updated_at = ? WHERE policy_id = ? "
	           "AND state = 'dipublikasikan'",
	           "ii", now, policy) != 0 ||
	    db_run(a->db, e,
	           "UPDATE policy_versions SET state = 'dipublikasikan', published_at = ?, "
	           "published_case_id = ?, updated_at = ? WHERE id = ?",
	           "iiii", now, t->row->id, now, vid) != 0 ||
	    next_review(a, policy, e) != 0)
		return -1;
	json_t *d = json_pack("{s:I, s:s}", "version", (json_int_t)version, "ticket", t->ticket);
	if (replaced)
		json_object_set_new(d, "replaces", json_integer(replaced));
	return log_policy(a, t->actor, "policy.publish", policy, d, e);
}

static int on_evaluate(app *a, const branch_taken *t, sg_err *e)
{
	int64_t policy = 0;
	if (case_policy(a, t->row->id, &policy, e) != 0)
		return -1;
	if (policy == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "case %s names no policy (its field kebijakan): say which policy is "
		                  "evaluated",
		                  t->ticket);
	bool revise = first_branch(t);
	/* to be revised: the next review waits for the revision's
	 * publication; else it comes review_months from now */
	int rc = revise ? db_run(a->db, e,
	                         "UPDATE policies SET next_review_at = NULL, review_case_id = NULL, "
	                         "updated_at = ? WHERE id = ?",
	                         "ii", app_now(a), policy)
	                : next_review(a, policy, e);
	if (rc != 0)
		return -1;
	return log_policy(a, t->actor, "policy.evaluate", policy,
	                  json_pack("{s:s, s:b}", "ticket", t->ticket, "revise", revise), e);
}

int policy_on_step(app *a, const branch_taken *t, sg_err *e)
{
	const char *c = t->st->catat;
	if (c == NULL || strncmp(c, "kebijakan.", 10) != 0)
		return 0;
	if (strcmp(c, "kebijakan.draf") == 0)
		return on_draft(a, t, e);
	if (strcmp(c, "kebijakan.verifikasi") == 0 && t->decision)
		return on_verify(a, t, e);
	if (strcmp(c, "kebijakan.pengesahan") == 0 && t->decision)
		return on_ratify(a, t, e);
	if (strcmp(c, "kebijakan.publikasi") == 0)
		return on_publish(a, t, e);
	if (strcmp(c, "kebijakan.evaluasi") == 0 && t->decision)
		return on_evaluate(a, t, e);
	return 0;
}

/* ---- outside the steps ---- */

static int edit_in(app *a, const char *actor, int64_t id, int version, const char *body,
                   sg_err *e);

int policy_edit(app *a, const char *actor, int64_t id, int version, const char *text, sg_err *e)
{
	if (text == NULL)
		return sg_err_set(e, SG_EINVAL, "give the text");
	char *body = lf_only(text);
	int rc = edit_in(a, actor, id, version, body, e);
	free(body);
	return rc;
}

static int edit_in(app *a, const char *actor, int64_t id, int version, const char *body,
                   sg_err *e)
{
	if (db_begin(a->db, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT v.id, v.state FROM policy_versions v WHERE v.policy_id = ? AND "
	                    "v.version = ?",
	                    "ii", id, (int64_t)version) != 0)
		goto fail;
	int64_t vid = 0;
	char state[16] = "";
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		vid = db_col_int(st, 0);
		snprintf(state, sizeof state, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (vid == 0) {
		sg_err_set(e, SG_ENOTFOUND, "policy %lld has no version %d", (long long)id, version);
		goto fail;
	}
	if (!policy_may(a, actor, POLICY_EDIT)) {
		sg_err_set(e, SG_EPERM, "only the Tim Penyusun rewrites a draft");
		goto fail;
	}
	if (strcmp(state, "disahkan") == 0 || strcmp(state, "dipublikasikan") == 0 ||
	    strcmp(state, "dicabut") == 0) {
		sg_err_set(e, SG_ESTATE,
		           "version %lld of policy %lld is %s: a ratified version is frozen and "
		           "never changed; draft a new version (a case of kebijakan/penyusunan)",
		           (long long)version, (long long)id, state);
		goto fail;
	}
	if (strcmp(state, "draf") != 0) {
		sg_err_set(e, SG_ESTATE,
		           "version %d of policy %lld is %s: its text changes when it is sent back "
		           "(draf), or at its drafting step",
		           version, (long long)id, state);
		goto fail;
	}
	if (check_body(body, e) != 0)
		goto fail;
	char sha[SHA256_HEX_LEN + 1];
	sha256_hex(body, strlen(body), sha);
	if (db_run(a->db, e, "UPDATE policy_versions SET body = ?, updated_at = ? WHERE id = ?", "sii",
	           body, app_now(a), vid) != 0 ||
	    log_policy(a, actor, "policy.edit", id,
	               json_pack("{s:i, s:s}", "version", version, "sha256", sha), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int policy_ack(app *a, const char *user, int64_t id, sg_err *e)
{
	if (user_is_owner(user))
		return sg_err_set(e, SG_EPERM, "a policy is acknowledged by a named user");
	if (db_begin(a->db, e) != 0)
		return -1;
	db_stmt *st;
	int64_t vid = 0, version = 0;
	int rc = db_prepare_bind(a->db, &st, e,
	                         "SELECT v.id, v.version FROM policy_versions v JOIN policies p ON "
	                         "p.id = v.policy_id WHERE v.policy_id = ? AND p.status = 'aktif' "
	                         "AND v.state = 'dipublikasikan' ORDER BY v.version DESC LIMIT 1",
	                         "i", id);
	if (rc == 0) {
		if ((rc = db_step(st, e)) == DB_ROW) {
			vid = db_col_int(st, 0);
			version = db_col_int(st, 1);
		}
		db_finalize(st);
	}
	if (rc < 0)
		goto fail;
	if (vid == 0) {
		int64_t withdrawn = 0;
		if (db_query_int(a->db, e, &withdrawn,
		                 "SELECT COUNT(*) FROM policies WHERE id = ? AND status = 'dicabut'", "i",
		                 id) != DB_ROW)
			goto fail;
		if (withdrawn)
			sg_err_set(e, SG_ESTATE, "policy %lld is withdrawn (dicabut)", (long long)id);
		else
			sg_err_set(e, SG_ENOTFOUND, "policy %lld has no published version", (long long)id);
		goto fail;
	}
	/* told only of a policy there is to read */
	if (!policy_insider(a, user)) {
		sg_err_set(e, SG_EPERM, "a policy is acknowledged by the organisation's staff");
		goto fail;
	}
	int64_t had = 0;
	if (db_query_int(a->db, e, &had,
	                 "SELECT COUNT(*) FROM policy_acks WHERE version_id = ? AND user_name = ?",
	                 "is", vid, user) != DB_ROW)
		goto fail;
	if (!had && (db_run(a->db, e,
	                    "INSERT INTO policy_acks (version_id, user_name, at) VALUES (?, ?, ?)",
	                    "isi", vid, user, app_now(a)) != 0 ||
	             log_policy(a, user, "policy.ack", id,
	                        json_pack("{s:I}", "version", (json_int_t)version), e) != 0))
		goto fail;
	if (db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int policy_withdraw(app *a, const char *actor, int64_t id, const char *why, sg_err *e)
{
	if (db_begin(a->db, e) != 0)
		return -1;
	char status[16] = "";
	db_stmt *st;
	int rc = db_prepare_bind(a->db, &st, e, "SELECT status FROM policies WHERE id = ?", "i", id);
	if (rc == 0) {
		if ((rc = db_step(st, e)) == DB_ROW)
			snprintf(status, sizeof status, "%s", db_col_text(st, 0));
		db_finalize(st);
	}
	if (rc < 0)
		goto fail;
	if (*status == '\0') {
		sg_err_set(e, SG_ENOTFOUND, "no policy %lld", (long long)id);
		goto fail;
	}
	/* who may not is told so only of a policy that exists */
	if (!policy_may(a, actor, POLICY_WITHDRAW)) {
		sg_err_set(e, SG_EPERM, "only the Kepala Bidang or the Kepala Dinas withdraws a policy");
		goto fail;
	}
	if (why == NULL || why[strspn(why, " \t\r\n")] == '\0') {
		sg_err_set(e, SG_EINVAL, "say why the policy is withdrawn");
		goto fail;
	}
	if (utf8_length(why) > 4000) {
		sg_err_set(e, SG_EINVAL, "a reason is at most 4000 characters");
		goto fail;
	}
	if (strcmp(status, "dicabut") == 0) {
		sg_err_set(e, SG_ESTATE, "policy %lld is withdrawn already", (long long)id);
		goto fail;
	}
	int64_t now = app_now(a);
	if (db_run(a->db, e,
	           "UPDATE policies SET status = 'dicabut', revoked_at = ?, revoked_by = ?, "
	           "revoke_reason = ?, next_review_at = NULL, updated_at = ? WHERE id = ?",
	           "issii", now, actor, why, now, id) != 0 ||
	    db_run(a->db, e,
	           "UPDATE policy_versions SET state = 'dicabut', updated_at = ? WHERE policy_id = ? "
	           "AND state = 'dipublikasikan'",
	           "ii", now, id) != 0 ||
	    log_policy(a, actor, "policy.withdraw", id, json_pack("{s:s}", "reason", why), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

/* ---- reviews falling due ---- */

static const char EVALUATION[] = "kebijakan/evaluasi";

static int open_review(app *a, int64_t id, const char *title, int *opened, sg_err *e)
{
	const sop_procedure *proc = NULL;
	const sop_entry *en = sops_find_procedure(&a->sops, EVALUATION, &proc);
	if (en == NULL || proc == NULL)
		return 0; /* no evaluation procedure loaded: nothing to open */
	char ref[24], t[300], ticket[32];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	snprintf(t, sizeof t, "Evaluasi berkala: %s", title);
	if (utf8_length(t) > 200)
		snprintf(t, sizeof t, "Evaluasi berkala kebijakan %lld", (long long)id);
	json_t *fields = json_pack("{s:s}", "kebijakan", ref);
	int64_t case_id = 0;
	int rc = case_insert(a, en, proc, t, fields, "sigap", NULL, ticket, &case_id, e);
	json_decref(fields);
	if (rc != 0 ||
	    db_run(a->db, e, "UPDATE policies SET review_case_id = ?, updated_at = ? WHERE id = ?",
	           "iii", case_id, app_now(a), id) != 0 ||
	    logbook_record(a, "sigap", "case.create", "case", ticket,
	                   json_pack("{s:s, s:s, s:I}", "procedure", EVALUATION, "title", t,
	                             "policy", (json_int_t)id),
	                   e) != 0 ||
	    log_policy(a, "sigap", "policy.review_due", id, json_pack("{s:s}", "ticket", ticket),
	               e) != 0 ||
	    outbox_case(a, ticket, "sigap", e) != 0)
		return -1;
	(*opened)++;
	return 0;
}

int policy_round(app *a, int *opened, sg_err *e)
{
	int n = 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_serialize(a->db, "kebijakan", e) != 0)
		goto fail;
	db_stmt *st;
	/* due, and no evaluation case open for it */
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT p.id, p.title FROM policies p LEFT JOIN cases c ON c.id = "
	                    "p.review_case_id WHERE p.status = 'aktif' AND p.next_review_at <= ? AND "
	                    "(c.id IS NULL OR c.status <> 'open') ORDER BY p.id LIMIT 100",
	                    "i", app_now(a)) != 0)
		goto fail;
	int64_t ids[100];
	char *titles[100];
	int k = 0, rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		ids[k] = db_col_int(st, 0);
		titles[k++] = strdup(db_col_text(st, 1));
	}
	db_finalize(st);
	for (int i = 0; i < k && rc >= 0; i++)
		if (open_review(a, ids[i], titles[i], &n, e) != 0)
			rc = -1;
	for (int i = 0; i < k; i++)
		free(titles[i]);
	if (rc < 0 || db_commit(a->db, e) != 0)
		goto fail;
	if (opened)
		*opened = n;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}
