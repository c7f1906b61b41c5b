// Notifications to people: by e-mail ([notify] smtp_url, src/notify/smtp.c) through
// a real SMTP server started here (Debian's aiosmtpd: STARTTLS required,
// AUTH with a password, tests/http/smtp_server.py): who is told (the
// role a step waits for, those who may see the case, not the one who
// made the change, not who turned e-mail off), in Indonesian with WIB
// times, as a well-formed message (RFC 2047 subject, base64 body,
// Message-ID, Auto-Submitted); a mail server that refuses for a while is
// retried and the message arrives once. A user sets their own address on
// /akun/notifikasi (CSRF) or the API. And by Telegram ([notify]
// telegram_token, src/notify/telegram.c) through a Bot API server started
// here at the configured telegram_api: the same people, the same words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as httpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api, Client, PASSWORD, SIGAP, sleep, until, storeSql } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const HAVE = existsSync(PY) && (() => { try { execFileSync(PY, ['-c', 'import aiosmtpd']); return true; } catch { return false; } })();
const skip = !HAVE && 'python3-aiosmtpd is not installed';
let S, smtp, W, bot;
const TOKEN = '123456789:AAF-uji_token_telegram_sigap00';
const telegrams = [];
const tokens = {};
const as = (u) => api(S.base, tokens[u]);
const freePort = () => new Promise((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });

// The messages the server kept, parsed: headers (unfolded), subject and
// body decoded.
function mails() {
	const dir = join(W, 'mail');
	return readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => parseInt(a) - parseInt(b)).map((f) => {
		const m = JSON.parse(readFileSync(join(dir, f), 'utf8'));
		const [head, body] = m.data.split(/\r?\n\r?\n/, 2).length === 2 ? [m.data.slice(0, m.data.search(/\r?\n\r?\n/)), m.data.slice(m.data.search(/\r?\n\r?\n/)).trim()] : [m.data, ''];
		const headers = {};
		for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
			const i = line.indexOf(':');
			headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
		}
		const subject = headers.subject.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, b) => Buffer.from(b, 'base64').toString('binary'));
		return { ...m, headers, subject: Buffer.from(subject, 'binary').toString('utf8'), text: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') };
	});
}
const to = (addr) => mails().filter((m) => m.to.includes(addr));

