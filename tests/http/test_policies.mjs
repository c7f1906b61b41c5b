// test_policies.mjs: the library of policies against a real sigap serve
// with the demo data (docs/policies.md). A drafting case writes version 1
// in Markdown, the Kabid approves, the Kepala Dinas ratifies (frozen, its
// SHA-256 logged); a publication case publishes it; the public page
// /kebijakan shows the published text only, rendered safely (raw HTML
// and javascript: links dropped); staff acknowledge reading it and the
// keepers see who in each OPD has and has not; an evaluation with Perlu
// Revisi opens a drafting case of the same policy, whose version 2 is
// not public until it is published; the diff shows the change. The
// refusals (publish an unratified version, rewrite a frozen one, ratify
// on a day to come) say why and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, Client, storeSql } from './server.mjs';
import { dayFromNow } from './walk.mjs';

let S;
const tokens = {};
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	S = await startServer('');
	for (const u of ['penyusun', 'kabid', 'kadis', 'kasi', 'publikasi', 'evaluasi', 'petugas', 'pelapor'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'kebijakan').trim();
});
after(async () => S && (await S.stop()));

const V1 = '# Kebijakan Kata Sandi\n\n1. Panjang minimal **12** karakter.\n2. Diganti setiap tahun.\n\n<script>alert(1)</script>\n\n[tautan](javascript:alert(2))\n';
const V2 = V1.replace('**12**', '**14**') + '3. Tidak dipakai bersama.\n';

async function step(user, t, body) {
	const fd = new FormData();
	for (const [k, v] of Object.entries(body)) {
		if (v instanceof Blob) fd.set(k, v, `${k}.pdf`);
		else fd.set(k, v);
	}
	return as(user)('POST', `/cases/${t}/steps`, fd);
}
const doc = () => new Blob(['%PDF-1.4 dokumen']);

async function ok(user, t, body) {
	const r = await step(user, t, body);
	assert.equal(r.status, 200, `${t} by ${user}: ${r.text}`);
	return r;
}

async function newCase(proc, by, fields = {}) {
	const r = await as(by)('POST', '/cases', { procedure: proc, title: 'Kebijakan kata sandi', fields });
	assert.equal(r.status, 201, r.text);
	return r.json.ticket;
}

async function drafted(text, fields = {}, title = 'Kebijakan Kata Sandi Uji') {
	const t = await newCase('kebijakan/penyusunan', 'penyusun', fields);
	await ok('penyusun', t, { dokumen_rencana: doc() });
	await ok('kabid', t, { decision: 'Disetujui' });
	await ok('penyusun', t, { judul_kebijakan: title, jenis_dokumen: 'standar', teks: text, kontrol: 'indeks-kami-4:IV', draft: doc() });
	return t;
}

async function policyOf(title) {
	const l = (await as('petugas')('GET', '/policies')).json.policies;
	return l.find((p) => p.title === title);
}

