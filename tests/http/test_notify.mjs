// The outbox and its webhook ([notify], src/app/outbox.c, src/notify/):
// what a case and a high alert tell a real HTTP receiver started here,
// signed with the shared secret; a receiver that fails is retried until
// it answers, then the message fails and waits for an admin, who sends it
// again (CSRF, admin only); a server killed (SIGKILL) while the receiver
// holds a delivery does not send it again after its restart: the message
// is uncertain until an admin decides; nothing written while the receiver
// was down is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer, api, Client, sleep, until } from './server.mjs';

const SECRET = 'rahasia-webhook-uji-2026';
let S, R;
const tokens = {};
const as = (u) => api(S.base, tokens[u]);

// The receiver: answers as mode says ('ok', 'fail': 500, 'hang': never),
// keeps every request with whether its signature held.
function receiver() {
	const got = [];
	const hung = [];
	let mode = 'ok';
	const srv = createServer((req, res) => {
		const parts = [];
		req.on('data', (d) => parts.push(d));
		req.on('end', () => {
			const body = Buffer.concat(parts).toString('utf8');
			const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.headers['x-sigap-signature'] || '');
			let signed = false;
			if (sig) {
				const want = createHmac('sha256', SECRET).update(`${sig[1]}.${body}`).digest();
				signed = timingSafeEqual(want, Buffer.from(sig[2], 'hex'));
			}
			got.push({ mode, headers: req.headers, body, json: JSON.parse(body), signed, t: sig && Number(sig[1]) });
			if (mode === 'hang') { hung.push(res); return; }
			res.writeHead(mode === 'ok' ? 204 : 500);
			res.end();
		});
	});
	return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
		got, port: srv.address().port, set: (m) => { mode = m; },
		close: () => { for (const r of hung) r.destroy(); srv.close(); },
	})));
}

const conf = (port) => '[web]\nmetrics_allow = 127.0.0.1\nmetrics_period = 1s\n' +
	`[notify]\nwebhook_url = http://127.0.0.1:${port}/hook\nwebhook_secret = ${SECRET}\n` +
	'timeout = 2s\nretry_after = 1s\nretry_max = 3\nlink_base = https://sigap.example.go.id/\n' +
	'events = langkah, ditutup, peringatan\n'; // tenggat: test_notify_sla.mjs

async function newCase(title) {
	const r = await as('petugas')('POST', '/cases', { procedure: 'insiden', title, fields: { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'portal', uraian_kejadian: 'uji notifikasi' } });
	assert.equal(r.status, 201, r.text);
	return r.json.ticket;
}
const about = (ticket) => R.got.filter((g) => g.json.case?.ticket === ticket);
const outbox = async () => (await as('admin')('GET', '/outbox')).json.messages;

before(async () => {
	R = await receiver();
	S = await startServer(conf(R.port));
	for (const u of ['petugas', 'pelapor', 'ttis', 'admin']) tokens[u] = S.cli('token', 'new', u, '--name', 'notify').trim();
});
after(async () => { if (S) await S.stop(); if (R) R.close(); });

test('a new case: the receiver is told its first step waits, signed, with the link', async () => {
	const ticket = await newCase('Kasus notifikasi');
	await until(() => about(ticket).length >= 1, 'the message delivered');
	const m = about(ticket)[0];
	assert.equal(m.signed, true, 'HMAC-SHA256 of "t.body" under the secret');
	assert.ok(Math.abs(m.t - Date.now() / 1000) < 60);
	assert.equal(m.headers['x-sigap-event'], 'langkah.menunggu');
	assert.match(m.headers['x-sigap-delivery'], /^\d+$/);
	assert.match(m.headers['content-type'], /^application\/json/);
	assert.equal(m.json.event, 'langkah.menunggu');
	assert.equal(m.json.case.title, 'Kasus notifikasi');
	assert.equal(m.json.case.procedure, 'insiden');
	assert.ok(m.json.step.no >= 1 && typeof m.json.step.role === 'string' && m.json.step.activity);
	assert.equal(m.json.link, `https://sigap.example.go.id/kasus/${ticket}`);
	// delivered: recorded so, and sent once
	await until(async () => (await as('admin')('GET', '/outbox?delivered=1')).json.messages.some((x) => x.object === `case:${ticket}` && x.state === 'terkirim'), 'recorded delivered');
	await sleep(1500);
	assert.equal(about(ticket).length, 1, 'a delivered message is not sent again');
});

