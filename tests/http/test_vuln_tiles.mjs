// test_vuln_tiles.mjs: the dashboard's vulnerability tiles and the
// printable vulnerability report per OPD on a real `sigap serve`, after a
// Nuclei report imported on the demo's register: CSIRT staff see every
// OPD (and the findings no asset holds), an OPD's agen_siber its own OPD
// only, anyone else none; the report is the staff's for any OPD and the
// agent's for its own (another OPD's is 404).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeSql } from './server.mjs';

let S;
const tokens = {};
const nuclei = (id, sev, host, cves = []) => JSON.stringify({
	'template-id': id,
	info: { name: `Test ${id}`, severity: sev, remediation: `Fix ${id}.`, classification: { 'cve-id': cves } },
	type: 'http', host, 'matched-at': `${host}/${id}`, timestamp: '2026-11-30T10:05:00Z',
});
before(async () => {
	S = await startServer();
	const report = join(S.dir, 'scan.jsonl');
	writeFileSync(report, [
		nuclei('kev-sqli', 'critical', 'https://simpus.contohkab.go.id', ['CVE-2026-90001']),
		nuclei('old-tls', 'high', 'https://simpus.contohkab.go.id'),
		nuclei('portal-rce', 'critical', 'https://www.contohkab.go.id'),
		nuclei('portal-xss', 'high', 'https://www.contohkab.go.id'),
		nuclei('portal-dirlist', 'high', 'https://www.contohkab.go.id'),
		nuclei('stray-rce', 'critical', 'https://192.0.2.99'),
		nuclei('simpus-banner', 'low', 'https://simpus.contohkab.go.id'),
	].join('\n') + '\n');
	const intel = join(new URL('../..', import.meta.url).pathname, 'tests/data/vuln/intel/kev.csv');
	S.cli('vuln', 'intel', 'import', intel);
	S.cli('vuln', 'import', report);
	const id = (key) => storeSql(S.dir, `SELECT id FROM findings WHERE vuln_key LIKE '%${key}%'`).trim();
	S.cli('vuln', 'decide', id('portal-dirlist'), 'diperbaiki', '--as', 'ttis', '--reason', 'listing turned off');
	// the KEV finding past its due date
	storeSql(S.dir, `UPDATE findings SET due_at = 1000 WHERE id = ${id('kev-sqli')}`);
	// and two past due that are not in KEV: DISKOMINFO's, and one no asset holds
	storeSql(S.dir, `UPDATE findings SET due_at = 2000 WHERE id IN (${id('portal-xss')}, ${id('stray-rce')})`);
	for (const u of ['ttis', 'agen.dinkes', 'agen.disdik', 'pelapor']) tokens[u] = S.cli('token', 'new', u, '--name', 'test').trim();
});
after(async () => { if (S) await S.stop(); });
const as = (user) => api(S.base, tokens[user]);

test('CSIRT staff: every OPD, the unmatched findings, KEV past due, time to remediate', async () => {
	const r = await as('ttis')('GET', '/dashboard');
	assert.equal(r.status, 200);
	const v = r.json.findings;
	assert.equal(v.scope, 'all');
	assert.equal(v.open_critical, 3);
	assert.equal(v.open_high, 2);
	assert.equal(v.kev_overdue, 1);
	assert.equal(v.overdue, 3); // every severity and OPD, the unmatched too
	assert.deepEqual(v.unmatched, { critical: 1, high: 0 });
	const by = Object.fromEntries(v.per_opd.map((o) => [o.abbrev, o]));
	assert.equal(by.DINKES.critical, 1);
	assert.equal(by.DINKES.high, 1);
	assert.equal(by.DISKOMINFO.critical, 1);
	assert.equal(by.DISKOMINFO.high, 1); // one of two fixed
	assert.equal(by.DISDIK.critical, 0);
	assert.equal(v.per_opd.length, 5);
	assert.equal(v.mttr_days, 90);
	const high = v.mttr.find((m) => m.severity === 'high');
	assert.equal(high.fixed, 1);
	assert.ok(high.mean_days >= 0 && high.mean_days < 1);
	assert.equal(v.mttr.find((m) => m.severity === 'critical').mean_days, null);
});

test('an agen_siber: its own OPD only; a user who sees no findings: null', async () => {
	let r = await as('agen.dinkes')('GET', '/dashboard');
	assert.equal(r.status, 200);
	let v = r.json.findings;
	assert.equal(v.scope, 'opd');
	assert.deepEqual(v.per_opd.map((o) => o.abbrev), ['DINKES']);
	assert.equal(v.open_critical, 1);
	assert.equal(v.open_high, 1);
	assert.equal(v.kev_overdue, 1);
	assert.equal(v.overdue, 1); // its own OPD's only
	assert.equal(v.unmatched, undefined);
	assert.equal(v.mttr.find((m) => m.severity === 'high').fixed, 0);
	r = await as('agen.disdik')('GET', '/dashboard');
	v = r.json.findings;
	assert.equal(v.open_critical, 0);
	assert.equal(v.kev_overdue, 0);
	assert.equal(v.overdue, 0);
	r = await as('pelapor')('GET', '/dashboard');
	assert.equal(r.status, 200);
	assert.equal(r.json.findings, null);
});

