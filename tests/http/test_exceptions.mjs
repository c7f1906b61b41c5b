// test_exceptions.mjs: exceptions to the ISMS against a real sigap serve
// with the demo data (docs/exceptions.md). A case of SOP pengecualian
// makes its exception as it runs: the request (on the applicant's behalf,
// with the letter) makes it, the risk analysis links risks of the
// register, the Kepala Dinas approves it for a period; it is then in
// force on /pengecualian and the API. Refusals come back with their
// message and leave the step undone; a change on the page (CSRF) voids
// the approval and opens a new case linked to the old; the kabid revokes;
// an agen_siber of another OPD sees nothing of it, a reporter neither.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, Client, storeSql } from './server.mjs';
import { dayFromNow } from './walk.mjs';

let S;
const tokens = {};
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	S = await startServer('');
	for (const u of ['teknis', 'kadis', 'kabid', 'petugas', 'pelapor', 'agen.dinkes', 'agen.disdik'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'pengecualian').trim();
});
after(async () => S && (await S.stop()));

async function dinkesAsset() {
	const list = (await as('kabid')('GET', '/assets?limit=200')).json.assets;
	const a = list.find((x) => x.opd.abbrev === 'DINKES');
	assert.ok(a);
	return a;
}

// A case about the asset, its request done on the applicant's behalf.
async function requested(until, extra = {}) {
	const asset = await dinkesAsset();
	let r = await as('teknis')('POST', '/cases', { procedure: 'pengecualian', title: 'Pengecualian 2FA SIMPUS', fields: { sistem: 'SIMPUS', aset: String(asset.id) } });
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	const fd = new FormData();
	fd.set('on_behalf', 'Kepala Dinas Kesehatan');
	fd.set('channel', 'surat');
	const v = { kontrol: 'indeks-kami-4:III, bssn-4-2021:MKI-5', alasan: 'Aplikasi lama belum mendukung 2FA', kompensasi: 'Akses hanya lewat VPN; log dipantau', berlaku_sampai: until, ...extra };
	for (const [k, x] of Object.entries(v)) fd.set(k, x);
	fd.set('surat_permohonan', new Blob(['%PDF-1.4 surat']), 'surat.pdf');
	r = await as('teknis')('POST', `/cases/${t}/steps`, fd);
	return { t, r, asset };
}

