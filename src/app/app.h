/*
 * app.h: the use cases of sigap, shared by the command line and the web.
 *
 * An app is one open database plus what it needs to act: the SOP registry,
 * the working calendar, the evidence directory and a clock. cli/ and web/
 * are two faces of these functions; neither holds business logic. Reads
 * return jansson objects the caller prints or serves; writes run in one
 * transaction each and append to the logbook in the same transaction.
 */
#ifndef SG_APP_H
#define SG_APP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/err.h"
#include "base/hash.h"
#include "app/controls.h"
#include "app/risk_matrix.h"

enum { EXC_REMIND_MAX = 8 };
#include "detect/engine/engine.h"
#include "intel/intel.h"
#include "sop/engine.h"
#include "sop/sla.h"
#include "sop/sop.h"
#include "store/db.h"
#include "vuln/vintel.h"

typedef struct sop_entry {
	sop *sop;
	char *text;       /* the YAML as loaded */
	char *source;     /* "builtin:insiden.yaml" or a path */
	char sha256[65];
} sop_entry;

typedef struct sop_registry {
	sop_entry *v;
	size_t n;
	sop_entry **versions; /* older versions loaded from the database; each
			       * allocated alone so pointers to it stay valid */
	size_t n_versions;
} sop_registry;

/* What the outbox carries ([notify] events). */
enum {
	NOTIFY_EV_STEP = 1,   /* langkah.menunggu: a case's step waits for a role */
	NOTIFY_EV_CLOSED = 2, /* kasus.ditutup */
	NOTIFY_EV_ALERT = 4,  /* peringatan.tinggi: a new high or critical alert */
	NOTIFY_EV_SLA = 8,    /* tenggat.segera / tenggat.lewat: a step's standard
	                       * time runs out soon / has run out */
	NOTIFY_EV_ALL = 15
};

/* A browser's and Googlebot's User-Agent: cloaking shows the crawler what
 * the visitor does not see. */
#define MON_BROWSER_AGENT                                                                          \
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "                 \
	"Chrome/131.0.0.0 Safari/537.36"
#define MON_CRAWLER_AGENT "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

typedef struct app_config {
	char *db_path;      /* ./var/sigap.db */
	char *sops_dir;     /* extra SOP files; NULL: only the built-in ones */
	char *evidence_dir; /* [evidence] dir as configured; NULL (not set):
	                     * "evidence" beside the database, which app_open
	                     * fills in (app_evidence_dir_default) */
	long evidence_max;  /* bytes */
	char *web_listen;     /* ADDR:PORT, 127.0.0.1:8080 */
	int web_threads;      /* 0: one per core */
	long web_body_max;    /* bytes of a request body other than an upload */
	long web_body_memory;     /* bytes of bodies all requests may hold in memory */
	long web_upload_inflight; /* bytes of files all requests may be receiving */
	int web_max_connections, web_max_per_address;
	int64_t web_header_timeout, web_body_timeout; /* seconds */
	long web_body_min_rate;   /* bytes a second a long body must keep up */
	char *web_metrics_allow;  /* addresses and ranges /metrics answers; NULL: none */
	char *web_trusted_proxies; /* load balancers whose X-Forwarded-For names the
	                            * client; NULL: none */
	int64_t web_metrics_period; /* seconds between computations of the case gauges */
	char *tls_cert, *tls_key;
	char *web_user; /* [web] user: who serve becomes when started as root (NULL: sigap) */
	bool web_sandbox; /* [web] sandbox: Landlock and seccomp once started (base/sandbox.h) */
	int64_t session_idle; /* seconds without a request before a session ends */
	int64_t session_max;  /* seconds after login a session ends */
	int report_limit;     /* public reports per client address per hour */
	int status_limit;     /* report status checks per client address per hour */
	int link_days;        /* days a link for an outside actor's step works */
	char *detect_rules;   /* a directory of Sigma rules besides the shipped ones */
	char *detect_mapping; /* NULL: the shipped rules/mapping.yaml */
	char *detect_placeholders; /* values of |expand placeholders; NULL: none */
	char *detect_cache;   /* compiled rule databases; NULL: beside the
			       * database; "off": none (app_rules_cache_dir) */
	int64_t fold_window;  /* seconds within which repeats fold into one alert */
	int64_t ioc_reload;   /* seconds between reloads of the stored indicators */
	char *in_wazuh_alerts; /* alerts.json to follow; NULL: none */
	char *in_wazuh_rotated; /* a glob of its rotated files; NULL: only PATH.N */
	char *in_syslog_udp, *in_syslog_tcp; /* ADDR:PORT; NULL: not listening */
	char *in_relp;         /* ADDR:PORT of the RELP input; NULL: none */
	/* the zone of syslog stamps that carry none: syslog_timezone for every
	 * syslog input, or per input; NULL: the next, then [kalender] zona */
	const civil_zone *in_zone_udp, *in_zone_tcp, *in_zone_relp, *in_zone;
	long in_max_line;      /* bytes; longer lines are counted and skipped */
	int in_queue;          /* lines waiting for detection, at most */
	/* [kerentanan]: calendar days from a finding's first sighting (or
	 * reopening) to its due date, by severity: low, medium, high,
	 * critical (findings.c, finding_due_at) */
	int vuln_due_low, vuln_due_medium, vuln_due_high, vuln_due_critical;
	/* [kerentanan] max_report_size: a scanner report sent to the web or
	 * the API, at most (its own limit: reports reach hundreds of MB) */
	long vuln_report_max;
	/* [vuln_intel]: sigap vuln intel update (vuln_intel_update.c) */
	bool vi_update;      /* off by default */
	char *vi_kev_url, *vi_epss_url, *vi_cve_url, *vi_ca_file;
	int64_t vi_timeout;  /* seconds a download may take */
	long vi_max_size;    /* bytes a download may have */
	/* [notify]: messages the outbox carries (outbox.c, notify/) */
	char *nt_webhook_url;    /* NULL: no webhook, nothing written */
	char *nt_webhook_secret; /* the HMAC-SHA256 key of the signature */
	unsigned nt_events;      /* NOTIFY_EV_* the webhook carries */
	int64_t nt_timeout;      /* seconds one delivery may take */
	int64_t nt_retry_after;  /* seconds before the first retry (doubling) */
	int nt_retry_max;        /* deliveries tried before a message fails */
	char *nt_ca_file;        /* TLS trust of the receiver; NULL: the system's */
	char *nt_link_base;      /* https://sigap.example.go.id: links in messages */
	char *nt_smtp_url;       /* smtp://host:587, smtps://host:465; NULL: no e-mail */
	char *nt_smtp_user, *nt_smtp_password; /* NULL: no authentication */
	char *nt_smtp_from;      /* "sigap <sigap@…>" */
	bool nt_smtp_plain;      /* smtp_tls = none: a relay on this host, no TLS */
	char *nt_telegram_token; /* the bot's token; NULL: no Telegram */
	char *nt_telegram_api;   /* https://api.telegram.org, or a gateway */
	int64_t nt_sla_warn;     /* seconds before a step's standard time runs out
	                          * that its role is warned */
	int64_t nt_sla_check;    /* seconds between two checks of the open steps */
	/* [dokumen] and [penandatangan]: the output documents (documents.c).
	 * doc_conf holds the letterhead keys (instansi, dinas, alamat,
	 * kontak, kota, unit, nomor) and the signatories (ROLE.jabatan,
	 * ROLE.nama, ROLE.nip) as strings; the admin pages' values
	 * (doc_settings) come before them. */
	/* [intake]: reports by e-mail (mail_intake.c) */
	char *in_mail_url;      /* imaps://host/INBOX; NULL: no intake */
	char *in_mail_user, *in_mail_password, *in_mail_ca_file;
	char *in_mail_address;  /* the mailbox's address: Reply-To of the e-mails
	                         * to a reporter; NULL: none (user, when an address) */
	bool in_mail_plain;     /* tls = none: imap:// to this host only */
	int64_t in_mail_poll;   /* seconds between polls */
	int64_t in_mail_timeout;/* seconds one IMAP command may take */
	long in_mail_max;       /* bytes of a message taken, at most */
	char *doc_templates; /* a directory of *.tmpl besides the shipped ones */
	char *doc_logo;      /* the letterhead's PNG; NULL: none */
	json_t *doc_conf;
	sla_calendar cal;
	risk_matrix risk; /* [risiko]: the register's matrix (risk_matrix.c) */
	char *ctl_dir;    /* [kontrol] dir: more catalogues of controls (controls.c) */
	/* [pengecualian] (exceptions.c): the longest an exception may be
	 * approved for, in months, and the reminders before it ends, in days
	 * (largest first; 0 ends the list) */
	int exc_max_months;
	int exc_remind[EXC_REMIND_MAX + 1];
	/* [pantau]: the website monitor (monitor.c, src/monitor/) */
	int64_t mon_interval;    /* seconds between two checks of a site, by default */
	int64_t mon_timeout;     /* seconds a page's fetch may take */
	int64_t mon_slow;        /* seconds of a fetch beyond which a site is slow */
	int mon_concurrency;     /* fetches in flight at once */
	int mon_cert_warn;       /* days before a certificate ends that it is told */
	long mon_max_page;       /* bytes read of a page */
	char *mon_agent;         /* the browser's User-Agent */
	char *mon_crawler_agent; /* the search-engine crawler's */
	char *mon_ca_file;       /* trust besides the system's; NULL: the system's */
	char *mon_rules;         /* more content rules (a file or directory) */
	int64_t mon_keep;        /* seconds a check is kept (the history's chart) */
	bool mon_internal;       /* alamat_dalam = izinkan: internal addresses fetched */
	json_t *key_lines;       /* "[section] key" and "[section]": the line each
	                          * was read at (app_config_line) */
} app_config;

/* The document templates (templates.c): shipped, then [dokumen]
 * templates. */
typedef struct tmpl tmpl;
typedef struct tmpl_registry {
	tmpl **v;
	size_t n;
} tmpl_registry;

typedef struct app {
	app_config cfg;
	db *db;
	sop_registry sops;
	tmpl_registry tmpls;
	ctl_registry ctls; /* the catalogue of controls (controls.c) */
	int64_t fixed_now; /* tests: when not 0, the clock stands still here */
	/* the generation of the running configuration this app was opened
	 * with (config_live.c): a long-lived holder opens a new app when
	 * app_config_generation() has moved past it */
	unsigned cfg_gen;
	/* user_roles's answers within one request (app_roles_memo) */
	uint64_t memo_request;
	char memo_user[64];
	json_t *memo_roles;
} app;

/* From here until a call with another request, user_roles reads a user's
 * roles from the store once and answers again from memory: a web request
 * asks them of several use cases. 0: every call reads the store (the
 * command line, detection). A change of roles forgets them. */
void app_roles_memo(app *a, uint64_t request);
/* Forgets the roles read so far (a change of roles). */
void app_roles_forget(app *a);