before(async () => {
	if (skip) return;
	W = mkdtempSync(join(tmpdir(), 'sigap-smtp-'));
	execFileSync('mkdir', [join(W, 'mail')]);
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
		'-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(W, 'key.pem'), '-out', join(W, 'cert.pem')], { stdio: 'pipe' });
	const port = await freePort();
	smtp = spawn(PY, [join(HERE, 'smtp_server.py'), String(port), join(W, 'mail'), join(W, 'cert.pem'), join(W, 'key.pem'), 'sigap-notif', 'sandi-surel-uji']);
	await new Promise((resolve, reject) => {
		smtp.stdout.on('data', (d) => { if (/ready/.test(d)) resolve(); });
		smtp.on('exit', (c) => reject(new Error(`smtp_server.py exited ${c}`)));
		setTimeout(() => reject(new Error('smtp_server.py did not start')), 10000);
	});
	// the Bot API: sendMessage under /bot<token>/, chat -1 not found
	bot = httpServer((req, res) => {
		const parts = [];
		req.on('data', (d) => parts.push(d));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
			telegrams.push({ path: req.url, ...body });
			const found = req.url === `/bot${TOKEN}/sendMessage` && body.chat_id !== '-1';
			res.writeHead(found ? 200 : 400, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(found ? { ok: true, result: { message_id: telegrams.length } } : { ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
		});
	});
	await new Promise((r) => bot.listen(0, '127.0.0.1', r));
	S = await startServer('[notify]\n' +
		`telegram_token = ${TOKEN}\ntelegram_api = http://127.0.0.1:${bot.address().port}\n` +
		`smtp_url = smtp://127.0.0.1:${port}\nsmtp_user = sigap-notif\nsmtp_password = sandi-surel-uji\n` +
		'smtp_from = sigap Diskominfo <sigap@diskominfo.example.go.id>\n' +
		`ca_file = ${join(W, 'cert.pem')}\ntimeout = 5s\nretry_after = 1s\nretry_max = 5\n` +
		'link_base = https://sigap.example.go.id\nevents = langkah, ditutup, peringatan\n' +
		// a mailbox for reports by e-mail (nothing answers there: only its
		// address matters here, the Reply-To of the e-mails to a reporter)
		'[intake]\nurl = imaps://127.0.0.1:1/INBOX\nuser = lapor@diskominfo.example.go.id\npassword = x\npoll = 1d\n');
	execFileSync(SIGAP, ['user', 'add', 'pelapor2', '--role', 'pelapor', '--password-stdin'], { env: S.env, input: PASSWORD + '\n' });
	for (const [u, addr] of [['pelapor', 'pelapor@warga.example.id'], ['pelapor2', 'pelapor2@warga.example.id'], ['petugas', 'petugas@diskominfo.example.go.id'], ['ttis', 'ttis@diskominfo.example.go.id']])
		S.cli('user', 'contact', u, '--email', addr);
	for (const u of ['petugas', 'pelapor', 'pelapor2', 'ttis', 'admin']) tokens[u] = S.cli('token', 'new', u, '--name', 'surel').trim();
});
after(async () => { if (S) await S.stop(); if (smtp) smtp.kill(); if (bot) bot.close(); if (W) rmSync(W, { recursive: true, force: true }); });

const report = (title) => ({ procedure: 'insiden', title, fields: { pelapor_nama: 'Warga', pelapor_kontak: 'warga@example.id', sistem_terdampak: 'https://dinas.example.go.id', uraian_kejadian: 'tampilan berubah' } });
async function step(user, ticket, given = {}) {
	const c = await as(user)('GET', `/cases/${ticket}`);
	assert.equal(c.status, 200, c.text);
	const fd = new FormData();
	for (const f of c.json.current_step.fields)
		if (given[f.name] !== undefined) fd.set(f.name, given[f.name]);
		else if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : `isi ${f.name}`);
	const r = await as(user)('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(r.status, 200, r.text);
}

test('a step that waits: the role is told by e-mail, in Indonesian, over STARTTLS with authentication', { skip }, async () => {
	const r = await as('pelapor')('POST', '/cases', report('Situs dinas berubah tampilan — uji ✓'));
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	await step('pelapor', ticket); // step 1 is the reporter's own: step 2 waits for petugas
	await until(() => to('petugas@diskominfo.example.go.id').some((m) => m.text.includes(ticket)), 'the officer told');
	const m = to('petugas@diskominfo.example.go.id').find((x) => x.text.includes(ticket));
	assert.equal(m.tls, true, 'STARTTLS before the message');
	assert.equal(m.auth, true, 'authenticated');
	assert.equal(m.from, 'sigap@diskominfo.example.go.id');
	assert.equal(m.subject, `[sigap] ${ticket}: langkah 2 menunggu tindakan Anda`);
	assert.equal(m.headers.from, 'sigap Diskominfo <sigap@diskominfo.example.go.id>');
	assert.equal(m.headers['auto-submitted'], 'auto-generated');
	assert.equal(m.headers['reply-to'], undefined, 'a user answers nobody: no Reply-To');
	assert.match(m.headers["message-id"], /^<sigap\.\d+\.\d+\.notify@diskominfo\.example\.go\.id>$/);
	assert.match(m.headers.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0700$/);
	assert.match(m.headers['content-type'], /text\/plain; charset=utf-8/);
	assert.match(m.text, /^Yth\. petugas,/);
	assert.match(m.text, new RegExp(`Kasus ${ticket} menunggu tindakan Anda sebagai Petugas\\.`));
	assert.match(m.text, /Judul     : Situs dinas berubah tampilan — uji ✓/);
	assert.match(m.text, /Sejak     : \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} \d\d\.\d\d WIB/);
	assert.match(m.text, new RegExp(`Tautan    : https://sigap\\.example\\.go\\.id/kasus/${ticket}`));
	assert.match(m.text, /Pengaturan pemberitahuan Anda: https:\/\/sigap\.example\.go\.id\/akun\/notifikasi/);
	// the reporter made the change: not told of it; another reporter may
	// not see this case: not told either
	assert.ok(!to('pelapor@warga.example.id').some((x) => x.text.includes(ticket)), 'the actor is not told');
	assert.ok(!to('pelapor2@warga.example.id').some((x) => x.text.includes(ticket)), 'need-to-know');
	assert.equal(to('petugas@diskominfo.example.go.id').filter((x) => x.text.includes(ticket)).length, 1, 'once');
});

