// test_patch_findings.mjs: the SOPs on findings over HTTP: a patch case
// started from findings through POST /api/v1/findings/patch (who may, what
// is refused and that a refusal changes nothing), the case page listing
// its findings with links to their pages and its first step's form drafted
// from them, a rescan import that no longer finds them recording the
// verification on the case, a CTI case linking findings from its page,
// and overdue findings in Tugas saya of the OPD's agent.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeSql } from './server.mjs';

let S;
const tokens = {};
const USERS = ['administrator', 'teknis', 'ttis', 'kabid', 'agen.dinkes', 'agen.disdik', 'pelapor'];
const as = (u) => api(S.base, tokens[u]);

// A Nuclei JSON lines report of records [host, template, severity, fix].
function nuclei(name, records) {
	const lines = records.map(([host, id, severity, fix, cve]) => JSON.stringify({
		'template-id': id,
		info: { name: `${id} on ${host}`, severity, remediation: fix,
			classification: { 'cve-id': cve ? [cve] : null } },
		type: 'http', host: `https://${host}`, 'matched-at': `https://${host}/${id}`,
		timestamp: '2026-11-30T10:05:00Z',
	}));
	const path = join(S.dir, name);
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}

async function findingsOf(host) {
	const out = S.cli('vuln', 'list', '--search', host, '--json');
	return JSON.parse(out).findings.filter((f) => f.host === host);
}

let simpus, ppdb; // the findings: SIMPUS (DINKES), PPDB (DISDIK)

before(async () => {
	S = await startServer();
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'patch').trim();
	S.cli('vuln', 'import', nuclei('scan1.jsonl', [
		['simpus.contohkab.go.id', 'CVE-2021-41773', 'critical', 'Update Apache HTTP Server to 2.4.51.', 'CVE-2021-41773'],
		['simpus.contohkab.go.id', 'wp-plugin-old', 'high', 'Update the plugin.'],
		['simpus.contohkab.go.id', 'tech-detect', 'info'],
		['ppdb.contohkab.go.id', 'CVE-2021-41773', 'critical', 'Update Apache HTTP Server to 2.4.51.', 'CVE-2021-41773'],
	]));
	simpus = await findingsOf('simpus.contohkab.go.id');
	ppdb = await findingsOf('ppdb.contohkab.go.id');
	assert.equal(simpus.length, 3);
	assert.equal(ppdb.length, 1);
});
after(async () => { if (S) await S.stop(); });

const id = (list, key) => list.find((f) => f.vuln_key === 'nuclei:' + key).id;