/* ---- output documents (documents.c, document_context.c) ---- */
enum { DOC_CODE_LEN = 10 };
/* What a document's context is made of besides its case. */
typedef struct doc_meta {
	const char *nomor;   /* NULL: a draft */
	const char *code;    /* the verification code; NULL: a draft */
	const char *judul;   /* its title */
	const char *output;  /* the step's Output, as the SOP writes it */
	int step_no;
	int64_t at;          /* its date */
	json_t *kop;         /* {nama, dinas, alamat, kontak, kota} */
	json_t *signers;     /* {ROLE: {jabatan, nama, nip}} */
	const char *ttd;     /* the role that signs it; NULL: none named */
	const char *issuer, *issuer_name;
} doc_meta;
/* The context a template renders with (docs/templates.md, "Context"):
 * the case c (case_get) of procedure p of SOP s, with m. */
json_t *document_context(app *a, json_t *c, const sop *s, const sop_procedure *p,
			 const doc_meta *m);
/* The letterhead, signatories (ttd.ROLE.FIELD) and number pattern: the
 * admin pages' over sigap.conf's, as one flat object. */
json_t *doc_settings(app *a, sg_err *e);
/* The admin's settings alone (what /admin/dokumen stored). */
json_t *doc_settings_stored(app *a, sg_err *e);
/* Sets letterhead and signatory keys (instansi, dinas, alamat, kontak,
 * kota, unit, nomor, ttd.ROLE.jabatan|nama|nip) as an admin; an empty
 * text removes the key (sigap.conf's holds again). Logged as
 * document.settings. */
int doc_settings_save(app *a, const char *actor, json_t *values, sg_err *e);
/* Every [penandatangan] ROLE of sigap.conf is a role an SOP names (or
 * sigap's own); a misspelt one is refused rather than never used. */
int doc_signers_check(json_t *doc_conf, const sop_registry *sops, sg_err *e);
/* The roles the SOPs name as a document's signatory (ttd:), each once. */
json_t *doc_signer_roles(app *a);
typedef struct doc_info {
	char number[160];
	char code[DOC_CODE_LEN + 1];
	char sha256[65];
	char title[256];
	char tlp[16];
	int pages;
	int64_t size;
	bool landscape;
} doc_info;
/* A draft of the document tmpl_id of step step_no of a case, as user
 * (who must see the case whole; the step reached): its body (XHTML,
 * tmpl.h) or, pdf, a PDF marked DRAF without number, into out; info (may
 * be NULL) gets its title and label. */
int document_draft(app *a, const char *user, const char *ticket, int step_no,
		   const char *tmpl_id, bool pdf, buf *out, doc_info *info, sg_err *e);
/* Renders the template tmpl_id with ctx (which gets dokumen, instansi,
 * penandatangan, ttd of signer_role and penerbit = user added): a report
 * that is not a case's (the monthly report), as a draft: the body or,
 * pdf, the PDF marked DRAF. */
int document_render_free(app *a, const char *tmpl_id, json_t *ctx, const char *signer_role,
			 const char *user, bool pdf, buf *out, sg_err *e);
/* Issues it: numbered, stored as the case's evidence, registered,
 * logged (document.issue), its signatory told; SG_EPERM unless user acts
 * on the step (or for its outside actor, or may reopen the case). */
int document_issue(app *a, const char *user, const char *ticket, int step_no,
		   const char *tmpl_id, doc_info *out, sg_err *e);
/* A case's documents for user (who sees it whole): {"due": [{step,
 * uraian, role (the step's), template, title, signer_role, may_issue}], "issued": [{number,
 * title, template, step, code, sha256, size, pages, issued_by,
 * issued_at, signer_role}]}. */
json_t *documents_of_case(app *a, const char *user, const char *ticket, sg_err *e);
/* What /verifikasi tells anyone of the document with code: {code,
 * number, title, issued_at, issued_by (a name), pages, instansi, dinas},
 * and "genuine" when sha256 (of a presented file) is given. SG_ENOTFOUND
 * for no such code. */
json_t *document_verify(app *a, const char *code, const char *sha256, sg_err *e);

/* ---- reports by e-mail (mail_intake.c) ---- */
typedef struct intake_stats {
	int seen, cases, comments, ignored, too_big, failed;
} intake_stats;
/* One poll of [intake]'s mailbox: each unseen message becomes a case, a
 * comment of the case its reply names, or is recorded as no report;
 * stop(arg) (NULL: never) is asked between messages. */
int mail_intake_round(app *a, bool (*stop)(void *), void *arg, intake_stats *s, sg_err *e);
typedef struct mail_intake mail_intake;
/* A thread polling every [intake] poll (on: a mailbox is configured;
 * else nothing runs). */
mail_intake *mail_intake_start(int (*open_app)(app *a, sg_err *e), bool on, sg_err *e);
void mail_intake_stop(mail_intake *p);

/* ---- the monthly report (report_monthly.c) ---- */
/* "2026-11" into year and month; -1 when it is not a month. */
int report_monthly_month(const char *text, int *year, int *month);
/* The figures of a month as the context of the template laporan-bulanan,
 * for a kabid, kepala_dinas or ttis (SG_EPERM otherwise), counting the
 * cases user may see. */
json_t *report_monthly(app *a, const char *user, int year, int month, sg_err *e);
/* The report rendered with its template: the XHTML body or, pdf, the PDF
 * (a draft: not numbered). */
int report_monthly_render(app *a, const char *user, int year, int month, bool pdf, buf *out,
			  sg_err *e);

/* ---- escalation exports of an incident (case_export.c) ---- */
/* An incident or CTI case as a STIX 2.1 bundle (format "stix") or a MISP
 * event ("misp"): the facts Peraturan BSSN 1/2024 Pasal 15 asks of a
 * report, for who sees it whole. */
json_t *case_export(app *a, const char *user, const char *ticket, const char *format, sg_err *e);

/* ---- document templates (templates.c) ---- */
/* The shipped templates, then the *.tmpl files of dir (NULL: none), which
 * replace a shipped one of the same id. Every problem goes to d; -1 when
 * any. */
int templates_load(tmpl_registry *r, const char *dir, diags *d);
void templates_free(tmpl_registry *r);
const tmpl *templates_find(const tmpl_registry *r, const char *id);
/* Every step's dokumen: names a loaded template; the number of problems
 * added to d. */
int templates_check_sops(const tmpl_registry *t, const sop_registry *s, diags *d);

/* ---- configuration (config.c) ---- */
/* Defaults, then the INI file at path when given (NULL: none). */
int app_config_load(app_config *c, const char *path, sg_err *e);
/* As app_config_load, but every line's problem goes into d (FILE:LINE)
 * and reading goes on: sigap config check. c holds what could be read;
 * -1 when d got a problem, -2 when the file itself could not be read.
 * Free c with app_config_free either way. */
int app_config_check(app_config *c, const char *path, diags *d);
/* A number pattern of [dokumen] nomor: {seq} or {seq:N}, and any of
 * {kode} {unit} {tahun} {bulan} {bulan_romawi}. */
int doc_number_pattern_valid(const char *v);
/* An NIP: 18 digits, spaces allowed between them. */
bool doc_nip_valid(const char *v);
void app_config_free(app_config *c);
/* The line of the configuration file key ("[web] listen", or a section
 * "[risiko]") was read at; 0 when it was not in the file. */
int app_config_line(const app_config *c, const char *key);

/* A configuration file's bytes, read once and parsed again from memory:
 * what a running server keeps, so every part it opens reads the same
 * configuration, whatever happens to the file after. */
typedef struct config_text {
	char *bytes;
	size_t len;
} config_text;
#define CONFIG_MAX_BYTES (1024 * 1024)
/* The file at path, whole (a regular file of CONFIG_MAX_BYTES at most). */
int app_config_read_text(const char *path, config_text *out, sg_err *e);
void app_config_text_free(config_text *t);
/* app_config_load and app_config_check of bytes read before; path names
 * them in messages. */
int app_config_load_text(app_config *c, const char *path, const config_text *text, sg_err *e);
int app_config_check_text(app_config *c, const char *path, const config_text *text, diags *d);

/* ---- a running server's configuration (config_live.c) ---- */
/* sigap serve reads most of the configuration at every app it opens, so
 * a reload (SIGHUP) reaches them; some keys are taken once at the start
 * (addresses bound, limits given to the HTTP server, the inputs, the
 * sandbox's directories) and cannot change until a restart. Each of
 * those that differs between running and fresh is named in changed (up
 * to max; the count is returned) and fresh takes running's value, so
 * what runs stays coherent. */
size_t app_config_keep_fixed(app_config *fresh, const app_config *running, const char **changed,
                             size_t max);
/* The number of the running configuration; 0 until serve has one. */
unsigned app_config_generation(void);
/* A new configuration runs: apps opened before it are stale. */
void app_config_generation_move(void);
/* Whether a, opened at some generation, still reads the running one. */
bool app_config_current(const app *a);

/* The evidence directory of a store at db_path when none is configured:
 * "evidence" in the database's directory ("./var/sigap.db" →
 * "./var/evidence"), to free. */
char *app_evidence_dir_default(const char *db_path);
/* 0 when the evidence has a directory; -1 with e set on a PostgreSQL
 * store whose configuration names none (there is no default place that
 * every node shares). */
int app_evidence_ready(const app *a, sg_err *e);

/* change_marks.c: a change other sigap processes reload ("indicators",
 * "rules", "sops"), marked in the changer's transaction. */
int app_mark_changed(app *a, const char *name, sg_err *e);
/* A thread reading the marks once a second on its own app (open_app),
 * calling moved(ctx, name) in that thread for each one that moved since
 * the start; NULL with e when the marks cannot be read at the start. */
typedef struct app_mark_watch app_mark_watch;
app_mark_watch *app_mark_watch_start(int (*open_app)(app *a, sg_err *e),
                                     void (*moved)(void *ctx, const char *name), void *ctx,
                                     sg_err *e);
void app_mark_watch_stop(app_mark_watch *w);

/* The address a per-client count is kept for (sessions.c): an IPv6
 * client by its /64, which one host is commonly given whole; an IPv4
 * client, mapped into IPv6 or not, by its address. */
void app_address_key(const char *origin, char *out, size_t n);

/* rate_limits.c: takes one use of scope ("report", "status") from the
 * address's allowance of per_hour an hour (0: no limit), counted in the
 * store for every node: 1 taken; 0 spent, with *retry_after the seconds
 * until the next use is allowed; -1 with e set. */
int app_rate_take(app *a, const char *scope, const char *addr, int per_hour, int64_t now,
                  int64_t *retry_after, sg_err *e);
/* The directory of the compiled rule databases ([detect] cache; by default
 * cache/rules in the database's directory), to free; NULL when off.
 * *is_default (may be NULL) tells whether the configuration named none. */
char *app_rules_cache_dir(const app_config *c, bool *is_default);

/* ---- lifetime (app.c) ---- */
/* Loads the SOPs and opens the database (cfg is moved into the app). */
int app_open(app *a, app_config *cfg, db_open_mode mode, sg_err *e);
void app_close(app *a);
int64_t app_now(const app *a);

/* ---- SOP registry (sops.c) ---- */
int sops_load(sop_registry *r, const char *dir, diags *d);
void sops_free(sop_registry *r);
/* A registry of the same SOP texts as src (checked already), for another
 * thread; 0 or -1 with d. */
