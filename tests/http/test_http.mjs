// test_http.mjs: sigap serve over real HTTP: every SOP procedure walked
// through the API to an end, the role matrix over every route, CSRF,
// limits, malformed input, the public report, sessions and back-off,
// headers, metrics, language, the OpenAPI document, SIGTERM.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROLE_USER, walkProcedure } from './walk.mjs';
import { startServer, Client, api, PASSWORD } from './server.mjs';

let S;          // the server
const tokens = {}; // user -> API token
let DEMO;       // the demo case's ticket

before(async () => {
	S = await startServer('[web]\nreport_limit = 10000\n');
	for (const u of Object.values(ROLE_USER)) tokens[u] = S.cli('token', 'new', u, '--name', 'test').trim();
	const list = await api(S.base, tokens.petugas)('GET', '/cases?procedure=insiden');
	DEMO = list.json.cases.at(-1).ticket;
});
after(async () => { if (S) await S.stop(); });

const as = (user) => api(S.base, user ? tokens[user] : undefined);

test('healthz answers ok with the security headers', async () => {
	const r = await fetch(S.base + '/healthz');
	assert.equal(r.status, 200);
	assert.equal((await r.json()).status, 'ok');
	assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
	assert.doesNotMatch(r.headers.get('content-security-policy'), /unsafe-inline/);
	assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	assert.equal(r.headers.get('referrer-policy'), 'same-origin');
});

test('unknown address: 404 page and 404 JSON under /api', async () => {
	assert.equal((await fetch(S.base + '/tidak-ada')).status, 404);
	const r = await as('petugas')('GET', '/tidak-ada');
	assert.equal(r.status, 404);
	assert.equal(r.json.error.code, 'not_found');
	assert.equal((await fetch(S.base + '/healthz', { method: 'DELETE' })).status, 405);
});