async function riskId(title) {
	const r = await as('teknis')('POST', '/risks', { title, likelihood: 4, impact: 3, treatment: 'terima', opd: 'DINKES' });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

async function exceptionOf(ticket) {
	const l = (await as('kabid')('GET', '/exceptions?view=semua')).json.exceptions;
	return l.find((x) => x.case.ticket === ticket);
}

test('the life through the API: request, risks, approval, in force; the refusals say why and leave the step undone', async () => {
	const controls = (await as('petugas')('GET', '/controls')).json.frameworks.map((f) => f.framework);
	assert.ok(controls.includes('bssn-4-2021'), controls.join());
	// a control that is not in the catalogue, an end already past
	let { t, r } = await requested(dayFromNow(60), { kontrol: 'A.9.4.2' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /not in the catalogue/);
	assert.equal(await exceptionOf(t), undefined);
	({ t, r } = await requested('2020-01-01'));
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /day already past/);
	({ t, r } = await requested(dayFromNow(200)));
	assert.equal(r.status, 200, r.text);
	let x = await exceptionOf(t);
	assert.equal(x.state, 'diajukan');
	const id = x.id;
	const whole = (await as('teknis')('GET', `/exceptions/${id}`)).json;
	assert.deepEqual(whole.controls.map((c) => c.ref), ['bssn-4-2021:MKI-5', 'indeks-kami-4:III']);
	assert.equal(whole.assets.length, 1);
	// the risk analysis: a risk that is not in the register
	r = await as('teknis')('POST', `/cases/${t}/steps`, { values: { risiko: '999999', rekomendasi: 'Terima' } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /no risk 999999/);
	const r1 = await riskId('Akun diambil alih tanpa 2FA'), r2 = await riskId('Sesi dibajak');
	r = await as('teknis')('POST', `/cases/${t}/steps`, { values: { risiko: `${r1}, ${r2}`, rekomendasi: 'Terima dengan kompensasi' } });
	assert.equal(r.status, 200, r.text);
	// the decision: beyond twelve months, then in the past: refused
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', values: { berlaku_sampai: dayFromNow(400) } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /12 months at most/);
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', values: { berlaku_sampai: '2021-01-01' } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /in the past/);
	assert.equal((await exceptionOf(t)).state, 'diajukan');
	assert.equal((await as('kadis')('GET', `/cases/${t}`)).json.current_step.no, 3);
	r = await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', values: { berlaku_sampai: dayFromNow(100), catatan_persetujuan: 'Setuju dengan kompensasi' } });
	assert.equal(r.status, 200, r.text);
	x = (await as('teknis')('GET', `/exceptions/${id}`)).json;
	assert.equal(x.state, 'berlaku');
	assert.equal(x.until, dayFromNow(100));
	assert.equal(x.risks.length, 2);
	assert.equal(x.decided_by, 'kadis');
	assert.ok(x.days_left >= 99 && x.days_left <= 101, String(x.days_left));
	assert.equal(x.alerts.total, 0);
	assert.deepEqual(x.history.map((h) => h.action).sort(), ['exception.approve', 'exception.request', 'exception.risks']);
	const l = (await as('kabid')('GET', '/exceptions')).json;
	assert.equal(l.view, 'berlaku');
	assert.ok(l.exceptions.some((e) => e.id === id));
	assert.equal((await as('kabid')('GET', '/exceptions?view=selamanya')).status, 400);
	// need-to-know: DINKES' agent reads it, DISDIK's and a reporter do not
	assert.equal((await as('agen.dinkes')('GET', `/exceptions/${id}`)).status, 200);
	assert.equal((await as('agen.disdik')('GET', `/exceptions/${id}`)).status, 404);
	assert.equal((await as('pelapor')('GET', `/exceptions/${id}`)).status, 404);
	assert.equal((await as('agen.disdik')('GET', '/exceptions?view=semua')).json.exceptions.length, 0);
	// who may not change or revoke is told so; nothing changes
	r = await as('petugas')('PUT', `/exceptions/${id}`, { until: dayFromNow(120), why: 'x' });
	assert.equal(r.status, 403);
	r = await as('teknis')('POST', `/exceptions/${id}/revoke`, { why: 'x' });
	assert.equal(r.status, 403);
	assert.equal((await as('teknis')('GET', `/exceptions/${id}`)).json.state, 'berlaku');
});

test('the pages: the list by view, the exception, a change on its form voids the approval and opens a linked case; the kabid revokes', async () => {
	let { t, r } = await requested(dayFromNow(150));
	assert.equal(r.status, 200, r.text);
	const rid = await riskId('Risiko halaman');
	assert.equal((await as('teknis')('POST', `/cases/${t}/steps`, { values: { risiko: String(rid), rekomendasi: 'Terima' } })).status, 200);
	assert.equal((await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', values: { berlaku_sampai: dayFromNow(20) } })).status, 200);
	const id = (await exceptionOf(t)).id;
	const c = new Client(S.base);
	await c.login('teknis');
	let p = await c.get('/pengecualian?tampil=segera');
	assert.equal(p.status, 200);
	assert.match(p.text, /Pengecualian SMKI/);
	assert.match(p.text, new RegExp(`href="/pengecualian/${id}"`));
	assert.match(p.text, /Berakhir dalam 30 hari \(\d+\)/);
	p = await c.get(`/pengecualian/${id}`);
	assert.equal(p.status, 200);
	assert.match(p.text, /Berlaku/);
	assert.match(p.text, /indeks-kami-4:III/);
	assert.match(p.text, /Risiko halaman/);
	assert.match(p.text, /Peringatan pada aset yang dikecualikan sejak persetujuan/);
	assert.match(p.text, new RegExp(`href="/pengecualian/${id}/ubah"`));
	assert.doesNotMatch(p.text, /\/cabut"/, 'the tim_teknis does not revoke');
	// the case's page shows its exception and the watch of step 5
	const cp = await c.get(`/kasus/${t}`);
	assert.match(cp.text, new RegExp(`id="pengecualian"[\\s\\S]*href="/pengecualian/${id}"`));
	assert.match(cp.text, /Peringatan pada aset yang dikecualikan sejak persetujuan/);
	// the worklist of who may have it changed lists it: it ends within 30 days
	const w = await c.get('/tugas');
	assert.match(w.text, new RegExp(`id="pengecualian-berakhir"[\\s\\S]*href="/pengecualian/${id}"`));
	assert.ok((await as('teknis')('GET', '/me/tasks')).json.exceptions_ending.some((x) => x.id === id));
	assert.equal((await as('petugas')('GET', '/me/tasks')).json.exceptions_ending.length, 0);
	// the change without its CSRF token is refused
	const plain = await c.req('POST', `/pengecualian/${id}/ubah`, { body: new URLSearchParams({ sampai: dayFromNow(60), alasan: 'x' }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal(plain.status, 403);
	// nothing changed: said on the form
	let f = await c.post(`/pengecualian/${id}/ubah`, { kontrol: 'indeks-kami-4:III, bssn-4-2021:MKI-5', klausul: '', temuan: '', sampai: dayFromNow(20), alasan: 'Sama saja' });
	assert.equal(f.status, 400);
	assert.match(f.text, /tidak ada yang berubah/);
	f = await c.post(`/pengecualian/${id}/ubah`, { kontrol: 'indeks-kami-4:III', klausul: '', temuan: '', sampai: dayFromNow(60), alasan: 'Migrasi tertunda' });
	assert.equal(f.status, 303, f.text);
	const newId = Number(f.headers.get('location').split('/').pop());
	assert.ok(newId > id);
	const old = (await as('teknis')('GET', `/exceptions/${id}`)).json;
	assert.equal(old.state, 'dicabut');
	assert.equal(old.replaced_by, newId);
	const nw = (await as('teknis')('GET', `/exceptions/${newId}`)).json;
	assert.equal(nw.state, 'diajukan');
	assert.equal(nw.replaces, id);
	assert.equal(nw.requested_until, dayFromNow(60));
	assert.equal(nw.risks.length, 1);
	assert.notEqual(nw.case.ticket, t);
	// the new case is linked to the old and drafted with the change
	const nc = (await as('teknis')('GET', `/cases/${nw.case.ticket}`)).json;
	assert.equal(nc.current_step.no, 1);
	assert.ok(nc.links.some((k) => k.ticket === t && k.kind === 'pengajuan_ulang'), JSON.stringify(nc.links));
	// the old one's page says what replaced it
	p = await c.get(`/pengecualian/${id}`);
	assert.match(p.text, /Digantikan oleh/);
	// the kabid revokes an approved one on its page
	({ t, r } = await requested(dayFromNow(30)));
	await as('teknis')('POST', `/cases/${t}/steps`, { values: { risiko: String(rid), rekomendasi: 'Terima' } });
	await as('kadis')('POST', `/cases/${t}/steps`, { decision: 'Disetujui', values: {} });
	const third = (await exceptionOf(t)).id;
	const k = new Client(S.base);
	await k.login('kabid');
	p = await k.get(`/pengecualian/${third}`);
	assert.match(p.text, new RegExp(`action="/pengecualian/${third}/cabut"`));
	f = await k.post(`/pengecualian/${third}/cabut`, { alasan: 'Sistem dihentikan' });
	assert.equal(f.status, 303);
	const gone = (await as('kabid')('GET', `/exceptions/${third}`)).json;
	assert.equal(gone.state, 'dicabut');
	// a revoked one is not changed: said as its state, not as a right
	const again = await k.get(`/pengecualian/${third}/ubah`);
	assert.equal(again.status, 409);
	assert.match(again.text, /Hanya pengecualian yang telah disetujui/);
	const stranger = new Client(S.base);
	await stranger.login('petugas');
	assert.equal((await stranger.get(`/pengecualian/${third}/ubah`)).status, 403);
	assert.equal((await stranger.get(`/pengecualian/+${third}`)).status, 404, 'one way to write a number');
	assert.equal(gone.end_reason, 'Sistem dihentikan');
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM logbook WHERE object = 'exception:${third}' AND action = 'exception.revoke'`).trim(), '1');
	// an agen of another OPD: the page is not found
	const d = new Client(S.base);
	await d.login('agen.disdik');
	assert.equal((await d.get(`/pengecualian/${third}`)).status, 404);
});
