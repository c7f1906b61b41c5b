// test_flows.mjs: what keeps a case moving besides a step done by the
// holder of its role, over real HTTP: an outside actor's step done on its
// behalf (channel and name recorded), single-use links for outside actors
// (shown without sign-in, used once, expired, revoked), a case sent back
// to an earlier step, approvers who refuse, required output documents,
// and a closed case reopened by the Kabid. Every refusal checks the
// message and that nothing changed.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, Client, api, SIGAP, storeSql } from './server.mjs';
import { dayFromNow } from './walk.mjs';

const USERS = ['petugas', 'ttis', 'kabid', 'kadis', 'aph', 'pelapor', 'administrator', 'teknis', 'penyusun', 'pemohon'];
const ROLE_USER = {
	pelapor: 'pelapor', petugas: 'petugas', ttis: 'ttis', aph: 'aph', kabid: 'kabid', kepala_dinas: 'kadis',
	administrator: 'administrator', tim_teknis: 'teknis', tim_penyusun: 'penyusun', pemohon: 'pemohon',
};
let S;
const tokens = {};
before(async () => {
	S = await startServer();
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'test').trim();
});
after(async () => { if (S) await S.stop(); });

const as = (user) => api(S.base, user ? tokens[user] : undefined);
const sql = (q) => storeSql(S.dir, q).trim();

function sample(f) {
	switch (f.type) {
	case 'select': return f.options[0];
	case 'date': return '2026-11-23';
	case 'number': return '3';
	case 'ref': return 'REF-1';
	default: return `nilai ${f.name}`;
	}
}

// The case as staff of its procedure see it (need-to-know: petugas sees
// incidents, not patches or policies).
async function get(ticket) {
	for (const u of ['petugas', 'kabid', 'penyusun']) {
		const r = await as(u)('GET', `/cases/${ticket}`);
		if (r.status === 200) return r.json;
	}
	throw new Error(`nobody sees ${ticket}`);
}

// Completes the current step as its role's user (or as `user`), with its
// required fields (files as multipart) and the decision given.
async function advance(ticket, decision, { user, extra = {}, skip = [] } = {}) {
	const cur = (await get(ticket)).current_step;
	const needs = new Set(cur.decision?.wajib?.[decision] ?? []);
	const fd = new FormData();
	if (decision) fd.set('decision', decision);
	for (const f of cur.fields) {
		if (!(f.required || needs.has(f.name)) || skip.includes(f.name)) continue;
		if (f.type === 'file') fd.set(f.name, new Blob([`dokumen ${f.name}`]), `${f.name}.pdf`);
		else fd.set(f.name, f.name === 'jenis' ? 'spam' : sample(f));
	}
	for (const [k, v] of Object.entries(extra)) fd.set(k, v);
	const r = await as(user ?? ROLE_USER[cur.role])('POST', `/cases/${ticket}/steps`, fd);
	return r;
}

async function newCase(procedure, opener, fields = {}) {
	const r = await as(opener)('POST', '/cases', { procedure, title: `Uji ${procedure}`, fields });
	assert.equal(r.status, 201, r.text);
	return r.json.ticket;
}

const incident = () => newCase('insiden', 'petugas', {
	pelapor_nama: 'Budi Santoso', pelapor_kontak: 'budi-rahasia@example.id', sistem_terdampak: 'situs desa',
	uraian_kejadian: 'Halaman berubah',
});

// What must not move when a request is refused.
async function state(ticket) {
	const c = await get(ticket);
	return {
		status: c.status, step: c.current_step?.no ?? null, started: c.current_step?.started_at ?? null,
		runs: c.history.length, evidence: c.evidence.length,
		logbook: Number(sql(`SELECT COUNT(*) FROM logbook WHERE object = 'case:${ticket}'`)),
		links: sql(`SELECT l.id, COALESCE(CAST(l.used_at AS TEXT), ''), COALESCE(CAST(l.revoked_at AS TEXT), '') FROM step_links l JOIN cases c ON c.id = l.case_id WHERE c.ticket = '${ticket}' ORDER BY l.id`)
			.split('\n').filter(Boolean).map((row) => row.split('|').join(':')).join(','),
	};
}