int sops_copy(sop_registry *dst, const sop_registry *src, diags *d);
/* Checks hand-overs (start:): with no extra SOPs, those of the registry;
 * else those of the extra ones (files being validated), against the
 * extra ones and the registry together. Returns the number of problems
 * added to d. */
int sops_check_starts(const sop_registry *r, const sop *const *extra, size_t n_extra, diags *d);
const sop_entry *sops_find(const sop_registry *r, const char *sop_id);
/* Finds a procedure by id ("insiden", "kebijakan/penyusunan"). */
const sop_entry *sops_find_procedure(const sop_registry *r, const char *proc_id,
				     const sop_procedure **proc);
/* The SOP a case started on, by content hash (current or from the db). */
const sop_entry *sops_version(app *a, const char *sha256, sg_err *e);
/* Every role id the SOPs name, plus "admin"; a JSON array of
 * {"id", "nama"} sorted by id. */
json_t *sops_roles(const sop_registry *r);
bool sops_role_known(const sop_registry *r, const char *role);

/* ---- logbook (logbook.c) ---- */
/* Appends an entry; call inside a transaction. details is borrowed. */
int logbook_append(app *a, const char *actor, const char *action, const char *object,
		   json_t *details, sg_err *e);
/* logbook_append on the object "KIND:ID" ("case:INS-2026-0001"); takes
 * details over (decref'd whatever happens). */
int logbook_record(app *a, const char *actor, const char *action, const char *kind,
		   const char *id, json_t *details, sg_err *e);
typedef struct logbook_report {
	int64_t entries;
	int64_t broken_seq; /* 0 when the chain is whole */
	char reason[256];
	char head[65];
} logbook_report;
/* Walks the chain. Returns 0 when whole, -1 with the report saying the
 * first broken entry (e->code SG_EINTEGRITY), or -1 on a database error. */
int logbook_verify(app *a, logbook_report *rep, sg_err *e);
/* Newest first; limit <= 0 means 100; object NULL: any. Entries on a case
 * only when viewer sees the case (case_access.c) and is CSIRT staff;
 * viewer NULL: every entry. */
json_t *logbook_list(app *a, const char *object, int limit, const char *viewer, sg_err *e);
typedef struct logbook_filter {
	const char *actor;  /* NULL: anyone */
	const char *kind;   /* "case" (every case.* action) or an action "case.step" */
	const char *object; /* "case:INS-2026-0001" */
	int64_t from, to;   /* instants, inclusive; 0: open */
	const char *viewer; /* as logbook_list's viewer */
	int limit, offset;  /* limit <= 0: 100 */
} logbook_filter;
/* The entries a filter matches, newest first, as logbook_list gives them;
 * *total (when not NULL) counts every match. O(entries): the logbook is
 * scanned in sequence order. */
json_t *logbook_query(app *a, const logbook_filter *f, int64_t *total, sg_err *e);

/* ---- users (users.c) ---- */
int user_add(app *a, const char *actor, const char *name, const char *const *roles,
	     size_t n_roles, const char *password, bool must_change, sg_err *e);
/* Changes a user's roles (when roles is not NULL) and disables (1) or
 * enables (0) the account (-1: unchanged). Disabling, or roles that
 * differ from the ones held, end all the user's sessions (into
 * *sessions_ended when not NULL): they sign in again under what they now
 * may do. API tokens need nothing: roles are read at each request, and
 * a disabled user's tokens are refused. An administrator cannot disable
 * or un-admin themselves. */
int user_update(app *a, const char *actor, const char *name, const char *const *roles,
		size_t n_roles, int disabled, int64_t *sessions_ended, sg_err *e);
json_t *user_list(app *a, sg_err *e);
/* Roles of an active user into a JSON array; NULL with SG_ENOTFOUND or
 * SG_EPERM (disabled). */
json_t *user_roles(app *a, const char *name, sg_err *e);
/* A user's address for messages: {user, email (null: none), email_on,
 * quiet_hours, telegram_chat (null: none), language (id or en: the
 * messages' words)}; the user's own, or any user's for an admin. */
json_t *user_contact(app *a, const char *actor, const char *name, sg_err *e);
/* What user_set_contact changes: NULL (-1) leaves a field as it is, ""
 * clears it. */
typedef struct user_contact_in {
	const char *email;
	int email_on;
	const char *quiet_hours;   /* "22:00-06:00" in the calendar's zone */
	const char *telegram_chat; /* a chat id ("123456789", "-100…") or @name */
	const char *language;      /* "id" or "en"; NULL leaves it */
} user_contact_in;
/* Sets it; logged as user.contact. */
int user_set_contact(app *a, const char *actor, const char *name, const user_contact_in *in,
                     sg_err *e);
/* Whether s is a Telegram chat: an id (digits, a leading '-' for a
 * group) or @name (5 to 32 letters, digits, '_'). */
bool telegram_chat_valid(const char *s);
/* Whether s is quiet hours "HH:MM-HH:MM" (two different times of day). */
bool quiet_hours_valid(const char *s);
/* When a message written at now to a user with quiet hours q (NULL:
 * none) may go: now outside them, else their end (zone: the calendar's). */
int64_t quiet_hours_end(const char *q, const civil_zone *z, int64_t now);
int user_check_password(app *a, const char *name, const char *password, sg_err *e);
/* What changing a password did besides: the user's other sessions it
 * ended, and the API tokens that stay valid (separate credentials the
 * user revokes at /token). */
typedef struct password_change {
	int64_t sessions_ended;
	int64_t tokens_active;
} password_change;
/* Sets a new password after checking the current one; clears the
 * must-change flag of a one-time password. Ends every session of the
 * user but keep_sid (the one asking; NULL: end them all). out may be
 * NULL. */
int user_change_password(app *a, const char *name, const char *old_password,
			 const char *new_password, const char *keep_sid, const char *origin,
			 password_change *out, sg_err *e);
/* A one-time password: 16 characters, about 79 bits. */
void user_generate_password(char out[17]);

/* ---- sessions and API tokens (sessions.c) ---- */
typedef struct session_info {
	char user[65];
	char csrf[65];
	json_t *roles; /* owned: session_info_free */
	bool must_change_password;
} session_info;
/* Checks the password and opens a session; sid receives its id (64 hex
 * digits) for the cookie. origin is the client's address: failed logins
 * back off per address, per address and name, and per name (see
 * sessions.c); while a wait holds, SG_ESTATE with *wait its seconds. */
int session_login(app *a, const char *name, const char *password, const char *origin,
		  char sid[65], int64_t *wait, sg_err *e);
/* Checks a user's password under the same back-off as a sign-in (for a
 * password change: a stolen session must not guess the current one
 * freely): SG_ESTATE with *wait while a wait holds, SG_EPERM when wrong. */
int session_check_password(app *a, const char *name, const char *password, const char *origin,
			   int64_t *wait, sg_err *e);
/* The live session of an id; SG_ENOTFOUND when unknown or expired. */
int session_get(app *a, const char *sid, session_info *out, sg_err *e);
void session_info_free(session_info *s);
void session_logout(app *a, const char *sid);
/* A new API token for user ("sgp_" and 40 characters), shown once. */
int token_new(app *a, const char *actor, const char *user, const char *name, char token[45],
	      sg_err *e);
/* The user of a live token (fills user and roles; csrf stays empty). */
int token_check(app *a, const char *token, session_info *out, sg_err *e);
json_t *token_list(app *a, const char *user, sg_err *e);
int token_revoke(app *a, const char *actor, const char *user, int64_t id, sg_err *e);

/* ---- who may see a case (case_access.c) ---- */
/* Need-to-know. Staff of a procedure (holders of a role that acts on one
 * of its steps, other than an outside role) see its cases; participants
 * (who opened it, were assigned it, completed one of its steps) see
 * theirs; TLP 2.0 narrows both:
 *   TLP:RED           only participants;
 *   TLP:AMBER+STRICT  staff, and participants who are CSIRT staff; never
 *                     an outside actor;
 *   TLP:AMBER, GREEN, staff and participants.
 *   CLEAR
 * An outside actor (a participant holding no staff role: the reporter,
 * the police) sees only the parts addressed to it (CASE_SEE_LIMITED) at
 * every label that lets it see the case: the label governs sharing, not
 * the team's own notes and tools. A case without a label is held as TLP:AMBER. admin manages accounts and
 * sees no case unless also staff. A viewer of NULL (or the command
 * line's own actor "cli:USER@HOST") is the machine's owner, acting without
 * --as, who may read everything; "" is nobody. */
typedef enum { CASE_SEE_NONE = 0, CASE_SEE_LIMITED, CASE_SEE_FULL } case_sight;
typedef struct case_viewer {
	bool all;             /* the machine's owner */
	char user[65];
	bool csirt;           /* holds a staff role of some procedure */
	bool admin;           /* holds admin: reads the logbook's entries on accounts */
	int64_t opd_id;       /* an agen_siber's OPD: its constituency; 0: none */
	json_t *procs;        /* the procedure ids the user is staff of */
	char *staff_procs;    /* the same as JSON text, bound into CASE_VISIBLE_SQL */
} case_viewer;
/* Who user is, for the rule: roles read now (a disabled or unknown user
 * is nobody). */
int case_viewer_load(app *a, const char *user, case_viewer *v, sg_err *e);
/* The same with the user's roles as the caller already read them (a
 * session's), saving the lookup; held NULL: read them. */
int case_viewer_with_roles(app *a, const char *user, json_t *held, case_viewer *v, sg_err *e);
void case_viewer_free(case_viewer *v);
/* What v may see of the case numbered case_id (procedure and TLP as
 * stored). */
int case_sight_of(app *a, const case_viewer *v, int64_t case_id, const char *procedure_id,
		  const char *tlp, case_sight *out, sg_err *e);
/* The same by ticket: SG_ENOTFOUND when the case does not exist or user
 * may not know it does (one answer for both). */
int case_sight_ticket(app *a, const char *user, const char *ticket, case_sight *out, sg_err *e);
/* Checks that user (NULL: the machine's owner) sees at least need of the
 * case: SG_ENOTFOUND when it may not know the case, SG_EPERM when it sees
 * less than need. */
int case_need_sight(app *a, const char *user, const char *ticket, case_sight need, sg_err *e);
/* Whether actor may open a case of proc: staff of it, or a holder of its
 * first step's role (a reporter its own report). Actors that are no
 * account ("publik", "cli:…", "sigap:…") are the callers' own concern. */
int case_may_open(app *a, const char *actor, const sop *s, const sop_procedure *proc, sg_err *e);
/* Whether roles open a case of proc as the reporter of an OPD: an
 * agen_siber (not itself a pelapor) where the first step is the
 * reporter's (pelapor): it reports incidents for its OPD, and its report
 * is made when it is filed (case_new completes that step). */
bool case_opd_reporter(const sop_procedure *proc, json_t *roles);
/* The SQL condition (on the cases table as "c") that holds for the cases
 * v may see at all, with its three parameters: bind them with
 * case_visible_bind at position first. */
extern const char CASE_VISIBLE_SQL[];
/* Prepares "SELECT … FROM cases c WHERE" head, the need-to-know
 * condition of v (nothing when v sees everything), and tail, which starts
 * "AND …"; its parameters start at case_visible_first(v). */
