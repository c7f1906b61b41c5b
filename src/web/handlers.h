/*
 * handlers.h: every handler of the route table (routes.c), by file.
 */
#ifndef SG_WEB_HANDLERS_H
#define SG_WEB_HANDLERS_H

#include "app/findings.h"
#include "detect/sigma/rules.h"
#include "http.h"

/* page_public.c: the pages a visitor sees */
void page_home(web_req *r, web_res *res);
void page_login_form(web_req *r, web_res *res);
void page_login(web_req *r, web_res *res);
void page_logout(web_req *r, web_res *res);
void page_report_form(web_req *r, web_res *res);
void page_report(web_req *r, web_res *res);
void page_status_form(web_req *r, web_res *res);
void page_status(web_req *r, web_res *res);
void page_password_form(web_req *r, web_res *res);
void page_password(web_req *r, web_res *res);
/* The gate of the report form: takes one report from the address's
 * hourly allowance before the body is read. */
bool gate_report_page(web_req *r, web_res *res);

/* page_dashboard.c: the dashboard and the user's tasks */
void page_dashboard(web_req *r, web_res *res);
void page_tasks(web_req *r, web_res *res);
/* page_tasks.c: the table of a user's tasks (tasks_of), or a line saying
 * there are none. */
void html_tasks_table(const web_req *r, web_res *res, json_t *tasks);

/* page_cases.c: the case list and a new case */
void page_cases(web_req *r, web_res *res);
void page_case_new_form(web_req *r, web_res *res);
void page_case_new(web_req *r, web_res *res);
/* Form values and uploads of a list of SOP fields (borrowed from r);
 * returns the number of values. */
size_t page_collect_fields(const web_req *r, const sop_field *fields, size_t nf, sop_value *v,
                           size_t max, case_upload *u, size_t *nu, size_t umax);

/* page_case.c: one case */
void page_case(web_req *r, web_res *res);
void page_case_step(web_req *r, web_res *res);
void page_case_comment(web_req *r, web_res *res);
void page_case_assign(web_req *r, web_res *res);
void page_case_tlp(web_req *r, web_res *res);
void page_case_name(web_req *r, web_res *res);
void page_case_attach(web_req *r, web_res *res);
void page_case_print(web_req *r, web_res *res);
/* page_documents.c: a case's output documents; their public verification */
void page_case_documents(web_req *r, web_res *res);
void page_case_document_issue(web_req *r, web_res *res);
void page_case_export(web_req *r, web_res *res);
void page_report_monthly(web_req *r, web_res *res);
void page_verify_home(web_req *r, web_res *res);
void page_verify(web_req *r, web_res *res);
void page_verify_check(web_req *r, web_res *res);
/* the letterhead and signatories, for admins (/admin/dokumen) */
void page_letterhead(web_req *r, web_res *res);
void page_letterhead_save(web_req *r, web_res *res);
/* Takes a check from the address's hourly allowance before the body. */
bool gate_verify_page(web_req *r, web_res *res);
/* page_vuln_report.c: the printable vulnerability report of an OPD */
void page_vuln_report(web_req *r, web_res *res);
void page_evidence(web_req *r, web_res *res);
/* Gates: the case exists and the user may complete its current step, or
 * add evidence to it. */
bool gate_case_step_page(web_req *r, web_res *res);
bool gate_case_attach_page(web_req *r, web_res *res);
/* The case page, with an error above the step (NULL: none), or the token
 * of a link just issued, shown once (NULL: none). */
void page_case_render(web_req *r, web_res *res, const char *error, const char *issued);
/* The assets of a case with the form that attaches one (page_case_assets.c). */
void page_case_assets_panel(const web_req *r, web_res *res, json_t *c);
void page_case_asset_attach(web_req *r, web_res *res);
/* page_case_findings.c: the findings linked to a case, and on an open
 * CTI case the form linking findings to its vulnerability assessment. */
void page_case_findings_panel(const web_req *r, web_res *res, json_t *c);
void page_case_findings_link(web_req *r, web_res *res);
/* page_case_flows.c: sending back, reopening, links; the parts of the
 * case page they draw */
void page_case_send_back(web_req *r, web_res *res);
void page_case_reopen(web_req *r, web_res *res);
void page_case_link_new(web_req *r, web_res *res);
void page_case_link_revoke(web_req *r, web_res *res);
/* Whether the user holds a role that may complete st on its outside
 * actor's behalf. */
