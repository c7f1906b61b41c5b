// test_risks.mjs: the risk register against a real sigap serve with the
// demo data (docs/risks.md). Its keepers enter and change risks over the
// API and the pages (CSRF on each form); the levels come from the matrix
// of [risiko] (here the 5 × 5 default); the register page draws the heat
// maps of the open risks as SVG; need-to-know holds (an agen_siber sees
// its OPD's risks only, a reporter none, another OPD's risk is 404); a
// bad value is refused with its message and nothing written; every change
// is in the risk's history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, Client, storeSql } from './server.mjs';

let S; // replaced when the server starts again on its data
const tokens = {};
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	S = await startServer('');
	for (const u of ['teknis', 'petugas', 'kabid', 'pelapor', 'agen.dinkes'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'risiko').trim();
});
after(async () => S && (await S.stop()));

// An asset of the demo's DINKES and one of another OPD.
async function demoAssets() {
	const list = (await as('kabid')('GET', '/assets?limit=200')).json.assets;
	const dinkes = list.find((a) => a.opd.abbrev === 'DINKES');
	const other = list.find((a) => a.opd.abbrev !== 'DINKES');
	assert.ok(dinkes && other, JSON.stringify(list.map((a) => a.opd.abbrev)));
	return { dinkes, other };
}

test('the matrix is the 5 × 5 default; a keeper enters a risk with its level and review date', async () => {
	const m = (await as('petugas')('GET', '/risks/matrix')).json;
	assert.equal(m.likelihood.length, 5);
	assert.deepEqual(m.levels.map((l) => l.name), ['Rendah', 'Sedang', 'Tinggi', 'Sangat Tinggi']);
	assert.equal(m.cells[4][4], 4);
	const { dinkes } = await demoAssets();
	const r = await as('teknis')('POST', '/risks', {
		title: 'Kebocoran data pasien <SIMPUS>', opd: 'DINKES', threat: 'Peretas', vulnerability: 'API terbuka',
		likelihood: 4, impact: 5, treatment: 'mitigasi', treatment_plan: 'Otentikasi API', owner: 'teknis',
		assets: [dinkes.id],
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.inherent.name, 'Sangat Tinggi');
	assert.equal(r.json.residual, null);
	assert.equal(r.json.assets[0].id, dinkes.id);
	assert.match(r.json.review, /^\d{4}-\d{2}-\d{2}$/);
	const days = (Date.parse(r.json.review) - Date.now()) / 86400e3;
	assert.ok(days > 28 && days < 31, `${days}`); // Sangat Tinggi: a month
	// the residual after treatment, and closing: each in the history
	const u = await as('kabid')('PUT', `/risks/${r.json.id}`, { residual_likelihood: 2, residual_impact: 2 });
	assert.equal(u.status, 200, u.text);
	assert.equal(u.json.residual.name, 'Rendah');
	assert.equal(u.json.history.length, 2);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM logbook WHERE object = 'risk:${r.json.id}'`).trim(), '2');
});

test('bad values are refused with their message and nothing is written; who does not keep the register enters nothing', async () => {
	const before = storeSql(S.dir, 'SELECT COUNT(*) FROM risks').trim();
	const base = { title: 'x', likelihood: 1, impact: 1, treatment: 'terima' };
	for (const [body, why] of [
		[{ ...base, likelihood: 6 }, /1 \(the lowest\) to 5/],
		[{ ...base, treatment: 'abaikan' }, /terima, mitigasi, alihkan or hindari/],
		[{ ...base, residual_likelihood: 2 }, /go together/],
		[{ ...base, review: '31/12/2026' }, /YYYY-MM-DD/],
		[{ ...base, owner: 'tidak-ada' }, /no user of sigap/],
		[{ ...base, assets: [999999] }, /no asset 999999/],
		[{ ...base, likelihood: 'dua' }, /step of the matrix/],
		[{ ...base, status: 'ditutup' }, /give no status/],
		[{ ...base, title: '' }, /title must not be empty/],
		[{ ...base, warna: 'merah' }, /warna/],
	]) {
		const r = await as('teknis')('POST', '/risks', body);
		assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.status}`);
		assert.match(r.json.error.message, why);
	}
	const denied = await as('petugas')('POST', '/risks', base);
	assert.equal(denied.status, 403);
	assert.equal(storeSql(S.dir, 'SELECT COUNT(*) FROM risks').trim(), before);
});

