// test_vuln_intel.mjs: GET /api/v1/vuln/cve/{id} on a real `sigap serve`
// after `sigap vuln intel import` of the project's CVE, KEV and EPSS files:
// the record with its CVSS per version and source, the KEV entry and the
// EPSS score as one object; 404, 400 and 403 as {"error": {code, message}}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api } from './server.mjs';

const V = join(new URL('../..', import.meta.url).pathname, 'tests/data/vuln/intel');
let S;
const tokens = {};
before(async () => {
	S = await startServer();
	S.cli('vuln', 'intel', 'import', join(V, 'cve-cna.json'), join(V, 'cve-adp.json'), join(V, 'kev.csv'),
		join(V, 'epss.csv.gz'));
	for (const u of ['petugas', 'ttis', 'pelapor', 'admin']) tokens[u] = S.cli('token', 'new', u, '--name', 'test').trim();
});
after(async () => { if (S) await S.stop(); });
const as = (user) => api(S.base, tokens[user]);

test('a CVE with its record, KEV entry and EPSS score', async () => {
	const r = await as('petugas')('GET', '/vuln/cve/cve-2026-90001');
	assert.equal(r.status, 200);
	const o = r.json;
	assert.equal(o.cve, 'CVE-2026-90001');
	assert.equal(o.record.state, 'PUBLISHED');
	assert.deepEqual(o.record.cwes, ['CWE-89', 'CWE-20']);
	assert.deepEqual(o.record.cvss['4.0'], {
		score: 9.3, vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', severity: 'CRITICAL', source: 'cna',
	});
	assert.equal(o.record.cvss['3.1'].score, 9.8);
	assert.equal(o.record.cvss['3.0'].source, 'CISA-ADP');
	assert.equal(o.kev.due_date, '2026-05-05');
	assert.equal(o.kev.ransomware, 'Known');
	assert.equal(o.kev.cwes, 'CWE-89,CWE-20');
	assert.deepEqual(o.epss, { score: 0.9421, percentile: 0.9992, model_version: 'v2025.03.14', score_date: '2026-04-21' });
});

test('a CVE known only from KEV and EPSS has a null record', async () => {
	const r = await as('ttis')('GET', '/vuln/cve/CVE-2025-90004');
	assert.equal(r.status, 200);
	assert.equal(r.json.record, null);
	assert.equal(r.json.kev.product, 'Surat');
	assert.equal(r.json.epss.score, 0.00043);
});

test('unknown CVE, no CVE id, and a caller outside the CSIRT', async () => {
	let r = await as('petugas')('GET', '/vuln/cve/CVE-1999-0001');
	assert.equal(r.status, 404);
	assert.equal(r.json.error.code, 'not_found');
	assert.match(r.json.error.message, /no CVE record, KEV entry or EPSS score of CVE-1999-0001/);
	r = await as('petugas')('GET', '/vuln/cve/log4shell');
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /'log4shell' is not a CVE id/);
	for (const u of ['pelapor', 'admin']) {
		r = await as(u)('GET', '/vuln/cve/CVE-2026-90001');
		assert.equal(r.status, 403, u);
		assert.match(r.json.error.message, /CSIRT's staff/);
	}
	r = await api(S.base)('GET', '/vuln/cve/CVE-2026-90001');
	assert.equal(r.status, 401);
});
