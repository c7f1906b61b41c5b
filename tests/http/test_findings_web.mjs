// test_findings_web.mjs: the findings pages as a person uses them, against
// a real `sigap serve`: a scanner report's own upload limit ([kerentanan]
// max_report_size, beside a smaller [evidence] max_size) and its refusal
// saying how to import a larger one; parser refusals and states in
// Indonesian words; the asset's number shown where forms ask for it; the
// list's default (open findings) and pages past its end; the OPD report's
// chooser; what an agen_siber sees of reports and of other OPDs; history
// lines that say what changed; the import's summary in words; a case
// attached to an asset from its page.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api, Client } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNERS = join(ROOT, 'tests/data/vuln/scanners');
const WEB = join(ROOT, 'tests/data/vuln/web');

let S;
const tokens = {};
const USERS = ['ttis', 'petugas', 'kabid', 'agen.dinkes', 'agen.disdik', 'admin'];
const as = (u) => api(S.base, tokens[u]);
const assets = {};

// A Nuclei report of n results on host, padded to about bytes.
function nucleiReport(host, n, pad = 0) {
	const lines = [];
	for (let i = 0; i < n; i++)
		lines.push(JSON.stringify({
			'template-id': `uji-${i}`, info: { name: `Uji ${i}`, severity: 'medium', description: 'x'.repeat(pad) },
			type: 'http', host: `http://${host}`, 'matched-at': `http://${host}/uji/${i}`,
		}));
	return lines.join('\n') + '\n';
}

async function importBody(user, body, name, query = '') {
	const res = await fetch(`${S.base}/api/v1/findings/import?filename=${encodeURIComponent(name)}${query}`, {
		method: 'POST', body, headers: { Authorization: `Bearer ${tokens[user]}`, 'Content-Type': 'application/octet-stream' },
	});
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, json, text };
}

function upload(c, name, bytes, fields = {}) {
	const fd = new FormData();
	fd.set('report', new Blob([bytes]), name);
	for (const [k, v] of Object.entries(fields)) fd.set(k, v);
	return c.postMultipart('/kerentanan/impor', fd);
}

before(async () => {
	// evidence files at most 16 KiB, scanner reports 64 KiB: a report between
	// the two is taken and kept
	S = await startServer('[evidence]\nmax_size = 16K\n[kerentanan]\nmax_report_size = 64K\n');
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'web').trim();
	for (const [key, opd, addr] of [['portal', 'DINKES', '192.0.2.40'], ['gmp', 'DISDIK', '192.0.2.10']]) {
		const r = await as('ttis')('POST', '/assets', { opd, name: `Uji ${key}`, kind: 'server', addresses: [addr] });
		assert.equal(r.status, 201, r.text);
		assets[key] = r.json.id;
	}
});
after(async () => { if (S) await S.stop(); });