test('on behalf: petugas completes the reporter\'s step with the channel and name recorded', async () => {
	const t = await incident();
	// Without a name the officer is told they may act on the reporter's behalf.
	let before = await state(t);
	let r = await as('petugas')('POST', `/cases/${t}/steps`, {});
	assert.equal(r.status, 403);
	assert.match(r.json.error.message, /may complete it on its behalf: give the name of the Pelapor and the channel/);
	r = await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi Santoso', channel: 'merpati' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /channel 'merpati' is not one of telepon, surat, surel, datang langsung/);
	assert.deepEqual(await state(t), before);

	r = await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi Santoso', channel: 'telepon' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.current_step.no, 2);
	const run = r.json.history[0];
	assert.equal(run.actor, 'petugas');
	assert.equal(run.role, 'pelapor');
	assert.equal(run.on_behalf_of, 'Budi Santoso');
	assert.equal(run.channel, 'telepon');
	const lb = (await as('petugas')('GET', `/logbook?object=case:${t}`)).json;
	const entry = (lb.entries ?? lb).find((x) => x.action === 'case.step');
	assert.equal(entry.details.on_behalf_of, 'Budi Santoso');
	assert.equal(entry.details.channel, 'telepon');

	// The history on the case page says it in plain words.
	const c = new Client(S.base);
	await c.login('petugas');
	const page = await c.get(`/kasus/${t}`);
	assert.match(page.text, /diselesaikan oleh petugas atas nama Budi Santoso \(Pelapor\) melalui telepon/);
});

test('on behalf: the web form offers it to petugas, and the command line takes --atas-nama', async () => {
	const t = await incident();
	const c = new Client(S.base);
	await c.login('petugas');
	let page = await c.get(`/kasus/${t}`);
	assert.match(page.text, /Selesaikan atas nama Pelapor/);
	assert.match(page.text, /name="saluran"/);
	const fd = new FormData();
	fd.set('atas_nama', 'Siti');
	fd.set('saluran', 'datang langsung');
	fd.set('langkah_no', page.text.match(/name="langkah_no" value="(\d+)"/)[1]);
	fd.set('langkah_mulai', page.text.match(/name="langkah_mulai" value="(\d+)"/)[1]);
	const r = await c.postMultipart(`/kasus/${t}/langkah`, fd);
	assert.equal(r.status, 303, r.text.slice(0, 300));
	page = await c.get(`/kasus/${t}`);
	assert.match(page.text, /atas nama Siti \(Pelapor\) melalui datang langsung/);

	const t2 = await incident();
	const out = S.cli('case', 'step', t2, '--as', 'petugas', '--atas-nama', 'Rudi', '--saluran', 'surat');
	assert.match(out, /now at step 2/);
	const run = (await as('petugas')('GET', `/cases/${t2}`)).json.history[0];
	assert.equal(run.on_behalf_of, 'Rudi');
	assert.equal(run.channel, 'surat');
});

test('on behalf: a staff role the SOP does not name for the reporter is refused', async () => {
	const t = await incident();
	const before = await state(t);
	const r = await as('ttis')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	assert.equal(r.status, 403);
	// (The gate refuses before the body is read: ttis may not act here at all.)
	assert.match(r.json.error.message, /user 'ttis' does not hold the role 'pelapor' \(Pelapor\) that step 1/);
	assert.deepEqual(await state(t), before);
	// Nor is a staff step done "on behalf" of anyone.
	await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	const mid = await state(t);
	const r2 = await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon', values: { asal_laporan: 'Pihak luar', saluran: 'Surel' } });
	assert.equal(r2.status, 400);
	assert.match(r2.json.error.message, /not an outside role: it cannot be completed on anyone's behalf/);
	assert.deepEqual(await state(t), mid);
});

// Issues a link as petugas; answers its token.
async function issue(ticket, recipient = 'Budi Santoso') {
	const r = await as('petugas')('POST', `/cases/${ticket}/links`, { recipient });
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.token, /^[a-z2-9]{32}$/);
	assert.equal(r.json.path, `/tautan/${r.json.token}`);
	return r.json;
}