test('the dashboard page draws the tiles in Indonesian, the chart as SVG', async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	let r = await c.get('/dasbor');
	assert.equal(r.status, 200);
	assert.match(r.text, /temuan kritis terbuka/);
	assert.match(r.text, /temuan KEV lewat tenggat/);
	assert.match(r.text, /Temuan kritis dan tinggi yang terbuka per OPD/);
	assert.match(r.text, /<svg class="chart"[^>]*aria-label="Rata-rata waktu perbaikan \(90 hari\)"/);
	assert.match(r.text, /href="\/kerentanan\/laporan\?opd=DISKOMINFO"/);
	assert.match(r.text, /\(tanpa aset\)/);
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	r = await a.get('/dasbor');
	assert.match(r.text, /href="\/kerentanan\/laporan\?opd=DINKES"/);
	assert.doesNotMatch(r.text, /laporan\?opd=DISKOMINFO/);
	assert.doesNotMatch(r.text, /tanpa aset/);
	const p = new Client(S.base);
	await p.login('pelapor');
	r = await p.get('/dasbor');
	assert.equal(r.status, 200);
	assert.doesNotMatch(r.text, /temuan kritis terbuka/);
});

test('the tile of findings past due: the count as the viewer sees it, linking to the list of them', async () => {
	const tile = (text) => text.match(/<a class="card-link" id="kerentanan-lewat" href="([^"]*)"><div class="card ([^"]*)"><span class="n">(\d+)<\/span><span>([^<]*)<\/span>/);
	const c = new Client(S.base);
	await c.login('ttis');
	let t = tile((await c.get('/dasbor')).text);
	assert.ok(t, 'the tile');
	assert.deepEqual(t.slice(1), ['/kerentanan?overdue=1', 'late', '3', 'temuan lewat tenggat']);
	// the list it links to holds as many
	assert.match((await c.get(t[1])).text, /id="findings-total">3 /);
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	t = tile((await a.get('/dasbor')).text);
	assert.equal(t[3], '1');
	assert.match((await a.get(t[1])).text, /id="findings-total">1 /);
	const d = new Client(S.base);
	await d.login('agen.disdik');
	t = tile((await d.get('/dasbor')).text);
	assert.deepEqual([t[2], t[3]], ['', '0']);
	const en = await c.get('/dasbor?lang=en');
	assert.equal(tile(en.text)[4], 'findings past due');
});

test('the printable report of an OPD: kop, summary, assets with their open findings', async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	const r = await c.get('/kerentanan/laporan?opd=dinkes');
	assert.equal(r.status, 200);
	assert.match(r.text, /<link rel="stylesheet" href="\/static\/print.css">/);
	assert.match(r.text, /<p class="kop">Dinas Komunikasi dan Informatika Kabupaten Trenggalek<\/p>/);
	assert.match(r.text, /<h1>Laporan kerentanan<\/h1><p>Dinas Kesehatan \(DINKES\)/);
	// a finding's state in words, not its code
	assert.match(r.text, /<td>(Baru|Terverifikasi|Dalam perbaikan|Dibuka kembali)<\/td>/);
	assert.doesNotMatch(r.text, /<td>(baru|terverifikasi|dalam_perbaikan|dibuka_kembali)<\/td>/);
	// summary: assets, open, critical, high, medium, low, info, past due, KEV
	const sum = r.text.match(/<table class="summary">.*?<tbody><tr>(.*?)<\/tr>/s)[1];
	const cells = [...sum.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
	assert.equal(cells[1], '3');
	assert.deepEqual(cells.slice(2), ['1', '1', '0', '1', '0', '1', '1']);
	assert.match(r.text, /SIMPUS \(Sistem Informasi Puskesmas\)/);
	assert.match(r.text, /Test kev-sqli<br><small>CVE-2026-90001<\/small>/);
	assert.match(r.text, /<tr class="late"><td>Kritis<\/td>/);
	assert.match(r.text, /KEV 5 Mei 2026/);
	assert.doesNotMatch(r.text, /portal-rce|stray-rce/);
	assert.match(r.text, /WIB/);
	// the English page in the same shape
	const en = await c.get('/kerentanan/laporan?opd=2&lang=en');
	assert.equal(en.status, 200);
	assert.match(en.text, /<html lang="en">/);
	assert.match(en.text, /KEV 5 May 2026/);
	assert.doesNotMatch(en.text, /Mei|Desember|Januari/);
});

test('the report: the agent its own OPD only, another OPD and an unknown one 404', async () => {
	const a = new Client(S.base);
	await a.login('agen.dinkes');
	let r = await a.get('/kerentanan/laporan?opd=DINKES');
	assert.equal(r.status, 200);
	assert.match(r.text, /Test kev-sqli/);
	r = await a.get('/kerentanan/laporan?opd=DISKOMINFO');
	assert.equal(r.status, 404);
	assert.doesNotMatch(r.text, /portal-rce/);
	assert.match(r.text, /tidak ada OPD DISKOMINFO/);
	const p = new Client(S.base);
	await p.login('pelapor');
	r = await p.get('/kerentanan/laporan?opd=DINKES');
	assert.equal(r.status, 404);
	const t = new Client(S.base);
	await t.login('ttis');
	r = await t.get('/kerentanan/laporan?opd=NOPE');
	assert.equal(r.status, 404);
	// without an OPD: the staff choose one (no longer a 404), the agent goes
	// to its own
	r = await t.get('/kerentanan/laporan');
	assert.equal(r.status, 200);
	assert.match(r.text, /id="report-opds"/);
	r = await a.get('/kerentanan/laporan');
	assert.equal(r.status, 303);
	assert.equal(r.location, '/kerentanan/laporan?opd=DINKES');
	r = await p.get('/kerentanan/laporan');
	assert.equal(r.status, 404);
});