test('a scanner report has its own upload limit; over it, a page and an error that say the limit and the command', async () => {
	const mid = nucleiReport('192.0.2.40', 40, 600); // over 16 KiB, under 64 KiB
	assert.ok(mid.length > 16 * 1024 && mid.length < 64 * 1024, String(mid.length));
	const ok = await importBody('ttis', mid, 'tengah.jsonl');
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.results, 40);
	const big = nucleiReport('192.0.2.40', 120, 600);
	assert.ok(big.length > 64 * 1024);
	const refused = await importBody('ttis', big, 'besar.jsonl');
	assert.equal(refused.status, 413, refused.text);
	assert.equal(refused.json.error.code, 'too_large');
	assert.match(refused.json.error.message, /64 KiB, \[kerentanan\] max_report_size/);
	assert.match(refused.json.error.message, /sigap vuln import FILE/);
	// sent without its length (chunked): stopped as it grows past the limit
	const chunked = await fetch(`${S.base}/api/v1/findings/import?filename=besar.jsonl`, {
		method: 'POST', duplex: 'half',
		body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }),
		headers: { Authorization: `Bearer ${tokens.ttis}`, 'Content-Type': 'application/octet-stream' },
	});
	assert.equal(chunked.status, 413);
	assert.match((await chunked.json()).error.message, /max_report_size/);
	// the page: the limit said beside the file, the refusal in Indonesian
	const c = new Client(S.base);
	await c.login('petugas');
	const form = await c.get('/kerentanan/impor');
	assert.match(form.text, /id="i-report-limit">Paling besar 64 KiB\. .*sigap vuln import/);
	const page = await upload(c, 'tengah2.jsonl', nucleiReport('192.0.2.40', 40, 610));
	assert.equal(page.status, 200, page.text.slice(0, 600));
	assert.match(page.text, /id="import-summary"/);
	const over = await upload(c, 'besar.jsonl', big);
	assert.equal(over.status, 413);
	assert.match(over.text, /Laporan terlalu besar/);
	assert.match(over.text, /64 KiB, \[kerentanan\] max_report_size/);
	assert.match(over.text, /sigap vuln import/);
	// other uploads keep [evidence] max_size
	assert.equal((await as('ttis')('GET', '/findings/imports')).json.total, 2);
});