test('a TLP:RED case is told without its title', async () => {
	const r = await as('pelapor')('POST', '/cases', { procedure: 'insiden', title: 'Judul rahasia merah', fields: { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'portal', uraian_kejadian: 'uji merah' } });
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	await until(() => about(ticket).length === 1, 'the first message');
	assert.equal(about(ticket)[0].json.case.title, 'Judul rahasia merah');
	// step 1, the reporter's; then the officer labels it TLP:RED and does step 2
	const step = async (user, given = {}) => {
		const c = await as(user)('GET', `/cases/${ticket}`);
		assert.equal(c.status, 200, c.text);
		const fd = new FormData();
		for (const f of c.json.current_step.fields)
			if (given[f.name] !== undefined) fd.set(f.name, given[f.name]);
			else if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : `isi ${f.name}`);
		const s = await as(user)('POST', `/cases/${ticket}/steps`, fd);
		assert.equal(s.status, 200, s.text);
	};
	await step('pelapor');
	await step('petugas', { asal_laporan: 'Pihak luar', saluran: 'Surel' });
	await until(() => about(ticket).length === 3, 'the message of step 3');
	// the officer, named on the case by now, labels it TLP:RED, then does step 3
	const t = await as('petugas')('PUT', `/cases/${ticket}/tlp`, { tlp: 'TLP:RED' });
	assert.equal(t.status, 200, t.text);
	await step('petugas');
	await until(() => about(ticket).length === 4, 'the message of step 4');
	const m = about(ticket)[3].json;
	assert.equal(m.case.tlp, 'TLP:RED');
	assert.equal(m.case.title, null);
	assert.equal(m.case.title_withheld, true);
	assert.ok(!about(ticket)[3].body.includes('rahasia'), 'the title is nowhere in the body');
});

