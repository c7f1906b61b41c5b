-- Issued documents: every output document an SOP step declares (dokumen:)
-- that an officer issued. The PDF itself is evidence of its case (stored
-- by its SHA-256, with a custody record); this row is its register entry:
-- its number, its verification code (/verifikasi/CODE, printed as a QR
-- code on the document), who issued it and when. See src/app/documents.c.
CREATE TABLE documents (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,     -- the short verification code
	template TEXT NOT NULL,        -- the template's id
	title TEXT NOT NULL,           -- the kind of document, as the SOP names it
	kode TEXT NOT NULL,            -- the kind in its number (the sequence's key)
	year INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	number TEXT NOT NULL,          -- as printed: 12/LHPI/CSIRT/2026
	case_id INTEGER NOT NULL REFERENCES cases(id),
	step_no INTEGER NOT NULL,
	sha256 TEXT NOT NULL REFERENCES evidence(sha256),
	size INTEGER NOT NULL,
	pages INTEGER NOT NULL,
	tlp TEXT NOT NULL,
	signer_role TEXT,              -- who signs it (its ttd:), when the SOP names one
	issued_by TEXT NOT NULL,
	issued_at INTEGER NOT NULL,
	UNIQUE (kode, year, seq)
);
CREATE INDEX documents_case ON documents (case_id);
CREATE INDEX documents_sha ON documents (sha256);

-- The last number given to each kind of document in each year: issuing
-- takes the next in the transaction that stores the document, so numbers
-- have no gaps and no repeats.
CREATE TABLE document_seq (
	kode TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (kode, year)
);

-- The letterhead and the signatories as the admin pages set them; a key
-- not here falls back to sigap.conf's [dokumen] and [penandatangan].
CREATE TABLE doc_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