// A form with a field given more than once (the list's check boxes).
function postPairs(c, path, pairs) {
	const p = new URLSearchParams();
	p.set('csrf', c.csrf);
	for (const [k, v] of pairs) p.append(k, v);
	return c.req('POST', path, { body: p.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

async function findingBy(title) {
	const r = await as('ttis')('GET', '/findings?limit=1000&q=' + encodeURIComponent(title));
	const f = r.json.findings.find((x) => x.title === title);
	assert.ok(f, `finding "${title}"`);
	return f;
}

test('refusals in Indonesian: a parser\'s, and a decision\'s with the states in words', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	await c.get('/kerentanan/impor');
	const xxe = await upload(c, 'xxe.xml', readFileSync(join(SCANNERS, 'xxe.xml')));
	assert.equal(xxe.status, 400);
	assert.match(xxe.text, /xxe\.xml:6: mendeklarasikan entitas XML \(&lt;!ENTITY\): ditolak/);
	const csv = await upload(c, 'bad.csv', readFileSync(join(SCANNERS, 'bad.csv')), { scanner: 'openvas' });
	assert.equal(csv.status, 400);
	assert.doesNotMatch(csv.text, /class="notice error"[^>]*>[^<]*(not|without|never|more than) /, csv.text.match(/class="notice error"[^>]*>[^<]*/)?.[0]);
	// a decision the finding may not take: the states in words, not codes
	const a = await findingBy('Uji 1'), b = await findingBy('Uji 2');
	await c.login('ttis');
	await c.get(`/kerentanan/${a.id}`);
	const fp = await c.post(`/kerentanan/${a.id}/keputusan`, { state: 'positif_palsu', reason: 'uji' });
	assert.equal(fp.status, 303, fp.text.slice(0, 300));
	await c.get(`/kerentanan/${a.id}`);
	const one = await c.post(`/kerentanan/${a.id}/keputusan`, { state: 'terverifikasi' });
	assert.equal(one.status, 409);
	assert.match(one.text, new RegExp(`temuan ${a.id} berstatus Positif palsu dan tidak dapat menjadi Terverifikasi; dari Positif palsu statusnya dapat menjadi: Dibuka kembali`));
	assert.doesNotMatch(one.text, /positif_palsu dan|dibuka_kembali</);
	await c.get('/kerentanan');
	const many = await postPairs(c, '/kerentanan', [['id', b.id], ['id', a.id], ['state', 'terverifikasi']]);
	assert.equal(many.status, 409);
	assert.match(many.text, new RegExp(`tidak ada yang diputuskan: temuan ${a.id} berstatus Positif palsu`));
	// English readers get the words too
	const en = await c.get(`/kerentanan/${a.id}?lang=en`);
	assert.equal(en.status, 200);
	await c.get(`/kerentanan/${a.id}`);
	const one_en = await c.req('POST', `/kerentanan/${a.id}/keputusan?lang=en`, {
		body: new URLSearchParams({ csrf: c.csrf, state: 'terverifikasi' }).toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	});
	assert.match(one_en.text, new RegExp(`finding ${a.id} is False positive and cannot become Verified`));
});

test('the asset\'s number, which the forms ask for, is on the register and the asset\'s page', async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	const list = await c.get('/aset');
	assert.match(list.text, new RegExp(`<td class="num" data-asset-number>${assets.portal}</td><td><a href="/aset/${assets.portal}">Uji portal</a>`));
	assert.match(list.text, /<th[^>]*>Nomor aset<\/th>/);
	const one = await c.get(`/aset/${assets.portal}`);
	assert.match(one.text, new RegExp(`<dt>Nomor aset</dt><dd id="asset-number">${assets.portal}</dd>`));
});

test('the list shows open findings unless asked for all; a page past the end shows the last', async () => {
	const all = (await as('ttis')('GET', '/findings?limit=1')).json.total;
	const open = (await as('ttis')('GET', '/findings?limit=1&state=open')).json.total;
	assert.ok(open < all, `${open} open of ${all}`);
	const c = new Client(S.base);
	await c.login('ttis');
	const page = await c.get('/kerentanan');
	assert.match(page.text, new RegExp(`id="findings-total">${open} temuan terbuka`));
	assert.match(page.text, /<option value="open" selected>Terbuka/);
	assert.match(page.text, /id="findings-all-states" href="\/kerentanan\?state=all"/);
	assert.doesNotMatch(page.text, />Positif palsu<\/td>/);
	const every = await c.get('/kerentanan?state=all');
	assert.match(every.text, new RegExp(`id="findings-total">${all} temuan`));
	assert.match(every.text, />Positif palsu<\/td>/);
	assert.match(every.text, /<option value="all" selected>/);
	// the filters stay in the link to every state
	const q = await c.get('/kerentanan?q=Uji&sort=severity');
	assert.match(q.text, /id="findings-all-states" href="\/kerentanan\?q=Uji&amp;sort=severity&amp;state=all"/);
	// past the end: the last page, not an empty table
	const far = await c.get('/kerentanan?state=all&hal=99');
	assert.equal(far.status, 200);
	assert.match(far.text, /<input type="checkbox" name="id"/);
	assert.doesNotMatch(far.text, /rel="next"/);
	// one finding: "1 finding", not "1 findings"
	const en = await c.get(`/kerentanan?q=${encodeURIComponent('Uji 17')}&lang=en`);
	assert.match(en.text, /id="findings-total">1 open finding /);
});

test('the OPD report without an OPD: the staff choose one, an agen_siber goes to its own', async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	const list = await c.get('/kerentanan');
	assert.match(list.text, /id="opd-report"/);
	const choose = await c.get('/kerentanan/laporan');
	assert.equal(choose.status, 200);
	assert.match(choose.text, /<a href="\/kerentanan\/laporan\?opd=DINKES">[^<]*\(DINKES\)<\/a>/);
	assert.match(choose.text, /<a href="\/kerentanan\/laporan\?opd=DISDIK">/);
	assert.equal((await c.get('/kerentanan/laporan?opd=DINKES')).status, 200);
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	const own = await a.get('/kerentanan/laporan');
	assert.equal(own.status, 303);
	assert.equal(own.location, '/kerentanan/laporan?opd=DINKES');
	assert.match((await a.get('/kerentanan')).text, /id="opd-report"/);
	// who prints no report: as before, nothing there, and no button
	const n = new Client(S.base);
	await n.login('admin');
	assert.equal((await n.get('/kerentanan/laporan')).status, 404);
	assert.doesNotMatch((await n.get('/kerentanan')).text, /id="opd-report"/);
});