int case_prepare_visible(app *a, const case_viewer *v, const char *head, const char *tail,
			 db_stmt **st, sg_err *e);
int case_visible_first(const case_viewer *v);
/* The same, with the same parameters, for the cases v sees whole: a
 * full-text search matches only these (it reads what a limited view
 * hides). */
extern const char CASE_FULL_SQL[];
/* The constituency branch of CASE_VISIBLE_SQL, on the users row U of the
 * viewer: the case (as "c") is linked to an asset of U's OPD, U holds
 * agen_siber, and the label lets an OPD see it. */
#define CASE_OPD_SQL(U)                                                                           \
	U ".opd_id IS NOT NULL AND COALESCE(c.tlp, '') NOT IN ('TLP:RED', 'TLP:AMBER+STRICT')"   \
	" AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = " U ".id"                    \
	" AND r.role = 'agen_siber') AND EXISTS (SELECT 1 FROM case_assets ca"                  \
	" JOIN assets s ON s.id = ca.asset_id WHERE ca.case_id = c.id AND s.opd_id = " U ".opd_id)"
int case_visible_bind(db_stmt *st, int first, const case_viewer *v);

/* ---- cases (cases.c) ---- */
/* A file received into the evidence spool, whole and synced, with its
 * SHA-256 (evidence_spool.c). */
typedef struct evidence_file {
	char path[4400]; /* the spool file; "" once discarded */
	char sha256[65];
	int64_t size;
} evidence_file;
/* A received file for a field of a case: its content waits in the
 * evidence spool (evidence_spool.c) until the change commits. */
typedef struct case_upload {
	const char *field;
	const char *filename;
	const evidence_file *file;
} case_upload;

typedef struct case_new_req {
	const char *procedure_id;
	const char *title;     /* NULL: the procedure's name */
	const sop_value *fields;
	size_t n_fields;
	const char *actor;     /* who opens it: a user name or "cli:…" */
	const char *origin;    /* where from: host, address */
	const case_upload *uploads;
	size_t n_uploads;
} case_new_req;

typedef struct case_step_req {
	const char *ticket;
	const char *user;
	const char *decision;  /* NULL when the step is not a decision */
	const sop_value *values;
	size_t n_values;
	const char *origin;
	const case_upload *uploads;
	size_t n_uploads;
	/* On behalf of an outside actor (the step's role is luar, and user
	 * holds a role its atas_nama names): the real actor's name and the
	 * channel it came by (case_channels). Both NULL otherwise. */
	const char *on_behalf;
	const char *channel;
	/* The step the caller saw (a form carries it): when set, the case must
	 * still stand at it, and at the same visit of it (expect_visit: the
	 * step's started_at; 0: any), or nothing is done (SG_ESTATE). A form
	 * sent twice, or loaded before someone else moved the case, must not
	 * complete the next step with values written for another. */
	int expect_step;
	int64_t expect_visit;
} case_step_req;

typedef struct case_step_result {
	bool closed;
	int next_no;          /* the step the case now stands on; 0 when closed */
	sla_result sla;
} case_step_result;

/* Form fields of an SOP procedure or step as JSON: [{name, label, type,
 * required, options?, entity?}]. */
json_t *sop_fields_json(const sop_field *f, size_t n);

int case_new(app *a, const case_new_req *req, char ticket[32], sg_err *e);
/* A report from the public form: opens the case as case_new does and
 * gives the reporter a tracking code (shown once; only its hash is kept). */
int case_report_public(app *a, const case_new_req *req, char ticket[32], char tracking[21],
		       sg_err *e);
/* What a public reporter may see of a case: ticket, status, dates, the
 * SOP step it stands on, the steps done by their SOP names and the values
 * of the fields the SOP marks publik; never names, other fields, comments
 * or decision labels. NULL with SG_ENOTFOUND for an unknown ticket or a
 * wrong code alike. */
json_t *case_public_status(app *a, const char *ticket, const char *tracking, sg_err *e);
/* The reply code of a case a citizen reported (REPLY_CODE_LEN letters
 * and digits, from the tracking code's hash, which only the store
 * knows): the reporter's e-mails carry it in their subject ("#K7M2QX"),
 * and an e-mail reply is added to the case only when its subject has it,
 * so a forged sender who knows a ticket cannot write to the case. 1 with
 * out set, 0 when the case has no tracking code, -1 on error. */
#define REPLY_CODE_LEN 6
int case_reply_code(app *a, const char *ticket, char out[REPLY_CODE_LEN + 1], sg_err *e);
/* A comment by someone who is no user (the reporter's e-mail reply,
 * "surel:ADDRESS"): no sight is checked; the caller decided. */
int case_comment_as(app *a, const char *ticket, const char *author, const char *body,
		    const char *origin, sg_err *e);
int case_comment(app *a, const char *ticket, const char *user, const char *body,
		 const char *origin, sg_err *e);
/* Attaches a file to a case outside any step, with its custody record. */
int case_attach(app *a, const char *ticket, const char *user, const case_upload *u,
		const char *origin, char sha256[65], sg_err *e);
/* Assigns the case to a user who holds its current step's role (NULL or
 * "": nobody), who becomes one of its participants. The actor must see
 * the whole case (case_access.c). */
/* Names person on the case (a case_participants row, logged as
 * case.name): who sees the whole case may name a staff member of its SOP,
 * so that a TLP:RED case reaches someone who holds no step of it yet (the
 * Kabid who would reopen it, a colleague to consult), open or closed. */
int case_name_person(app *a, const char *ticket, const char *actor, const char *person,
		     sg_err *e);
/* Sets the case's TLP 2.0 label at any step, open or closed: whoever sees
 * the whole case may. Raising holds from the next request; every change
 * is logged, a lowering as case.tlp_lowered. */
int case_set_tlp(app *a, const char *ticket, const char *user, const char *tlp, sg_err *e);
int case_assign(app *a, const char *ticket, const char *actor, const char *assignee,
		sg_err *e);
int case_step(app *a, const case_step_req *req, case_step_result *out, sg_err *e);
/* The channels by which an outside actor's step reaches the staff member
 * completing it on its behalf: telepon, surat, surel, datang langsung
 * (NULL-terminated). A step done through a link has the channel "tautan". */
extern const char *const case_channels[];
bool case_channel_valid(const char *channel);
/* Whether user may complete the case's current step (the case exists, is
 * open, and the user holds the step's role or may complete it on its
 * outside actor's behalf), asked before a request's body is read;
 * case_step checks it again. SG_ENOTFOUND, SG_ESTATE or SG_EPERM when
 * not. */
int case_may_act(app *a, const char *ticket, const char *user, sg_err *e);
/* Whether user may add evidence to the case (it exists, and the user may
 * read it). */
int case_may_attach(app *a, const char *ticket, const char *user, sg_err *e);
/* The case with its SOP, current step, SLA, fields, history and evidence,
 * as viewer may see it ("sight": "full" or "limited"; case_access.c);
 * SG_ENOTFOUND when it may not know the case. viewer NULL: everything. */
json_t *case_get(app *a, const char *ticket, const char *viewer, sg_err *e);
typedef struct case_filter {
	const char *procedure_id; /* or an SOP id: all its procedures */
	bool open_only;
	bool closed_only;
	int step_no;              /* 0: any */
	const char *priority;
	const char *category;
	const char *assignee;
	const char *tlp;
	int64_t created_from;     /* 0: any; instants, inclusive */
	int64_t created_to;
	const char *query;        /* full-text search (FTS5 syntax of words) */
	const char *viewer;       /* only the cases this user may see (case_access.c);
				   * NULL: all (the machine's owner) */
	int limit;                /* <= 0: 100 */
	int offset;
} case_filter;
/* Newest first. */
json_t *case_list(app *a, const case_filter *f, sg_err *e);
/* How many cases the filter matches (limit and offset ignored). */
int case_count(app *a, const case_filter *f, int64_t *out, sg_err *e);
/* SLA compliance of finished step runs of a procedure (NULL: all) since
 * an instant: {"runs", "met", "rate"}. */
json_t *sla_compliance(app *a, const char *procedure_id, int64_t since, const case_viewer *v,
		       sg_err *e);

/* ---- the assets of a case (case_assets.c) ---- */
/* Inside a transaction: links a case to an asset (via "field", "alert" or
 * "hand"); a link already there is kept as it was. A logbook entry
 * "case.asset" when the link is new. */
int case_asset_link(app *a, int64_t case_id, const char *ticket, int64_t asset_id,
		    const char *via, const char *actor, sg_err *e);
/* Inside a transaction: the assets an SOP step's values name in its ref
 * fields of entity asset (checked already by collect_values). */
int case_assets_from_values(app *a, int64_t case_id, const char *ticket, const sop_field *fields,
			    size_t nf, json_t *values, const char *actor, sg_err *e);
/* An officer attaches an asset to a case: the actor sees the case whole
 * and may see the asset (in service). */
int case_asset_attach(app *a, const char *actor, const char *ticket, int64_t asset_id,
		      sg_err *e);
/* The assets of a case: [{"id", "name", "opd", "via", "linked_at",
 * "linked_by"}], those the viewer may see (NULL: all). */
json_t *case_assets_list(app *a, int64_t case_id, const char *viewer, sg_err *e);

/* ---- sending back and reopening (case_flows.c) ---- */
/* Sends an open case back from its current step to an earlier step of
 * the procedure that this case has passed, whose clock starts again. The
 * user must be one who may complete the current step (case_may_act);
 * reason is required. A step run of kind "kembalikan" records it. */
int case_send_back(app *a, const char *ticket, const char *user, int step_no,
		   const char *reason, const char *origin, sg_err *e);
/* Reopens a closed case at step_no (0: the step it closed from), which
 * must be a step the case passed; only a holder of a role the SOP marks
 * buka_kembali (kabid) may, with a reason. A step run of kind "buka_kembali" records it. */
int case_reopen(app *a, const char *ticket, const char *user, int step_no, const char *reason,
		const char *origin, sg_err *e);

/* ---- single-case links for outside actors (case_links.c) ---- */
/* Characters of a link's token: about 158 bits from random_token's
 * 31-symbol alphabet. Only its SHA-256 is stored. */
enum { LINK_TOKEN_LEN = 32 };
/* Issues a link through which the outside actor of the case's current
 * step completes that step without an account, once, until [web]
 * link_days pass. The issuer must be staff of the case: a holder of a
 * role the SOP names for acting on the outside role's behalf, or of any
 * staff role of the case's SOP. recipient: the name of whom it is for;
 * m: what it hands over (NULL: nothing but the step). token receives the
 * token (shown once). */
/* What a link hands its actor besides the step's form (the step's
 * Kelengkapan): the case's report (its case fields) and evidence files of
 * the case, by SHA-256 (at most LINK_MAX_EVIDENCE). */
enum { LINK_MAX_EVIDENCE = 32 };
typedef struct link_material {
	bool report;
	const char *const *evidence;
	size_t n_evidence;
} link_material;
int case_link_issue(app *a, const char *ticket, const char *user, const char *recipient,
		    const link_material *m, const char *origin, char token[LINK_TOKEN_LEN + 1],
		    int64_t *id, int64_t *expires_at, sg_err *e);
