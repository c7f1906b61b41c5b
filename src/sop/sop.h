/*
 * sop.h: the model of a standard operating procedure (SOP).
 *
 * An SOP keeps the official layout of an Indonesian government SOP
 * (Permenpan RB 35/2012): identity, legal basis, qualifications, related
 * SOPs, equipment, warnings, records, the pelaksana (actor roles) and one
 * or more procedures, each a table of steps with its flow. docs/sop-format.md
 * is the file format; load.c reads it, validate.c checks the flow, engine.c
 * runs it, sla.c times it and render.c prints it back as the official
 * document. Nothing here does I/O beyond reading the file it is given.
 *
 * A loaded sop owns all its memory in one arena: sop_free releases it.
 */
#ifndef SG_SOP_H
#define SG_SOP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"

/* A step index meaning "the procedure ends here". */
#define SOP_END (-1)

typedef enum {
	WAKTU_NONE = 0, /* no standard time (a terminator row) */
	WAKTU_MENIT,
	WAKTU_JAM,
	WAKTU_HARI      /* working days on the working calendar */
} sop_unit;

typedef struct sop_waktu {
	int amount;
	sop_unit unit;
	const char *text; /* as written: "10 Menit" */
} sop_waktu;

typedef enum {
	FIELD_TEXT,
	FIELD_TEXTAREA,
	FIELD_SELECT,
	FIELD_DATE,
	FIELD_NUMBER,
	FIELD_FILE,
	FIELD_REF /* a reference to an entity: asset, alert, … */
} sop_field_type;

typedef struct sop_field {
	const char *name;
	const char *label;
	sop_field_type type;
	bool required;
	const char **options; /* select */
	size_t n_options;
	const char *entity;   /* ref */
	bool banyak;          /* ref: several ids, separated by commas */
	const char *help;
	bool publik;          /* shown to the public reporter on the status page */
	int line, col;
} sop_field;

typedef struct sop_branch {
	const char *label;
	int target;      /* step index, or SOP_END */
	int target_no;   /* as written; 0 for "selesai" */
	const char **wajib; /* fields of the step this branch needs filled
			     * (the signed document of an approval) */
	size_t n_wajib;
	int line, col;
	/* A hand-over: taking this branch also opens a case of another
	 * procedure ("insiden", "kebijakan/penyusunan"), which must be among
	 * the loaded SOPs (sop_check_starts). NULL: none. */
	const char *start;
	int start_line, start_col;
	/* carry: fields of the new case (carry_to[i]) filled from fields of
	 * this case or its steps (carry_from[i]); other case fields of the
	 * new case are filled from fields of the same name. */
	const char **carry_to, **carry_from;
	size_t n_carry;
	int carry_line, carry_col;
	/* What taking this branch decides about the case's linked alerts:
	 * "true_positive", "false_positive", or NULL (nothing). */
	const char *alerts;
} sop_branch;

/* An output document a step declares (dokumen:): the template it is
 * written with (a template id, checked against the loaded templates by
 * the application, docs/templates.md), its title (NULL: the template's)
 * and the role that signs it (NULL: nobody named). */
typedef struct sop_doc {
	const char *template_id;
	const char *judul;
	const char *ttd;
	const char *cabang; /* on a decision: issued only when this branch was
			     * taken (the letter to the police on "Ya");
			     * NULL: whichever */
	int line, col;
} sop_doc;

typedef struct sop_step {
	int no;                 /* the number in the table */
	const char *uraian;     /* description of the activity */
	const char *role;       /* pelaksana: a role id; NULL on a terminator */
	int role_index;         /* into sop.roles */
	const char **kelengkapan;
	size_t n_kelengkapan;
	sop_waktu waktu;
	const char *output;
	const char *keterangan;
	const char *tahap_publik; /* the stage the public reporter is told ("Penanganan
				   * insiden"); NULL: the uraian */
	bool terminator;        /* the "Selesai" row: reaching it closes the case */
	int next;               /* step index or SOP_END when not a decision */
	int next_no;
	const char *question;   /* decision: what is decided */
	sop_branch *branches;
	size_t n_branches;
	sop_field *fields;
	size_t n_fields;
	sop_doc *docs;          /* the output documents it issues */
	size_t n_docs;
	const char *catat;      /* the record its completion writes
				 * (pengecualian.permohonan, …; sop_records) */
	int line, col;
	int next_line, next_col;
} sop_step;