test('a report file: the staff open it from the finding; an agen_siber gets no link it cannot open', async () => {
	const f = await findingBy('Uji 3');
	const one = (await as('ttis')('GET', `/findings/${f.id}`)).json;
	const sha = one.last_import.sha256;
	const c = new Client(S.base);
	await c.login('ttis');
	const page = await c.get(`/kerentanan/${f.id}`);
	assert.match(page.text, new RegExp(`<a href="/bukti/${sha}">tengah2\\.jsonl</a>`));
	const file = await c.get(`/bukti/${sha}`);
	assert.equal(file.status, 200);
	assert.match(file.text, /"template-id":"uji-0"/);
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	const seen = await a.get(`/kerentanan/${f.id}`);
	assert.equal(seen.status, 200);
	assert.doesNotMatch(seen.text, /href="\/bukti\//);
	assert.match(seen.text, /tengah2\.jsonl/);
	assert.equal((await a.get(`/bukti/${sha}`)).status, 404);
	assert.equal((await as('agen.dinkes')('GET', `/evidence/${sha}`)).status, 404);
	// nor the file's hash in the API: the file's name and when, no more
	const theirs = (await as('agen.dinkes')('GET', `/findings/${f.id}`)).json;
	assert.equal(theirs.last_import.filename, 'tengah2.jsonl');
	assert.equal(theirs.last_import.sha256, undefined);
	assert.equal(theirs.first_import.sha256, undefined);
});

test('what an agen_siber sees of other OPDs: names and abbreviations, not their head or contact', async () => {
	for (const [opd, head] of [['DINKES', 'Kepala Dinkes'], ['DISDIK', 'Kepala Disdik']]) {
		const r = await as('kabid')('PUT', `/opd/${opd}`, { head, contact: `${opd.toLowerCase()}@contoh.go.id` });
		assert.equal(r.status, 200, r.text);
	}
	const other = await as('agen.dinkes')('GET', '/opd/DISDIK');
	assert.equal(other.status, 200);
	assert.equal(other.json.abbrev, 'DISDIK');
	assert.ok(other.json.name);
	for (const k of ['head', 'contact', 'user_names', 'assets', 'users'])
		assert.equal(other.json[k], undefined, k);
	const own = await as('agen.dinkes')('GET', '/opd/DINKES');
	assert.equal(own.json.head, 'Kepala Dinkes');
	assert.equal(own.json.contact, 'dinkes@contoh.go.id');
	const list = (await as('agen.dinkes')('GET', '/opd')).json.opd;
	assert.equal(list.find((o) => o.abbrev === 'DISDIK').head, undefined);
	assert.equal(list.find((o) => o.abbrev === 'DINKES').head, 'Kepala Dinkes');
	// the staff see every OPD whole
	assert.equal((await as('ttis')('GET', '/opd/DISDIK')).json.head, 'Kepala Disdik');
	assert.equal((await as('ttis')('GET', '/opd')).json.opd.find((o) => o.abbrev === 'DISDIK').contact, 'disdik@contoh.go.id');
});

test('a history line that changes no state says what changed: attached to an asset', async () => {
	const r = await importBody('ttis', nucleiReport('192.0.2.99', 1).replace('Uji 0', 'Uji lepas'), 'lepas.jsonl');
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.unmatched, 1);
	const f = await findingBy('Uji lepas');
	const c = new Client(S.base);
	await c.login('ttis');
	await c.get(`/kerentanan/${f.id}`);
	const at = await c.post(`/kerentanan/${f.id}/aset`, { asset: String(assets.portal) });
	assert.equal(at.status, 303, at.text.slice(0, 300));
	const page = await c.get(`/kerentanan/${f.id}`);
	assert.match(page.text, new RegExp(`<td colspan="2" class="history-change">Dikaitkan ke aset <a href="/aset/${assets.portal}">Uji portal \\(${assets.portal}\\)</a></td>`));
	assert.doesNotMatch(page.text, /<td>Baru<\/td><td>Baru<\/td>/);
	// the state's own line stays as it was: from nothing to Baru
	assert.match(page.text, /<td>—<\/td><td>Baru<\/td>/);
});