test('a user turns e-mail off (API) and on again (page, CSRF); an address that is none refused', { skip }, async () => {
	let r = await as('petugas')('PUT', '/me/notifications', { email_on: false });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { user: 'petugas', email: 'petugas@diskominfo.example.go.id', email_on: false, quiet_hours: null, telegram_chat: null, language: 'id' });
	r = await as('petugas')('PUT', '/me/notifications', { language: 'jv' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /must be id .* or en/);
	r = await as('petugas')('PUT', '/me/notifications', { quiet_hours: '25:00-06:00' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /two times of day/);
	r = await as('petugas')('PUT', '/me/notifications', { quiet_hours: '22:00-06:00' });
	assert.equal(r.json.quiet_hours, '22:00-06:00');
	r = await as('petugas')('PUT', '/me/notifications', { quiet_hours: null });
	assert.equal(r.json.quiet_hours, null);
	r = await as('petugas')('PUT', '/me/notifications', { email: 'bukan alamat' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /not an e-mail address/);
	const c = await as('pelapor')('POST', '/cases', report('Kasus saat surel mati'));
	const ticket = c.json.ticket;
	await step('pelapor', ticket);
	await sleep(2500);
	assert.ok(!to('petugas@diskominfo.example.go.id').some((x) => x.text.includes(ticket)), 'no e-mail while off');
	// the page: the address shown, a form with CSRF
	const w = new Client(S.base);
	await w.login('petugas');
	const page = await w.get('/akun/notifikasi');
	assert.equal(page.status, 200);
	assert.match(page.text, /value="petugas@diskominfo\.example\.go\.id"/);
	assert.match(page.text, /<a class="user" href="\/akun\/notifikasi">petugas<\/a>/);
	assert.equal((await w.post('/akun/notifikasi', { email: 'petugas@diskominfo.example.go.id', surel: '1' }, { csrf: false })).status, 403);
	await w.get('/akun/notifikasi');
	assert.match(page.text, /<option value="id" selected>Bahasa Indonesia<\/option>/);
	const saved = await w.post('/akun/notifikasi', { email: 'petugas@diskominfo.example.go.id', surel: '1', bahasa: 'en' });
	assert.equal(saved.status, 303);
	assert.equal((await as('petugas')('GET', '/me/notifications')).json.email_on, true);
	assert.equal((await as('petugas')('GET', '/me/notifications')).json.language, 'en');
	// English from now on: the step that waits for petugas says so in English
	const c2 = await as('pelapor')('POST', '/cases', report('Kasus dalam bahasa Inggris'));
	await step('pelapor', c2.json.ticket);
	await until(() => to('petugas@diskominfo.example.go.id').some((x) => x.text.includes(c2.json.ticket)), 'the English e-mail');
	const en = to('petugas@diskominfo.example.go.id').find((x) => x.text.includes(c2.json.ticket));
	assert.equal(en.subject, `[sigap] ${c2.json.ticket}: step 2 waits for you`);
	assert.match(en.text, /Dear petugas,/);
	assert.match(en.text, /Since     : \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d\d:\d\d WIB/);
	assert.equal((await as('petugas')('PUT', '/me/notifications', { language: 'id' })).json.language, 'id');
	// another user's settings are not theirs
	assert.match(S.cli('user', 'contact', 'petugas'), /notifications by e-mail on/);
	const log = await as('admin')('GET', '/logbook?limit=50');
	assert.ok(JSON.stringify(log.json).includes('user.contact'));
});

test('a high alert tells the ttis role; a mail server refusing for a while is retried, the message arrives once', { skip }, async () => {
	writeFileSync(join(W, 'mail', 'refuse'), '');
	const ingest = (obj) => fetch(`${S.base}/api/v1/ingest/wazuh`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.ttis}`, 'Content-Type': 'application/json' }, body: JSON.stringify(obj) });
	const r = await ingest({ timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '009', name: 'srv-surel' }, rule: { level: 3, description: 'sshd', id: '5715' }, predecoder: { program_name: 'sshd', hostname: 'srv-surel' }, decoder: { name: 'sshd' }, location: '/var/log/auth.log', full_log: 'Nov 23 09:00:00 srv-surel sshd[42]: Accepted password for root from 198.51.100.99 port 4242 ssh2', data: { srcip: '198.51.100.99', dstuser: 'root' } });
	assert.equal(r.status, 202);
	await until(async () => ((await as('admin')('GET', '/outbox')).json.messages || []).some((x) => x.event === 'peringatan.tinggi' && x.attempts >= 2 && /451/.test(x.last_error || '')), 'refused and retried');
	rmSync(join(W, 'mail', 'refuse'));
	await until(() => to('ttis@diskominfo.example.go.id').some((m) => /Peringatan tinggi/.test(m.subject)), 'delivered after the refusals', 20000);
	await sleep(1500);
	const got = to('ttis@diskominfo.example.go.id').filter((m) => /Peringatan tinggi/.test(m.subject));
	assert.equal(got.length, 1);
	assert.match(got[0].subject, /^\[sigap\] Peringatan tinggi: Root Login over SSH Accepted/);
	assert.match(got[0].text, /Alamat asal: 198\.51\.100\.99/);
	assert.match(got[0].text, /https:\/\/sigap\.example\.go\.id\/peringatan\/\d+/);
});

test('Telegram: the users who gave a chat are told in the same words; a chat the bot cannot reach is an error that names no token', { skip }, async () => {
	let r = await as('petugas')('PUT', '/me/notifications', { telegram_chat: '987654321' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.telegram_chat, '987654321');
	r = await as('petugas')('PUT', '/me/notifications', { telegram_chat: 'bukan chat' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /not a Telegram chat/);
	S.cli('user', 'contact', 'pelapor2', '--telegram', '@pelapor_dua');
	const c = await as('pelapor')('POST', '/cases', report('Kasus lewat Telegram'));
	const ticket = c.json.ticket;
	await step('pelapor', ticket);
	await until(() => telegrams.some((m) => m.text.includes(ticket)), 'the Telegram message');
	const m = telegrams.find((x) => x.text.includes(ticket));
	assert.equal(m.path, `/bot${TOKEN}/sendMessage`);
	assert.equal(m.chat_id, '987654321');
	assert.ok(m.text.startsWith(`[sigap] ${ticket}: langkah 2 menunggu tindakan Anda\n\nYth. petugas,`), m.text);
	assert.equal(m.disable_web_page_preview, true);
	assert.equal(m.parse_mode, undefined, 'plain text: nothing a user typed is markup');
	await sleep(1500);
	assert.ok(!telegrams.some((x) => x.chat_id === '@pelapor_dua'), 'need-to-know holds on Telegram too');
	assert.equal(telegrams.filter((x) => x.text.includes(ticket)).length, 1);
	// a chat the bot cannot reach: the API's reason, never the token
	S.cli('user', 'contact', 'ttis', '--telegram', '-1');
	const ingest = await fetch(`${S.base}/api/v1/ingest/wazuh`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.ttis}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ timestamp: '2026-11-23T09:05:00.000+0700', agent: { id: '010', name: 'srv-tg' }, rule: { level: 3, description: 'sshd', id: '5715' }, predecoder: { program_name: 'sshd', hostname: 'srv-tg' }, decoder: { name: 'sshd' }, location: '/var/log/auth.log', full_log: 'Nov 23 09:05:00 srv-tg sshd[42]: Accepted password for root from 198.51.100.77 port 4242 ssh2', data: { srcip: '198.51.100.77', dstuser: 'root' } }) });
	assert.equal(ingest.status, 202);
	await until(async () => ((await as('admin')('GET', '/outbox')).json.messages || []).some((x) => x.channel === 'telegram' && /chat not found/.test(x.last_error || '')), 'the refusal recorded');
	const out = JSON.stringify((await as('admin')('GET', '/outbox')).json);
	assert.ok(!out.includes('AAF-uji'), 'the token is nowhere in the outbox');
	assert.ok(!S.stderr().includes('AAF-uji'), 'nor in the log');
	const admin = new Client(S.base);
	await admin.login('admin');
	const page = await admin.get('/admin/kotak-keluar');
	assert.match(page.text, /Telegram kepada ttis &lt;-1&gt;/);
	assert.ok(!page.text.includes('AAF-uji'));
});

test('a citizen who reports on /lapor with an e-mail address gets the ticket and tracking code, and is told when the case is closed', { skip }, async () => {
	const c = new Client(S.base);
	await c.get('/lapor');
	const form = new FormData();
	form.set('pelapor_nama', 'Dewi Warga');
	form.set('pelapor_kontak', 'dewi@warga.example.id');
	form.set('sistem_terdampak', 'https://desa.example.id');
	form.set('uraian_kejadian', 'Situs desa menampilkan iklan judi');
	const r = await c.postMultipart('/lapor', form);
	assert.equal(r.status, 201, r.text.slice(0, 300));
	const ticket = r.text.match(/id="ticket">([^<]+)</)[1];
	const code = r.text.match(/id="tracking">([^<]+)</)[1];
	await until(() => to('dewi@warga.example.id').length > 0, 'the receipt');
	const m = to('dewi@warga.example.id')[0];
	// the subject carries the case's reply code; the greeting is never
	// the name a stranger typed (the form's words are not sigap's)
	const reply = m.subject.match(new RegExp(`^\\[sigap\\] Laporan Anda diterima: ${ticket} #([A-Z2-9]{6})$`));
	assert.ok(reply, m.subject);
	assert.match(m.text, /^Yth\. Bapak\/Ibu Pelapor,/);
	// an answer goes to the intake mailbox, where it becomes a comment
	assert.equal(m.headers['reply-to'], '<lapor@diskominfo.example.go.id>');
	assert.match(m.text, /balas surel ini tanpa mengubah subjeknya/);
	assert.ok(!m.text.includes('Dewi Warga'), m.text);
	assert.ok(m.text.includes(`Nomor tiket    : ${ticket}`), m.text);
	assert.ok(m.text.includes(`Kode pelacakan : ${code}`), m.text);
	assert.match(m.text, /https:\/\/sigap\.example\.go\.id\/lapor\/status/);
	// the officer ends it at verification: not an incident, the reporter told why
	await step('petugas', ticket);
	await step('petugas', ticket);
	const v = await as('petugas')('POST', `/cases/${ticket}/steps`, { decision: 'Bukan Insiden', values: { hasil_verifikasi: 'bukan insiden', penjelasan_pelapor: 'Iklan resmi desa.' } });
	assert.equal(v.status, 200, v.text);
	await until(() => to('dewi@warga.example.id').length > 1, 'the closing e-mail');
	const closed = to('dewi@warga.example.id')[1];
	assert.equal(closed.subject, `[sigap] Laporan Anda selesai ditangani: ${ticket} #${reply[1]}`);
	assert.ok(!closed.text.includes(code), 'the code is not sent again');
	// a contact that is a telephone number: no e-mail
	const c2 = new Client(S.base);
	await c2.get('/lapor');
	const f2 = new FormData();
	f2.set('pelapor_nama', 'Budi');
	f2.set('pelapor_kontak', '0812 3456 7890');
	f2.set('sistem_terdampak', 'x');
	f2.set('uraian_kejadian', 'y');
	assert.equal((await c2.postMultipart('/lapor', f2)).status, 201);
	assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '0812%'").trim(), '0');
});
