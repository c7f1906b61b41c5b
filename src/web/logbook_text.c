/*
 * logbook_text.c: the logbook read as sentences. Every action the code
 * appends (grep logbook_record and logbook_append in src/app) has its
 * sentence here, built from the entry's actor, object and details; an
 * action without one (a newer sigap's, or one added without its sentence
 * here) still reads as "ACTION on OBJECT by ACTOR", so nothing is hidden.
 *
 * A sentence is a translated template with numbered holes ("Langkah {1}
 * diselesaikan oleh {2}: {3}"), not a printf format: a translation may
 * put the holes in its own order, and a value can never act as a format.
 * Every value is escaped as it is written.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "i18n.h"
#include "logbook_text.h"

const char *const logbook_kinds[LOGBOOK_N_KINDS + 1] = {"case", "alert", "ioc", "vuln", "sop", "user", "token", "opd", "asset", NULL};

/* Writes template with {1}…{9} replaced by args (escaped); a hole
 * without an argument is left out. O(template). */
static void fill(web_res *res, const char *tpl, const char *const *args, int n)
{
	const char *p = tpl, *run = tpl;
	while (*p) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			buf_append(&res->body, run, (size_t)(p - run));
			int k = p[1] - '1';
			if (k < n && args[k])
				h(res, args[k]);
			p += 3;
			run = p;
		} else {
			p++;
		}
	}
	buf_append(&res->body, run, (size_t)(p - run));
}

static const char *dstr(json_t *d, const char *k)
{
	return json_string_value(json_object_get(d, k));
}

/* An integer detail as text into out ("" when absent). */
static const char *dint(json_t *d, const char *k, char *out, size_t n)
{
	json_t *v = json_object_get(d, k);
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else
		out[0] = '\0';
	return out;
}