test('link: shown without sign-in with only its step, completed once, then refused', async () => {
	const t = await incident();
	await as('petugas')('POST', `/cases/${t}/comments`, { body: 'catatan internal rahasia' });
	const link = await issue(t);
	// Only the hash is kept.
	assert.equal(sql(`SELECT COUNT(*) FROM step_links WHERE token_hash = '${link.token}'`), '0');
	assert.equal(sql(`SELECT length(token_hash) FROM step_links WHERE id = ${link.id}`), '64');

	const visitor = new Client(S.base);
	let page = await visitor.get(link.path);
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(t));
	assert.match(page.text, /Pelapor/);
	assert.match(page.headers.get('cache-control') ?? '', /no-store/);
	for (const secret of ['budi-rahasia@example.id', 'catatan internal rahasia', 'Halaman berubah'])
		assert.ok(!page.text.includes(secret), `the link page shows ${secret}`);

	// Without the visitor's CSRF token: refused, nothing changed.
	let before = await state(t);
	let r = await visitor.post(link.path, {}, { csrf: false });
	assert.equal(r.status, 403);
	assert.deepEqual(await state(t), before);

	r = await visitor.postMultipart(link.path, new FormData());
	assert.equal(r.status, 200, r.text.slice(0, 500));
	assert.match(r.text, /Terima kasih/);
	const c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 2);
	const run = c.history[0];
	assert.equal(run.actor, 'tautan');
	assert.equal(run.on_behalf_of, 'Budi Santoso');
	assert.equal(run.channel, 'tautan');
	const links = (await as('petugas')('GET', `/cases/${t}/links`)).json.links;
	assert.equal(links[0].state, 'dipakai');
	const actions = (await as('petugas')('GET', `/logbook?object=case:${t}`)).json;
	const names = (actions.entries ?? actions).map((x) => x.action);
	assert.ok(names.includes('case.link.issue') && names.includes('case.link.use'), names.join(','));

	// Used: refused, nothing changed.
	before = await state(t);
	page = await visitor.get(link.path);
	assert.equal(page.status, 410);
	assert.match(page.text, /sudah dipakai/);
	r = await visitor.postMultipart(link.path, new FormData());
	assert.equal(r.status, 410);
	assert.deepEqual(await state(t), before);
	// An unknown token: 404.
	assert.equal((await visitor.get('/tautan/' + 'a'.repeat(32))).status, 404);
	// The access log names the route, never the token.
	assert.match(S.stderr(), /"route":"\/tautan\/\{token\}"/);
	assert.ok(!S.stderr().includes(link.token), 'the token is in the access log');
});

test('link: the police complete their steps by link, the report uploaded, and it needs the document', async () => {
	const t = await incident();
	await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	for (const d of [undefined, undefined, 'Insiden', undefined, 'Ya'])
		assert.equal((await advance(t, d)).status, 200);
	let c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 7);
	let link = await issue(t, 'Iptu Andi');
	const visitor = new Client(S.base);
	await visitor.get(link.path);
	let fd = new FormData();
	fd.set('langkah_penanganan', 'Penyelidikan dimulai');
	let r = await visitor.postMultipart(link.path, fd);
	assert.equal(r.status, 200, r.text.slice(0, 500));
	link = await issue(t, 'Iptu Andi');
	await visitor.get(link.path);
	// Step 8 needs the police's report as a file.
	const before = await state(t);
	fd = new FormData();
	fd.set('laporan_aph', 'Pelaku teridentifikasi');
	r = await visitor.postMultipart(link.path, fd);
	assert.equal(r.status, 400);
	assert.match(r.text, /dokumen_aph/);
	assert.deepEqual(await state(t), before);
	fd = new FormData();
	fd.set('laporan_aph', 'Pelaku teridentifikasi');
	fd.set('dokumen_aph', new Blob(['surat APH']), 'laporan-aph.pdf');
	r = await visitor.postMultipart(link.path, fd);
	assert.equal(r.status, 200, r.text.slice(0, 500));
	c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 9);
	const ev = c.evidence.find((x) => x.field === 'dokumen_aph');
	assert.equal(ev.added_by, 'tautan');
});