/* The links of a case, newest first: [{id, step_no, recipient,
 * created_by, created_at, expires_at, used_at?, revoked_at?, revoked_by?,
 * state: aktif|dipakai|kedaluwarsa|dicabut}]. */
json_t *case_links(app *a, const char *ticket, const char *viewer, sg_err *e);
/* Revokes an active link of the case (its issuer, or whoever may issue). */
int case_link_revoke(app *a, const char *ticket, const char *user, int64_t id, sg_err *e);
/* Whether a token is a link still usable (before its body is read):
 * SG_ENOTFOUND for an unknown token, SG_ESTATE (with the reason: used,
 * expired, revoked) for one that no longer works. */
int case_link_check(app *a, const char *token, sg_err *e);
/* What a usable link shows, and nothing else: the ticket, whom it is
 * for, until when, and the step (its description and form) with its SOP.
 * The pointers are the SOP registry's and stay valid while the app is
 * open. */
typedef struct case_link_info {
	char ticket[32];
	char recipient[201];
	int64_t expires_at;
	const sop *sop;
	const sop_step *step;
	json_t *report;   /* {title, fields: [{label, value}]}: the case's
			   * report, or NULL */
	json_t *evidence; /* [{sha256, name, size}] handed over */
} case_link_info;
int case_link_view(app *a, const char *token, case_link_info *out, sg_err *e);
void case_link_info_free(case_link_info *v);
/* An evidence file the link hands over, while the link works: its size
 * and a file name. SG_ENOTFOUND for any other file. */
int case_link_file(app *a, const char *token, const char *sha256, int64_t *size,
		   char filename[256], sg_err *e);
/* Completes the link's step with req's decision, values and uploads
 * (req->ticket and req->user are ignored), recorded as done by the
 * recipient over the channel "tautan"; the link is then used. */
int case_link_complete(app *a, const char *token, const case_step_req *req,
		       case_step_result *out, char ticket[32], sg_err *e);

/* ---- the user's tasks (tasks.c) ---- */
/* "Tugas saya": the open cases whose current step is done by a role the
 * user holds (an outside role's step only for a holder of that role) and
 * the open cases assigned to the user, the most urgent first (due time;
 * steps without a standard time after, the longest waiting first), at
 * most limit (<= 0: 100): [{ticket, title, procedure, procedure_nama,
 * priority, assignee, category, step: {no, uraian, role, role_nama,
 * started_at, waktu?, due_at?, overdue?}, why: ["role", "assigned",
 * "unattended"]}]; "unattended": a TLP:RED case the user is named on, as
 * CSIRT staff, whose step nobody named on it can do: to assign.
 * roles: the user's roles when the caller has them (NULL: looked up). */
json_t *tasks_of(app *a, const char *user, json_t *roles, int limit, sg_err *e);
/* How many tasks the user has, counting at most cap (<= 0: all): one
 * query over indexes, O(min(tasks, cap)), for every page's navigation. */
int tasks_count(app *a, const char *user, json_t *roles, int64_t cap, int64_t *out, sg_err *e);

/* ---- dashboard (dashboard.c) ---- */
/* {"open", "overdue", "due_soon", "by_procedure": {id: {nama, total,
 * steps: {no: {no, uraian, count}}}}, "due": [the 20 most urgent steps],
 * "by_category", "by_priority", "compliance": [{sop, nama, d30, d90}],
 * "findings": dashboard_findings' figures or null} */
json_t *dashboard_get(app *a, const char *viewer, sg_err *e);
/* The figures /metrics shows: open cases, those whose current step is
 * past its standard time, finished steps that missed theirs. O(open
 * cases): the due times depend on the working calendar. */
typedef struct sla_gauges {
	int64_t open, overdue, missed;
} sla_gauges;
int sla_gauges_get(app *a, sla_gauges *g, sg_err *e);

/* ---- evidence (evidence.c, evidence_spool.c) ---- */
/* A file received into the spool, whole and synced, with its SHA-256. */
typedef struct evidence_spool evidence_spool;
/* A file being received: written as it comes, hashed on the way, refused
 * (SG_ETOOBIG) past [evidence] max_size. close syncs it and fills out;
 * abort removes it. */
evidence_spool *evidence_spool_open(app *a, sg_err *e);
/* The same with a limit of its own instead of [evidence] max_size (a
 * scanner report: [kerentanan] max_report_size; the command line's
 * files: none). */
evidence_spool *evidence_spool_open_max(app *a, int64_t max, sg_err *e);
int evidence_spool_write(evidence_spool *s, const void *data, size_t n, sg_err *e);
int evidence_spool_close(evidence_spool *s, evidence_file *out, sg_err *e);
void evidence_spool_abort(evidence_spool *s);
/* A file read once, by a parser and into the spool together
 * (evidence_tee.c): the parser reads evidence_tee_stream, and every byte
 * it is handed is written to the spool. fd (taken over: a regular file,
 * a pipe or a device) is read from where it stands, never seeked; name
 * stands for it in messages. A regular file must keep the size it had
 * when opened until close. close copies what the parser left unread and
 * closes the spool into out; abort removes it all. When the stream failed
 * because of the tee (a read, a write of the spool, a file that changed),
 * evidence_tee_failed says why. */
typedef struct evidence_tee evidence_tee;
evidence_tee *evidence_tee_open(app *a, int fd, const char *name, sg_err *e);
FILE *evidence_tee_stream(evidence_tee *t);
bool evidence_tee_failed(const evidence_tee *t, sg_err *e);
int evidence_tee_close(evidence_tee *t, evidence_file *out, sg_err *e);
void evidence_tee_abort(evidence_tee *t);
/* Bytes already in memory into the spool (demo data, tests). */
int evidence_spool_data(app *a, const void *data, size_t n, evidence_file *out, sg_err *e);
/* Drops the spool name; a placed content stays in the store. */
void evidence_file_discard(evidence_file *f);
/* Inside a write transaction: links the spool file to the store under its
 * SHA-256 (nothing when that content is stored already). After a
 * rollback, evidence_unplace removes what evidence_place made. */
int evidence_place(app *a, const evidence_file *f, sg_err *e);
void evidence_unplace(app *a, const evidence_file *f);
typedef struct evidence_recovery {
	int partial, committed, rolled_back;
} evidence_recovery;
/* Settles the spool files of processes that are gone (at sigap serve's
 * start): committed contents kept, the rest removed. */
int evidence_recover(app *a, evidence_recovery *out, sg_err *e);
/* The stored file of a content hash into out; -1 when sha is malformed. */
int evidence_path(app *a, const char *sha256, char *out, size_t n);
/* Inside a write transaction: the row of a content (its SHA-256, size and
 * when it was first seen), unless it has one already. */
int evidence_row(app *a, const char *sha256, int64_t size, int64_t now, sg_err *e);
/* Records who attached a stored content to which case, when and from
 * where. Call inside a transaction. */
int evidence_attach(app *a, int64_t case_id, const char *sha256, int64_t size,
		    const char *filename, const char *field, const char *actor, const char *origin,
		    sg_err *e);
/* Whether a user may read an evidence content: it is attached to a case
 * the user may see. Fills size and a file name it was attached under.
 * SG_ENOTFOUND when not (the same answer for unknown and not allowed). */
int evidence_visible(app *a, const char *user, const char *sha256, int64_t *size,
		     char filename[256], sg_err *e);
/* The same, or the report file of a scanner import, which the CSIRT's
 * staff read (import_file.c); for downloads. */
int evidence_or_report_visible(app *a, const char *user, const char *sha256, int64_t *size,
			       char filename[256], sg_err *e);

/* ---- the website monitor (monitor.c, monitor_check.c; docs/monitor.md) ---- */
typedef struct monitor_site_in {
	int64_t asset_id;  /* add only: the asset whose URL url is */
	const char *url;   /* add only: one of the asset's URLs */
	int64_t period;    /* seconds between checks; 0: [pantau] interval */
	const char *const *paths; /* more pages of the site ("/profil") */
	size_t n_paths;
	const char *const *regions; /* dynamic regions ("#berita", "p.tanggal") */
	size_t n_regions;
	bool sitemap;
} monitor_site_in;
/* 0 when url is an http(s) URL the monitor can fetch, else SG_EINVAL. */
int monitor_check_url(const char *url, sg_err *e);
/* The keepers of the register watch a URL of an asset, change how, stop
 * and start it again; each in the logbook. */
int monitor_site_add(app *a, const char *actor, const monitor_site_in *in, int64_t *id, sg_err *e);
int monitor_site_edit(app *a, const char *actor, int64_t id, const monitor_site_in *in, sg_err *e);
int monitor_site_enable(app *a, const char *actor, int64_t id, bool on, sg_err *e);
int monitor_site_exists(app *a, int64_t id, sg_err *e);
/* Whether actor may accept a page as it should be, or have a site
 * checked now: the CTI SOP's officers (triage roles) and the owner. */
int monitor_may_triage(app *a, const char *actor, sg_err *e);
bool monitor_state_valid(const char *state);
/* Whether viewer keeps the watched sites (adds, changes, stops them). */
bool monitor_may_keep(app *a, const char *viewer);
/* Whether viewer reads any watched site (CSIRT staff all, an OPD's agent
 * its OPD's). */
bool monitor_may_read(app *a, const char *viewer);
/* The URLs of the assets in service not watched yet, for viewer's form:
 * [{"asset", "name", "opd", "url"}]; SG_EPERM for who keeps no site. */
json_t *monitor_candidates(app *a, const char *viewer, sg_err *e);
/* The sites viewer reads (state: only those; NULL any), worst first;
 * none for whom the register shows nothing. */
json_t *monitor_site_list(app *a, const char *viewer, const char *state, sg_err *e);
/* One site with its findings (open first), its recent checks and its
 * accepted pages; SG_ENOTFOUND when viewer may not see it. */
json_t *monitor_site_get(app *a, const char *viewer, int64_t id, sg_err *e);
/* Whether viewer may read a page or text snapshot the monitor kept (the
 * sites it reads); fills its size and a file name. */
int monitor_evidence_visible(app *a, const char *viewer, const char *sha, int64_t *size,
                             char filename[256], sg_err *e);
/* The pages of a site as the last check read them become its baseline;
 * the findings of change (berubah, skrip_baru, a replaced page) are
 * resolved. *pages: how many were accepted; SG_ESTATE when the site was
 * never read. */
int monitor_baseline_accept(app *a, const char *actor, int64_t id, int *pages, sg_err *e);

/* A stored finding read back for its sentence: its kind's code and its
 * detail (the finding's, or an alert event's fields, which are text). */
struct mon_finding;
void monitor_finding_of(const char *kind, const json_t *detail, struct mon_finding *out);
/* What checks load once: the content rules ([pantau] aturan besides the
 * shipped ones) and a scanner of them. One per thread. */