test('the OpenAPI document lists exactly the API routes', async () => {
	const doc = await as()('GET', '/openapi.json');
	assert.equal(doc.status, 200);
	assert.equal(doc.json.openapi, '3.1.0');
	const routes = JSON.parse(S.cli('serve', '--routes')).filter((r) => r.kind === 'api');
	const documented = new Set();
	for (const [p, ops] of Object.entries(doc.json.paths))
		for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${p}`);
	const served = new Set(routes.map((r) => `${r.method} ${r.pattern}`));
	for (const s of served) assert.ok(documented.has(s), `route ${s} is not in openapi.json`);
	for (const d of documented) assert.ok(served.has(d), `openapi.json documents ${d}, which is not served`);
});

// ---- the role matrix ----

function fill(pattern) {
	return pattern.replace('{ticket}', DEMO).replace('{sha256}', 'a'.repeat(64)).replace('{id}', pattern.startsWith('/sop') || pattern.startsWith('/api/v1/sops') ? 'insiden' : '999999').replace('{file}', 'sigap.css').replace('{name}', 'pemohon');
}

// What each user may see of the demo case (an incident the demo citizen
// reported, no TLP label, so held as TLP:AMBER): staff of the insiden
// procedure all of it (the Kabid too, who may reopen its cases), the
// reporter (an outside actor named on it) the parts addressed to it,
// everyone else nothing: 404, as for a case that does not exist.
// tests/http/test_access.mjs walks the whole rule.
// Not the CSIRT's staff (routes of access 'staff'): the administrator of
// accounts, and the SOPs' outside roles (luar: the reporter, the police,
// an exception's applicant).
const NOT_STAFF = ['admin', 'pelapor', 'aph', 'pemohon', 'agen.dinkes'];

const DEMO_SIGHT = { petugas: 'full', ttis: 'full', kabid: 'full', pelapor: 'limited' };

// The step-level rule for routes that act on the demo case's current step
// (step 5: petugas); assignment is open to whoever sees the whole case.
// The register's pages leave the decision to the app (docs/assets.md): the
// asset forms and the CSV upload are the keepers' (administrator, tim_teknis,
// ttis, kabid; an agen_siber its own OPD's), /opd is admin's and kabid's.
const ASSET_KEEPERS = ['administrator', 'teknis', 'ttis', 'kabid', 'agen.dinkes'];
function registerAllowed(route, user) {
	if (route.pattern.startsWith('/opd')) return ['admin', 'kabid'].includes(user);
	if (['/aset/baru', '/aset/impor'].includes(route.pattern)) return ASSET_KEEPERS.includes(user);
	return true;
}

// The risk register is kept by tim_teknis, kabid, kepala_dinas and ttis
// (docs/risks.md); everyone signed in reads what need-to-know allows.
const RISK_KEEPERS = ['teknis', 'kabid', 'kadis', 'ttis'];

// The watched websites are kept by the register's keepers (not an agent);
// the rest of the monitor's routes name a site, and 999999 is none (404).
const MONITOR_KEEPERS = ['administrator', 'teknis', 'ttis', 'kabid'];

function stepAllowed(route, user) {
	if (/^\/(aset|opd)(\/|$)/.test(route.pattern)) return registerAllowed(route, user);
	if (route.pattern === '/pantau/baru' || (route.pattern === '/api/v1/monitor/sites' && route.method === 'POST'))
		return MONITOR_KEEPERS.includes(user);
	if (route.pattern === '/risiko/baru' || (route.pattern === '/api/v1/risks' && route.method === 'POST'))
		return RISK_KEEPERS.includes(user);
	if (/\/(steps|langkah)$/.test(route.pattern)) return user === 'petugas';
	if (/\/(assignee|tugaskan|comments|komentar|evidence|bukti|tlp|sebut|participants)$/.test(route.pattern) && route.method !== 'GET')
		return DEMO_SIGHT[user] === 'full';
	// attaching an asset to a case: the staff who see the whole case
	if (route.pattern === '/api/v1/cases/{ticket}/assets' || route.pattern === '/kasus/{ticket}/aset')
		return DEMO_SIGHT[user] === 'full';
	// The monthly report: for who receives or prepares it.
	if (route.pattern === '/laporan/bulanan') return ['kabid', 'kadis', 'ttis'].includes(user);
	// A case's documents and its escalation export: who sees it whole.
	if (/\/(dokumen|ekspor|documents|export)$/.test(route.pattern) && route.pattern.includes('{ticket}'))
		return DEMO_SIGHT[user] === 'full';
	// Sending back, reopening and links are the staff's (the whole case).
	if (route.pattern.includes('{ticket}') && /\/(kembalikan|buka-kembali|tautan|cabut|send-back|reopen|links|revoke)$/.test(route.pattern))
		return DEMO_SIGHT[user] === 'full';
	return true;
}

test('role matrix: every route as every role is allowed or denied as the table says', async () => {
	const routes = JSON.parse(S.cli('serve', '--routes'));
	const users = [null, ...Object.values(ROLE_USER)];
	const clients = {};
	for (const u of users.slice(1)) { clients[u] = new Client(S.base); await clients[u].login(u); }
	let checked = 0;
	for (const rt of routes) {
		if (rt.pattern === '/logout') continue; // tested apart: it ends the session
		for (const u of users) {
			const path = fill(rt.pattern);
			let status;
			if (rt.kind === 'api') {
				const body = rt.method === 'PUT' ? { assignee: null } : rt.method === 'POST' ? {} : undefined;
				status = (await as(u)(rt.method, path.replace('/api/v1', ''), body)).status;
			} else {
				const c = u ? clients[u] : new Client(S.base);
				if (!u) await c.get('/login');
				status = rt.method === 'GET' ? (await c.get(path)).status : (await c.post(path, {})).status;
			}
			const isAdmin = u === 'admin';
			// metrics: this server lists no metrics_allow, so admins only
			let allowed = rt.access === 'public' || (rt.access === 'metrics' && isAdmin) ||
				(rt.access === 'user' && u !== null) || (rt.access === 'admin' && isAdmin) ||
				(rt.access === 'triage' && ['ttis', 'kabid'].includes(u)) ||
				(rt.access === 'alerts' && ['ttis', 'kabid', 'agen.dinkes'].includes(u)) ||
				(rt.access === 'staff' && u !== null && !NOT_STAFF.includes(u));
			const label = `${rt.method} ${rt.pattern} as ${u ?? 'anonymous'} -> ${status}`;
			if (allowed && u !== null && rt.pattern.includes('{ticket}') && !DEMO_SIGHT[u]) {
				assert.equal(status, 404, label + ' (a case this user may not know)');
			} else if (allowed && u !== null && !stepAllowed(rt, u)) {
				assert.equal(status, 403, label + ' (the step needs another role)');
			} else if (allowed) {
				assert.ok(![401, 403].includes(status), label + ' should be allowed');
				assert.ok(status < 500, label + ' should not fail');
			} else if (u === null && rt.access === 'metrics') {
				assert.equal(status, 403, label);
			} else if (u === null) {
				if (rt.kind === 'page' && rt.method === 'GET') assert.equal(status, 303, label);
				else assert.equal(status, 401, label);
			} else {
				assert.equal(status, 403, label);
			}
			checked++;
		}
	}
	assert.ok(checked > 800, `only ${checked} checks`);
});

// ---- walking every SOP procedure through the API ----

test('every SOP procedure is walked through the API to an end', async () => {
	const sops = (await as('admin')('GET', '/sops')).json.sops;
	let procedures = 0;
	for (const s of sops) {
		const sop = (await as('admin')('GET', `/sops/${s.id}`)).json;
		for (const p of sop.procedures) {
			await walkProcedure(as, p);
			procedures++;
		}
	}
	assert.equal(procedures, 7);
	const v = await as('petugas')('GET', '/logbook/verify');
	assert.equal(v.json.whole, true);
});

test('classification sets category, type and priority (impact x urgency)', async () => {
	const p = as('petugas');
	let r = await as('pelapor')('POST', '/cases', { procedure: 'insiden', fields: { pelapor_nama: 'A', pelapor_kontak: 'a@example.id', sistem_terdampak: 'x', uraian_kejadian: 'y' } });
	const t = r.json.ticket;
	await as('pelapor')('POST', `/cases/${t}/steps`, {});
	await p('POST', `/cases/${t}/steps`, { values: { asal_laporan: 'Pihak luar', saluran: 'Surel' } });
	await p('POST', `/cases/${t}/steps`, { values: { ringkasan: 'r' } });
	await p('POST', `/cases/${t}/steps`, { decision: 'Insiden', values: { hasil_verifikasi: 'v' } });
	const bad = await p('POST', `/cases/${t}/steps`, { values: { kategori: 'fraud', jenis: 'ddos', dampak: 'Tinggi', urgensi: 'Tinggi', tlp: 'TLP:RED' } });
	assert.equal(bad.status, 400);
	assert.match(bad.json.error.message, /not a type of the ENISA class/);
	r = await p('POST', `/cases/${t}/steps`, { values: { kategori: 'fraud', jenis: 'phishing', dampak: 'Tinggi', urgensi: 'Sedang', tlp: 'TLP:AMBER+STRICT' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.category, 'fraud');
	assert.equal(r.json.incident_type, 'phishing');
	assert.equal(r.json.priority, 'Tinggi');
	assert.equal(r.json.tlp, 'TLP:AMBER+STRICT');
	const found = await p('GET', '/cases?priority=Tinggi&category=fraud&status=open');
	assert.ok(found.json.cases.some((c) => c.ticket === t));
});

test('full-text search finds titles, fields and comments; filters and pages', async () => {
	const p = as('petugas');
	const r = await p('POST', '/cases', { procedure: 'insiden', title: 'Serangan ransomware di dinas kesehatan', fields: { pelapor_nama: 'Siti', pelapor_kontak: '0812', sistem_terdampak: 'simpus.example.id', uraian_kejadian: 'Berkas terenkripsi' } });
	const t = r.json.ticket;
	await p('POST', `/cases/${t}/comments`, { body: 'Indikator: kunci tebusan kuningburung' });
	for (const q of ['ransomware', 'terenkripsi', 'kuningburung', 'simpus']) {
		const f = await p('GET', `/cases?q=${encodeURIComponent(q)}`);
		assert.equal(f.status, 200);
		assert.ok(f.json.cases.some((c) => c.ticket === t), `search ${q}`);
	}
	// Whole words by default; a final * makes a prefix.
	assert.equal((await p('GET', '/cases?q=kuning')).json.total, 0);
	assert.ok((await p('GET', '/cases?q=kuning*')).json.cases.some((c) => c.ticket === t));
	const none = await p('GET', '/cases?q=zzzztidakada');
	assert.equal(none.json.total, 0);
	// FTS5 syntax in the search box is taken as words, never an error.
	assert.equal((await p('GET', '/cases?q=' + encodeURIComponent('"a OR (b'))).status, 200);
	const page1 = await p('GET', '/cases?limit=2&page=1'), page2 = await p('GET', '/cases?limit=2&page=2');
	assert.equal(page1.json.cases.length, 2);
	assert.notEqual(page1.json.cases[0].ticket, page2.json.cases[0].ticket);
	assert.equal((await p('GET', '/cases?status=maybe')).status, 400);
	assert.equal((await p('GET', '/cases?from=kemarin')).status, 400);
	const c = new Client(S.base);
	await c.login('petugas');
	const page = await c.get('/kasus?q=kuningburung');
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(t));
});

test('comments, assignment and evidence with custody through the API', async () => {
	const p = as('petugas');
	let r = await p('PUT', `/cases/${DEMO}/assignee`, { assignee: 'petugas' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.assignee, 'petugas');
	r = await p('PUT', `/cases/${DEMO}/assignee`, { assignee: 'ttis' });
	assert.equal(r.status, 400); // ttis does not hold the step's role
	const fd = new FormData();
	const content = 'log line 1\nlog line 2\n';
	fd.set('file', new Blob([content]), 'auth.log');
	r = await p('POST', `/cases/${DEMO}/evidence`, fd);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.sha256, createHash('sha256').update(content).digest('hex'));
	const ev = await p('GET', `/cases/${DEMO}/evidence`);
	const item = ev.json.evidence.find((e) => e.sha256 === r.json.sha256);
	assert.equal(item.filename, 'auth.log');
	assert.equal(item.added_by, 'petugas');
	assert.equal(item.origin, '127.0.0.1');
	const dl = await fetch(`${S.base}/api/v1/evidence/${r.json.sha256}`, { headers: { Authorization: `Bearer ${tokens.petugas}` } });
	assert.equal(await dl.text(), 'log line 1\nlog line 2\n');
	const lb = await p('GET', `/logbook?object=case:${DEMO}`);
	assert.ok(lb.json.entries.some((e) => e.action === 'case.evidence'));
	assert.ok(lb.json.entries.some((e) => e.action === 'case.assign'));
});

// ---- public reporting ----

test('a public report opens a case; its status shows no internal notes', async () => {
	const c = new Client(S.base);
	await c.get('/lapor');
	const form = new FormData();
	form.set('pelapor_nama', 'Warga Uji');
	form.set('pelapor_kontak', 'warga@example.id');
	form.set('sistem_terdampak', 'https://desa.example.id');
	form.set('uraian_kejadian', 'Situs desa menampilkan iklan judi');
	form.append('bukti', new Blob(['PNG-BYTES']), 'layar.png');
	form.append('bukti', new Blob(['second file']), 'catatan.txt');
	const r = await c.postMultipart('/lapor', form);
	assert.equal(r.status, 201, r.text.slice(0, 500));
	const ticket = r.text.match(/id="ticket">([^<]+)</)[1];
	const code = r.text.match(/id="tracking">([^<]+)</)[1];
	assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
	const cs = await as('petugas')('GET', `/cases/${ticket}`);
	assert.equal(cs.json.current_step.no, 2); // the form was step 1
	assert.equal(cs.json.evidence.length, 2);
	assert.equal(cs.json.evidence[0].added_by, 'publik');
	await as('petugas')('POST', `/cases/${ticket}/comments`, { body: 'RAHASIA-INTERNAL' });
	await c.get('/lapor/status');
	const st = await c.post('/lapor/status', { tiket: ticket, kode: code.toUpperCase() });
	assert.equal(st.status, 200);
	assert.match(st.text, /id="status" class="status-open"/);
	assert.doesNotMatch(st.text, /RAHASIA-INTERNAL|Warga Uji|warga@example/);
	const wrong = await c.post('/lapor/status', { tiket: ticket, kode: 'aaaa-bbbb-cccc-dddd' });
	assert.equal(wrong.status, 404);
	const apiStatus = await as()('POST', '/reports/status', { ticket, tracking: code });
	assert.equal(apiStatus.status, 200);
	assert.equal(apiStatus.json.status, 'open');
	assert.equal(apiStatus.json.comments, undefined);
});

test('public report: a missing required field is refused and what was typed is kept', async () => {
	const c = new Client(S.base);
	await c.get('/lapor');
	const form = new FormData();
	form.set('pelapor_nama', 'Nama Tetap');
	const r = await c.postMultipart('/lapor', form);
	assert.equal(r.status, 400);
	assert.match(r.text, /Mohon isi/);
	assert.match(r.text, /value="Nama Tetap"/);
});

test('public reports are rate-limited per address', async () => {
	const s2 = await startServer('[web]\nreport_limit = 2\n');
	try {
		const a = api(s2.base);
		const f = { fields: { pelapor_nama: 'a', pelapor_kontak: 'b', sistem_terdampak: 'c', uraian_kejadian: 'd' } };
		assert.equal((await a('POST', '/reports', f)).status, 201);
		assert.equal((await a('POST', '/reports', f)).status, 201);
		const third = await a('POST', '/reports', f);
		assert.equal(third.status, 429);
		assert.equal(third.json.error.code, 'too_many_requests');
	} finally {
		await s2.stop();
	}
});

// ---- sessions, CSRF, back-off ----

test('session cookie is HttpOnly and SameSite=Strict; logout ends it', async () => {
	const c = new Client(S.base);
	await c.get('/login');
	const r = await c.post('/login', { name: 'ttis', password: PASSWORD });
	const set = r.headers.getSetCookie().find((h) => h.startsWith('sigap_sid='));
	assert.match(set, /HttpOnly/);
	assert.match(set, /SameSite=Strict/);
	assert.match(set.split(';')[0], /^sigap_sid=[0-9a-f]{64}$/);
	assert.equal((await c.get('/dasbor')).status, 200);
	const sid = c.cookies.get('sigap_sid');
	assert.equal((await c.post('/logout')).status, 303);
	c.cookies.set('sigap_sid', sid); // replaying the old cookie opens nothing
	assert.equal((await c.get('/dasbor')).status, 303);
});

test('a session ends after its idle time', async () => {
	const s2 = await startServer('[web]\nsession_idle = 2s\nsession_max = 1h\n');
	try {
		const c = new Client(s2.base);
		await c.login('petugas');
		assert.equal((await c.get('/dasbor')).status, 200);
		await new Promise((r) => setTimeout(r, 3200));
		const r = await c.get('/dasbor');
		assert.equal(r.status, 303);
		assert.match(r.location, /^\/login/);
	} finally {
		await s2.stop();
	}
});

test('CSRF: a form without, with a wrong, or from another origin is refused and changes nothing', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	const before = (await as('petugas')('GET', `/cases/${DEMO}/comments`)).json.comments.length;
	assert.equal((await c.post(`/kasus/${DEMO}/komentar`, { isi: 'x' }, { csrf: false })).status, 403);
	assert.equal((await c.post(`/kasus/${DEMO}/komentar`, { isi: 'x', csrf: 'f'.repeat(64) }, { csrf: false })).status, 403);
	assert.equal((await c.post(`/kasus/${DEMO}/komentar`, { isi: 'x' }, { headers: { Origin: 'https://evil.example' } })).status, 403);
	assert.equal((await as('petugas')('GET', `/cases/${DEMO}/comments`)).json.comments.length, before);
	const ok = await c.post(`/kasus/${DEMO}/komentar`, { isi: 'komentar sah' });
	assert.equal(ok.status, 303);
	assert.equal((await as('petugas')('GET', `/cases/${DEMO}/comments`)).json.comments.length, before + 1);
	// The login form is protected too (login CSRF).
	const anon = new Client(S.base);
	assert.equal((await anon.post('/login', { name: 'petugas', password: PASSWORD }, { csrf: false })).status, 403);
});

test('failed logins back off, and the back-off is logged', async () => {
	const a = as('admin');
	assert.equal((await a('POST', '/users', { name: 'korban', roles: ['petugas'], password: 'sandi-yang-benar-1' })).status, 201);
	const c = new Client(S.base);
	await c.get('/login');
	for (let i = 0; i < 5; i++) assert.equal((await c.post('/login', { name: 'korban', password: 'salah-salah-salah' })).status, 401);
	const locked = await c.post('/login', { name: 'korban', password: 'sandi-yang-benar-1' });
	assert.equal(locked.status, 429);
	assert.match(locked.text, /Terlalu banyak percobaan/);
	const lb = await a('GET', '/logbook?object=user:korban');
	assert.ok(lb.json.entries.some((e) => e.action === 'user.login_backoff'));
});

test('a one-time password must be changed before anything else', async () => {
	const r = await as('admin')('POST', '/users', { name: 'baru', roles: ['ttis'] });
	assert.equal(r.status, 201);
	const c = new Client(S.base);
	await c.get('/login');
	assert.equal((await c.post('/login', { name: 'baru', password: r.json.one_time_password })).status, 303);
	const d = await c.get('/dasbor');
	assert.equal(d.status, 303);
	assert.equal(d.location, '/akun/sandi');
	await c.get('/akun/sandi');
	assert.equal((await c.post('/akun/sandi', { lama: r.json.one_time_password, baru: 'kata-sandi-baru-1', ulang: 'beda-sandi-baru-1' })).status, 400);
	assert.equal((await c.post('/akun/sandi', { lama: r.json.one_time_password, baru: 'kata-sandi-baru-1', ulang: 'kata-sandi-baru-1' })).status, 200);
	assert.equal((await c.get('/dasbor')).status, 200);
	// And through the API.
	const tok = api(S.base, S.cli('token', 'new', 'baru').trim());
	assert.equal((await tok('PUT', '/me/password', { current: 'salah-sekali-1', new: 'kata-sandi-baru-2' })).status, 403);
	assert.equal((await tok('PUT', '/me/password', { current: 'kata-sandi-baru-1', new: 'pendek' })).status, 400);
	assert.equal((await tok('PUT', '/me/password', { current: 'kata-sandi-baru-1', new: 'kata-sandi-baru-2' })).status, 200);
});

test('an administrator changes roles and disables an account; its sessions and tokens end', async () => {
	const a = as('admin');
	assert.equal((await a('POST', '/users', { name: 'sementara', roles: ['ttis'], password: 'sandi-sementara-1' })).status, 201);
	const tok = api(S.base, S.cli('token', 'new', 'sementara').trim());
	const c = new Client(S.base);
	await c.login('sementara', 'sandi-sementara-1');
	let r = await a('PUT', '/users/sementara', { roles: ['ttis', 'petugas'] });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.roles, ['petugas', 'ttis']);
	assert.deepEqual((await tok('GET', '/me')).json.roles, ['petugas', 'ttis']);
	assert.equal((await a('PUT', '/users/sementara', { roles: ['tidak-ada'] })).status, 400);
	assert.equal((await a('PUT', '/users/sementara', { disabled: 'ya' })).status, 400);
	// Through the page, as a form.
	const admin = new Client(S.base);
	await admin.login('admin');
	await admin.get('/pengguna');
	r = await admin.post('/pengguna/sementara', { peran: 'ttis', status: 'nonaktif' });
	assert.equal(r.status, 200);
	assert.equal((await c.get('/dasbor')).status, 303); // signed out
	assert.equal((await tok('GET', '/me')).status, 401);
	assert.equal((await a('PUT', '/users/admin', { disabled: true })).status, 400); // not oneself
	assert.equal((await a('PUT', '/users/sementara', { disabled: false })).status, 200);
	assert.equal((await tok('GET', '/me')).status, 200);
	const lb = await a('GET', '/logbook?object=user:sementara');
	assert.ok(lb.json.entries.filter((e) => e.action === 'user.update').length >= 3);
});

test('bearer tokens: a wrong or revoked token is refused', async () => {
	assert.equal((await api(S.base, 'sgp_' + 'x'.repeat(40))('GET', '/me')).status, 401);
	assert.equal((await api(S.base, 'nonsense')('GET', '/me')).status, 401);
	const t = await as('ttis')('POST', '/tokens', { name: 'sementara' });
	assert.equal(t.status, 201);
	const mine = api(S.base, t.json.token);
	assert.equal((await mine('GET', '/me')).json.user, 'ttis');
	const list = await as('ttis')('GET', '/tokens');
	const id = list.json.tokens.find((x) => x.name === 'sementara').id;
	assert.equal((await as('ttis')('DELETE', `/tokens/${id}`)).status, 200);
	assert.equal((await mine('GET', '/me')).status, 401);
});

// ---- limits and malformed input ----

async function logbookEntries() {
	return (await as('petugas')('GET', '/logbook/verify')).json.entries;
}

test('bodies over the limit get 413 and change nothing', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	const n = await logbookEntries();
	const big = await c.post(`/kasus/${DEMO}/komentar`, { isi: 'x'.repeat(1100 * 1024) });
	assert.equal(big.status, 413);
	const apiBig = await as('petugas')('POST', `/cases/${DEMO}/comments`, { body: 'y'.repeat(1100 * 1024) });
	assert.equal(apiBig.status, 413);
	assert.equal(apiBig.json.error.code, 'too_large');
	const fd = new FormData();
	fd.set('file', new Blob([new Uint8Array(27 * 1024 * 1024)]), 'besar.bin');
	const up = await as('petugas')('POST', `/cases/${DEMO}/evidence`, fd);
	assert.equal(up.status, 413);
	assert.equal(await logbookEntries(), n);
});

test('malformed input gets 400 with a message and changes nothing', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	const n = await logbookEntries();
	const p = as('petugas');
	const cases = [
		await p('POST', `/cases/${DEMO}/comments`, '{"body": "x"', { 'Content-Type': 'application/json' }),
		await p('POST', `/cases/${DEMO}/comments`, { body: 'x', extra: 1 }),
		await p('POST', `/cases/${DEMO}/comments`, { body: 5 }),
		await p('POST', `/cases/${DEMO}/comments`, '[1]', { 'Content-Type': 'application/json' }),
		await p('POST', '/cases', { procedure: 'insiden', title: 'x'.repeat(301), fields: {} }),
		await p('POST', '/cases', { procedure: 'insiden', fields: { pelapor_nama: 7 } }),
		await p('POST', `/cases/${DEMO}/steps`, { values: { kategori: 'fraud' }, decision: 3 }),
	];
	for (const r of cases) {
		assert.equal(r.status, 400, r.text);
		assert.ok(r.json.error.message.length > 5);
	}
	assert.equal((await p('POST', `/cases/${DEMO}/comments`, 'body=x', { 'Content-Type': 'text/plain' })).status, 415);
	// Invalid UTF-8 in a form value.
	const bad = await c.req('POST', `/kasus/${DEMO}/komentar`, { body: `csrf=${c.csrf}&isi=%C3%28`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal(bad.status, 400);
	// A broken multipart body.
	const broken = await c.req('POST', `/kasus/${DEMO}/bukti`, { body: '--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc', headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' } });
	assert.equal(broken.status, 400);
	// Invalid UTF-8 in the query string.
	assert.equal((await fetch(S.base + '/kasus?q=%FF%FE')).status, 400);
	assert.equal(await logbookEntries(), n);
});

test('text from users is escaped in pages', async () => {
	const r = await as('petugas')('POST', '/cases', { procedure: 'insiden', title: '<script>alert(1)</script>', fields: { pelapor_nama: '"><img src=x onerror=alert(1)>', pelapor_kontak: 'k', sistem_terdampak: 's', uraian_kejadian: 'u' } });
	const c = new Client(S.base);
	await c.login('petugas');
	const page = await c.get(`/kasus/${r.json.ticket}`);
	assert.doesNotMatch(page.text, /<script>alert|<img src=x/);
	assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

// ---- pages ----

test('pages speak Indonesian by default and English on request, remembered', async () => {
	const c = new Client(S.base);
	let r = await c.get('/lapor');
	assert.match(r.text, /<html lang="id">/);
	assert.match(r.text, /Kirim laporan/);
	r = await c.get('/lapor?lang=en');
	assert.match(r.text, /<html lang="en">/);
	assert.match(r.text, /Send report/);
	r = await c.get('/lapor');
	assert.match(r.text, /Send report/);
});

test('dashboard draws SVG charts; case page shows the flowchart with the current step', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	const d = await c.get('/dasbor');
	assert.equal(d.status, 200);
	assert.match(d.text, /<svg class="chart"/);
	assert.match(d.text, /Kepatuhan SLA per SOP/);
	const k = await c.get(`/kasus/${DEMO}`);
	assert.match(k.text, /class="s now"|class="s now /);
	assert.match(k.text, /name="keputusan"|Selesaikan langkah ini/);
	const other = new Client(S.base);
	await other.login('ttis'); // staff of the procedure, not of this step
	const k2 = await other.get(`/kasus/${DEMO}`);
	assert.equal(k2.status, 200);
	assert.doesNotMatch(k2.text, /action="\/kasus\/[^"]+\/langkah"/); // no form for another role
	const refused = await other.post(`/kasus/${DEMO}/langkah`, {});
	assert.equal(refused.status, 403);
	assert.match(refused.text, /pengguna &#39;ttis&#39; tidak memegang peran &#39;petugas&#39;/); // in Indonesian
	const p = await c.get(`/kasus/${DEMO}/cetak`);
	assert.match(p.text, /Laporan kasus/);
	const sop = await c.get('/sop/insiden');
	assert.match(sop.text, /class="prosedur"/);
	const lb = await c.get('/logbook');
	assert.match(lb.text, /id="chain"/);
	assert.match(lb.text, /Rantai utuh/);
});

test('metrics in Prometheus text format, to the listed addresses and to admins only', async () => {
	// This server lists no address: the loopback is not trusted by itself
	// (a proxy on this host would make every client local), nor is any
	// forwarding header.
	assert.equal((await fetch(S.base + '/metrics')).status, 403);
	assert.equal((await fetch(S.base + '/metrics', { headers: { 'X-Forwarded-For': '127.0.0.1' } })).status, 403);
	const admin = new Client(S.base);
	await admin.login('admin');
	assert.equal((await admin.get('/metrics')).status, 200);
	// a scraper: an administrator's API token, from anywhere
	const scrape = (tok) => fetch(S.base + '/metrics', { headers: { Authorization: `Bearer ${tok}` } });
	assert.equal((await scrape(tokens.admin)).status, 200);
	assert.equal((await scrape(tokens.petugas)).status, 403);
	assert.equal((await scrape('sgp_' + 'x'.repeat(40))).status, 401);
	const listed = await startServer('[web]\nmetrics_allow = 10.0.0.0/8, 127.0.0.1\n');
	try {
		await fetch(listed.base + '/healthz');
		// a request is counted when it completes, a moment after its answer
		let r, t;
		for (let i = 0; i < 20; i++) {
			r = await fetch(listed.base + '/metrics');
			t = await r.text();
			if (/route="\/healthz"/.test(t)) break;
			await new Promise((ok) => setTimeout(ok, 50));
		}
		assert.equal(r.status, 200);
		assert.match(t, /^sigap_http_requests_total\{route="\/healthz",status="200"\} \d+$/m);
		assert.match(t, /^sigap_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
		assert.match(t, /^sigap_cases_open \d+$/m);
		assert.match(t, /^sigap_sla_breached_steps \d+$/m);
		assert.match(t, /^sigap_http_connections \d+$/m);
		assert.match(t, /^sigap_http_bodies_refused_total\{reason="body_memory"\} 0$/m);
		// which sigap, and what its process uses
		assert.match(t, /^sigap_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
		assert.match(t, /^process_cpu_seconds_total \d+\.\d\d$/m);
		assert.ok(Number(t.match(/^process_resident_memory_bytes (\d+)$/m)[1]) > 1e6);
		assert.ok(Number(t.match(/^process_open_fds (\d+)$/m)[1]) > 3);
		const started = Number(t.match(/^process_start_time_seconds (\d+\.\d+)$/m)[1]);
		assert.ok(Math.abs(started - Date.now() / 1000) < 120, `started ${started}`);
	} finally {
		await listed.stop();
	}
	// A list that is not addresses stops the server at start.
	await assert.rejects(startServer('[web]\nmetrics_allow = intranet\n'), /metrics_allow/);
});

test('the log: one JSON object a line, the requests among them', async () => {
	await fetch(S.base + '/healthz?probe=1');
	await new Promise((r) => setTimeout(r, 100));
	const line = S.stderr().split('\n').filter((l) => l.includes('"path":"/healthz"')).at(-1);
	const j = JSON.parse(line);
	assert.equal(j.level, 'info');
	assert.equal(j.msg, 'request');
	assert.match(j.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
	assert.equal(j.status, 200);
	assert.equal(j.route, '/healthz');
	assert.equal(j.method, 'GET');
	assert.ok(j.ms >= 0);
	// every line of the log is such an object, the start's too
	const lines = S.stderr().split('\n').filter((l) => l.trim());
	for (const l of lines) {
		const o = JSON.parse(l);
		assert.ok(o.at && o.level && typeof o.msg === 'string', l);
	}
	assert.ok(lines.some((l) => /"msg":"listening on http:\/\/127\.0\.0\.1:\d+/.test(l)));
});

test('SIGTERM: a request in flight is answered, then the server exits cleanly', async () => {
	const s2 = await startServer();
	const body = JSON.stringify({ ticket: 'INS-2026-9999', tracking: 'abcd-efgh-jkmn-pqrs' });
	// Send half the body, signal, then the rest: the answer must still come.
	const answer = new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port: s2.port, method: 'POST', path: '/api/v1/reports/status',
			headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', reject);
		req.write(body.slice(0, 10));
		setTimeout(() => {
			s2.proc.kill('SIGTERM');
			setTimeout(() => req.end(body.slice(10)), 300);
		}, 200);
	});
	const exited = new Promise((r) => s2.proc.on('exit', (code) => r(code)));
	assert.equal(await answer, 404); // no such report: a real answer, not a reset
	assert.equal(await exited, 0);
	assert.match(s2.stderr(), /stopped/);
});

test('TLS: HTTPS with the given certificate; cookies are Secure; HSTS is sent', async (t) => {
	const s2 = await startServer();
	const cert = join(s2.dir, 'cert.pem'), key = join(s2.dir, 'key.pem');
	try {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
			'-days', '2', '-subj', '/CN=localhost'], { stdio: 'pipe' });
	} catch {
		await s2.stop();
		return t.skip('openssl is not installed');
	}
	await s2.stop();
	const s3 = await startServer('', ['--tls-cert', cert, '--tls-key', key]);
	try {
		const res = await new Promise((resolve, reject) => {
			https.get({ host: '127.0.0.1', port: s3.port, path: '/login', rejectUnauthorized: false }, (r) => {
				r.resume();
				r.on('end', () => resolve(r));
			}).on('error', reject);
		});
		assert.equal(res.statusCode, 200);
		assert.match(res.headers['strict-transport-security'], /max-age=/);
		assert.ok(res.headers['set-cookie'].some((c) => /; Secure/.test(c)));
	} finally {
		await s3.stop();
	}
	const bad = spawnSync(s3.env, ['serve', '--listen', '127.0.0.1:0', '--tls-cert', cert]);
	assert.equal(bad.status, 1);
	assert.match(bad.stderr, /both --tls-cert and --tls-key/);
});

function spawnSync(env, args) {
	try {
		execFileSync(process.env.SIGAP_BIN, args, { env, encoding: 'utf8', stdio: 'pipe' });
		return { status: 0, stderr: '' };
	} catch (e) {
		return { status: e.status, stderr: String(e.stderr) };
	}
}