test('link: hands the police the report and the evidence chosen, those only, while it works', async () => {
	const t = await incident();
	await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	for (const d of [undefined, undefined, 'Insiden', undefined, 'Ya'])
		assert.equal((await advance(t, d)).status, 200);
	const attach = async (name, body) => {
		const fd = new FormData();
		fd.set('file', new Blob([body]), name);
		const r = await as('petugas')('POST', `/cases/${t}/evidence`, fd);
		assert.equal(r.status, 201, r.text);
	};
	await attach('log-server.txt', 'baris log serangan');
	await attach('catatan-internal.txt', 'catatan internal tim');
	const ev = (await as('petugas')('GET', `/cases/${t}`)).json.evidence;
	const shared = ev.find((e) => e.filename === 'log-server.txt').sha256;
	const kept = ev.find((e) => e.filename === 'catatan-internal.txt').sha256;
	// Refused: not a list, a file of another case; nothing issued.
	const before = await state(t);
	let r = await as('petugas')('POST', `/cases/${t}/links`, { recipient: 'Iptu Andi', evidence: shared });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /evidence must be a list/);
	r = await as('petugas')('POST', `/cases/${t}/links`, { recipient: 'Iptu Andi', evidence: ['0'.repeat(64)] });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /has no evidence 0{64} to hand over/);
	assert.deepEqual(await state(t), before);
	r = await as('petugas')('POST', `/cases/${t}/links`, { recipient: 'Iptu Andi', report: true, evidence: [shared] });
	assert.equal(r.status, 201, r.text);
	const path = r.json.path;
	const visitor = new Client(S.base);
	const page = (await visitor.get(path)).text;
	assert.match(page, /Diserahkan kepada Anda/);
	assert.match(page, /Budi Santoso/, "the reporter's data");
	assert.match(page, /Halaman berubah/, 'the report');
	assert.match(page, /Kelengkapan/);
	assert.match(page, /Data Pelapor dan Laporan Insiden/, "the step's requirements");
	assert.match(page, /log-server\.txt/);
	assert.doesNotMatch(page, /catatan-internal/);
	let f = await visitor.get(`${path}/berkas?h=${shared}`);
	assert.equal(f.status, 200);
	assert.equal(f.text, 'baris log serangan');
	for (const h of [kept, '0'.repeat(64), 'x'])
		assert.equal((await visitor.get(`${path}/berkas?h=${h}`)).status, 404, h);
	assert.equal((await visitor.get(`/tautan/${'b'.repeat(32)}/berkas?h=${shared}`)).status, 404);
	// A link without material shows none.
	const bare = await issue(t, 'Bripka Sari');
	assert.doesNotMatch((await visitor.get(bare.path)).text, /Diserahkan kepada Anda|Budi Santoso/);
	// Used: the files are no longer served.
	const fd = new FormData();
	fd.set('langkah_penanganan', 'Penyelidikan dimulai');
	r = await visitor.postMultipart(path, fd);
	assert.equal(r.status, 200, r.text.slice(0, 500));
	f = await visitor.get(`${path}/berkas?h=${shared}`);
	assert.equal(f.status, 410);
	assert.doesNotMatch(f.text, /baris log/);
	const lb = sql(`SELECT details FROM logbook WHERE action = 'case.link.issue' AND object = 'case:${t}' ORDER BY seq LIMIT 1`);
	assert.match(lb, new RegExp(`"report":\\s*true`));
	assert.match(lb, new RegExp(shared));
});

test('link: expired refused; issuing for a staff step refused; a link never moves another case', async () => {
	const t = await incident();
	const other = await incident();
	const link = await issue(t);
	sql(`UPDATE step_links SET expires_at = 1 WHERE id = ${link.id}`);
	const before = await state(t), beforeOther = await state(other);
	const visitor = new Client(S.base);
	let page = await visitor.get(link.path);
	assert.equal(page.status, 410);
	assert.match(page.text, /kedaluwarsa/);
	const r = await visitor.postMultipart(link.path, new FormData());
	assert.equal(r.status, 410);
	assert.deepEqual(await state(t), before);
	assert.deepEqual(await state(other), beforeOther);
	assert.equal((await as('petugas')('GET', `/cases/${t}/links`)).json.links[0].state, 'kedaluwarsa');

	// The other case's step is a staff step once the reporter's is done.
	await as('petugas')('POST', `/cases/${other}/steps`, { on_behalf: 'Budi', channel: 'surel' });
	const mid = await state(other);
	const refused = await as('petugas')('POST', `/cases/${other}/links`, { recipient: 'Budi' });
	assert.equal(refused.status, 409);
	assert.match(refused.json.error.message, /not an outside role: a link is issued only for the step of an outside actor/);
	assert.deepEqual(await state(other), mid);
	// Nor may someone holding no staff role of the SOP issue one.
	const t3 = await incident();
	const b3 = await state(t3);
	// (an outside actor does not even know the case: need-to-know)
	const r3 = await as('pelapor')('POST', `/cases/${t3}/links`, { recipient: 'Budi' });
	assert.equal(r3.status, 404);
	assert.deepEqual(await state(t3), b3);
});

test('link: issued only by a role the SOP names for the outside actor, and never on a case kept inside the team', async () => {
	const t = await incident();
	const before = await state(t);
	// ttis is staff of insiden, but the SOP names only petugas to act for the reporter
	const r = await as('ttis')('POST', `/cases/${t}/links`, { recipient: 'siapa saja' });
	assert.equal(r.status, 403, r.text);
	assert.match(r.json.error.message, /may complete step 1 of .* on behalf/);
	assert.deepEqual(await state(t), before);
	// a case labelled TLP:AMBER+STRICT or TLP:RED is not shared outside: no link
	for (const tlp of ['TLP:AMBER+STRICT', 'TLP:RED']) {
		sql(`UPDATE cases SET tlp = '${tlp}' WHERE ticket = '${t}'`);
		const x = await as('petugas')('POST', `/cases/${t}/links`, { recipient: 'Budi' });
		assert.equal(x.status, 409, x.text);
		assert.match(x.json.error.message, /not shared outside the team/);
		assert.equal(sql(`SELECT COUNT(*) FROM step_links l JOIN cases c ON c.id = l.case_id WHERE c.ticket = '${t}'`), '0');
	}
	// the pseudo-actor of a link's completion is no account's name
	let code = 0;
	try { execFileSync(SIGAP, ['user', 'add', 'tautan', '--role', 'aph', '--password-stdin'], { env: S.env, input: 'sandi-yang-panjang\n', stdio: 'pipe' }); } catch (e) { code = e.status; }
	assert.equal(code, 1, 'the user name tautan is reserved');
});