typedef struct monitor_checker monitor_checker;
/* NULL when the rules are refused (each problem in d). */
monitor_checker *monitor_checker_new(app *a, diags *d);
void monitor_checker_free(monitor_checker *c);
typedef struct monitor_result {
	int64_t sites, pages, fetches, found, resolved, alerts;
	int64_t failed; /* sites not checked or not recorded (the first one's
	                 * error is told; the others were checked all the same) */
} monitor_result;
/* Checks the sites now (each page as a browser and as a crawler), and
 * records per site, in a transaction: the check, the pages read, the
 * findings new (with an alert on the asset and the page kept as
 * evidence), seen again and gone (resolved), the site's state. node
 * names this server in the evidence's custody. */
int monitor_check_sites(app *a, monitor_checker *c, const char *node, const int64_t *ids, size_t n,
                        monitor_result *out, sg_err *e);
/* An officer (monitor_may_triage) has one site checked now, whatever
 * its schedule: the content rules loaded for it, its pages fetched,
 * judged and recorded as a round would. */
int monitor_site_check_now(app *a, const char *actor, int64_t id, const char *node,
                           monitor_result *out, sg_err *e);
/* The sites due (all: every site watched), each claimed by moving its
 * next check (two nodes never check one site at once), checked in
 * batches of bounded memory. */
int monitor_round(app *a, monitor_checker *c, const char *node, bool all, monitor_result *out,
                  sg_err *e);
/* Deletes the checks older than [pantau] simpan (the history's chart;
 * findings, evidence and alerts stay). */
int monitor_prune(app *a, int64_t *deleted, sg_err *e);
/* The watcher of a server: a thread that runs monitor_round every few
 * seconds (and monitor_prune once an hour). NULL with e when the content rules are refused. */
typedef struct monitor_watch monitor_watch;
monitor_watch *monitor_watch_start(int (*open_app)(app *a, sg_err *e), const char *node,
                                   sg_err *e);
void monitor_watch_stop(monitor_watch *w);

/* ---- demo data (demo.c) ---- */
/* Adds demo users and a demo incident case advanced a few steps, once;
 * fills ticket (may be "" when the demo already existed). */
int demo_seed(app *a, char ticket[32], sg_err *e);
/* The password of every demo user. */
extern const char demo_password[];

/* ---- threat indicators (indicators.c) ---- */
typedef struct ioc_import_result {
	intel_counts counts;
	int64_t added, updated; /* rows new, rows seen again */
} ioc_import_result;
/* Imports one feed file or MISP feed directory in one transaction (see
 * intel/intel.h for formats and defaults); what the feed could not give
 * is in d. -1 (nothing stored) when the file cannot be read at all. */
int ioc_import(app *a, const char *actor, const char *path, intel_format fmt,
	       const intel_defaults *def, ioc_import_result *res, diags *d, sg_err *e);
typedef struct ioc_filter {
	const char *type, *source;
	const char *q;  /* values beginning with this */
	bool expired;   /* expired ones too */
	int limit, offset;
} ioc_filter;
/* Newest first; total (when not NULL) counts every match. */
json_t *ioc_list(app *a, const ioc_filter *f, int64_t *total, sg_err *e);
/* One stored indicator; NULL with SG_ENOTFOUND. */
json_t *ioc_get(app *a, int64_t id, sg_err *e);
/* The stored indicators a value matches as detection would match it:
 * itself, parent domains, ranges holding an address, a URL's host. */
json_t *ioc_search(app *a, const char *value, sg_err *e);
/* Deletes indicators past their expiry (counts them only when dry_run). */
int ioc_expire(app *a, const char *actor, bool dry_run, int64_t *count, sg_err *e);
/* Adds every indicator not expired to set (not yet finished). */
int ioc_load_into(app *a, ioc_set *set, size_t *loaded, sg_err *e);

/* ---- vulnerability intelligence (vuln_intel.c) ---- */
typedef struct vi_import_result {
	vi_kind kind;            /* the kind read (told when VI_AUTO) */
	char sha256[SHA256_HEX_LEN + 1]; /* of the file; of a tree: see cve5_read */
	vi_counts counts;        /* files, records read, handed on, refused */
	int64_t added, changed, unchanged;
	int64_t older;           /* older than what is stored: kept the stored */
	int64_t kev_due_changed, kev_ransomware_changed; /* KEV entries changed so */
	int64_t epss_moved;      /* EPSS scores that moved (a percentile alone is
	                          * a change, not a move) */
	int64_t findings_due_moved; /* KEV: open findings whose due date moved */
	char version[64];        /* KEV catalogVersion; EPSS model_version */
	char published[40];      /* KEV dateReleased; EPSS score_date */
	bool gzip;               /* EPSS: the file was gzip */
	int64_t import_id;       /* its row in vuln_intel_imports; the rows it
	                          * added or changed carry it (0014_vuln_intel.sql):
	                          * the CVEs whose findings to weigh again */
} vi_import_result;
/* Imports a CVE record, a cvelistV5 tree (a directory), a KEV catalog
 * (JSON or CSV) or an EPSS file (plain or gzip): kind VI_AUTO tells it
 * from the file. One transaction with a vuln_intel_imports row and a
 * logbook entry; refused records are in d (give it a limit), the rest
 * stored. Fails, storing nothing, when the file is not of the kind or no
 * record of it could be read. progress (may be NULL) is called per file
 * of a tree. */
int vuln_intel_import(app *a, const char *actor, const char *path, vi_kind kind,
		      vi_progress_fn progress, void *pctx, vi_import_result *res, diags *d,
		      sg_err *e);
/* sigap vuln intel update (vuln_intel_update.c): bytes downloaded of
 * total (0: not announced). */
typedef void (*vi_fetch_progress_fn)(void *ctx, uint64_t done, uint64_t total);
/* Per URL tried: res when it was imported, else why not (e). */
typedef void (*vi_update_cb)(void *ctx, vi_kind kind, const char *url,
			     const vi_import_result *res, const diags *d, const sg_err *e);
/* Fetches the [vuln_intel] URLs (only one kind unless VI_AUTO) into
 * temporary files and imports each as vuln_intel_import does, in one
 * transaction a URL; a URL that fails stores nothing. SG_ESTATE when
 * update is off; -1 when a URL failed (done says which and why). */
int vuln_intel_update(app *a, const char *actor, vi_kind only, vi_fetch_progress_fn progress,
		      vi_update_cb done, void *ctx, sg_err *e);
/* What is stored of one CVE: {"cve", "record": {state, title, description,
 * cwes, references, affected, cvss: {"3.1": {score, vector, severity,
 * source}, …}, dates} or null, "kev": {…} or null, "epss": {score,
 * percentile, model_version, score_date} or null}. SG_EINVAL for no CVE
 * id, SG_ENOTFOUND when none of the three is stored. */
json_t *vuln_intel_cve(app *a, const char *cve_id, sg_err *e);
/* What a finding's priority and due date take from a CVE. */
typedef struct vuln_cve_priority {
	bool kev;              /* in CISA's KEV catalog */
	char kev_due[11];      /* its due date, YYYY-MM-DD; "" when not in KEV */
	bool kev_ransomware;   /* known to be used in ransomware campaigns */
	double epss, percentile; /* -1 when no EPSS score is stored */
} vuln_cve_priority;
/* Fills out for one CVE (all "none" when nothing is stored of it);
 * SG_EINVAL when cve_id is no CVE id. Two indexed reads. */
int vuln_intel_priority(app *a, const char *cve_id, vuln_cve_priority *out, sg_err *e);

/* ---- alerts (alerts.c) ---- */
/* Repeats within this many seconds fold into one alert. */
enum { ALERT_FOLD_WINDOW = 600 };
typedef struct alert_in {
	const char *kind;      /* "rule", "indicator" or "monitor" (a website's finding) */
	const char *rule_id;   /* kind rule: the Sigma id (NULL: the title keys it) */
	int64_t indicator_id;  /* kind indicator: indicators.id */
	const char *title, *level;
	json_t *tags;          /* borrowed; NULL: none */
	json_t *indicators;    /* borrowed: the indicators the event held; NULL: none */
	const char *asset;     /* agent or host; NULL when unknown */
	const char *source_ip; /* NULL when the event names none */
	int64_t at;            /* the event's time */
	json_t *event;         /* borrowed: format, raw, fields */
	/* What the event names of the machine it is about, for asset_find
	 * when a new alert is opened (a folded repeat resolves nothing):
	 * Wazuh's agent id and name, a host (name or address), an address
	 * (the destination, else the source), a URL; NULL or "": none. */
	const char *agent_id, *agent_name, *host, *address, *url;
	int64_t asset_id; /* already known (a correlation's member alert's); 0: resolve */
	bool refresh;     /* folded, the open alert takes this one's title, event
	                   * and level when higher (told again when it rises): the
	                   * website monitor's finding that grew worse */
} alert_in;
typedef struct alert_out {
	int64_t id;
	bool folded; /* counted into an open alert */
} alert_out;
/* Records a match; folds into the undecided alert of the same rule (or
 * indicator), asset and source address last seen within window seconds.
 * A new alert is attached to its asset (asset_find on in's identity), or
 * kept in alert_unmatched for an officer to attach. Call inside a
 * transaction. */
int alert_record(app *a, const alert_in *in, int64_t window, alert_out *out, sg_err *e);
/* A level's rank, informational (0) to critical (4); -1 for another word. */
int alert_level_rank(const char *level);

/* ---- outbox (outbox.c): messages kept until delivered ---- */

/* Inside the caller's transaction: the case's news for the receivers
 * configured in [notify] (its step now waits for a role: langkah.menunggu;
 * it closed: kasus.ditutup); nothing when none is configured. actor made
 * the change: not e-mailed of it. */
int outbox_case(app *a, const char *ticket, const char *actor, sg_err *e);
/* Inside the caller's transaction: a new alert of level high or critical
 * (peringatan.tinggi); nothing for other levels. */
int outbox_alert(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e);
/* Inside the caller's transaction: the case was labelled TLP:RED, so
 * its messages not delivered yet lose its title (the webhook's JSON and
 * the e-mails' title line). */
int outbox_withhold_title(app *a, const char *ticket, sg_err *e);
/* The messages not delivered yet (delivered: the delivered ones), newest
 * first, at most 500; admins only. */
json_t *outbox_list(app *a, const char *viewer, bool delivered, sg_err *e);
/* Messages waiting (or being delivered), and those that gagal or are
 * tidak_pasti. */
int outbox_counts(app *a, int64_t *waiting, int64_t *stuck, sg_err *e);
/* The open cases whose step's standard time runs out within
 * [notify] sla_warn_before (tenggat.segera, to the step's role) or has run
 * out (tenggat.lewat, to the step's role and the kabid), each told once a
 * visit of the step, whichever node checks (outbox_sla.c). */
int outbox_sla_round(app *a, sg_err *e);
/* From the 1st of a month, 07.00: once, whichever node, the reminder
 * that last month's report is ready (laporan.bulanan) to the users of
 * kepala_dinas and kabid (outbox_monthly.c). */
int outbox_monthly_round(app *a, sg_err *e);
/* An admin sends a message that gagal or is tidak_pasti again. */
int outbox_resend(app *a, const char *actor, int64_t id, sg_err *e);
/* An admin marks a tidak_pasti message delivered (the receiver has it). */
int outbox_settle(app *a, const char *actor, int64_t id, sg_err *e);
/* The sender thread of a server, named node (stable across restarts:
 * what it was delivering when it stopped becomes tidak_pasti at its next
 * start). No thread when [notify] names no receiver. */
