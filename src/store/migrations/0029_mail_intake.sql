-- Reports by e-mail (src/app/mail_intake.c): every message the intake
-- took from the mailbox, by the mailbox's UIDVALIDITY and its UID, so a
-- message is never taken twice (a crash between the case's commit and
-- the \Seen flag, two nodes polling): claimed (diproses) before the case
-- is opened, then what became of it.
--   diproses     claimed; its case or comment may be committed (the raw
--                message's SHA-256 finds it among the evidence)
--   kasus        opened the case ticket
--   komentar     a reply: added to the case ticket as a comment
--   diabaikan    not a report: an automatic reply, a list, a loop (note)
--   terlalu_besar larger than [intake] max_size: left in the mailbox
CREATE TABLE mail_intake (
	id INTEGER PRIMARY KEY,
	uidvalidity INTEGER NOT NULL,
	uid INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('diproses', 'kasus', 'komentar', 'diabaikan',
		'terlalu_besar')),
	message_id TEXT,
	sender TEXT,
	subject TEXT,
	sha256 TEXT,
	size INTEGER,
	ticket TEXT,
	note TEXT,
	claimed_at INTEGER NOT NULL,
	done_at INTEGER,
	UNIQUE (uidvalidity, uid)
);
CREATE INDEX mail_intake_message ON mail_intake (message_id);