test('the life of a policy: draft, approval, ratification, publication, reading, evaluation, revision', async () => {
	const t = await drafted(V1);
	const p = await policyOf('Kebijakan Kata Sandi Uji');
	assert.ok(p, 'the draft made the policy');
	let v = (await as('petugas')('GET', `/policies/${p.id}?version=1`)).json;
	assert.equal(v.state, 'diverifikasi');
	assert.equal(v.text, V1);
	assert.deepEqual(v.attachments.map((x) => x.field), ['dokumen_rencana', 'draft']);
	await ok('kabid', t, { decision: 'Disetujui' });
	// ratified on a day to come: refused, nothing changed
	let r = await step('kadis', t, { decision: 'Disahkan', tanggal_pengesahan: dayFromNow(30), nomor_kebijakan: '7/2026', dokumen_kebijakan: doc() });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /not ratified on a day to come/);
	assert.equal((await as('petugas')('GET', `/policies/${p.id}?version=1`)).json.state, 'disetujui');
	// a publication before ratification is refused
	const early = await newCase('kebijakan/publikasi', 'kasi', { kebijakan: String(p.id) });
	await ok('kasi', early, { dokumen_rencana: doc() });
	await ok('kabid', early, { decision: 'Disetujui' });
	r = await step('publikasi', early, { dokumentasi_publikasi: doc() });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /no ratified version to publish/);
	await ok('kadis', t, { decision: 'Disahkan', tanggal_pengesahan: dayFromNow(-1), nomor_kebijakan: '7/2026', dokumen_kebijakan: doc() });
	v = (await as('petugas')('GET', `/policies/${p.id}?version=1`)).json;
	assert.equal(v.state, 'disahkan');
	assert.match(v.sha256, /^[0-9a-f]{64}$/);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM logbook WHERE object = 'policy:${p.id}' AND action = 'policy.ratify' AND details LIKE '%${v.sha256}%'`).trim(), '1');
	// a frozen version is never rewritten
	r = await as('penyusun')('PUT', `/policies/${p.id}/text`, { version: 1, text: 'diubah' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /frozen/);
	assert.equal((await as('petugas')('GET', `/policies/${p.id}?version=1`)).json.text, V1);
	// not yet public
	const anon = new Client(S.base);
	assert.equal((await anon.get(`/kebijakan/${p.id}`)).status, 404);
	assert.doesNotMatch((await anon.get('/kebijakan')).text, /Kebijakan Kata Sandi Uji/);
	// published on the case that was refused before, now that it is ratified
	await ok('publikasi', early, { dokumentasi_publikasi: doc() });
	let page = await anon.get('/kebijakan');
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`href="/kebijakan/${p.id}"[^<]*>Kebijakan Kata Sandi Uji`));
	page = await anon.get(`/kebijakan/${p.id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /<strong>12<\/strong>/);
	assert.match(page.text, /7\/2026/);
	assert.doesNotMatch(page.text, /<script>alert/, 'raw HTML is dropped');
	assert.doesNotMatch(page.text, /javascript:/, 'unsafe links are dropped');
	assert.doesNotMatch(page.text, /id="versi"|id="pembaca"|Riwayat/, 'the public sees no versions, readers or history');
	// staff acknowledge reading it; the keepers see who has and has not
	const c = new Client(S.base);
	await c.login('petugas');
	page = await c.get(`/kebijakan/${p.id}`);
	assert.match(page.text, new RegExp(`action="/kebijakan/${p.id}/baca"`));
	assert.doesNotMatch(page.text, /id="pembaca"/, 'a petugas does not see who read it');
	assert.equal((await c.post(`/kebijakan/${p.id}/baca`, {})).status, 303);
	page = await c.get(`/kebijakan/${p.id}`);
	assert.match(page.text, /Anda telah membaca versi ini/);
	const k = (await as('kabid')('GET', `/policies/${p.id}`)).json;
	const read = k.readers.flatMap((g) => g.read.map((w) => w.name));
	const unread = k.readers.flatMap((g) => g.unread.map((w) => w.name));
	assert.ok(read.includes('petugas') && !unread.includes('petugas'));
	assert.ok(unread.includes('agen.dinkes'));
	assert.ok(k.readers.some((g) => g.opd === 'Dinas Kesehatan' || /Kesehatan/.test(g.opd)), JSON.stringify(k.readers.map((g) => g.opd)));
	const kc = new Client(S.base);
	await kc.login('kabid');
	assert.match((await kc.get(`/kebijakan/${p.id}`)).text, /id="pembaca"/);
	// who read it is not told to others through the history either
	const other = (await as('kasi')('GET', `/policies/${p.id}`)).json;
	assert.ok(!other.history.some((h) => h.action === 'policy.ack'), 'the acknowledgements are the keepers\' to see');
	assert.ok(k.history.some((h) => h.action === 'policy.ack'));
	// a second draft beside one on its way is refused
	const beside = await newCase('kebijakan/penyusunan', 'penyusun', { kebijakan: String(p.id) });
	await ok('penyusun', beside, { dokumen_rencana: doc() });
	await ok('kabid', beside, { decision: 'Disetujui' });
	// the evaluation: Perlu Revisi opens a drafting case of the same policy
	const ev = await newCase('kebijakan/evaluasi', 'evaluasi', { kebijakan: String(p.id) });
	await ok('evaluasi', ev, { telaahan: 'Kata sandi 12 karakter sudah tidak memadai.' });
	r = await ok('evaluasi', ev, { decision: 'Perlu Revisi', analisis: 'Naikkan ke 14 karakter.' });
	const handed = (await as('evaluasi')('GET', `/cases/${ev}`)).json.links.find((l) => l.direction === 'to');
	assert.ok(handed, 'a drafting case was opened');
	const t2 = handed.ticket;
	await ok('penyusun', t2, { dokumen_rencana: doc() });
	await ok('kabid', t2, { decision: 'Disetujui' });
	await ok('penyusun', t2, { teks: V2, draft: doc() });
	r = await step('penyusun', beside, { teks: V2, draft: doc() });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /on its way/);
	// control characters are refused, on every route
	r = await as('penyusun')('PUT', `/policies/${p.id}/text`, { version: 2, text: 'a\u001b[2Jb' });
	assert.equal(r.status, 409, 'version 2 is not sent back: its text does not change here');
	const whole = (await as('petugas')('GET', `/policies/${p.id}`)).json;
	assert.deepEqual(whole.versions.map((x) => [x.version, x.state]), [[2, 'diverifikasi'], [1, 'dipublikasikan']]);
	// the public still reads version 1
	assert.match((await anon.get(`/kebijakan/${p.id}`)).text, /<strong>12<\/strong>/);
	const d = (await as('petugas')('GET', `/policies/${p.id}/diff?from=1&to=2`)).json;
	assert.deepEqual(d.lines.filter((l) => l.op !== ' ').map((l) => l.op + l.text), [
		'-1. Panjang minimal **12** karakter.', '+1. Panjang minimal **14** karakter.', '+3. Tidak dipakai bersama.']);
	page = await c.get(`/kebijakan/${p.id}/beda?dari=1&ke=2`);
	assert.match(page.text, /class="del">− 1\. Panjang minimal \*\*12\*\*/);
	// sent back by the Kabid: the author rewrites the draft on its page (CSRF)
	await ok('kabid', t2, { decision: 'Ditolak', catatan: 'Tambahkan masa berlaku.' });
	const pc = new Client(S.base);
	await pc.login('penyusun');
	page = await pc.get(`/kebijakan/${p.id}?versi=2`);
	assert.match(page.text, new RegExp(`action="/kebijakan/${p.id}/ubah"`));
	r = await as('penyusun')('PUT', `/policies/${p.id}/text`, { version: 2, text: 'a\u001b[2Jb' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /control character/);
	const V3 = V2 + '4. Berlaku 90 hari.\n';
	assert.equal((await pc.post(`/kebijakan/${p.id}/ubah`, { versi: '2', teks: V3 })).status, 303);
	assert.equal((await as('petugas')('GET', `/policies/${p.id}?version=2`)).json.text, V3);
	assert.equal((await c.post(`/kebijakan/${p.id}/ubah`, { versi: '2', teks: 'x' })).status, 403, 'a petugas writes no draft');
});