test('the import summary says what was skipped and why', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	await c.get('/kerentanan/impor');
	const wp = await upload(c, 'wpscan.json', readFileSync(join(SCANNERS, 'wpscan.json')));
	assert.equal(wp.status, 200, wp.text.slice(0, 400));
	assert.match(wp.text, /<dt>Dilewati: interesting findings WPScan \(header, robots\.txt, XML-RPC, berkas readme\) adalah pengamatan, bukan kerentanan; semuanya tetap ada dalam laporan yang disimpan<\/dt><dd data-count="skipped">2<\/dd>/);
	const nm = await upload(c, 'nmap.xml', readFileSync(join(SCANNERS, 'nmap.xml')));
	assert.match(nm.text, /<dt>Dilewati: host yang mati dan port yang tidak terbuka<\/dt>/);
});

test('a case attached to an asset from its page: the form for the CSIRT\'s staff, with CSRF; the assets shown', async () => {
	const report = { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'portal', uraian_kejadian: 'uji aset' };
	const r = await as('petugas')('POST', '/cases', { procedure: 'insiden', title: 'Kasus aset', fields: report });
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	const c = new Client(S.base);
	await c.login('petugas');
	const before = await c.get(`/kasus/${ticket}`);
	assert.equal(before.status, 200);
	assert.match(before.text, new RegExp(`<form method="post" class="inline" id="case-asset-form" action="/kasus/${ticket}/aset">`));
	// the asset is chosen by name: the field offers the register's assets (number, name, OPD)
	assert.match(before.text, /<input type="number" min="1" id="case-asset" name="asset" list="case-asset-choices" required>/);
	assert.match(before.text, new RegExp(`<datalist id="case-asset-choices">[^]*<option value="${assets.portal}" label="Uji portal \\(DINKES\\)">[^]*</datalist>`));
	assert.match(before.text, new RegExp(`<option value="${assets.gmp}" label="Uji gmp \\(DISDIK\\)">`));
	// no CSRF token: refused, nothing attached
	const forged = await c.post(`/kasus/${ticket}/aset`, { asset: String(assets.portal) }, { csrf: false });
	assert.equal(forged.status, 403);
	assert.equal((await as('petugas')('GET', `/cases/${ticket}`)).json.assets.length, 0);
	const bad = await c.post(`/kasus/${ticket}/aset`, { asset: 'x' });
	assert.equal(bad.status, 400);
	await c.get(`/kasus/${ticket}`);
	const ok = await c.post(`/kasus/${ticket}/aset`, { asset: String(assets.portal) });
	assert.equal(ok.status, 303, ok.text.slice(0, 400));
	assert.equal(ok.location, `/kasus/${ticket}?ok=1#aset`);
	const after = await c.get(ok.location);
	assert.match(after.text, new RegExp(`<a href="/aset/${assets.portal}">Uji portal</a></td><td>DINKES</td><td>ditautkan manual · petugas`));
	assert.deepEqual((await as('petugas')('GET', `/cases/${ticket}`)).json.assets.map((a) => a.id), [assets.portal]);
	// the OPD's agent now sees the case, its asset, and no form
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	const seen = await a.get(`/kasus/${ticket}`);
	assert.equal(seen.status, 200);
	assert.match(seen.text, /Uji portal/);
	assert.doesNotMatch(seen.text, /id="case-asset-form"/);
	assert.doesNotMatch(seen.text, /<datalist/);
	const refused = await a.post(`/kasus/${ticket}/aset`, { asset: String(assets.gmp) });
	assert.ok(refused.status === 403 || refused.status === 404, String(refused.status));
	assert.deepEqual((await as('petugas')('GET', `/cases/${ticket}`)).json.assets.map((x) => x.id), [assets.portal]);
});