test('link: revoked when the step is done another way, and by its issuer', async () => {
	const t = await incident();
	const link = await issue(t);
	let r = await as('petugas')('POST', `/cases/${t}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	assert.equal(r.status, 200);
	let links = (await as('petugas')('GET', `/cases/${t}/links`)).json.links;
	assert.equal(links[0].state, 'dicabut');
	const visitor = new Client(S.base);
	const page = await visitor.get(link.path);
	assert.equal(page.status, 410);
	assert.match(page.text, /dicabut/);

	const t2 = await incident();
	const l2 = await issue(t2);
	r = await as('petugas')('POST', `/cases/${t2}/links/revoke`, { id: l2.id });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.links[0].state, 'dicabut');
	const before = await state(t2);
	r = await as('petugas')('POST', `/cases/${t2}/links/revoke`, { id: l2.id });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /is not active \(dicabut\)/);
	assert.deepEqual(await state(t2), before);
	assert.equal((await visitor.get(l2.path)).status, 410);
	const lb = (await as('petugas')('GET', `/logbook?object=case:${t2}`)).json;
	assert.ok((lb.entries ?? lb).some((x) => x.action === 'case.link.revoke'));

	// The case page lists the links with their state, for staff.
	const c = new Client(S.base);
	await c.login('petugas');
	const p = await c.get(`/kasus/${t2}`);
	assert.match(p.text, /Tautan untuk pelaksana luar/);
	assert.match(p.text, /dicabut/);
	const issued = await c.post(`/kasus/${t2}/tautan`, { penerima: 'Budi' });
	assert.equal(issued.status, 200);
	const m = issued.text.match(/\/tautan\/([a-z2-9]{32})"/);
	assert.ok(m, 'the new link is shown once');
	assert.equal((await c.get(`/kasus/${t2}`)).text.includes(m[1]), false);
});

test('send back: to an earlier step passed, the clock restarts; a later or unpassed step is refused', async () => {
	const t = await newCase('patch', 'administrator', { patch: 'CVE-2026-0001' });
	for (const d of ['Perlu Implementasi', undefined, undefined])
		assert.equal((await advance(t, d)).status, 200);
	let c = (await as('kabid')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 4);
	let before = await state(t);
	// Later than the current step.
	let r = await as('kabid')('POST', `/cases/${t}/send-back`, { step: 5, reason: 'coba' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /step 5 is not before step 4/);
	// Without a reason; by a user not on the step.
	r = await as('kabid')('POST', `/cases/${t}/send-back`, { step: 2 });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /give the reason/);
	r = await as('teknis')('POST', `/cases/${t}/send-back`, { step: 2, reason: 'x' });
	assert.equal(r.status, 403);
	assert.match(r.json.error.message, /may not complete step 4/);
	assert.deepEqual(await state(t), before);

	const at = Math.floor(Date.now() / 1000);
	r = await as('kabid')('POST', `/cases/${t}/send-back`, { step: 2, reason: 'Rencana belum memuat jadwal henti layanan' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.current_step.no, 2);
	assert.ok(r.json.current_step.started_at >= at);
	const last = r.json.history.at(-1);
	assert.equal(last.kind, 'kembalikan');
	assert.equal(last.step_no, 4);
	assert.equal(last.next_step_no, 2);
	assert.equal(last.reason, 'Rencana belum memuat jadwal henti layanan');
	const lb = (await as('kabid')('GET', `/logbook?object=case:${t}`)).json;
	assert.ok((lb.entries ?? lb).some((x) => x.action === 'case.send_back'));

	// A step the case never passed: insiden's police steps after "Tidak".
	const i = await incident();
	await as('petugas')('POST', `/cases/${i}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	for (const d of [undefined, undefined, 'Insiden', undefined, 'Tidak'])
		assert.equal((await advance(i, d)).status, 200);
	c = (await as('ttis')('GET', `/cases/${i}`)).json;
	assert.equal(c.current_step.no, 9);
	before = await state(i);
	r = await as('ttis')('POST', `/cases/${i}/send-back`, { step: 7, reason: 'ke APH' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /has not passed step 7/);
	assert.deepEqual(await state(i), before);
	// Through the page and the command line too.
	const web = new Client(S.base);
	await web.login('ttis');
	const page = await web.get(`/kasus/${i}`);
	assert.match(page.text, /Kembalikan ke langkah sebelumnya/);
	assert.equal((await web.post(`/kasus/${i}/kembalikan`, { langkah: '6', alasan: 'Rekomendasi perlu ditinjau' })).status, 303);
	assert.equal((await as('ttis')('GET', `/cases/${i}`)).json.current_step.no, 6);
	assert.match(S.cli('case', 'send-back', i, '--as', 'petugas', '--step', '5', '--reason', 'Kategori salah'), /sent back to step 5/);
});

test('approvers refuse, and the case goes back to the drafting step; then approve', async () => {
	const t = await newCase('patch', 'administrator', { patch: 'CVE-2026-0002' });
	for (const d of ['Perlu Implementasi', undefined, undefined])
		assert.equal((await advance(t, d)).status, 200);
	let r = await advance(t, 'Ditolak');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.current_step.no, 2);
	assert.equal(r.json.history.at(-1).decision, 'Ditolak');
	for (const d of [undefined, undefined]) assert.equal((await advance(t, d)).status, 200);
	r = await advance(t, 'Disetujui');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.current_step.no, 5);
});

