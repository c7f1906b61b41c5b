/*
 * routes.c: the route table: every address sigap answers, who may call
 * it, and its handler. Order matters only where a literal segment and a
 * {parameter} compete (/kasus/baru before /kasus/{ticket}).
 *
 * Only the routes marked UP take files, and so bodies larger than
 * [web] body_max; their gate is asked, before any of the body is read,
 * whether this caller may send here.
 */
#include "handlers.h"
#include "router.h"

#define PAGE(m, p, a, h, s)                                                                        \
	{                                                                                          \
		m, p, a, ROUTE_PAGE, h, s, false, NULL                                             \
	}
#define API(m, p, a, h, s)                                                                         \
	{                                                                                          \
		m, p, a, ROUTE_API, h, s, false, NULL                                              \
	}
/* A route that takes uploads, with its gate. */
#define PAGE_UP(m, p, a, h, g, s)                                                                  \
	{                                                                                          \
		m, p, a, ROUTE_PAGE, h, s, true, g                                                 \
	}
#define API_UP(m, p, a, h, g, s)                                                                   \
	{                                                                                          \
		m, p, a, ROUTE_API, h, s, true, g                                                  \
	}

const web_route web_routes[] = {
    PAGE("GET", "/", ACCESS_PUBLIC, page_home, "home"),
    PAGE("GET", "/login", ACCESS_PUBLIC, page_login_form, "sign-in form"),
    PAGE("POST", "/login", ACCESS_PUBLIC, page_login, "sign in"),
    PAGE("POST", "/logout", ACCESS_USER, page_logout, "sign out"),
    PAGE("GET", "/akun/sandi", ACCESS_USER, page_password_form, "change password form"),
    PAGE("POST", "/akun/sandi", ACCESS_USER, page_password, "change password"),
    PAGE("GET", "/lapor", ACCESS_PUBLIC, page_report_form, "public incident report form"),
    PAGE_UP("POST", "/lapor", ACCESS_PUBLIC, page_report, gate_report_page,
            "send a public incident report"),
    PAGE("GET", "/lapor/status", ACCESS_PUBLIC, page_status_form, "report status form"),
    PAGE("GET", "/tautan/{token}", ACCESS_PUBLIC, page_link_form, "an outside actor's step by link"),
    PAGE("GET", "/tautan/{token}/berkas", ACCESS_PUBLIC, page_link_file,
         "a file handed over with a link"),
    PAGE_UP("POST", "/tautan/{token}", ACCESS_PUBLIC, page_link_complete, gate_link_page,
            "complete an outside actor's step by link"),
    PAGE("POST", "/lapor/status", ACCESS_PUBLIC, page_status, "a report's public status"),
    PAGE("GET", "/dasbor", ACCESS_USER, page_dashboard, "dashboard"),
    PAGE("GET", "/tugas", ACCESS_USER, page_tasks, "the user's tasks"),
    PAGE("GET", "/kasus", ACCESS_USER, page_cases, "case list"),
    PAGE("GET", "/kasus/baru", ACCESS_USER, page_case_new_form, "new case form"),
    PAGE_UP("POST", "/kasus/baru", ACCESS_USER, page_case_new, NULL, "open a case"),
    PAGE("GET", "/kasus/{ticket}", ACCESS_USER, page_case, "case page"),
    PAGE_UP("POST", "/kasus/{ticket}/langkah", ACCESS_USER, page_case_step, gate_case_step_page,
            "complete the current step"),
    PAGE("POST", "/kasus/{ticket}/kembalikan", ACCESS_USER, page_case_send_back,
         "send the case back to an earlier step"),
    PAGE("POST", "/kasus/{ticket}/buka-kembali", ACCESS_USER, page_case_reopen,
         "reopen a closed case (a role marked buka_kembali: kabid)"),
    PAGE("POST", "/kasus/{ticket}/tautan", ACCESS_USER, page_case_link_new,
         "issue a link for an outside actor's step"),
    PAGE("POST", "/kasus/{ticket}/tautan/cabut", ACCESS_USER, page_case_link_revoke,
         "revoke a link"),
    PAGE("POST", "/kasus/{ticket}/komentar", ACCESS_USER, page_case_comment, "add a comment"),
    PAGE("POST", "/kasus/{ticket}/tugaskan", ACCESS_USER, page_case_assign, "assign the case"),
    PAGE("POST", "/kasus/{ticket}/tlp", ACCESS_USER, page_case_tlp, "set the case's TLP label"),
    PAGE("POST", "/kasus/{ticket}/sebut", ACCESS_USER, page_case_name,
         "name a staff member on the case"),
    PAGE_UP("POST", "/kasus/{ticket}/bukti", ACCESS_USER, page_case_attach, gate_case_attach_page,
            "add evidence"),
    PAGE("GET", "/kasus/{ticket}/cetak", ACCESS_USER, page_case_print, "printable case report"),
    PAGE("GET", "/bukti/{sha256}", ACCESS_USER, page_evidence, "download evidence"),
    PAGE("GET", "/peringatan", ACCESS_TRIAGE, page_alerts, "alert list"),
    PAGE("POST", "/peringatan/kasus", ACCESS_TRIAGE, page_alert_case,
         "open a CTI case for alerts"),
    PAGE("GET", "/peringatan/{id}", ACCESS_TRIAGE, page_alert, "alert page"),
    PAGE("POST", "/peringatan/{id}/keputusan", ACCESS_TRIAGE, page_alert_decide,
         "decide an alert"),
    PAGE("GET", "/aturan/{id}", ACCESS_TRIAGE, page_rule, "rule page with hits"),
    PAGE("GET", "/indikator", ACCESS_TRIAGE, page_indicators, "threat indicators"),
    PAGE("GET", "/indikator/{id}", ACCESS_TRIAGE, page_indicator, "indicator page with hits"),
    PAGE("GET", "/sop", ACCESS_USER, page_sops, "SOP list"),
    PAGE("GET", "/sop/{id}", ACCESS_USER, page_sop, "SOP document"),
    PAGE("GET", "/logbook", ACCESS_USER, page_logbook, "logbook"),
    PAGE("GET", "/token", ACCESS_USER, page_tokens, "own API tokens"),
    PAGE("POST", "/token", ACCESS_USER, page_token_new, "new API token"),
    PAGE("POST", "/token/{id}/cabut", ACCESS_USER, page_token_revoke, "revoke an API token"),
    PAGE("GET", "/pengguna", ACCESS_ADMIN, page_users, "users and roles"),
    PAGE("POST", "/pengguna", ACCESS_ADMIN, page_user_add, "add a user"),
    PAGE("POST", "/pengguna/{name}", ACCESS_ADMIN, page_user_update,
         "change a user's roles or status"),
    {"GET", "/static/{file}", ACCESS_PUBLIC, ROUTE_STATIC, static_file, "style sheets and script",
     false, NULL},
    {"GET", "/healthz", ACCESS_PUBLIC, ROUTE_STATIC, page_healthz, "health check", false, NULL},
    PAGE("GET", "/metrics", ACCESS_METRICS, page_metrics, "Prometheus metrics"),

    API("GET", "/api/v1/openapi.json", ACCESS_PUBLIC, api_openapi, "this API's OpenAPI document"),
    API("GET", "/api/v1/me", ACCESS_USER, api_me, "the caller and their roles"),
    API("GET", "/api/v1/me/tasks", ACCESS_USER, api_my_tasks,
        "the caller's tasks: steps waiting for their roles, cases assigned to them"),
    API("PUT", "/api/v1/me/password", ACCESS_USER, api_password, "change one's password"),
    API("GET", "/api/v1/dashboard", ACCESS_USER, api_dashboard, "dashboard figures"),
    API("GET", "/api/v1/cases", ACCESS_USER, api_cases, "list and search cases"),
    API_UP("POST", "/api/v1/cases", ACCESS_USER, api_case_create, NULL, "open a case"),
    API("GET", "/api/v1/cases/{ticket}", ACCESS_USER, api_case_get, "one case"),
    API_UP("POST", "/api/v1/cases/{ticket}/steps", ACCESS_USER, api_case_step, gate_case_step_api,
           "complete the current step"),
    API("POST", "/api/v1/cases/{ticket}/send-back", ACCESS_USER, api_case_send_back,
        "send the case back to an earlier step"),
    API("POST", "/api/v1/cases/{ticket}/reopen", ACCESS_USER, api_case_reopen,
        "reopen a closed case (a role marked buka_kembali: kabid)"),
    API("GET", "/api/v1/cases/{ticket}/links", ACCESS_USER, api_case_links,
        "links for outside actors' steps"),
    API("POST", "/api/v1/cases/{ticket}/links", ACCESS_USER, api_case_link_new,
        "issue a link for an outside actor's step"),
    API("POST", "/api/v1/cases/{ticket}/links/revoke", ACCESS_USER, api_case_link_revoke,
        "revoke a link"),
    API("GET", "/api/v1/cases/{ticket}/comments", ACCESS_USER, api_case_comments, "comments"),
    API("POST", "/api/v1/cases/{ticket}/comments", ACCESS_USER, api_case_comment, "add a comment"),
    API("PUT", "/api/v1/cases/{ticket}/assignee", ACCESS_USER, api_case_assign, "assign the case"),
    API("PUT", "/api/v1/cases/{ticket}/tlp", ACCESS_USER, api_case_tlp,
        "set the case's TLP 2.0 label at any step"),
    API("POST", "/api/v1/cases/{ticket}/participants", ACCESS_USER, api_case_name,
        "name a staff member on the case"),
    API("GET", "/api/v1/cases/{ticket}/evidence", ACCESS_USER, api_case_evidence,
        "evidence of a case"),
    API_UP("POST", "/api/v1/cases/{ticket}/evidence", ACCESS_USER, api_case_attach,
           gate_case_attach_api, "add evidence"),
    API("GET", "/api/v1/evidence/{sha256}", ACCESS_USER, api_evidence_get, "download evidence"),
    API_UP("POST", "/api/v1/reports", ACCESS_PUBLIC, api_report, gate_report_api,
           "public incident report"),
    API("POST", "/api/v1/reports/status", ACCESS_PUBLIC, api_report_status,
        "a report's public status"),
    API("GET", "/api/v1/sops", ACCESS_USER, api_sops, "SOPs"),
    API("GET", "/api/v1/sops/{id}", ACCESS_USER, api_sop, "one SOP"),
    API("GET", "/api/v1/logbook", ACCESS_USER, api_logbook, "logbook entries"),
    API("GET", "/api/v1/logbook/verify", ACCESS_USER, api_logbook_verify,
        "verify the logbook chain"),
    API("GET", "/api/v1/users", ACCESS_ADMIN, api_users, "users"),
    API("POST", "/api/v1/users", ACCESS_ADMIN, api_user_add, "add a user"),
    API("PUT", "/api/v1/users/{name}", ACCESS_ADMIN, api_user_update,
        "change a user's roles or status"),
    API("POST", "/api/v1/ingest/wazuh", ACCESS_TRIAGE, api_ingest_wazuh,
        "Wazuh alerts for detection (the integrator's hook)"),
    API("GET", "/api/v1/alerts", ACCESS_TRIAGE, api_alerts, "list alerts"),
    API("POST", "/api/v1/alerts/case", ACCESS_TRIAGE, api_alert_case,
        "open a CTI case for alerts"),
    API("GET", "/api/v1/alerts/{id}", ACCESS_TRIAGE, api_alert, "one alert and its event"),
    API("POST", "/api/v1/alerts/{id}/decision", ACCESS_TRIAGE, api_alert_decide,
        "decide an alert"),
    API("GET", "/api/v1/indicators", ACCESS_TRIAGE, api_indicators, "list threat indicators"),
    API("GET", "/api/v1/indicators/search", ACCESS_TRIAGE, api_indicator_search,
        "indicators a value matches"),
    API("GET", "/api/v1/indicators/{id}", ACCESS_TRIAGE, api_indicator,
        "one indicator and its hits"),
    API("GET", "/api/v1/rules", ACCESS_TRIAGE, api_rules, "the Sigma rules detection runs"),
    API("GET", "/api/v1/rules/{id}", ACCESS_TRIAGE, api_rule, "one rule and its hits"),
    API("GET", "/api/v1/tokens", ACCESS_USER, api_tokens, "own API tokens"),
    API("POST", "/api/v1/tokens", ACCESS_USER, api_token_new, "new API token"),
    API("DELETE", "/api/v1/tokens/{id}", ACCESS_USER, api_token_revoke, "revoke an API token"),
};

const size_t web_n_routes = sizeof web_routes / sizeof web_routes[0];
