// test_findings.mjs: vulnerability findings on the web and in the API
// against a real `sigap serve`: scanner reports imported through the API
// (the report as the body) and through the /kerentanan/impor upload, a
// re-import counted as seen again, the list's filters with KEV and EPSS
// after `sigap vuln intel import`, decisions on several findings (and a
// refused one leaving all unchanged), who sees what (an agen_siber its
// OPD's findings only, 404 for another OPD's), CSRF, a hostile report's
// text escaped, and an XXE report refused with its message shown.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { startServer, api, Client, PG } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNERS = join(ROOT, 'tests/data/vuln/scanners');
const WEB = join(ROOT, 'tests/data/vuln/web');
const INTEL = join(ROOT, 'tests/data/vuln/intel');

let S;
const tokens = {};
const USERS = ['ttis', 'petugas', 'kabid', 'agen.dinkes', 'agen.disdik', 'admin', 'pelapor'];
const as = (u) => api(S.base, tokens[u]);

// Sends a report file as the request's body.
async function importReport(user, file, query = '') {
	const body = readFileSync(file);
	const name = file.split('/').pop();
	const res = await fetch(`${S.base}/api/v1/findings/import?filename=${encodeURIComponent(name)}${query}`, {
		method: 'POST', body, headers: { Authorization: `Bearer ${tokens[user]}`, 'Content-Type': 'application/octet-stream' },
	});
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, json, text, retryAfter: res.headers.get('retry-after') };
}