bool page_may_act_for(const web_req *r, const sop *s, const sop_step *st);
/* Who did a history line: "rina (Petugas)", "completed by rina on behalf
 * of Budi (Pelapor) via telepon", "sent back by … to step 3". */
void page_run_who(const web_req *r, web_res *res, json_t *run, const sop *s);
void page_send_back_form(const web_req *r, web_res *res, json_t *c, const sop *s,
                         const sop_procedure *proc, const sop_step *st);
void page_reopen_form(const web_req *r, web_res *res, json_t *c, const sop *s,
                      const sop_procedure *proc);
void page_links_panel(const web_req *r, web_res *res, json_t *c, const sop *s,
                      const sop_step *st);
void page_link_issued(const web_req *r, web_res *res, const char *token);
/* page_link.c: /tautan/{token}, an outside actor's step without an
 * account; the gate checks the token before the body is read. */
void page_link_file(web_req *r, web_res *res);
void page_link_form(web_req *r, web_res *res);
void page_link_complete(web_req *r, web_res *res);
bool gate_link_page(web_req *r, web_res *res);

/* page_admin.c: SOPs, tokens, users */
void page_sops(web_req *r, web_res *res);
void page_sop(web_req *r, web_res *res);
void page_tokens(web_req *r, web_res *res);
void page_token_new(web_req *r, web_res *res);
void page_token_revoke(web_req *r, web_res *res);
void page_users(web_req *r, web_res *res);
void page_user_add(web_req *r, web_res *res);
void page_user_update(web_req *r, web_res *res);

/* page_risks.c: the risk register, one risk, its forms */
void page_risks(web_req *r, web_res *res);
void page_risk(web_req *r, web_res *res);
void page_risk_new_form(web_req *r, web_res *res);
void page_risk_new(web_req *r, web_res *res);
void page_risk_edit_form(web_req *r, web_res *res);
void page_risk_edit(web_req *r, web_res *res);
/* The dashboard's panel: the heat map of the open risks the user sees
 * (nothing for who sees none). */
void page_risk_panel(web_req *r, web_res *res);
/* page_exceptions.c: exceptions to the ISMS */
void page_exceptions(web_req *r, web_res *res);
void page_exception(web_req *r, web_res *res);
void page_exception_change_form(web_req *r, web_res *res);
void page_exception_change(web_req *r, web_res *res);
void page_exception_revoke(web_req *r, web_res *res);
/* On the page of the case that made it: its state, period, risks and the
 * alerts on its assets since approval (the SOP's watch, step 5). */
void page_case_exception_panel(web_req *r, web_res *res, json_t *c);
/* page_policies.c, api_policies.c: the library of policies */
void page_policies(web_req *r, web_res *res);
void page_policy(web_req *r, web_res *res);
void page_policy_diff(web_req *r, web_res *res);
void page_policy_edit(web_req *r, web_res *res);
void page_policy_ack(web_req *r, web_res *res);
void page_policy_withdraw(web_req *r, web_res *res);
void api_policies(web_req *r, web_res *res);
void api_policy_get(web_req *r, web_res *res);
void api_policy_diff(web_req *r, web_res *res);
void api_policy_text(web_req *r, web_res *res);
void api_policy_ack(web_req *r, web_res *res);
void api_policy_withdraw(web_req *r, web_res *res);
/* api_exceptions.c */
void api_exceptions(web_req *r, web_res *res);
void api_exception_get(web_req *r, web_res *res);
void api_exception_change(web_req *r, web_res *res);
void api_exception_revoke(web_req *r, web_res *res);
/* page_monitor.c: the website monitor's pages and forms */
void page_monitor(web_req *r, web_res *res);
void page_monitor_site(web_req *r, web_res *res);
void page_monitor_new_form(web_req *r, web_res *res);
void page_monitor_new(web_req *r, web_res *res);
void page_monitor_edit_form(web_req *r, web_res *res);
void page_monitor_edit(web_req *r, web_res *res);
void page_monitor_status(web_req *r, web_res *res);
void page_monitor_check(web_req *r, web_res *res);
void page_monitor_baseline(web_req *r, web_res *res);
/* On the page of a monitor alert: the finding in the reader's language,
 * the page kept, the site as it stands now. */
void page_monitor_alert(web_req *r, web_res *res, json_t *event);
/* api_monitor.c */
void api_monitor_sites(web_req *r, web_res *res);
void api_monitor_site(web_req *r, web_res *res);
void api_monitor_add(web_req *r, web_res *res);
void api_monitor_edit(web_req *r, web_res *res);
void api_monitor_check(web_req *r, web_res *res);
void api_monitor_baseline(web_req *r, web_res *res);
/* This server's name in the custody of the pages a check from the web
 * fetches: its host name. */