test('ratification: no draft, no ratified document: refused with nothing changed; then ratified', async () => {
	const t = await newCase('kebijakan/penyusunan', 'penyusun');
	let before = await state(t);
	let r = await advance(t, undefined, { skip: ['dokumen_rencana'] });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /required field 'dokumen_rencana'/);
	assert.deepEqual(await state(t), before);
	assert.equal((await advance(t)).status, 200);
	assert.equal((await advance(t, 'Disetujui', { extra: {} })).status, 200);
	before = await state(t);
	// An empty file is no draft.
	const empty = new FormData();
	empty.set('judul_kebijakan', 'Kebijakan kata sandi');
	empty.set('teks', '# Kata sandi');
	empty.set('draft', new Blob([]), 'draft.pdf');
	r = await as('penyusun')('POST', `/cases/${t}/steps`, empty);
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /field 'draft' needs a document, and the file given is empty/);
	assert.deepEqual(await state(t), before);
	const title = { judul_kebijakan: 'Kebijakan kata sandi' };
	r = await advance(t, undefined, { skip: ['draft'], extra: title });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /required field 'draft' \(Draft kebijakan\) is missing/);
	assert.deepEqual(await state(t), before);
	assert.equal((await advance(t, undefined, { extra: title })).status, 200);
	assert.equal((await advance(t, 'Disetujui')).status, 200);
	// The Kepala Dinas ratifies only with the signed document.
	before = await state(t);
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disahkan', values: { tanggal_pengesahan: '2026-12-01', nomor_kebijakan: '5/2026' } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /the decision 'Disahkan' needs the field 'dokumen_kebijakan'/);
	assert.deepEqual(await state(t), before);
	// Refusing needs no document, but its reason: back to the draft.
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Ditolak' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /the decision 'Ditolak' needs the field 'catatan'/);
	assert.deepEqual(await state(t), before);
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Ditolak', values: { catatan: 'Pasal 3 perlu diperjelas' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.current_step.no, 3);
	assert.equal((await advance(t, undefined, { extra: title })).status, 200);
	assert.equal((await advance(t, 'Disetujui')).status, 200);
	r = await advance(t, 'Disahkan');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'closed');
});