// A form with a field given more than once (the list's check boxes).
function postPairs(c, path, pairs, { csrf = true } = {}) {
	const p = new URLSearchParams();
	if (csrf) p.set('csrf', c.csrf);
	for (const [k, v] of pairs) p.append(k, v);
	return c.req('POST', path, { body: p.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

async function findingBy(title) {
	const r = await as('ttis')('GET', '/findings?limit=1000&q=' + encodeURIComponent(title));
	assert.equal(r.status, 200);
	const f = r.json.findings.find((x) => x.title === title);
	assert.ok(f, `finding "${title}"`);
	return f;
}

const assets = {};
before(async () => {
	S = await startServer();
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'kerentanan').trim();
	// the hosts of the reports, on assets of two OPDs
	for (const [key, opd, addr] of [['portal', 'DINKES', '192.0.2.40'], ['gmp', 'DISDIK', '192.0.2.10']]) {
		const r = await as('ttis')('POST', '/assets', { opd, name: `Uji ${key}`, kind: 'server', addresses: [addr] });
		assert.equal(r.status, 201, r.text);
		assets[key] = r.json.id;
	}
});
after(async () => { if (S) await S.stop(); });

test('a report imported through the API, again: seen again, never duplicated; the import log', async () => {
	const first = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'));
	assert.equal(first.status, 201, first.text);
	assert.equal(first.json.filename, 'openvas_gmp.xml');
	assert.equal(first.json.results, 3);
	assert.equal(first.json.new, 3);
	assert.equal(first.json.unmatched, 2); // 192.0.2.10 is an asset's, .11 and .12 no asset's
	const again = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'));
	assert.equal(again.status, 201);
	assert.equal(again.json.new, 0);
	assert.equal(again.json.seen_again, 3);
	const list = await as('ttis')('GET', '/findings?limit=1000');
	assert.equal(list.json.total, 3);
	const onAsset = list.json.findings.find((f) => f.asset);
	assert.equal(onAsset.asset.id, assets.gmp);
	assert.equal(onAsset.times_seen, 2);
	const log = await as('ttis')('GET', '/findings/imports');
	assert.equal(log.status, 200);
	assert.equal(log.json.total, 2);
	assert.equal(log.json.imports[0].seen_again, 3);
	assert.equal(log.json.imports[0].imported_by, 'ttis');
	// a bad scanner name, an empty body, a scanner that is not the report's
	assert.equal((await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'), '&scanner=qualys')).status, 400);
	const wrong = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'), '&scanner=nuclei');
	assert.ok(wrong.status >= 400 && wrong.status < 500, wrong.text);
	assert.match(wrong.json.error.message, /is a report of openvas, not of nuclei/);
	// a misspelt parameter is refused, not ignored: a rescan meant partial
	// would otherwise close what it did not scan
	const typo = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'), '&parital=1');
	assert.equal(typo.status, 400);
	assert.match(typo.json.error.message, /unknown query parameter 'parital'.*partial/);
	assert.equal((await as('ttis')('GET', '/findings/imports')).json.total, 2, 'nothing of a refused import stays');
	const listTypo = await as('ttis')('GET', '/findings?serverity=high');
	assert.equal(listTypo.status, 400);
	assert.match(listTypo.json.error.message, /'serverity'/);
	assert.equal((await as('ttis')('GET', '/findings/imports?limit=5&lang=en')).status, 200);
	// an empty name ("?&limit=1", "&&") is no parameter
	assert.equal((await as('ttis')('GET', '/findings?&limit=1&&offset=0')).status, 200);
	assert.equal((await as('ttis')('GET', '/assets?kse=tinggi&jenis=server')).status, 400);
});

test('who may import, see and decide: agen_siber its OPD only, 404 for another OPD\'s finding', async () => {
	for (const u of ['agen.dinkes', 'admin', 'pelapor']) {
		const r = await importReport(u, join(SCANNERS, 'openvas_gmp.xml'));
		assert.equal(r.status, 403, `${u} imports: ${r.text}`);
		assert.equal((await as(u)('GET', '/findings/imports')).status, 403);
	}
	const gmp = (await as('ttis')('GET', `/findings?asset=${assets.gmp}`)).json.findings[0];
	assert.equal((await as('agen.disdik')('GET', `/findings/${gmp.id}`)).status, 200);
	const other = await as('agen.dinkes')('GET', `/findings/${gmp.id}`);
	assert.equal(other.status, 404);
	assert.equal(other.json.error.code, 'not_found');
	assert.equal((await as('agen.dinkes')('GET', '/findings')).json.total, 0);
	assert.equal((await as('agen.disdik')('GET', '/findings')).json.total, 1);
	for (const u of ['admin', 'pelapor'])
		assert.equal((await as(u)('GET', '/findings')).json.total, 0, u);
	const decide = await as('agen.disdik')('POST', '/findings/decide', { ids: [gmp.id], state: 'terverifikasi' });
	assert.equal(decide.status, 403, decide.text);
	// the page: another OPD's finding is not found, the agent decides nothing
	const c = new Client(S.base);
	await c.login('agen.dinkes');
	assert.equal((await c.get(`/kerentanan/${gmp.id}`)).status, 404);
	const d = new Client(S.base);
	await d.login('agen.disdik');
	const own = await d.get(`/kerentanan/${gmp.id}`);
	assert.equal(own.status, 200);
	assert.doesNotMatch(own.text, /name="state"/);
	assert.equal((await d.get('/kerentanan/impor')).status, 403);
});

test('KEV and EPSS beside CVSS: filters and sorting after vuln intel import', async () => {
	S.cli('vuln', 'intel', 'import', join(INTEL, 'kev.json'), join(INTEL, 'epss.csv'));
	const r = await importReport('ttis', join(WEB, 'kev_portal.jsonl'));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.new, 3);
	const kev = await as('ttis')('GET', '/findings?kev=yes&sort=epss');
	assert.equal(kev.status, 200);
	assert.deepEqual(kev.json.findings.map((f) => f.cves[0]), ['CVE-2026-90001', 'CVE-2026-90002']);
	const top = kev.json.findings[0];
	assert.equal(top.kev, true);
	assert.equal(top.kev_ransomware, true);
	assert.equal(top.kev_due_date, '2026-05-05');
	assert.equal(top.epss, 0.9421);
	assert.equal(top.epss_percentile, 0.9992);
	assert.equal(top.asset.id, assets.portal);
	assert.equal(kev.json.findings[1].kev_ransomware, false);
	const notKev = await as('ttis')('GET', '/findings?kev=no&limit=1000');
	assert.ok(notKev.json.findings.every((f) => f.kev === false));
	assert.equal(notKev.json.total, 4);
	const epss = await as('ttis')('GET', '/findings?min_epss=0.5');
	assert.deepEqual(epss.json.findings.map((f) => f.cves[0]), ['CVE-2026-90001']);
	assert.equal((await as('ttis')('GET', '/findings?min_epss=0.2')).json.total, 2);
	const kevFirst = await as('ttis')('GET', '/findings?sort=kev&limit=3');
	assert.deepEqual(kevFirst.json.findings.slice(0, 2).map((f) => f.kev), [true, true]);
	assert.equal(kevFirst.json.findings[2].kev, false);
	for (const q of ['kev=maybe', 'min_epss=2', 'min_epss=x', 'sort=worst', 'severity=high&min_severity=low'])
		assert.equal((await as('ttis')('GET', '/findings?' + q)).status, 400, q);
	// the finding's JSON: each CVE with what is stored of it
	const one = await as('ttis')('GET', `/findings/${top.id}`);
	assert.equal(one.status, 200);
	assert.equal(one.json.cve_intel[0].cve, 'CVE-2026-90001');
	assert.equal(one.json.cve_intel[0].kev.ransomware, 'Known');
	assert.equal(one.json.history[0].to, 'baru');
	// the page: filters, KEV, EPSS in Indonesian numbers, the count
	const c = new Client(S.base);
	await c.login('ttis');
	const page = await c.get('/kerentanan?kev=yes&sort=epss');
	assert.equal(page.status, 200);
	assert.match(page.text, /id="findings-total">2 /);
	assert.match(page.text, /data-severity="critical">1</);
	assert.match(page.text, /data-severity="high">1</);
	assert.match(page.text, /94,2 %/);
	assert.match(page.text, />KEV</);
	assert.match(page.text, /href="\/aset\/\d+"/);
	const byOpd = await c.get('/kerentanan?opd=DINKES&state=open');
	assert.match(byOpd.text, /id="findings-total">3 /);
	assert.match(byOpd.text, /<option value="DINKES" selected>/);
	const fpage = await c.get(`/kerentanan/${top.id}`);
	assert.equal(fpage.status, 200);
	assert.match(fpage.text, /CVSS 3\.1<\/dt><dd>9,8 <code>CVSS:3\.1\/AV:N/);
	// KEV's dates in the page's language, not as the catalog writes them
	assert.match(fpage.text, /5 Mei 2026/);
	assert.doesNotMatch(fpage.text, /2026-05-05/);
	assert.match(fpage.text, /href="https:\/\/www\.cve\.org\/CVERecord\?id=CVE-2026-90001" rel="noopener noreferrer"/);
	// the CVE table's row: the CVE's own EPSS score (vuln_intel_cve's epss.score)
	const cveTable = fpage.text.match(/<section><h2>CVE<\/h2>[\s\S]*?<\/section>/);
	assert.ok(cveTable, 'the CVE section');
	const row = cveTable[0].match(/CVE-2026-90001<\/a>[\s\S]*?<\/tr>/);
	assert.ok(row, 'the CVE row');
	assert.match(row[0], /<td class="num">94,2 %<\/td><\/tr>$/);
	assert.doesNotMatch(row[0], /0,0 %/);
});

test('decisions on several findings: all together, or none when one is refused', async () => {
	const a = await findingBy('Exposed Admin Panel');
	const b = await findingBy('Contoh Arsip - Authentication Bypass');
	const c = new Client(S.base);
	await c.login('ttis');
	await c.get('/kerentanan');
	// b a false positive first, through its page
	const fp = await c.post(`/kerentanan/${b.id}/keputusan`, { state: 'positif_palsu', reason: 'Halaman uji, bukan layanan' });
	assert.equal(fp.status, 303, fp.text.slice(0, 400));
	// then both to terverifikasi: b may not (from positif_palsu only dibuka_kembali)
	await c.get('/kerentanan');
	const refused = await postPairs(c, '/kerentanan', [['id', a.id], ['id', b.id], ['state', 'terverifikasi']]);
	assert.equal(refused.status, 409, refused.text.slice(0, 300));
	assert.match(refused.text, new RegExp(`class="notice error"[^>]*>[^<]*${b.id}`));
	assert.equal((await findingBy('Exposed Admin Panel')).state, 'baru', 'nothing decided');
	const ok = await postPairs(c, '/kerentanan?q=Panel', [['id', a.id], ['state', 'terverifikasi']]);
	// back to the same list by a GET (a reload sends nothing again), filters kept
	assert.equal(ok.status, 303, ok.text.slice(0, 300));
	assert.match(ok.location, /^\/kerentanan\?q=Panel&diputuskan=1&status=terverifikasi$/);
	const after = await c.get(ok.location);
	assert.match(after.text, /class="notice ok"[^>]*>1 temuan diputuskan: Terverifikasi/);
	assert.equal((await findingBy('Exposed Admin Panel')).state, 'terverifikasi');
	// the API: a risk acceptance needs expiry and a kabid approver; two at once
	const portal = await findingBy('Contoh Portal - Remote Code Execution');
	// an acceptance runs a year at most, is approved by a kabid who is not who decides
	const until = new Date(Date.now() + 180 * 86400e3).toISOString().slice(0, 10);
	const forGood = await as('ttis')('POST', '/findings/decide', { ids: [a.id, portal.id], state: 'risiko_diterima', reason: 'Sistem akan diganti', accepted_until: '2099-12-31', approver: 'kabid' });
	assert.equal(forGood.status, 400);
	assert.match(forGood.json.error.message, /one year at most/);
	const self = await as('kabid')('POST', '/findings/decide', { ids: [a.id], state: 'risiko_diterima', reason: 'Sistem akan diganti', accepted_until: until, approver: 'kabid' });
	assert.equal(self.status, 403);
	assert.match(self.json.error.message, /someone other than who decides/);
	// the incident SOP's petugas is CSIRT staff but decides no finding
	const petugas = await as('petugas')('POST', '/findings/decide', { ids: [a.id], state: 'positif_palsu', reason: 'bukan temuan' });
	assert.equal(petugas.status, 403);
	assert.match(petugas.json.error.message, /patch and CTI SOPs/);
	const noApprover = await as('ttis')('POST', '/findings/decide', { ids: [a.id, portal.id], state: 'risiko_diterima', reason: 'Sistem akan diganti', accepted_until: until });
	assert.equal(noApprover.status, 400);
	assert.match(noApprover.json.error.message, /approver/);
	const notKabid = await as('ttis')('POST', '/findings/decide', { ids: [a.id, portal.id], state: 'risiko_diterima', reason: 'Sistem akan diganti', accepted_until: until, approver: 'petugas' });
	assert.equal(notKabid.status, 403);
	const accepted = await as('ttis')('POST', '/findings/decide', { ids: [a.id, portal.id], state: 'risiko_diterima', reason: 'Sistem akan diganti', accepted_until: until, approver: 'kabid' });
	assert.equal(accepted.status, 200, accepted.text);
	const got = (await as('ttis')('GET', `/findings/${portal.id}`)).json;
	assert.equal(got.state, 'risiko_diterima');
	assert.equal(got.approved_by, 'kabid');
	assert.equal(got.history.at(-1).actor, 'ttis');
	// one refused by the API leaves both unchanged
	const mixed = await as('ttis')('POST', '/findings/decide', { ids: [portal.id, b.id], state: 'diperbaiki', reason: 'Ditambal' });
	assert.equal(mixed.status, 409);
	assert.match(mixed.json.error.message, /nothing decided/);
	assert.equal((await as('ttis')('GET', `/findings/${portal.id}`)).json.state, 'risiko_diterima');
	// a reason of blanks (spaces, tabs, line breaks, zero-width spaces) is no reason, by the API and the page
	const blank = await as('ttis')('POST', '/findings/decide', { ids: [portal.id], state: 'dibuka_kembali', reason: ' \t\u200b\n\u200b\u200b ' });
	assert.equal(blank.status, 400, blank.text);
	assert.match(blank.json.error.message, /needs a reason/);
	await c.get(`/kerentanan/${portal.id}`);
	const blankPage = await c.post(`/kerentanan/${portal.id}/keputusan`, { state: 'dibuka_kembali', reason: '\u200b\u200b\u200b\u200b' });
	assert.equal(blankPage.status, 400, blankPage.text.slice(0, 300));
	assert.equal((await as('ttis')('GET', `/findings/${portal.id}`)).json.state, 'risiko_diterima');
	// one finding named twice is decided once (not refused as "already"); the reason stored trimmed
	const twice = await as('ttis')('POST', '/findings/decide', { ids: [portal.id, portal.id], state: 'dibuka_kembali', reason: '\u200b  Diperiksa ulang \n' });
	assert.equal(twice.status, 200, twice.text);
	const reopened = (await as('ttis')('GET', `/findings/${portal.id}`)).json;
	assert.equal(reopened.state, 'dibuka_kembali');
	assert.equal(reopened.state_reason, 'Diperiksa ulang');
	assert.equal(reopened.history.filter((h) => h.to === 'dibuka_kembali').length, 1);
	assert.equal((await as('ttis')('POST', '/findings/decide', { ids: [], state: 'terverifikasi' })).status, 400);
	assert.equal((await as('ttis')('POST', '/findings/decide', { ids: ['x'], state: 'terverifikasi' })).status, 400);
});

test('an unmatched finding attached to an asset', async () => {
	const list = await as('ttis')('GET', '/findings?unmatched=1&limit=1000');
	const f = list.json.findings.find((x) => x.host === '192.0.2.11');
	assert.ok(f);
	assert.equal((await as('agen.dinkes')('POST', `/findings/${f.id}/attach`, { asset: assets.portal })).status, 404);
	assert.equal((await as('ttis')('POST', `/findings/${f.id}/attach`, { asset: 'x' })).status, 400);
	const r = await as('ttis')('POST', `/findings/${f.id}/attach`, { asset: assets.portal });
	assert.equal(r.status, 200, r.text);
	assert.equal((await as('ttis')('GET', `/findings/${f.id}`)).json.asset.id, assets.portal);
	assert.equal((await as('ttis')('POST', `/findings/${f.id}/attach`, { asset: assets.gmp })).status, 409);
});

test('the upload page: a real report imported, its summary shown; CSRF; XXE refused with its message', async () => {
	const c = new Client(S.base);
	await c.login('petugas');
	const form = await c.get('/kerentanan/impor');
	assert.equal(form.status, 200);
	assert.match(form.text, /enctype="multipart\/form-data"/);
	const upload = (name, dir = SCANNERS, fields = {}) => {
		const fd = new FormData();
		fd.set('report', new Blob([readFileSync(join(dir, name))]), name);
		for (const [k, v] of Object.entries(fields)) fd.set(k, v);
		return c.postMultipart('/kerentanan/impor', fd);
	};
	const r = await upload('nmap.xml', SCANNERS, { scanner: 'nmap' });
	assert.equal(r.status, 200, r.text.slice(0, 500));
	assert.match(r.text, /id="import-summary"/);
	assert.match(r.text, /nmap\.xml/);
	const newCount = Number(r.text.match(/data-count="new">([\d.]+)</)[1].replace('.', ''));
	assert.ok(newCount > 0);
	const again = await upload('nmap.xml');
	assert.match(again.text, /data-count="new">0</);
	assert.match(again.text, new RegExp(`data-count="seen_again">${newCount}<`));
	// what the import left open and what severities it did not know are rows too
	assert.match(again.text, /Tetap terbuka: tidak dipindai oleh laporan ini<\/dt><dd data-count="left_open_unscanned">\d+</);
	assert.match(again.text, /<dd data-count="severity_unknown_as_info">\d+</);
	// XXE: refused, the message shown, nothing stored
	const before = (await as('ttis')('GET', '/findings/imports')).json.total;
	const xxe = await upload('xxe.xml');
	assert.equal(xxe.status, 400);
	assert.match(xxe.text, /xxe\.xml:6: .*ENTITY/);
	assert.doesNotMatch(xxe.text, /spool/);
	assert.equal((await as('ttis')('GET', '/findings/imports')).json.total, before);
	// CSRF: an upload and a decision without the form's token are refused
	const fd = new FormData();
	fd.set('report', new Blob([readFileSync(join(SCANNERS, 'nmap.xml'))]), 'nmap.xml');
	const noCsrf = await c.req('POST', '/kerentanan/impor', { body: fd });
	assert.equal(noCsrf.status, 403);
	const f = await findingBy('Contoh Arsip - Authentication Bypass');
	const forged = await c.post('/kerentanan', { id: f.id, state: 'dibuka_kembali', reason: 'palsu' }, { csrf: false });
	assert.equal(forged.status, 403);
	assert.equal((await findingBy('Contoh Arsip - Authentication Bypass')).state, 'positif_palsu');
});

test('a hostile report\'s text is escaped on the list and the finding\'s page', async () => {
	const r = await importReport('ttis', join(WEB, 'hostile.jsonl'));
	assert.equal(r.status, 201, r.text);
	const f = await findingBy("<script>alert('judul')</script> Panel");
	const c = new Client(S.base);
	await c.login('ttis');
	for (const path of [`/kerentanan/${f.id}`, '/kerentanan?q=Panel']) {
		const page = await c.get(path);
		assert.equal(page.status, 200);
		assert.doesNotMatch(page.text, /<script>alert/, path);
		assert.doesNotMatch(page.text, /<img src=x/, path);
		assert.match(page.text, /&lt;script&gt;alert\(&#39;judul&#39;\)&lt;\/script&gt;|&lt;script&gt;alert\('judul'\)&lt;\/script&gt;/, path);
	}
	const page = await c.get(`/kerentanan/${f.id}`);
	assert.doesNotMatch(page.text, /href="javascript:/);
	assert.match(page.text, /<pre class="event">[^<]*&lt;\/pre&gt;&lt;script&gt;/);
});

test('a rescan closes only the ports it scanned, and a partial one nothing, saying so', async () => {
	const nmap = join(SCANNERS, 'nmap.xml');
	assert.equal((await importReport('ttis', nmap)).status, 201);
	// ports 80 and up scanned, nothing open on 80 any more; 22 not scanned
	const dir = mkdtempSync(join(tmpdir(), 'sigap-rescan-'));
	const some = join(dir, 'nmap_some.xml');
	writeFileSync(some, readFileSync(nmap, 'utf8')
		.replace(/<port protocol="tcp" portid="22">[\s\S]*?<\/port>\n/, '')
		.replace(/<port protocol="tcp" portid="80">.*\n/, '')
		.replace('services="1-10000"', 'services="80-10000"'));
	const partial = await importReport('ttis', some, '&partial=1');
	assert.equal(partial.status, 201, partial.text);
	assert.equal(partial.json.partial, true);
	assert.equal(partial.json.no_longer_present, 0);
	const full = await importReport('ttis', some);
	assert.equal(full.status, 201, full.text);
	assert.equal(full.json.partial, false);
	assert.equal(full.json.no_longer_present, 2);
	assert.equal(full.json.left_open_unscanned, 3);
	const open22 = await as('ttis')('GET', '/findings?limit=1000&q=' + encodeURIComponent('Open port 22/tcp'));
	assert.ok(open22.json.findings.length > 0);
	for (const f of open22.json.findings) assert.notEqual(f.state, 'diperbaiki');
	// the import's own reason, in the page's language
	const closed = await as('ttis')('GET', '/findings?limit=1&state=diperbaiki&q=' + encodeURIComponent('80/tcp'));
	const gone = closed.json.findings[0];
	assert.ok(gone, closed.text);
	const c = new Client(S.base);
	await c.login('ttis');
	const page = await c.get(`/kerentanan/${gone.id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`Tidak lagi ditemukan pada impor ${full.json.import}`));
	assert.doesNotMatch(page.text, /no longer present in import/);
});

test('a named asset refuses a report of another asset\'s target; unknown severities are said', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'sigap-named-'));
	const file = join(dir, 'named.jsonl');
	writeFileSync(file, [
		{ 'template-id': 'named-a', host: '198.51.100.77', 'matched-at': 'http://198.51.100.77/', info: { name: 'Named A', severity: 'EXTREME' } },
		{ 'template-id': 'named-b', host: '192.0.2.10', 'matched-at': 'http://192.0.2.10/', info: { name: 'Named B', severity: 'High ' } },
	].map((o) => JSON.stringify(o)).join('\n') + '\n');
	// 192.0.2.10 is DISDIK's asset: not to be put on DINKES's portal
	const refused = await importReport('ttis', file, `&asset=${assets.portal}`);
	assert.equal(refused.status, 409, refused.text);
	assert.match(refused.text, new RegExp(`192\\.0\\.2\\.10/ is asset ${assets.gmp} \\(Uji gmp\\)`));
	assert.equal((await as('ttis')('GET', '/findings?limit=10&q=Named')).json.findings.length, 0);
	const ok = await importReport('ttis', file);
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.severity_unknown_as_info, 1);
	const high = await as('ttis')('GET', '/findings?limit=10&q=' + encodeURIComponent('Named B'));
	assert.equal(high.json.findings[0].severity, 'high');
});

test('an import while another change holds the store past its wait: 503 with Retry-After, nothing stored; sent again, it is taken', {
	timeout: 60000, skip: PG ? 'SQLite\'s lock on the whole store; PostgreSQL locks rows' : false,
}, async () => {
	const before = (await as('ttis')('GET', '/findings/imports')).json.total;
	const fresh = S.cli('token', 'new', 'ttis', '--name', 'belum-dipakai').trim();
	// another writer (a long import, a backup) holds the write lock
	const holder = spawn('sqlite3', [join(S.dir, 'sigap.db')], { stdio: ['pipe', 'pipe', 'inherit'] });
	const began = new Promise((r) => holder.stdout.once('data', r));
	holder.stdin.write('.timeout 5000\nBEGIN IMMEDIATE;\nSELECT \'held\';\n');
	await began;
	try {
		const busy = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'));
		assert.equal(busy.status, 503, busy.text);
		assert.equal(busy.json.error.code, 'busy');
		assert.equal(busy.retryAfter, '5');
		assert.match(busy.json.error.message, /busy with another change/);
		// reads go on, and a token's first use (its last-used time
		// written) does not wait for the writer
		const t0 = Date.now();
		const page = await fetch(`${S.base}/api/v1/findings/imports`, { headers: { Authorization: `Bearer ${fresh}` } });
		assert.equal(page.status, 200, 'reads go on while a writer holds the store');
		assert.ok(Date.now() - t0 < 5000, `a read waited ${Date.now() - t0} ms for the writer`);
	} finally {
		holder.stdin.end('ROLLBACK;\n.quit\n');
		await new Promise((r) => holder.on('close', r));
	}
	assert.equal((await as('ttis')('GET', '/findings/imports')).json.total, before, 'the refused import left nothing');
	const again = await importReport('ttis', join(SCANNERS, 'openvas_gmp.xml'));
	assert.equal(again.status, 201, again.text);
});