test('who may not, may not: withdrawal by the Kabid only; the list and pages for the public and staff', async () => {
	const t = await drafted('# Standar Cadangan\n\nCadangan harian.\n', {}, 'Standar Cadangan Uji');
	const p = await policyOf('Standar Cadangan Uji');
	assert.equal((await as('penyusun')('POST', `/policies/${p.id}/withdraw`, { why: 'x' })).status, 403);
	assert.equal((await as('kabid')('POST', `/policies/${p.id}/withdraw`, {})).status, 400);
	const r = await as('kabid')('POST', `/policies/${p.id}/withdraw`, { why: 'Digabung ke standar lain' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'dicabut');
	// its drafting case writes no more versions of a withdrawn policy
	await ok('kabid', t, { decision: 'Ditolak', catatan: 'x' });
	const again = await step('penyusun', t, { teks: '# lagi', draft: doc() });
	assert.equal(again.status, 409);
	assert.match(again.json.error.message, /withdrawn/);
	// staff see the library with every state; a reporter (no staff role)
	// reads what the public reads, drafts and history not
	const st = new Client(S.base);
	await st.login('petugas');
	assert.match((await st.get('/kebijakan')).text, /Pustaka kebijakan/);
	const c = new Client(S.base);
	await c.login('pelapor');
	const page = await c.get('/kebijakan');
	assert.equal(page.status, 200);
	assert.doesNotMatch(page.text, /Pustaka kebijakan|Standar Cadangan Uji/);
	assert.equal((await c.get(`/kebijakan/${p.id}?versi=1`)).status, 404);
	const l = (await as('pelapor')('GET', '/policies')).json.policies;
	assert.ok(l.every((x) => x.published_version), 'published ones only');
	assert.equal((await as('pelapor')('GET', `/policies/${p.id}`)).status, 404);
	assert.equal((await as('pelapor')('GET', '/policies/999999')).status, 404);
	const anon = new Client(S.base);
	assert.equal((await anon.get('/kebijakan/999999')).status, 404);
	assert.equal((await anon.post(`/kebijakan/${p.id}/baca`, {})).status, 401, 'a stranger acknowledges nothing');
});
