-- Reports by e-mail (src/app/mail_intake.c): a message whose case or
-- comment cannot be written three times (tries) is settled as gagal,
-- logged, and flagged in the mailbox for an officer, instead of being
-- tried for ever ahead of newer mail.
ALTER TABLE mail_intake DROP CONSTRAINT mail_intake_state_check;
ALTER TABLE mail_intake ADD CONSTRAINT mail_intake_state_check CHECK (state IN ('diproses',
	'kasus', 'komentar', 'diabaikan', 'terlalu_besar', 'gagal'));
ALTER TABLE mail_intake ADD COLUMN tries BIGINT NOT NULL DEFAULT 0;