test('need-to-know: an agen_siber sees its OPD\'s risks only, a reporter none', async () => {
	const { other } = await demoAssets();
	const theirs = await as('teknis')('POST', '/risks', {
		title: `Situs ${other.opd.abbrev} lambat`, opd: other.opd.abbrev, likelihood: 2, impact: 2, treatment: 'terima',
		assets: [other.id],
	});
	assert.equal(theirs.status, 201, theirs.text);
	const seen = (await as('agen.dinkes')('GET', '/risks')).json.risks;
	assert.ok(seen.length >= 1 && seen.every((r) => r.opd && r.opd.abbrev === 'DINKES'), JSON.stringify(seen.map((r) => r.opd)));
	assert.equal((await as('agen.dinkes')('GET', `/risks/${theirs.json.id}`)).status, 404);
	assert.equal((await as('agen.dinkes')('PUT', `/risks/${theirs.json.id}`, { title: 'diubah' })).status, 404);
	assert.equal((await as('pelapor')('GET', `/risks/${theirs.json.id}`)).status, 404);
	assert.equal((await as('pelapor')('GET', '/risks')).json.risks.length, 0);
	// the staff read it, do not change it
	assert.equal((await as('petugas')('GET', `/risks/${theirs.json.id}`)).status, 200);
	assert.equal((await as('petugas')('PUT', `/risks/${theirs.json.id}`, { title: 'diubah' })).status, 403);
});

test('the register page draws the heat maps; a keeper enters and closes a risk through the forms (CSRF)', async () => {
	const w = new Client(S.base);
	await w.login('kabid');
	const page = await w.get('/risiko');
	assert.equal(page.status, 200);
	assert.equal((page.text.match(/<figure class="heatmap">/g) || []).length, 2);
	assert.ok((page.text.match(/<rect x=/g) || []).length >= 50, 'a cell per likelihood and impact, twice');
	assert.match(page.text, /Kebocoran data pasien &lt;SIMPUS&gt;/);
	assert.ok(!page.text.includes('<SIMPUS>'));
	await w.get('/risiko/baru');
	const form = { judul: 'Server arsip tanpa cadangan', opd: 'DINKES', kemungkinan: '3', dampak: '4', penanganan: 'mitigasi', tinjauan: '2027-01-15', aset: '' };
	assert.equal((await w.post('/risiko/baru', form, { csrf: false })).status, 403);
	const made = await w.post('/risiko/baru', form);
	assert.equal(made.status, 303, made.text.slice(0, 400));
	const id = made.location.match(/\/risiko\/(\d+)$/)[1];
	const shown = await w.get(made.location);
	assert.match(shown.text, /Server arsip tanpa cadangan/);
	assert.match(shown.text, /Tinggi/); // 3 × 4 = 12
	// a bad date is said on the form, with what was typed kept
	await w.get(`/risiko/${id}/ubah`);
	const bad = await w.post(`/risiko/${id}/ubah`, { ...form, tinjauan: 'besok' });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /TTTT-BB-HH|YYYY-MM-DD/);
	assert.match(bad.text, /value="Server arsip tanpa cadangan"/);
	await w.get(`/risiko/${id}/ubah`);
	const closed = await w.post(`/risiko/${id}/ubah`, { ...form, status: 'ditutup' });
	assert.equal(closed.status, 303);
	const r = (await as('kabid')('GET', `/risks/${id}`)).json;
	assert.equal(r.status, 'ditutup');
	// a closed risk leaves the open list and its map
	const open = (await as('kabid')('GET', '/risks?status=aktif')).json.risks;
	assert.ok(!open.some((x) => String(x.id) === id));
	// the dashboard shows the map of the open risks to who reads them
	assert.match((await w.get('/dasbor')).text, /<section class="panel" id="risiko">[\s\S]*<figure class="heatmap">/);
	const citizen = new Client(S.base);
	await citizen.login('pelapor');
	assert.ok(!(await citizen.get('/dasbor')).text.includes('id="risiko"'));
	// who does not keep the register gets no form
	const p = new Client(S.base);
	await p.login('petugas');
	assert.equal((await p.get('/risiko/baru')).status, 403);
	assert.equal((await p.get(`/risiko/${id}/ubah`)).status, 403);
});