test('a patch case is refused clearly, and a refusal changes nothing', async () => {
	const apache = id(simpus, 'CVE-2021-41773');
	const before = (await as('administrator')('GET', '/cases?procedure=patch')).json.cases.length;
	// another OPD's finding beside DINKES's
	let r = await as('administrator')('POST', '/findings/patch', { findings: [apache, ppdb[0].id] });
	assert.equal(r.status, 400, r.text);
	assert.match(r.json.error.message, /of OPD DISDIK and finding \d+ of OPD DINKES: a patch case serves the administrator of one OPD/);
	// malformed bodies
	for (const body of [{}, { findings: [] }, { findings: ['FND-1'] }, { findings: [0] }, { other: [1] }]) {
		r = await as('administrator')('POST', '/findings/patch', body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.ok(r.json.error.code);
	}
	// the CTI officer is not the patch SOP's; an OPD's agent decides no
	// findings (the route is the CSIRT's); an outside actor neither
	r = await as('ttis')('POST', '/findings/patch', { findings: [apache] });
	assert.equal(r.status, 403);
	for (const u of ['agen.dinkes', 'pelapor']) {
		r = await as(u)('POST', '/findings/patch', { findings: [apache] });
		assert.equal(r.status, 403, u);
	}
	// an unknown finding
	r = await as('administrator')('POST', '/findings/patch', { findings: [999999] });
	assert.equal(r.status, 404);
	assert.equal(r.json.error.message, 'no finding 999999');
	// nothing moved, no case opened
	for (const f of await findingsOf('simpus.contohkab.go.id')) assert.equal(f.state, 'baru');
	const cases = await as('administrator')('GET', '/cases?procedure=patch');
	assert.equal(cases.json.cases.length, before);
});

let ticket;

test('POST /api/v1/findings/patch opens a patch case linked to the findings, its first step drafted', async () => {
	const ids = [id(simpus, 'CVE-2021-41773'), id(simpus, 'wp-plugin-old')];
	const r = await as('administrator')('POST', '/findings/patch', { findings: ids });
	assert.equal(r.status, 201, r.text);
	ticket = r.json.ticket;
	assert.match(ticket, /^PAT-\d{4}-\d{4}$/);
	assert.equal(r.json.procedure.id, 'patch');
	assert.equal(r.json.fields.patch, 'CVE-2021-41773');
	assert.match(r.json.title, /SIMPUS/);
	assert.deepEqual(r.json.findings.map((f) => [f.id, f.kind, f.state]),
		ids.map((i) => [i, 'patch', 'dalam_perbaikan']));
	const draft = r.json.current_step.draft.values.hasil_pemantauan;
	assert.match(draft, /CVE-2021-41773/);
	assert.match(draft, /Update Apache HTTP Server to 2\.4\.51\./);
	assert.match(draft, /Update the plugin\./);
	// the finding says why it is dalam_perbaikan
	const one = JSON.parse(S.cli('vuln', 'show', String(ids[0]), '--json'));
	assert.equal(one.state_reason, `kasus patch ${ticket}`);
	// again: refused, naming the case
	const again = await as('administrator')('POST', '/findings/patch', { findings: [ids[0]] });
	assert.equal(again.status, 409);
	assert.equal(again.json.error.message, `finding ${ids[0]} is already in patch case ${ticket}`);
	// the linked findings over the API; not to someone who may not see the case
	const list = await as('teknis')('GET', `/cases/${ticket}/findings`);
	assert.equal(list.status, 200);
	assert.equal(list.json.findings.length, 2);
	assert.equal((await as('pelapor')('GET', `/cases/${ticket}/findings`)).status, 404);
});

test('the case page lists its findings with links to their pages, and the step form holds the draft', async () => {
	const c = new Client(S.base);
	await c.login('administrator');
	const page = await c.get(`/kasus/${ticket}`);
	assert.equal(page.status, 200);
	const apache = id(simpus, 'CVE-2021-41773');
	assert.match(page.text, new RegExp(`<a href="/kerentanan/${apache}">FND-${apache}</a>`));
	assert.match(page.text, /id="temuan"/);
	assert.match(page.text, /dalam_perbaikan/);
	// the textarea of step 1 holds the draft, escaped
	assert.match(page.text, /<textarea[^>]*name="hasil_pemantauan"[^>]*>[^<]*CVE-2021-41773/);
	// the CTI link form is not on a patch case
	assert.doesNotMatch(page.text, /action="\/kasus\/[^"]+\/temuan"/);
});

test('a rescan without the findings records the verification on the patch case', async () => {
	// the rescan of SIMPUS shows only what is not the patch's
	const out = S.cli('vuln', 'import', nuclei('scan2.jsonl', [
		['simpus.contohkab.go.id', 'tech-detect', 'info'],
	]));
	assert.match(out, /diperbaiki|no longer present|gone/i);
	const r = await as('teknis')('GET', `/cases/${ticket}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.findings.map((f) => f.state), ['diperbaiki', 'diperbaiki']);
	assert.ok(r.json.comments.some((cm) => /tidak lagi menemukan temuan kasus ini/.test(cm.body)));
	assert.ok(r.json.evidence.some((ev) => /^impor kerentanan \d+$/.test(ev.origin) && ev.filename === 'scan2.jsonl'),
		JSON.stringify(r.json.evidence));
	// the case still waits at step 1 for its administrator
	assert.equal(r.json.current_step.no, 1);
});

test('a CTI case links findings of its asset from its page; another OPD agent sees neither', async () => {
	const alertCase = await as('ttis')('POST', '/cases', { procedure: 'cti', fields: { sistem: 'SIMPUS' } });
	assert.equal(alertCase.status, 201, alertCase.text);
	const cti = alertCase.json.ticket;
	const c = new Client(S.base);
	await c.login('ttis');
	let page = await c.get(`/kasus/${cti}`);
	assert.match(page.text, new RegExp(`action="/kasus/${cti}/temuan"`));
	const info = id(simpus, 'tech-detect');
	const r = await c.post(`/kasus/${cti}/temuan`, { temuan: `FND-${info}` });
	assert.equal(r.status, 303, r.text.slice(0, 400));
	page = await c.get(`/kasus/${cti}`);
	assert.match(page.text, new RegExp(`<a href="/kerentanan/${info}">FND-${info}</a>`));
	// two assets at once: the page says why
	const bad = await c.post(`/kasus/${cti}/temuan`, { temuan: `${info}, ${ppdb[0].id}` });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /one asset|satu aset/);
	// over the API too
	const api2 = await as('ttis')('POST', `/cases/${cti}/findings`, { findings: [id(simpus, 'wp-plugin-old')] });
	assert.equal(api2.status, 200, api2.text);
	assert.equal(api2.json.findings.length, 2);
	assert.ok(api2.json.findings.every((f) => f.kind === 'assessment'));
	// an OPD's agent may not link findings (the CSIRT's route)
	const agent = await as('agen.dinkes')('POST', `/cases/${cti}/findings`, { findings: [info] });
	assert.equal(agent.status, 403);
});

test('overdue findings wait in Tugas saya of the OPD agent, counted in the navigation', async () => {
	// the DISDIK finding is critical: due in 7 days; push it past due
	storeSql(S.dir, `UPDATE findings SET due_at = 1 WHERE id = ${ppdb[0].id}`);
	const mine = await as('agen.disdik')('GET', '/me/tasks');
	assert.equal(mine.status, 200);
	assert.deepEqual(mine.json.findings.map((f) => f.id), [ppdb[0].id]);
	assert.equal(mine.json.findings_total, 1);
	assert.ok(mine.json.total >= 1);
	// not another OPD's agent
	const other = await as('agen.dinkes')('GET', '/me/tasks');
	assert.equal(other.json.findings.length, 0);
	// the page and the navigation's count
	const c = new Client(S.base);
	await c.login('agen.disdik');
	const page = await c.get('/tugas');
	assert.match(page.text, new RegExp(`<a href="/kerentanan/${ppdb[0].id}">FND-${ppdb[0].id}</a>`));
	assert.match(page.text, /id="tasks-count"[^>]*>1</);
	// the patch SOP's administrator sees it too
	const adm = await as('administrator')('GET', '/me/tasks');
	assert.ok(adm.json.findings.some((f) => f.id === ppdb[0].id));
});

test('the findings list starts a patch case for the chosen findings, with its token and role checked', async () => {
	const tech = id(simpus, 'tech-detect');
	// the CTI officer is no staff of the patch SOP: refused on the list, nothing changed
	const t = new Client(S.base);
	await t.login('ttis');
	await t.get('/kerentanan');
	const refused = await t.post('/kerentanan/patch', { id: tech });
	assert.equal(refused.status, 403, refused.text.slice(0, 300));
	assert.match(refused.text, /class="notice error"/);
	// and is not offered it
	assert.doesNotMatch((await t.get(`/kerentanan/${tech}`)).text, /action="\/kerentanan\/patch"/);
	assert.doesNotMatch((await t.get('/kerentanan')).text, /formaction="\/kerentanan\/patch"/);
	assert.equal(JSON.parse(S.cli('vuln', 'show', String(tech), '--json')).state, 'baru');
	const c = new Client(S.base);
	await c.login('administrator');
	const page = await c.get(`/kerentanan/${tech}`);
	assert.match(page.text, /action="\/kerentanan\/patch"/);
	// without the form's token: refused
	const forged = await c.post('/kerentanan/patch', { id: tech }, { csrf: false });
	assert.equal(forged.status, 403);
	assert.equal(JSON.parse(S.cli('vuln', 'show', String(tech), '--json')).state, 'baru');
	// with it: the case's page
	const ok = await c.post('/kerentanan/patch', { id: tech });
	assert.equal(ok.status, 303, ok.text.slice(0, 300));
	assert.match(ok.location, /^\/kasus\/PAT-\d{4}-\d{4}$/);
	const f = JSON.parse(S.cli('vuln', 'show', String(tech), '--json'));
	assert.equal(f.state, 'dalam_perbaikan');
	assert.equal(f.state_reason, `kasus patch ${ok.location.slice(7)}`);
	// an open finding's page offers it; one being fixed no more
	assert.doesNotMatch((await c.get(`/kerentanan/${tech}`)).text, /action="\/kerentanan\/patch"/);
});