typedef struct outbox_sender outbox_sender;
outbox_sender *outbox_sender_start(int (*open_app)(app *a, sg_err *e), const char *node,
                                   sg_err *e);
void outbox_sender_stop(outbox_sender *s);
bool alert_status_valid(const char *s);
/* Triage is the CTI SOP's: roles ttis and kabid may decide alerts and
 * open cases for them; not admin, who manages accounts and reads no
 * case content (an alert's event and reason are). */
bool alert_may_triage(const json_t *roles);
/* Counting the matches of a filter no kept count answers (a rule, an
 * indicator, an asset, a time) stops here: past it the total is "more
 * than ALERT_COUNT_CAP", as reading millions of rows for a number nobody
 * pages through would cost more than the page. */
enum { ALERT_COUNT_CAP = 10000 };
typedef struct alert_filter {
	const char *status, *level, *rule_id, *asset;
	int64_t indicator_id; /* 0: any */
	int64_t since;        /* last seen at or after; 0: any time */
	int limit, offset;
	/* The keyset pager (alert_cursor_parse): the rows after (older than)
	 * the alert last seen at after_seen numbered after_id, or before
	 * (newer than) before_seen/before_id; an id of 0: no cursor. Reads
	 * only the page's rows however deep, and a page continues where the
	 * previous one ended whatever was raised in between. */
	int64_t after_seen, after_id, before_seen, before_id;
	bool brief; /* rows of id, title, level, status, count, last_seen, asset
		     * and case only: the list page's columns */
	const char *viewer; /* whose eyes: the cases and verdict reasons it may
			     * see (case_access.c); NULL: the machine's owner.
			     * An agen_siber sees only its OPD's assets' alerts */
	bool unmatched;     /* only alerts attached to no asset */
	int64_t asset_id;   /* only the alerts of this asset; 0: any */
	int64_t opd_id;     /* only the alerts of this OPD's assets; 0: any
			     * (set by alert_list for an agen_siber) */
} alert_filter;
typedef struct alert_pager {
	int64_t total;     /* the matches, or ALERT_COUNT_CAP when total_more */
	bool total_more;   /* more than ALERT_COUNT_CAP match */
	bool older, newer; /* rows past this page's last, before its first */
} alert_pager;
/* Alerts last seen first. pg (NULL: not wanted) gets the total and
 * whether there are rows either side of the page. A page before a cursor
 * that reaches the newest alert is the first page. */
json_t *alert_list(app *a, const alert_filter *f, alert_pager *pg, sg_err *e);
/* Reads a pager cursor "LASTSEEN.ID" (as alert_cursor writes it). */
bool alert_cursor_parse(const char *s, int64_t *seen, int64_t *id);
/* The cursor of an alert row of alert_list into out (48 bytes). */
void alert_cursor(const json_t *row, char *out, size_t n);
/* One alert with its first event, and the cases it belongs to that viewer
 * may see (NULL: all; case_access.c). */
json_t *alert_get(app *a, int64_t id, const char *viewer, sg_err *e);
/* Sets triage, false_positive or true_positive (the last two need a
 * reason), in the logbook. The actor must hold a triage role (SG_EPERM). */
int alert_decide(app *a, const char *actor, int64_t id, const char *status, const char *reason,
		 sg_err *e);
/* Starts a case of the CTI SOP for the alerts (the first names it) and
 * links them (alert_cases); new alerts move to triage. An alert already
 * in a CTI case is refused. The actor must hold a triage role. */
int alert_open_case(app *a, const char *actor, const int64_t *ids, size_t n, const char *origin,
		    char ticket[32], sg_err *e);
/* The alerts linked to a case, by id, as v may see them (NULL: all). */
json_t *alert_list_case(app *a, int64_t case_id, const case_viewer *v, sg_err *e);
/* Inside a transaction: a case's verdict on its linked alerts (status
 * true_positive or false_positive, with the reason), each changed alert
 * in the logbook. */
int alert_case_verdict(app *a, int64_t case_id, const char *ticket, const char *status,
		       const char *reason, const char *actor, sg_err *e);
/* Which alerts viewer reads (alert_assets.c): an agen_siber without a
 * triage role those of its OPD's assets, read-only (*opd_id set; SG_EPERM
 * when it has no OPD); anyone else all the routes let it reach (0). */
int alert_reader(app *a, const char *viewer, int64_t *opd_id, sg_err *e);
/* Attaches alerts to an asset in service by hand (an officer's call when
 * what the event named matched none, or a correction), one transaction,
 * all or none, each in the logbook ("alert.attach" with the asset it
 * had). The actor holds a triage role. */
int alert_attach(app *a, const char *actor, const int64_t *ids, size_t n, int64_t asset_id,
		 sg_err *e);
/* Alerts nobody has decided yet, all and those of level high or critical. */
int alert_undecided(app *a, int64_t *all, int64_t *high, sg_err *e);
/* Hits of "rule:ID" or "indicator:ID" since a time, summed per bucket
 * seconds (at least an hour): [{"at", "hits"}]. */
json_t *alert_hits(app *a, const char *ref, int64_t since, int64_t bucket, sg_err *e);

/* ---- detection matches made alerts (raise.c) ---- */
/* An alert for a rule match (with the indicators the event also held);
 * asset, source address and time are read from the event. */
int alert_raise_rule(app *a, const det_rule *r, const det_event *ev, const det_hit *hits,
		     size_t n_hits, int64_t window, alert_out *out, sg_err *e);
/* An alert for a correlation that fired: its members (time, rule, the
 * alert each raised: the refs the caller gave the correlator) in the
 * event's "correlation"; asset and source address from ev, the event that
 * completed it, or when ev is NULL from the newest member alert. */
int alert_raise_correlation(app *a, const det_corr_match *m, const det_event *ev, int64_t window,
			    alert_out *out, sg_err *e);
/* An alert for an indicator the event held (ioc->id set: a stored one). */
int alert_raise_ioc(app *a, const det_hit *hit, const det_event *ev, int64_t window,
		    alert_out *out, sg_err *e);

/* ---- the register of assets (asset_find.c, assets.c) ---- */
/* The asset an alert, finding or case belongs to: by Wazuh agent id or
 * name, by host name, by address (exact or inside a range; host may be an
 * address or a name), or by URL (same scheme+host[:port], longest path
 * prefix); 0 in *asset_id when none matches; the most specific match wins
 * (agent id, agent name, URL, host name, address, narrowest range; the
 * URL's own host last). Retired assets match nothing. Any argument may be
 * NULL or "". */
int asset_find(app *a, const char *agent_id, const char *agent_name, const char *host,
	       const char *url, int64_t *asset_id, sg_err *e);

/* Inside the transaction that added asset_id or changed its identifiers:
 * unmatched alerts and findings that now resolve to it are attached, at
 * most ASSET_CLAIM_MAX distinct identities of each examined (newest
 * first), with a logbook entry "asset.claim" (asset_claim.c). */
enum { ASSET_CLAIM_MAX = 5000 };
typedef struct asset_claim_result {
	int64_t alerts, findings; /* attached */
	bool capped;              /* more identities than ASSET_CLAIM_MAX waited */
} asset_claim_result;
int asset_claim(app *a, const char *actor, int64_t asset_id, asset_claim_result *out, sg_err *e);

/* Who may do what with the register (assets.c). The CSIRT's staff (a
 * staff role of any SOP) read every asset; the roles that keep the
 * register (ASSET_KEEPERS: the patch SOP's administrator and tim_teknis,
 * ttis, kabid) write every asset; an agen_siber reads and writes the
 * assets of its own OPD only; OPDs are kept by admin and kabid (OPD_KEEPERS).
 * NULL, the command line's "cli:…" and sigap's own "sigap:…" are the
 * machine's owner: everything. */
typedef struct asset_scope {
	bool read_all, write_all, keep_opd;
	int64_t opd_id; /* an agen_siber's OPD (reads and writes its assets); 0: none */
} asset_scope;
int asset_scope_of(app *a, const char *user, asset_scope *s, sg_err *e);
/* The machine's owner: no user (NULL), the command line without --as
 * ("cli:…"), or sigap's own work ("sigap:demo"); it may every change of
 * the registers (assets.c). */
bool user_is_owner(const char *user);
/* Whether the scope may change an asset of the OPD opd_id (0: any OPD:
 * whether it may change some asset at all). */
bool asset_scope_writes(const asset_scope *s, int64_t opd_id);
/* The system roles besides the SOPs' own: admin, agen_siber. */
bool role_is_system(const char *role);

/* ---- the risk register (risks.c, risk_matrix.c; docs/risks.md) ---- */
/* Who may see and keep the register: the CSIRT's staff read every risk,
 * the RISK_KEEPERS (tim_teknis, kabid, kepala_dinas, ttis) write, an
 * agen_siber reads its OPD's risks; the machine's owner everything. */
typedef struct risk_scope {
	bool read_all, write;
	int64_t opd_id; /* an agen_siber's OPD; 0: none */
} risk_scope;
int risk_scope_of(app *a, const char *user, risk_scope *s, sg_err *e);
extern const char *const risk_treatments[]; /* terima, mitigasi, alihkan, hindari */
int risk_treatment_valid(const char *t);
/* A risk as written. Text NULL: unchanged on update ("" clears an
 * optional one); a step 0: unchanged (required on create); the residual
 * pair -1: cleared; the assets replaced when set_assets. */
typedef struct risk_in {
	const char *title, *description, *threat, *vulnerability, *treatment, *treatment_plan;
	const char *opd;    /* abbreviation or number; "" none */
	const char *owner;  /* a user name; "" none */
	const char *review; /* "YYYY-MM-DD"; NULL or "": on create, the level's cadence */
	const char *status; /* aktif or ditutup (update) */
	int likelihood, impact, residual_likelihood, residual_impact;
	const int64_t *assets;
	size_t n_assets;
	bool set_assets;
} risk_in;
/* Each logged as risk.create / risk.update (with what changed) on
 * "risk:ID"; an update that changes nothing writes nothing. */
int risk_create(app *a, const char *actor, const risk_in *in, int64_t *id, sg_err *e);
int risk_update(app *a, const char *actor, int64_t id, const risk_in *in, sg_err *e);
/* A risk with its levels by the matrix, assets, history and may_write;
 * SG_ENOTFOUND for one the viewer may not see, as for an unknown one. */
json_t *risk_get(app *a, const char *viewer, int64_t id, sg_err *e);
typedef struct risk_filter {
	const char *status; /* aktif, ditutup; NULL: both */
	int64_t opd_id;     /* 0: any */
	int level;          /* the inherent level; 0: any */
} risk_filter;
/* {risks: [...] by review date, heat: {inherent, residual: counts of the
 * open risks by [likelihood][impact]}, levels: [{level, name, open}],
 * may_write}. */
json_t *risk_list(app *a, const char *viewer, const risk_filter *f, sg_err *e);
/* {likelihood: [names], impact: [names], levels: [{level, name,
 * review_days}], cells: [[level]]}. */