void monitor_node_name(char *out, size_t n);
/* api_risks.c */
void api_risks(web_req *r, web_res *res);
void api_risk_matrix(web_req *r, web_res *res);
void api_risk_get(web_req *r, web_res *res);
void api_risk_create(web_req *r, web_res *res);
void api_risk_update(web_req *r, web_res *res);
void api_controls(web_req *r, web_res *res);
void page_controls(web_req *r, web_res *res);
/* page_assets.c: the register of assets, one asset, its forms, CSV */
void page_assets(web_req *r, web_res *res);
void page_assets_export(web_req *r, web_res *res);
void page_assets_import(web_req *r, web_res *res);
/* The gate of the CSV upload: the caller may change some asset, and the
 * declared length is within [web] body_max. */
bool gate_assets_import_page(web_req *r, web_res *res);
void page_asset(web_req *r, web_res *res);
/* The assets the user may see as the choices of an asset-number field
 * (<datalist id=list_id>, number and "name (OPD)"): typing part of a
 * name offers its number. The first 2,000 by OPD and name; past them the
 * field still takes any number. */
void page_asset_choices(const web_req *r, web_res *res, const char *list_id);
void page_asset_new_form(web_req *r, web_res *res);
void page_asset_new(web_req *r, web_res *res);
void page_asset_edit_form(web_req *r, web_res *res);
void page_asset_edit(web_req *r, web_res *res);
void page_asset_retire(web_req *r, web_res *res);
/* page_opd.c: the OPDs, for who keeps them */
void page_opds(web_req *r, web_res *res);
void page_opd_add(web_req *r, web_res *res);
void page_opd_update(web_req *r, web_res *res);
void page_opd_delete(web_req *r, web_res *res);

/* page_logbook.c: the logbook with its chain check, filters and pages */
void page_logbook(web_req *r, web_res *res);
/* The table of logbook entries as sentences (the case page's too). */
void html_logbook_table(const web_req *r, web_res *res, json_t *entries);

/* static.c: style sheets, script, health and metrics */
void static_file(web_req *r, web_res *res);
void page_healthz(web_req *r, web_res *res);
void page_metrics(web_req *r, web_res *res);

/* api.c and api_cases.c: /api/v1 */
void api_openapi(web_req *r, web_res *res);
void api_me(web_req *r, web_res *res);
void api_my_tasks(web_req *r, web_res *res);
void api_password(web_req *r, web_res *res);
void api_dashboard(web_req *r, web_res *res);
void api_cases(web_req *r, web_res *res);
void api_case_create(web_req *r, web_res *res);
void api_case_get(web_req *r, web_res *res);
void api_case_step(web_req *r, web_res *res);
void api_case_comments(web_req *r, web_res *res);
void api_case_documents(web_req *r, web_res *res);
void api_case_export(web_req *r, web_res *res);
void api_case_document_issue(web_req *r, web_res *res);
void api_case_comment(web_req *r, web_res *res);
void api_case_assign(web_req *r, web_res *res);
void api_case_tlp(web_req *r, web_res *res);
void api_case_name(web_req *r, web_res *res);
void api_case_asset(web_req *r, web_res *res);
void api_case_evidence(web_req *r, web_res *res);
void api_case_attach(web_req *r, web_res *res);
void api_evidence_get(web_req *r, web_res *res);
void api_report(web_req *r, web_res *res);
void api_report_status(web_req *r, web_res *res);
bool gate_report_api(web_req *r, web_res *res);
bool gate_case_step_api(web_req *r, web_res *res);
bool gate_case_attach_api(web_req *r, web_res *res);
/* api_flows.c */
void api_case_send_back(web_req *r, web_res *res);
void api_case_reopen(web_req *r, web_res *res);
void api_case_links(web_req *r, web_res *res);
void api_case_link_new(web_req *r, web_res *res);
void api_case_link_revoke(web_req *r, web_res *res);
void api_sops(web_req *r, web_res *res);
void api_sop(web_req *r, web_res *res);
void api_logbook(web_req *r, web_res *res);
void api_logbook_verify(web_req *r, web_res *res);
void api_users(web_req *r, web_res *res);
void api_user_add(web_req *r, web_res *res);
void api_user_update(web_req *r, web_res *res);
/* api_assets.c */
void api_opd_list(web_req *r, web_res *res);
void api_opd_get(web_req *r, web_res *res);
void api_opd_create(web_req *r, web_res *res);
void api_opd_update(web_req *r, web_res *res);
void api_opd_delete(web_req *r, web_res *res);
void api_assets(web_req *r, web_res *res);
void api_asset_get(web_req *r, web_res *res);
void api_asset_create(web_req *r, web_res *res);
void api_asset_update(web_req *r, web_res *res);
void api_asset_retire(web_req *r, web_res *res);
void api_assets_export(web_req *r, web_res *res);
void api_assets_import(web_req *r, web_res *res);
void api_tokens(web_req *r, web_res *res);
void api_token_new(web_req *r, web_res *res);
void api_token_revoke(web_req *r, web_res *res);

