-- Reports by e-mail (src/app/mail_intake.c): a message whose case or
-- comment cannot be written three times (tries) is settled as gagal,
-- logged, and flagged in the mailbox for an officer, instead of being
-- tried for ever ahead of newer mail. The state's CHECK changes, so the
-- table is made again (SQLite alters no CHECK).
CREATE TABLE mail_intake_next (
	id INTEGER PRIMARY KEY,
	uidvalidity INTEGER NOT NULL,
	uid INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('diproses', 'kasus', 'komentar', 'diabaikan',
		'terlalu_besar', 'gagal')),
	message_id TEXT,
	sender TEXT,
	subject TEXT,
	sha256 TEXT,
	size INTEGER,
	ticket TEXT,
	note TEXT,
	claimed_at INTEGER NOT NULL,
	done_at INTEGER,
	tries INTEGER NOT NULL DEFAULT 0,
	UNIQUE (uidvalidity, uid)
);
INSERT INTO mail_intake_next (id, uidvalidity, uid, state, message_id, sender, subject, sha256,
	size, ticket, note, claimed_at, done_at)
	SELECT id, uidvalidity, uid, state, message_id, sender, subject, sha256, size, ticket, note,
		claimed_at, done_at FROM mail_intake;
DROP TABLE mail_intake;
ALTER TABLE mail_intake_next RENAME TO mail_intake;
CREATE INDEX mail_intake_message ON mail_intake (message_id);