json_t *risk_matrix_json(const risk_matrix *m);

/* ---- exceptions to the ISMS (exceptions.c, exception_read.c;
 * docs/exceptions.md) ---- */
/* Sight is the risk register's (an agen_siber reads its OPD's); a change
 * (re-approval) is asked by tim_teknis, kabid or kepala_dinas; a
 * revocation is the kabid's or the kepala_dinas'. */
typedef struct exception_scope {
	bool read_all, change, revoke;
	int64_t opd_id;
} exception_scope;
int exception_scope_of(app *a, const char *user, exception_scope *s, sg_err *e);
/* The exception a case of SOP pengecualian made (0: none yet). */
int64_t exception_of_ticket(app *a, const char *ticket, sg_err *e);
/* A change of an approved exception: NULL keeps a part as it is; why is
 * required. */
typedef struct exception_change_in {
	const char *controls; /* "framework:id, …" of the catalogue ("": none) */
	const char *findings; /* finding numbers, "12, 15" ("": none) */
	const char *clause;   /* the policy clause ("": none) */
	const char *until;    /* the last day in force, YYYY-MM-DD */
	const char *why;
} exception_change_in;
/* Voids the approval of exception id (dicabut, its findings back to their
 * states) and opens a new exception with the change, of a new case of the
 * SOP (its ticket into ticket) linked to the old: one transaction. */
int exception_change(app *a, const char *actor, int64_t id, const exception_change_in *in,
                     char ticket[32], int64_t *new_id, sg_err *e);
/* An approved exception revoked (dicabut), its findings back. */
int exception_revoke(app *a, const char *actor, int64_t id, const char *why, sg_err *e);
/* Starts the approved exceptions whose day has come, ends (kedaluwarsa)
 * the ones past their expiry, and writes the reminders before it
 * ([pengecualian] pengingat); *moved (may be NULL) counts what it did. */
int exception_round(app *a, int *moved, sg_err *e);
/* One exception whole: scope (controls with their titles, assets,
 * findings), risks with their levels, dates, the cases (its own, the one
 * it replaces or is replaced by), the alerts raised on its assets since
 * its approval, history, may_change/may_revoke; SG_ENOTFOUND when the
 * viewer may not see it. */
json_t *exception_get(app *a, const char *viewer, int64_t id, sg_err *e);
/* The views of the list: berlaku (in force), segera (in force or
 * approved, ending within 30 days), kedaluwarsa, diajukan, semua. */
extern const char *const exception_views[];
/* {exceptions: [...], counts: {view: n}, may_change}; view NULL: berlaku. */
json_t *exception_list(app *a, const char *viewer, const char *view, sg_err *e);

/* ---- the library of policies (policies.c, policy_read.c;
 * docs/policies.md) ---- */
extern const char *const policy_kinds[]; /* kebijakan, standar, prosedur */
typedef enum {
	POLICY_EDIT,    /* rewrite a draft sent back: tim_penyusun */
	POLICY_WITHDRAW /* withdraw a policy: kabid, kepala_dinas */
} policy_act;
/* Whether user may (the machine's owner may everything). */
int policy_may(app *a, const char *user, policy_act act);
/* Whether user is of the organisation (a staff role of an SOP, admin,
 * agen_siber), who reads the library whole; an outside actor only (a
 * reporter, an applicant) reads what the public reads. */
bool policy_insider(app *a, const char *user);
/* The roles that make a user one of the organisation: admin, agen_siber
 * and every role an SOP does not mark luar; a JSON array of names. */
json_t *policy_insider_roles(app *a);
/* A ref field's value names a policy of the library in force. */
int policy_ref_check(app *a, const char *field, const char *value, sg_err *e);
/* The text of version n of policy id, sent back (draf), rewritten; a
 * ratified version is frozen: SG_ESTATE, nothing written. */
int policy_edit(app *a, const char *actor, int64_t id, int version, const char *body, sg_err *e);
/* user has read the published version of policy id (once; logged). */
int policy_ack(app *a, const char *user, int64_t id, sg_err *e);
/* Withdraws policy id (dicabut; its published version too). */
int policy_withdraw(app *a, const char *actor, int64_t id, const char *why, sg_err *e);
/* Opens an evaluation case (kebijakan/evaluasi) for each policy in force
 * whose review has fallen due and has none open; *opened (may be NULL)
 * counts them. */
int policy_round(app *a, int *opened, sg_err *e);
/* The policies: all with their states, or (published_only) those in
 * force with a published version, as the public reads them. */
json_t *policy_list(app *a, bool published_only, sg_err *e);
/* One policy: published_only, what the public reads (its published
 * version's text, number, date, SHA-256); else every version with its
 * state and controls, who read the published one (readers: for the
 * library's keepers; read_by_me), history, may_edit, may_withdraw.
 * SG_ENOTFOUND when there is none (for the public: none published). */
json_t *policy_get(app *a, const char *viewer, int64_t id, bool published_only, sg_err *e);
/* One version with its text and controls. */
json_t *policy_version(app *a, int64_t id, int n, sg_err *e);
/* The line diff of versions from and to: {lines: [{op " " "-" "+",
 * text}]}. */
json_t *policy_diff(app *a, int64_t id, int from, int to, sg_err *e);
/* The policy a case of kebijakan/penyusunan drafted (0: none). */
int64_t policy_of_ticket(app *a, const char *ticket, sg_err *e);

/* ---- Perangkat Daerah (opd.c) ---- */
typedef struct opd_in {
	const char *name, *abbrev, *head, *contact; /* NULL: unchanged (update) */
} opd_in;
/* An OPD is named by its abbreviation (any case) or its number. */
int opd_resolve(app *a, const char *ref, int64_t *id, sg_err *e);
int opd_add(app *a, const char *actor, const opd_in *in, int64_t *id, sg_err *e);
int opd_update(app *a, const char *actor, const char *ref, const opd_in *in, sg_err *e);
/* Deletes an OPD no asset and no user belongs to (a mistake); one in use
 * is refused, saying what holds it. */
int opd_delete(app *a, const char *actor, const char *ref, sg_err *e);
/* Every OPD with its counts of assets (in service) and users, by name. */
json_t *opd_list(app *a, sg_err *e);
json_t *opd_get(app *a, const char *ref, sg_err *e);
/* Sets (ref) or clears (NULL) the OPD of a user; an agen_siber keeps one. */
int user_set_opd(app *a, const char *actor, const char *user, const char *ref, sg_err *e);
/* user_add with the user's OPD (NULL: none); an agen_siber needs one. */
int user_add_opd(app *a, const char *actor, const char *name, const char *const *roles,
		 size_t n_roles, const char *password, bool must_change, const char *opd, sg_err *e);

/* ---- assets (assets.c) ---- */
typedef struct asset_sw {
	const char *name, *version, *cpe; /* version and cpe may be NULL or "" */
} asset_sw;
/* An asset as written. Text fields NULL: unchanged on update ("" clears
 * an optional one); a list is replaced when its has_ flag is set. */
typedef struct asset_in {
	const char *opd; /* abbreviation or number */
	const char *name, *kind, *contact, *kse, *criticality, *notes;
	const char *agent_name, *agent_id;
	const char *const *urls, *const *hosts, *const *addresses;
	size_t n_urls, n_hosts, n_addresses;
	const asset_sw *software;
	size_t n_software;
	bool has_urls, has_hosts, has_addresses, has_software;
} asset_in;
extern const char *const asset_kinds[];        /* aplikasi situs_web server jaringan perangkat */
extern const char *const asset_kse_levels[];   /* strategis tinggi rendah */
extern const char *const asset_criticalities[]; /* rendah sedang tinggi kritis */
int asset_add(app *a, const char *actor, const asset_in *in, int64_t *id, sg_err *e);
int asset_update(app *a, const char *actor, int64_t id, const asset_in *in, sg_err *e);
/* Takes an asset out of service with a reason: it stays in the register
 * (findings, alerts, cases and the logbook name it) and matches nothing. */
int asset_retire(app *a, const char *actor, int64_t id, const char *reason, sg_err *e);
typedef struct asset_filter {
	const char *opd, *kind, *kse;
	const char *q;     /* in the name or any identifier, any case */
	bool retired;      /* retired ones too */
	int limit, offset; /* limit <= 0: 100 */
	const char *viewer; /* NULL: the machine's owner */
} asset_filter;
/* Assets by OPD and name, those the viewer may see; *total counts them. */
json_t *asset_list(app *a, const asset_filter *f, int64_t *total, sg_err *e);
/* One asset with its identifiers and software; SG_ENOTFOUND also when the
 * viewer may not see it (one answer for both). */
json_t *asset_get(app *a, int64_t id, const char *viewer, sg_err *e);
/* Inside or outside a transaction: whether value names an asset in
 * service the actor may see, for a ref field (SOP forms). */
int asset_ref_check(app *a, const char *actor, const char *field, const char *value, sg_err *e);

/* ---- what the store holds about an asset (asset_related.c) ---- */
/* Each SG_ENOTFOUND when viewer may not see the asset (asset_get's rule). */
/* The logbook entries on the asset (asset:ID), newest first. */
json_t *asset_history(app *a, int64_t id, const char *viewer, int limit, sg_err *e);
/* Whether viewer may read alerts (the triage roles; the machine's owner). */
bool asset_alerts_visible(app *a, const char *viewer);
/* The alerts whose asset is the asset's Wazuh agent name, one of its host
 * names or single addresses, last seen first, at most limit: [{id, title,
 * level, status, count, last_seen, asset}]; empty for who may not triage. */
json_t *asset_alerts(app *a, int64_t id, const char *viewer, int limit, sg_err *e);
/* The cases viewer may see whose ref field to an asset names this one,
 * newest first: [{ticket, title, status, step, created_at, procedure,
 * field}]. */
json_t *asset_cases(app *a, int64_t id, const char *viewer, sg_err *e);

/* ---- CSV of the register (asset_csv.c) ---- */
/* The header, in order: what export writes and import reads. */
extern const char ASSET_CSV_HEADER[];
typedef struct asset_import_result {
	int64_t added, updated;
} asset_import_result;
/* Imports CSV in one transaction, all or nothing: a row whose OPD and
 * name exist updates that asset, another adds one. Every bad row is in d
 * ("FILE:LINE: reason") and then nothing is stored (-1, SG_EINVAL). */
int asset_import_csv(app *a, const char *actor, const char *name, const char *data, size_t n,
		     asset_import_result *res, diags *d, sg_err *e);
/* The assets in service the viewer sees (opd: only that OPD's), as CSV
 * into out. */
int asset_export_csv(app *a, const char *viewer, const char *opd, buf *out, sg_err *e);

/* ---- where each live input stands (inputs.c) ---- */
/* Inside the batch's transaction: the followed file's path, inode and
 * the offset after the batch's last line, under the input's name. */
int input_position_store(app *a, const char *name, const char *path, uint64_t inode,
			 int64_t position, sg_err *e);
/* The stored position of the input name for path (all 0 when none). */
int input_position_load(app *a, const char *name, const char *path, uint64_t *inode,
			int64_t *position, int64_t *updated_at, sg_err *e);

#endif