/* api_findings.c: /api/v1/findings */
void api_findings(web_req *r, web_res *res);
void api_finding_get(web_req *r, web_res *res);
void api_findings_decide(web_req *r, web_res *res);
void api_finding_attach(web_req *r, web_res *res);
void api_findings_import(web_req *r, web_res *res);
void api_findings_imports(web_req *r, web_res *res);
/* The import's gate: the caller may import (CSIRT staff) before the
 * report is received. */
bool gate_findings_import_api(web_req *r, web_res *res);
/* The list's filters from the query (opd, asset, severity, min_severity,
 * state, overdue, unmatched, cve, q, kev, min_epss, sort), the viewer the
 * caller; false with *why (English) when one does not read. */
bool findings_filter_query(const web_req *r, finding_filter *f, const char **why);
/* An acceptance's expiry: a date (through its last second) or a time. */
bool findings_parse_until(const web_req *r, const char *s, int64_t *out);
/* An import's summary as the API answers it. */
json_t *findings_summary_json(const vuln_import_summary *s, const char *filename);

/* page_findings.c: /kerentanan, a finding's page, the report upload */
void page_findings(web_req *r, web_res *res);
void page_findings_decide(web_req *r, web_res *res);
void page_findings_patch(web_req *r, web_res *res);
void page_finding(web_req *r, web_res *res);
void page_finding_decide(web_req *r, web_res *res);
void page_finding_attach(web_req *r, web_res *res);
void page_findings_import_form(web_req *r, web_res *res);
void page_findings_import(web_req *r, web_res *res);
bool gate_findings_import_page(web_req *r, web_res *res);

/* page_detect.c: alerts, triage, rule and indicator pages */
void page_alerts(web_req *r, web_res *res);
void page_alert(web_req *r, web_res *res);
void page_alert_decide(web_req *r, web_res *res);
void page_alert_case(web_req *r, web_res *res);
void page_alert_attach(web_req *r, web_res *res);
void page_rule(web_req *r, web_res *res);
void page_indicators(web_req *r, web_res *res);
void page_indicator(web_req *r, web_res *res);

/* api_detect.c: ingest, alerts, indicators, rules */
void api_ingest_wazuh(web_req *r, web_res *res);
void api_alerts(web_req *r, web_res *res);
void api_alert(web_req *r, web_res *res);
void api_alert_decide(web_req *r, web_res *res);
void api_alert_case(web_req *r, web_res *res);
void api_alert_attach(web_req *r, web_res *res);
void api_indicators(web_req *r, web_res *res);
void api_indicator_search(web_req *r, web_res *res);
void api_indicator(web_req *r, web_res *res);
void api_vuln_cve(web_req *r, web_res *res);
void api_findings_patch(web_req *r, web_res *res);
void api_case_findings(web_req *r, web_res *res);
void api_case_findings_link(web_req *r, web_res *res);
void api_rules(web_req *r, web_res *res);
void api_rule(web_req *r, web_res *res);
/* A loaded rule by id (NULL when none), and its JSON form. */
const det_rule *api_find_rule(const det_rules *rs, const char *id);
json_t *api_rule_json(const det_rule *x);

/* page_outbox.c: the outbox for admins, page and API */
void page_outbox(web_req *r, web_res *res);
void page_outbox_resend(web_req *r, web_res *res);
void page_outbox_settle(web_req *r, web_res *res);
void api_outbox(web_req *r, web_res *res);
void api_outbox_resend(web_req *r, web_res *res);
void api_outbox_settle(web_req *r, web_res *res);

/* page_account.c: a user's own notification settings, page and API */
void page_account(web_req *r, web_res *res);
void page_account_save(web_req *r, web_res *res);
void api_me_notifications(web_req *r, web_res *res);
void api_me_notifications_set(web_req *r, web_res *res);

#endif