typedef struct sop_procedure {
	const char *id;     /* "insiden", or "kebijakan/penyusunan" */
	const char *key;    /* as written in the file: "penyusunan" */
	const char *nama;
	const char *ticket_prefix;
	sop_field *fields;  /* case fields, filled when a case is opened */
	size_t n_fields;
	sop_step *steps;
	size_t n_steps;
	int line, col;
} sop_procedure;

typedef struct sop_role {
	const char *id;   /* global role id: "petugas", "kabid" */
	const char *nama; /* column heading as this SOP writes it */
	bool luar;        /* an outside actor (reporter, police, applicant):
			   * not CSIRT staff, sees only what is addressed to it */
	const char **atas_nama; /* luar: the staff roles that may complete its
				 * steps on its behalf (by phone, letter, …) */
	size_t n_atas_nama;
	bool buka_kembali; /* may reopen a closed case of this SOP's procedures
			    * (a supervisor: kabid); sees their cases as staff
			    * even when it acts on no step */
	int line, col;
} sop_role;

typedef struct sop {
	arena mem;
	const char *file;
	const char *id;
	const char *nama;
	const char *nomor;
	const char *instansi;
	const char *tanggal_pembuatan;
	const char *tanggal_revisi;
	const char *tanggal_pengesahan;
	const char *tanggal_efektif;
	struct {
		const char *jabatan, *nama, *nip;
	} disahkan_oleh;
	const char **dasar_hukum;
	size_t n_dasar_hukum;
	const char **kualifikasi;
	size_t n_kualifikasi;
	const char **keterkaitan;
	size_t n_keterkaitan;
	const char **perlengkapan;
	size_t n_perlengkapan;
	const char **peringatan;
	size_t n_peringatan;
	const char **pencatatan;
	size_t n_pencatatan;
	sop_role *roles;
	size_t n_roles;
	sop_procedure *procs;
	size_t n_procs;
} sop;

/* Loads and validates an SOP from text; file names it in diagnostics.
 * Returns NULL with at least one diagnostic in d when the file is not a
 * valid SOP. */
sop *sop_load(const char *text, size_t len, const char *file, diags *d);
/* The same from a file on disk (at most 1 MiB). */
sop *sop_load_file(const char *path, diags *d);
void sop_free(sop *s);

/* Flow checks on a structurally loaded SOP (called by sop_load): branch
 * targets exist, every step is reachable and can reach an end. Returns
 * the number of problems added to d. */
int sop_validate(sop *s, diags *d);
/* The hand-overs of s against the SOPs loaded with it (all, n; s may be
 * among them): every `start` names a procedure of one of them, not the
 * branch's own, and every `carry` target is a case field of it. Returns
 * the number of problems added to d. O(branches x procedures). */
int sop_check_starts(const sop *s, const sop *const *all, size_t n, diags *d);

/* Parses "10 Menit", "4 Jam", "1 Hari" (any case; "-" or "" for none).
 * Returns 0, or -1 when the text is not a time. */
int sop_waktu_parse(const char *text, sop_waktu *out);
/* Standard time in seconds of elapsed time (Menit, Jam) or of working time
 * (Hari, as whole working days of workday_seconds each). */
long sop_waktu_seconds(const sop_waktu *w, long workday_seconds);

/* The documents of s against the loaded templates: every dokumen's
 * template is one that known(id, ctx) says exists. Returns the number of
 * problems added to d. */
int sop_check_docs(const sop *s, bool (*known)(const char *id, void *ctx), void *ctx, diags *d);

const sop_procedure *sop_find_procedure(const sop *s, const char *id);
const sop_role *sop_find_role(const sop *s, const char *id);
/* Index of the step numbered no in p, or -1. */
int sop_step_index(const sop_procedure *p, int no);
const char *sop_role_name(const sop *s, const char *role_id);
/* Whether role_id is an outside role of this SOP. */
bool sop_role_outside(const sop *s, const char *role_id);
/* Whether a holder of staff_role may complete on behalf of role_id. */
bool sop_role_on_behalf(const sop *s, const char *role_id, const char *staff_role);
/* Whether role_id is a role of s marked buka_kembali: true. */
bool sop_role_reopens(const sop *s, const char *role_id);
const char *sop_field_type_name(sop_field_type t);
/* The ids of a ref field of several (banyak): split at commas, blanks
 * around each dropped, empty items skipped, each a valid id of at most
 * 64 characters, at most max of them; out (NULL: only count) gets them.
 * -1 when one is not an id or there are more than max. */
enum { SOP_REFS_MAX = 100 };
int sop_ref_list(const char *v, char (*out)[65], size_t max, size_t *n);

#endif
