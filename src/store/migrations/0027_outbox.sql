-- The outbox: every message sigap sends (webhook, e-mail, Telegram), written in the
-- transaction of the change it tells of, so a change committed is a
-- message kept and a change rolled back is none; the sender of each
-- sigap serve (src/app/outbox.c) delivers them.
--   menunggu     waiting for its first delivery or its next retry (next_at)
--   dikirim      taken by a sender (claimed_by, claimed_at), being delivered
--   terkirim     the receiver answered 2xx
--   gagal        retry_max deliveries failed: an admin retries it
--   tidak_pasti  its sender stopped while delivering: it may have arrived,
--                so it is not sent again unless an admin says so
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email', 'telegram')),
	event TEXT NOT NULL,
	object TEXT NOT NULL,          -- case:TICKET, alert:ID
	recipient TEXT,                -- email: the address; telegram: the chat
	user_name TEXT,                -- email: the user it is for
	subject TEXT,                  -- email: its subject
	body TEXT NOT NULL,            -- webhook: the JSON; email: the text
	created_at INTEGER NOT NULL,
	state TEXT NOT NULL DEFAULT 'menunggu' CHECK (state IN ('menunggu', 'dikirim',
		'terkirim', 'gagal', 'tidak_pasti', 'dibatalkan')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	claimed_by TEXT,
	claimed_at INTEGER,
	sent_at INTEGER,
	last_error TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_at);

-- A user's own address for messages, whether they want them by e-mail,
-- the hours ("22:00-06:00", the calendar's zone) their messages wait, and
-- their Telegram chat (an id, or @name) for the bot of [notify].
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN quiet_hours TEXT;
ALTER TABLE users ADD COLUMN telegram_chat TEXT;

-- The visit of a case's step (its step_started_at) whose standard time's
-- approach and end were told (outbox_sla.c): each once a visit, whichever
-- node checks first.
ALTER TABLE cases ADD COLUMN sla_warned_visit INTEGER;
ALTER TABLE cases ADD COLUMN sla_breached_visit INTEGER;