test('a high alert is told; a medium one is not', async () => {
	const ingest = (obj) => fetch(`${S.base}/api/v1/ingest/wazuh`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.ttis}`, 'Content-Type': 'application/json' }, body: JSON.stringify(obj) });
	const base = { timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '007', name: 'srv-notif' }, rule: { level: 3, description: 'sshd', id: '5715' }, predecoder: { program_name: 'sshd', hostname: 'srv-notif' }, decoder: { name: 'sshd' }, location: '/var/log/auth.log' };
	let r = await ingest({ ...base, full_log: 'Nov 23 09:00:00 srv-notif sshd[42]: Accepted password for root from 198.51.100.23 port 4242 ssh2', data: { srcip: '198.51.100.23', dstuser: 'root' } });
	assert.equal(r.status, 202, await r.text());
	await until(() => R.got.some((g) => g.json.event === 'peringatan.tinggi'), 'the alert told');
	const m = R.got.find((g) => g.json.event === 'peringatan.tinggi');
	assert.equal(m.signed, true);
	assert.equal(m.json.alert.level, 'high');
	assert.match(m.json.alert.title, /Root Login over SSH/);
	assert.match(m.json.link, /^https:\/\/sigap\.example\.go\.id\/peringatan\/\d+$/);
	const highs = R.got.filter((g) => g.json.event === 'peringatan.tinggi').length;
	r = await ingest({ ...base, full_log: 'Nov 23 09:00:01 srv-notif sshd[43]: Failed password for budi from 198.51.100.24 port 4243 ssh2', data: { srcip: '198.51.100.24' } });
	assert.equal(r.status, 202);
	await sleep(2500);
	assert.equal(R.got.filter((g) => g.json.event === 'peringatan.tinggi').length, highs, 'no message for a medium alert');
});

test('a failing receiver: retried, then gagal; the admin sends it again (CSRF, admins only)', async () => {
	R.set('fail');
	const ticket = await newCase('Kasus penerima gagal');
	await until(async () => (await outbox()).some((x) => x.object === `case:${ticket}` && x.state === 'gagal'), 'failed after retry_max', 20000);
	const m = (await outbox()).find((x) => x.object === `case:${ticket}`);
	assert.equal(m.attempts, 3);
	assert.match(m.last_error, /HTTP 500/);
	assert.equal(about(ticket).length, 3, 'three tries reached the receiver');
	assert.match(S.stderr(), new RegExp(`outbox: message ${m.id} \\(webhook\\) failed 3 times`));
	await until(async () => /\nsigap_outbox_stuck 1\n/.test(await (await fetch(`${S.base}/metrics`)).text()), '/metrics counts it');
	// the admin's page lists it with its buttons; others may not see it
	const admin = new Client(S.base);
	await admin.login('admin');
	const page = await admin.get('/admin/kotak-keluar');
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`<tr id="pesan-${m.id}">`));
	assert.match(page.text, /data-state="gagal">gagal</);
	assert.match(page.text, /Kirim ulang/);
	const officer = new Client(S.base);
	await officer.login('petugas');
	assert.equal((await officer.get('/admin/kotak-keluar')).status, 403);
	assert.equal((await as('petugas')('GET', '/outbox')).status, 403);
	assert.equal((await officer.post(`/admin/kotak-keluar/${m.id}/kirim-ulang`)).status, 403);
	// without CSRF: refused, nothing changes
	await admin.get('/admin/kotak-keluar');
	assert.equal((await admin.post(`/admin/kotak-keluar/${m.id}/kirim-ulang`, {}, { csrf: false })).status, 403);
	assert.equal((await outbox()).find((x) => x.id === m.id).state, 'gagal');
	// the receiver is back; the admin sends it again
	R.set('ok');
	await admin.get('/admin/kotak-keluar');
	const again = await admin.post(`/admin/kotak-keluar/${m.id}/kirim-ulang`);
	assert.equal(again.status, 303, again.text.slice(0, 300));
	await until(() => about(ticket).some((g) => g.mode === 'ok'), 'delivered after the resend');
	const ok = about(ticket).filter((g) => g.mode === 'ok');
	assert.equal(ok.length, 1);
	assert.equal(ok[0].headers['x-sigap-delivery'], String(m.id), 'the same delivery number on every try');
	const log = await as('admin')('GET', '/logbook?limit=20');
	assert.ok(JSON.stringify(log.json).includes('outbox.resend'), 'the resend is in the logbook');
	// a delivered message is not sent again
	const r = await as('admin')('POST', `/outbox/${m.id}/resend`);
	assert.equal(r.status, 409, r.text);
});

test('SIGKILL while the receiver holds a delivery: not sent again after the restart; uncertain until the admin decides; nothing else lost', async () => {
	R.set('hang');
	const ticket = await newCase('Kasus saat server mati');
	await until(() => about(ticket).length === 1, 'the delivery reached the receiver');
	S.proc.kill('SIGKILL');
	await new Promise((r) => S.proc.on('exit', r));
	R.set('ok');
	// the node again: the same host and address
	S = await startServer(conf(R.port), ['--listen', `127.0.0.1:${S.port}`], S.dir);
	await until(async () => (await outbox()).some((x) => x.object === `case:${ticket}` && x.state === 'tidak_pasti'), 'uncertain after the restart');
	assert.match(S.stderr(), /were being delivered when this node stopped/);
	await sleep(2500);
	assert.equal(about(ticket).length, 1, 'not sent twice');
	// written after the restart: delivered as usual
	const later = await newCase('Kasus setelah mulai ulang');
	await until(() => about(later).length === 1, 'a new message delivered');
	// the admin checked the receiver: it has it
	const m = (await outbox()).find((x) => x.object === `case:${ticket}`);
	const r = await as('admin')('POST', `/outbox/${m.id}/settle`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'terkirim');
	assert.ok(!(await outbox()).some((x) => x.id === m.id));
});
