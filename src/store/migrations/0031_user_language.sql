-- The language of a user's messages (e-mail, Telegram; docs/notifications.md):
-- id, Bahasa Indonesia (the default), or en, English. Set on
-- /akun/notifikasi, PUT /api/v1/me/notifications or sigap user contact.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en'));