void html_logbook_sentence(const web_req *r, web_res *res, json_t *en)
{
	const char *action = json_string_value(json_object_get(en, "action"));
	const char *actor = json_string_value(json_object_get(en, "actor"));
	const char *object = json_string_value(json_object_get(en, "object"));
	json_t *d = json_object_get(en, "details");
	const char *colon = object ? strchr(object, ':') : NULL;
	const char *id = colon ? colon + 1 : object; /* "INS-2026-0001", "rina", "12" */
	char n1[24], n2[24], n3[24], n4[24];
	if (action == NULL || actor == NULL || object == NULL)
		return;
#define SENTENCE(tpl, ...)                                                                          \
	do {                                                                                   \
		const char *const args_[] = {__VA_ARGS__};                                     \
		fill(res, T(r, tpl), args_, (int)(sizeof args_ / sizeof args_[0]));            \
		return;                                                                        \
	} while (0)
	if (strcmp(action, "case.create") == 0)
		SENTENCE("Case {1} opened by {2}", id, actor);
	if (strcmp(action, "case.step") == 0 && dstr(d, "on_behalf_of")) {
		dint(d, "step", n1, sizeof n1);
		if (dstr(d, "decision"))
			SENTENCE("Step {1} completed by {2} on behalf of {3} ({4}): {5}", n1, actor,
			         dstr(d, "on_behalf_of"), dstr(d, "channel"), dstr(d, "decision"));
		SENTENCE("Step {1} completed by {2} on behalf of {3} ({4})", n1, actor,
		         dstr(d, "on_behalf_of"), dstr(d, "channel"));
	}
	if (strcmp(action, "case.step") == 0) {
		dint(d, "step", n1, sizeof n1);
		if (dstr(d, "decision"))
			SENTENCE("Step {1} completed by {2}: {3}", n1, actor, dstr(d, "decision"));
		SENTENCE("Step {1} completed by {2}", n1, actor);
	}
	if (strcmp(action, "case.send_back") == 0)
		SENTENCE("Case {1} sent back from step {2} to step {3} by {4}: {5}", id,
		         dint(d, "from", n1, sizeof n1), dint(d, "to", n2, sizeof n2), actor,
		         dstr(d, "reason"));
	if (strcmp(action, "case.reopen") == 0)
		SENTENCE("Case {1} reopened at step {2} by {3}: {4}", id, dint(d, "step", n1, sizeof n1),
		         actor, dstr(d, "reason"));
	if (strcmp(action, "case.link.issue") == 0)
		SENTENCE("Link for step {1} of case {2} issued to {3} by {4}",
		         dint(d, "step", n1, sizeof n1), id, dstr(d, "recipient"), actor);
	if (strcmp(action, "case.link.revoke") == 0)
		SENTENCE("Link {1} of case {2} revoked by {3}", dint(d, "link", n1, sizeof n1), id, actor);
	if (strcmp(action, "case.link.use") == 0)
		SENTENCE("Step {1} of case {2} completed by {3} through a link",
		         dint(d, "step", n1, sizeof n1), id, dstr(d, "recipient"));
	if (strcmp(action, "case.handover") == 0)
		SENTENCE("Case {1} handed over to case {2} ({3}) by {4}", id, dstr(d, "to"),
		         dstr(d, "procedure"), actor);
	if (strcmp(action, "case.close") == 0)
		SENTENCE("Case {1} closed by {2}", id, actor);
	if (strcmp(action, "case.comment") == 0)
		SENTENCE("Comment on case {1} added by {2}", id, actor);
	if (strcmp(action, "case.assign") == 0) {
		if (dstr(d, "assignee"))
			SENTENCE("Case {1} assigned to {2} by {3}", id, dstr(d, "assignee"), actor);
		SENTENCE("Case {1} unassigned by {2}", id, actor);
	}
	if (strcmp(action, "case.tlp") == 0)
		SENTENCE("TLP label of case {1} set to {2} by {3}", id, dstr(d, "to"), actor);
	if (strcmp(action, "case.tlp_lowered") == 0)
		SENTENCE("TLP label of case {1} lowered from {2} to {3} by {4}", id, dstr(d, "from"),
		         dstr(d, "to"), actor);
	if (strcmp(action, "case.evidence") == 0)
		SENTENCE("Evidence {1} attached to case {2} by {3}", dstr(d, "filename"), id, actor);
	if (strcmp(action, "document.issue") == 0)
		SENTENCE("Document {1} of case {2} issued by {3}", dstr(d, "number") ? dstr(d, "number") : "?",
		         id, actor);
	if (strcmp(action, "case.name") == 0)
		SENTENCE("{1} named on case {2} by {3}", dstr(d, "person") ? dstr(d, "person") : "?", id,
		         actor);
	if (strcmp(action, "alert.decide") == 0)
		SENTENCE("Alert {1} set to {2} by {3}", id,
		         dstr(d, "to") ? html_alert_status(r, dstr(d, "to")) : "?", actor);
	if (strcmp(action, "alert.attach") == 0)
		SENTENCE("Alert {1} attached to asset {2} by {3}", id,
		         dint(d, "asset", n1, sizeof n1), actor);
	if (strcmp(action, "case.asset") == 0)
		SENTENCE("Case {1} linked to asset {2} ({3}) by {4}", id,
		         dint(d, "asset", n1, sizeof n1), dstr(d, "via") ? dstr(d, "via") : "?", actor);
	if (strcmp(action, "alert.case") == 0) {
		snprintf(n1, sizeof n1, "%zu", json_array_size(json_object_get(d, "alerts")));
		SENTENCE("Case {1} opened for {2} alerts by {3}", id, n1, actor);
	}
	if (strcmp(action, "vuln.patch") == 0) {
		snprintf(n1, sizeof n1, "%zu", json_array_size(json_object_get(d, "findings")));
		SENTENCE("Patch case {1} started from {2} findings by {3}", id, n1, actor);
	}
	if (strcmp(action, "vuln.assessment") == 0) {
		snprintf(n1, sizeof n1, "%zu", json_array_size(json_object_get(d, "findings")));
		SENTENCE("{1} findings linked to the vulnerability assessment of case {2} by {3}", n1,
		         id, actor);
	}
	if (strcmp(action, "case.rescan") == 0)
		SENTENCE("Import {1} no longer finds the findings of case {2}: its verification "
		         "recorded",
		         dint(d, "import", n1, sizeof n1), id);
	if (strcmp(action, "case.finding_reopened") == 0)
		SENTENCE("Finding {1} of case {2} came back in import {3}",
		         dint(d, "finding", n1, sizeof n1), id, dint(d, "import", n2, sizeof n2));
	if (strcmp(action, "ioc.import") == 0)
		SENTENCE("Indicators imported from {1} by {2}: {3} new, {4} updated", id, actor,
		    dint(d, "added", n1, sizeof n1), dint(d, "updated", n2, sizeof n2));
	if (strcmp(action, "vuln.import") == 0)
		SENTENCE("Scanner report {1} ({2}) imported by {3}: {4} new, {5} seen again, {6} "
		         "reopened, {7} no longer present",
		         id, dstr(d, "scanner"), actor, dint(d, "new", n1, sizeof n1),
		         dint(d, "seen_again", n2, sizeof n2), dint(d, "reopened", n3, sizeof n3),
		         dint(d, "gone", n4, sizeof n4));
	if (strcmp(action, "vuln.decide") == 0)
		SENTENCE("Finding {1} set from {2} to {3} by {4}", id, dstr(d, "from"), dstr(d, "to"),
		         actor);
	if (strcmp(action, "vuln.attach") == 0)
		SENTENCE("Finding {1} attached to asset {2} by {3}", id,
		         dint(d, "asset", n1, sizeof n1), actor);
	if (strcmp(action, "vuln.intel.import") == 0) {
		const char *kind = dstr(d, "kind") ? dstr(d, "kind") : "";
		const char *file = dstr(d, "file");
		dint(d, "new", n1, sizeof n1);
		dint(d, "changed", n2, sizeof n2);
		if (strcmp(kind, "kev") == 0)
			SENTENCE("KEV catalog imported from {1} by {2}: {3} new, {4} changed, {5} due "
			         "dates moved", file, actor, n1, n2,
			         dint(d, "kev_due_changed", n3, sizeof n3));
		if (strcmp(kind, "epss") == 0)
			SENTENCE("EPSS scores imported from {1} by {2}: {3} new, {4} changed, {5} moved",
			         file, actor, n1, n2, dint(d, "epss_moved", n3, sizeof n3));
		SENTENCE("CVE records imported from {1} by {2}: {3} new, {4} changed", file, actor, n1,
		         n2);
	}
	if (strcmp(action, "ioc.expire") == 0)
		SENTENCE("{1} expired indicators removed by {2}", dint(d, "removed", n1, sizeof n1), actor);
	if (strcmp(action, "sop.register") == 0)
		SENTENCE("SOP {1} registered by {2}", id, actor);
	if (strcmp(action, "user.add") == 0)
		SENTENCE("User {1} added by {2}", id, actor);
	if (strcmp(action, "user.update") == 0)
		SENTENCE("User {1} changed by {2}", id, actor);
	if (strcmp(action, "user.password") == 0)
		SENTENCE("Password of {1} changed", id);
	if (strcmp(action, "user.contact") == 0)
		SENTENCE("Notification contact of {1} changed by {2}", id, actor);
	if (strcmp(action, "intake.too_big") == 0)
		SENTENCE("An e-mail of {1} bytes was left in the mailbox, flagged: larger than max_size",
		         dint(d, "size", n1, sizeof n1));
	if (strcmp(action, "report.receipt_withheld") == 0)
		SENTENCE("No receipt was sent to {1} for case {2}: that address already had {3} "
		         "receipts within the hour",
		         dstr(d, "address"), id, dint(d, "per_hour", n1, sizeof n1));
	if (strcmp(action, "intake.failed") == 0)
		SENTENCE("An e-mail from {1} could not be taken and was left in the mailbox, flagged: {2}",
		         dstr(d, "from") ? dstr(d, "from") : "?", dstr(d, "error") ? dstr(d, "error") : "?");
	if (strcmp(action, "intake.ignored") == 0)
		SENTENCE("An e-mail from {1} was not taken as a report: {2}",
		         dstr(d, "from") ? dstr(d, "from") : "?", dstr(d, "reason") ? dstr(d, "reason") : "?");
	if (strcmp(action, "document.settings") == 0)
		SENTENCE("Letterhead and signatories of the documents changed by {1}", actor);
	if (strcmp(action, "outbox.resend") == 0)
		SENTENCE("Message {1} of the outbox ({2}) sent again by {3}", id, dstr(d, "object"),
		         actor);
	if (strcmp(action, "outbox.settle") == 0)
		SENTENCE("Message {1} of the outbox ({2}) marked delivered by {3}", id,
		         dstr(d, "object"), actor);
	if (strcmp(action, "user.login") == 0)
		SENTENCE("{1} signed in from {2}", actor, dstr(d, "origin"));
	if (strcmp(action, "user.login_backoff") == 0)
		SENTENCE("Sign-ins for {1} held back after {2} failures", id,
		    dint(d, "failures", n1, sizeof n1));
	if (strcmp(action, "opd.add") == 0)
		SENTENCE("OPD {1} ({2}) added by {3}", dstr(d, "name"), dstr(d, "abbrev"), actor);
	if (strcmp(action, "opd.update") == 0)
		SENTENCE("OPD {1} changed by {2}", id, actor);
	if (strcmp(action, "opd.delete") == 0)
		SENTENCE("OPD {1} deleted by {2}", dstr(d, "ref") ? dstr(d, "ref") : id, actor);
	if (strcmp(action, "user.opd") == 0) {
		if (json_is_integer(json_object_get(d, "opd")))
			SENTENCE("User {1} placed in OPD {2} by {3}", id, dint(d, "opd", n1, sizeof n1),
			         actor);
		SENTENCE("User {1} taken out of their OPD by {2}", id, actor);
	}
	if (strcmp(action, "asset.add") == 0)
		SENTENCE("Asset {1} ({2}) registered by {3}", id, dstr(d, "name"), actor);
	if (strcmp(action, "asset.update") == 0)
		SENTENCE("Asset {1} ({2}) changed by {3}", id, dstr(d, "name"), actor);
	if (strcmp(action, "asset.claim") == 0)
		SENTENCE("Asset {1} took {2} alerts and {3} findings that matched no asset, on a change "
		         "by {4}", id, dint(d, "alerts", n1, sizeof n1),
		         dint(d, "findings", n2, sizeof n2), actor);
	if (strcmp(action, "risk.create") == 0)
		SENTENCE("Risk {1} ({2}) entered in the register by {3}", id, dstr(d, "title"), actor);
	if (strcmp(action, "risk.update") == 0 && dstr(d, "fields"))
		SENTENCE("Risk {1} ({2}) changed by {3}: {4}", id, dstr(d, "title"), actor,
		         dstr(d, "fields"));
	if (strcmp(action, "risk.update") == 0)
		SENTENCE("Risk {1} ({2}) changed by {3}", id, dstr(d, "title"), actor);
	if (strcmp(action, "exception.request") == 0)
		SENTENCE("Exception {1} requested on case {2} by {3}, until {4}", id,
		         dstr(d, "ticket"), actor, dstr(d, "until"));
	if (strcmp(action, "exception.risks") == 0)
		SENTENCE("Exception {1}: its Daftar Risiko linked from the register by {2}", id, actor);
	if (strcmp(action, "exception.approve") == 0)
		SENTENCE("Exception {1} approved by {2}, in force {3} to {4}", id, actor,
		         dstr(d, "from"), dstr(d, "until"));
	if (strcmp(action, "exception.refuse") == 0)
		SENTENCE("Exception {1} refused by {2}", id, actor);
	if (strcmp(action, "exception.start") == 0)
		SENTENCE("Exception {1} came into force", id);
	if (strcmp(action, "exception.expire") == 0)
		SENTENCE("Exception {1} expired; its findings returned to their earlier states", id);
	if (strcmp(action, "exception.remind") == 0)
		SENTENCE("Exception {1}: reminder written, {2} days before it ends", id,
		         dint(d, "days", n1, sizeof n1));
	if (strcmp(action, "exception.change") == 0)
		SENTENCE("Exception {1} changed by {2}: its approval is void, the change is exception "
		         "{3} of case {4}",
		         id, actor, dint(d, "new_exception", n1, sizeof n1), dstr(d, "new_ticket"));
	if (strcmp(action, "exception.revoke") == 0)
		SENTENCE("Exception {1} revoked by {2}: {3}", id, actor, dstr(d, "reason"));
	if (strcmp(action, "monitor.add") == 0)
		SENTENCE("Website {1} ({2}) watched by {3}", id, dstr(d, "url"), actor);
	if (strcmp(action, "monitor.edit") == 0)
		SENTENCE("Watched website {1} changed by {2}", id, actor);
	if (strcmp(action, "monitor.stop") == 0)
		SENTENCE("Watched website {1} no longer checked, by {2}", id, actor);
	if (strcmp(action, "monitor.start") == 0)
		SENTENCE("Watched website {1} checked again, by {2}", id, actor);
	if (strcmp(action, "monitor.baseline") == 0)
		SENTENCE("Watched website {1}: {2} pages accepted as the baseline by {3}", id,
		         dint(d, "pages", n1, sizeof n1), actor);
	if (strcmp(action, "policy.create") == 0)
		SENTENCE("Policy {1} ({2}) entered in the library by {3}", id, dstr(d, "title"), actor);
	if (strcmp(action, "policy.draft") == 0)
		SENTENCE("Policy {1}: version {2} drafted on case {3} by {4}", id,
		         dint(d, "version", n1, sizeof n1), dstr(d, "ticket"), actor);
	if (strcmp(action, "policy.edit") == 0)
		SENTENCE("Policy {1}: the draft of version {2} rewritten by {3}", id,
		         dint(d, "version", n1, sizeof n1), actor);
	if (strcmp(action, "policy.approve") == 0)
		SENTENCE("Policy {1}: version {2} approved by {3}", id, dint(d, "version", n1, sizeof n1),
		         actor);
	if (strcmp(action, "policy.send_back") == 0)
		SENTENCE("Policy {1}: version {2} sent back for rework by {3}", id,
		         dint(d, "version", n1, sizeof n1), actor);
	if (strcmp(action, "policy.ratify") == 0)
		SENTENCE("Policy {1}: version {2} ratified by {3} as number {4}, SHA-256 {5}", id,
		         dint(d, "version", n1, sizeof n1), actor, dstr(d, "number"), dstr(d, "sha256"));
	if (strcmp(action, "policy.publish") == 0)
		SENTENCE("Policy {1}: version {2} published on case {3} by {4}", id,
		         dint(d, "version", n1, sizeof n1), dstr(d, "ticket"), actor);
	if (strcmp(action, "policy.ack") == 0)
		SENTENCE("Policy {1}: version {2} read by {3}", id, dint(d, "version", n1, sizeof n1),
		         actor);
	if (strcmp(action, "policy.evaluate") == 0)
		SENTENCE("Policy {1} evaluated on case {2} by {3}", id, dstr(d, "ticket"), actor);
	if (strcmp(action, "policy.review_due") == 0)
		SENTENCE("Policy {1}: its review fell due; evaluation case {2} opened", id,
		         dstr(d, "ticket"));
	if (strcmp(action, "policy.withdraw") == 0)
		SENTENCE("Policy {1} withdrawn by {2}: {3}", id, actor, dstr(d, "reason"));
	if (strcmp(action, "asset.retire") == 0)
		SENTENCE("Asset {1} retired by {2}: {3}", id, actor, dstr(d, "reason"));
	if (strcmp(action, "asset.import") == 0)
		SENTENCE("Assets imported from {1} by {2}: {3} added, {4} changed", id, actor,
		         dint(d, "added", n1, sizeof n1), dint(d, "updated", n2, sizeof n2));
	if (strcmp(action, "token.create") == 0)
		SENTENCE("API token {1} for {2} created by {3}", dstr(d, "name"), id, actor);
	if (strcmp(action, "token.revoke") == 0)
		SENTENCE("API token {1} of {2} revoked by {3}", dint(d, "id", n1, sizeof n1), id, actor);
	SENTENCE("{1} on {2} by {3}", action, object, actor);
#undef SENTENCE
}