test('the catalogue of controls: shipped frameworks over the API and on its page', async () => {
	const all = (await as('petugas')('GET', '/controls')).json.frameworks;
	assert.deepEqual(all.map((f) => f.framework).sort(), ['bssn-4-2021', 'indeks-kami-4']);
	const found = (await as('pelapor')('GET', '/controls?framework=indeks-kami-4&q=risiko')).json.frameworks;
	assert.equal(found.length, 1);
	assert.ok(found[0].controls.some((c) => c.id === 'III'), JSON.stringify(found));
	assert.equal((await as('petugas')('GET', '/controls?framework=iso')).status, 404);
	assert.equal((await api(S.base)('GET', '/controls')).status, 401);
	const w = new Client(S.base);
	await w.login('petugas');
	const page = await w.get('/kontrol?q=%3Cscript%3E');
	assert.equal(page.status, 200);
	assert.ok(!page.text.includes('<script>'), 'the search is escaped');
	assert.match((await w.get('/kontrol')).text, /Peraturan BSSN No\. 4 Tahun 2021/);
});

test('an agen_siber sees no other OPD\'s asset through a risk; a retired asset stays linked; a smaller matrix keeps what it cannot rate', async () => {
	const { dinkes, other } = await demoAssets();
	const r = await as('kabid')('POST', '/risks', {
		title: 'Risiko lintas OPD', opd: 'DINKES', likelihood: 5, impact: 5, treatment: 'mitigasi',
		residual_likelihood: 4, residual_impact: 4, assets: [dinkes.id, other.id],
	});
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	const seen = (await as('agen.dinkes')('GET', `/risks/${id}`)).json;
	assert.deepEqual(seen.assets.map((a) => a.id), [dinkes.id]);
	assert.equal(seen.assets_of_other_opd, 1);
	// the other OPD's asset retired: the risk keeps it and can still be changed
	S.cli('asset', 'retire', String(other.id), '--reason', 'diganti');
	const kept = await as('kabid')('PUT', `/risks/${id}`, { assets: [dinkes.id, other.id], description: 'tetap' });
	assert.equal(kept.status, 200, kept.text);
	assert.ok(kept.json.assets.some((a) => a.id === other.id && a.retired));
	// a 3 × 3 matrix: the 5 × 5 risk is outside it, said so, and a change
	// of its description through the form leaves its steps and residual
	await S.stop();
	const { appendFileSync } = await import('node:fs');
	appendFileSync(`${S.dir}/sigap.conf`, '[risiko]\nkemungkinan = Jarang, Mungkin, Sering\ndampak = Kecil, Sedang, Besar\n' +
		'level = Rendah, Sedang, Tinggi\nmatriks = 1 1 2 / 1 2 3 / 2 3 3\ntinjauan = 365, 90, 30\n');
	S = await startServer('', [], S.dir);
	for (const u of Object.keys(tokens)) tokens[u] = S.cli('token', 'new', u, '--name', 'risiko2').trim();
	const list = (await as('kabid')('GET', '/risks')).json;
	assert.ok(list.outside_matrix >= 1, JSON.stringify(list.outside_matrix));
	const w = new Client(S.base);
	await w.login('kabid');
	assert.match((await w.get('/risiko')).text, /class="notice error"/);
	const form = await w.get(`/risiko/${id}/ubah`);
	assert.match(form.text, /<option value="5" selected>5\. \?<\/option>/);
	assert.match(form.text, /name="kemungkinan_residual"[^]*?<option value="4" selected>4\. \?<\/option>/);
	assert.match(form.text, /name="asal_kr" value="4"/);
	const sent = await w.post(`/risiko/${id}/ubah`, {
		judul: 'Risiko lintas OPD', uraian: 'diubah lewat formulir', opd: 'DINKES', aset: `${dinkes.id}, ${other.id}`,
		kemungkinan: '5', dampak: '5', kemungkinan_residual: '4', dampak_residual: '4', penanganan: 'mitigasi',
		asal_k: '5', asal_d: '5', asal_kr: '4', asal_dr: '4', status: 'aktif', tinjauan: '',
	});
	assert.equal(sent.status, 303, sent.text.slice(0, 300));
	const after = (await as('kabid')('GET', `/risks/${id}`)).json;
	assert.equal(after.description, 'diubah lewat formulir');
	assert.equal(after.likelihood.step, 5);
	assert.equal(after.impact.step, 5);
	assert.equal(after.residual.likelihood.step, 4, 'the residual stays as it was');
});