test('reopen: a closed case by kabid, to the step it closed from or one chosen; others refused', async () => {
	const t = await newCase('patch', 'administrator', { patch: 'CVE-2026-0003' });
	let r = await advance(t, 'Tidak Perlu');
	r = await advance(t); // step 8, the seed's closing row with an actor
	assert.equal(r.json.status, 'closed');
	let before = await state(t);
	for (const u of ['administrator', 'teknis']) {
		r = await as(u)('POST', `/cases/${t}/reopen`, { reason: 'Patch ternyata diperlukan' });
		assert.equal(r.status, 403, u);
		assert.match(r.json.error.message, /only a holder of a role the SOP lets reopen its cases \(buka_kembali\) may reopen a case/);
	}
	// One who may not know the case is told it does not exist.
	assert.equal((await as('ttis')('POST', `/cases/${t}/reopen`, { reason: 'x' })).status, 404);
	r = await as('kabid')('POST', `/cases/${t}/reopen`, { step: 3, reason: 'x' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /has not passed step 3/);
	r = await as('kabid')('POST', `/cases/${t}/reopen`, {});
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /give the reason/);
	assert.deepEqual(await state(t), before);

	r = await as('kabid')('POST', `/cases/${t}/reopen`, { reason: 'Patch ternyata diperlukan' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'open');
	assert.equal(r.json.current_step.no, 8);
	assert.equal(r.json.closed_at, undefined);
	const last = r.json.history.at(-1);
	assert.equal(last.kind, 'buka_kembali');
	assert.equal(last.actor, 'kabid');
	assert.equal(last.reason, 'Patch ternyata diperlukan');
	const lb = (await as('kabid')('GET', `/logbook?object=case:${t}`)).json;
	assert.ok((lb.entries ?? lb).some((x) => x.action === 'case.reopen'));
	// Open: it cannot be reopened again.
	before = await state(t);
	r = await as('kabid')('POST', `/cases/${t}/reopen`, { reason: 'lagi' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /is open; only a closed case is reopened/);
	assert.deepEqual(await state(t), before);

	// The page offers it to the Kabid on a closed case; the command line too.
	const t2 = await newCase('patch', 'administrator', { patch: 'CVE-2026-0004' });
	await advance(t2, 'Tidak Perlu');
	await advance(t2);
	const kabid = new Client(S.base);
	await kabid.login('kabid');
	assert.match((await kabid.get(`/kasus/${t2}`)).text, /Buka kembali kasus/);
	const other = new Client(S.base);
	await other.login('administrator');
	assert.doesNotMatch((await other.get(`/kasus/${t2}`)).text, /Buka kembali kasus/);
	assert.equal((await kabid.post(`/kasus/${t2}/buka-kembali`, { langkah: '1', alasan: 'Dipantau ulang' })).status, 303);
	const c2 = (await as('kabid')('GET', `/cases/${t2}`)).json;
	assert.equal(c2.status, 'open');
	assert.equal(c2.current_step.no, 1);
	assert.match((await kabid.get(`/kasus/${t2}`)).text, /dibuka kembali oleh kabid pada langkah 1/);
	const t3 = await newCase('patch', 'administrator', { patch: 'CVE-2026-0005' });
	await advance(t3, 'Tidak Perlu');
	await advance(t3);
	assert.match(S.cli('case', 'reopen', t3, '--as', 'kabid', '--reason', 'Diperiksa ulang'), /reopened/);
	assert.equal((await as('kabid')('GET', `/cases/${t3}`)).json.status, 'open');
	const v = await as('petugas')('GET', '/logbook/verify');
	assert.equal(v.json.whole, true);
});

test('a step form sent again, or after the case moved on, completes nothing; the API may name the step it saw', async () => {
	const t = await newCase('kebijakan/penyusunan', 'penyusun');
	assert.equal((await advance(t)).status, 200); // the plan: step 2, the Kabid's approval
	const kabid = new Client(S.base);
	await kabid.login('kabid');
	const page = (await kabid.get(`/kasus/${t}`)).text;
	const no = page.match(/name="langkah_no" value="(\d+)"/)[1];
	const at = page.match(/name="langkah_mulai" value="(\d+)"/)[1];
	assert.equal(no, '2');
	let r = await kabid.postMultipart(`/kasus/${t}/langkah`, (() => { const f = new FormData(); f.set('keputusan', 'Disetujui'); f.set('catatan', 'rencana OK'); f.set('langkah_no', no); f.set('langkah_mulai', at); return f; })());
	assert.equal(r.status, 303);
	assert.equal((await advance(t, undefined, { extra: { judul_kebijakan: 'Kebijakan uji formulir' } })).status, 200); // the draft: now step 4, the Kabid's again
	const before = await state(t);
	// the same form, sent again: refused, nothing approved unseen
	r = await kabid.postMultipart(`/kasus/${t}/langkah`, (() => { const f = new FormData(); f.set('keputusan', 'Disetujui'); f.set('catatan', 'rencana OK'); f.set('langkah_no', no); f.set('langkah_mulai', at); return f; })());
	assert.equal(r.status, 409);
	assert.match(r.text, /telah berlanjut sejak formulir dibuka/);
	assert.deepEqual(await state(t), before);
	// a form without the step it was drawn for is refused too
	r = await kabid.postMultipart(`/kasus/${t}/langkah`, (() => { const f = new FormData(); f.set('keputusan', 'Disetujui'); return f; })());
	assert.equal(r.status, 400);
	assert.deepEqual(await state(t), before);
	// the API: optional, checked when given
	r = await as('kabid')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', step: 2 });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /has moved on since the form was loaded \(it stands at step 4 now\)/);
	r = await as('kabid')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', step: 'empat' });
	assert.equal(r.status, 400);
	assert.deepEqual(await state(t), before);
	const cur = (await get(t)).current_step;
	r = await as('kabid')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', step: 4, step_started_at: cur.started_at });
	assert.equal(r.status, 200, r.text);
});

test('the TLP label is changed at any step by whoever sees the whole case; blank link recipients are refused', async () => {
	const t = await newCase('cti', 'ttis', { sistem: 'web01' });
	let r = await as('ttis')('PUT', `/cases/${t}/tlp`, { tlp: 'TLP:RED' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.tlp, 'TLP:RED');
	assert.equal((await as('kabid')('GET', `/cases/${t}`)).status, 404, 'raised: the Kabid is not named on it');
	r = await as('ttis')('PUT', `/cases/${t}/tlp`, { tlp: 'MERAH' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /'MERAH' is not a TLP 2.0 label/);
	assert.equal((await as('pelapor')('PUT', `/cases/${t}/tlp`, { tlp: 'TLP:CLEAR' })).status, 404);
	r = await as('ttis')('PUT', `/cases/${t}/tlp`, { tlp: 'TLP:AMBER' });
	assert.equal(r.status, 200);
	const lb = (await as('ttis')('GET', `/logbook?object=case:${t}`)).json.entries;
	assert.ok(lb.some((e) => e.action === 'case.tlp' && e.details.to === 'TLP:RED'));
	assert.ok(lb.some((e) => e.action === 'case.tlp_lowered' && e.details.from === 'TLP:RED'));
	// the page offers it
	const c = new Client(S.base);
	await c.login('ttis');
	const p = await c.get(`/kasus/${t}`);
	assert.match(p.text, /action="\/kasus\/[^"]+\/tlp"/);
	assert.equal((await c.post(`/kasus/${t}/tlp`, { tlp: 'TLP:GREEN' })).status, 303);
	assert.equal((await as('ttis')('GET', `/cases/${t}`)).json.tlp, 'TLP:GREEN');
	// a link for nobody
	const i = await incident();
	await as('petugas')('POST', `/cases/${i}/steps`, { on_behalf: 'Budi', channel: 'telepon' });
	for (const d of [undefined, undefined, 'Insiden', undefined, 'Ya'])
		assert.equal((await advance(i, d)).status, 200);
	r = await as('petugas')('POST', `/cases/${i}/links`, { recipient: '   ' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /give the name of the person/);
});

test('an outside actor with an account is told what the SOP writes for it: the applicant the answer to its request', async () => {
	const t = await newCase('pengecualian', 'pemohon', { sistem: 'SIMPEG' });
	const fd = new FormData();
	fd.set('kontrol', 'indeks-kami-4:III'); fd.set('alasan', 'Aplikasi lama'); fd.set('kompensasi', 'Akses lewat VPN');
	fd.set('berlaku_sampai', dayFromNow(90));
	fd.set('surat_permohonan', new Blob(['surat']), 'surat.pdf');
	assert.equal((await as('pemohon')('POST', `/cases/${t}/steps`, fd)).status, 200);
	const risk = await as('teknis')('POST', '/risks', { title: 'Akses tanpa 2FA', likelihood: 3, impact: 4, treatment: 'terima' });
	assert.equal(risk.status, 201, risk.text);
	assert.equal((await advance(t, undefined, { extra: { risiko: String(risk.json.id) } })).status, 200); // the technical team's analysis
	let r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Tidak Disetujui', values: { catatan_persetujuan: 'Risiko terlalu tinggi' } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /needs the field 'jawaban_pemohon'/);
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Tidak Disetujui', values: { catatan_persetujuan: 'Risiko terlalu tinggi', jawaban_pemohon: 'Permohonan ditolak: gunakan autentikasi dua faktor.' } });
	assert.equal(r.status, 200, r.text);
	const seen = (await as('pemohon')('GET', `/cases/${t}`)).json;
	assert.equal(seen.sight, 'limited');
	assert.deepEqual(seen.public.map((p) => [p.label, p.value]), [['Jawaban untuk pemohon', 'Permohonan ditolak: gunakan autentikasi dua faktor.']]);
	assert.doesNotMatch(JSON.stringify(seen), /Risiko terlalu tinggi|Tidak Disetujui/);
	const c = new Client(S.base);
	await c.login('pemohon');
	const page = (await c.get(`/kasus/${t}`)).text;
	assert.match(page, /Keterangan untuk Anda[\s\S]*gunakan autentikasi dua faktor/);
	assert.equal((await as('kadis')('GET', `/cases/${t}`)).json.public, undefined, 'the team reads the steps themselves');
});
