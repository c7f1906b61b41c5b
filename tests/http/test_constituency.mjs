// test_constituency.mjs: an agen_siber's constituency against a real
// sigap serve on the demo data: alerts attached to the asset their event
// names (Wazuh agent id, host), the unmatched ones listed and attached by
// TTIS; an agen_siber reads its OPD's alerts and not another's (404), and
// reports an incident for its OPD, which its OPD's other people see and
// another OPD's agent does not: in the list, the dashboard, the case page
// and the API. The command line's side is in tests/cli/test_cli.sh.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeLine } from './server.mjs';

let S;
const tokens = {};
const USERS = ['agen.dinkes', 'agen.disdik', 'ttis', 'petugas', 'pelapor'];
const as = (u) => api(S.base, tokens[u]);
const ATTACKER = '192.0.2.210';

// A Wazuh sshd alert from the attacker against the agent given.
function wazuh(agent, host = agent.name) {
	return {
		timestamp: '2026-11-23T09:00:00.000+0700', agent,
		rule: { level: 5, description: 'sshd: authentication failed.', id: '5760' },
		full_log: `Nov 23 09:00:00 ${host} sshd[42]: Failed password for budi from ${ATTACKER} port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: host }, decoder: { name: 'sshd' },
		data: { srcip: ATTACKER }, location: '/var/log/auth.log',
	};
}

const alerts = {};

before(async () => {
	const probe = await startServer();
	const dir = probe.dir;
	await probe.stop();
	mkdirSync(join(dir, 'rules'));
	writeFileSync(join(dir, 'rules', 'site.yml'), [
		'title: Login Attempt from a Known Attacker', 'id: 0c6f3b58-1d0a-4f3e-9a51-6b1d1c2e7f10',
		'logsource: {product: linux, service: sshd}',
		`detection: {sel: {srcip: '${ATTACKER}'}, condition: sel}`, 'level: high', ''].join('\n'));
	writeFileSync(join(dir, 'sigap.conf'), `[database]\n${storeLine(dir)}\n[evidence]\ndir = ${dir}/evidence\n` +
		`[detect]\nrules = ${join(dir, 'rules')}\n`);
	S = await startServer('', [], dir);
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'konstituen').trim();
	// SIMPUS (DINKES) by its agent id, PPDB (DISDIK) by its host name, and
	// a machine nobody registered
	const events = [wazuh({ id: '003', name: 'web-dinkes01' }),
		wazuh({ id: '090', name: 'ppdb-web' }, 'ppdb.contohkab.go.id'),
		wazuh({ id: '091', name: 'lab-unknown' })];
	const r = await as('ttis')('POST', '/ingest/wazuh?wait=1', events);
	assert.equal(r.status, 202, r.text);
	const list = await as('ttis')('GET', '/alerts?limit=100');
	for (const a of list.json.alerts) alerts[a.asset] = a;
	for (const k of ['web-dinkes01', 'ppdb-web', 'lab-unknown']) assert.ok(alerts[k], `alert of ${k}: ${list.text}`);
});
after(async () => { if (S) await S.stop(); });

async function assetId(name) {
	const r = await as('ttis')('GET', '/assets?q=' + encodeURIComponent(name));
	return r.json.assets.find((x) => x.name === name).id;
}

test('alerts are attached to the asset their event names; what matches none is listed for TTIS to attach', async () => {
	const simpus = await assetId('SIMPUS (Sistem Informasi Puskesmas)');
	const ppdb = await assetId('PPDB Daring');
	assert.equal(alerts['web-dinkes01'].asset_id, simpus);
	assert.equal(alerts['ppdb-web'].asset_id, ppdb);
	assert.equal(alerts['lab-unknown'].asset_id, null);
	const um = await as('ttis')('GET', '/alerts?unmatched=1');
	assert.equal(um.status, 200);
	assert.deepEqual(um.json.alerts.map((a) => a.id), [alerts['lab-unknown'].id]);
	assert.equal(um.json.total, 1);
	// the page marks it and offers TTIS the form
	const c = new Client(S.base);
	await c.login('ttis');
	let page = await c.get(`/peringatan/${alerts['lab-unknown'].id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /action="\/peringatan\/\d+\/aset"/);
	page = await c.get(`/peringatan/${alerts['web-dinkes01'].id}`);
	assert.match(page.text, new RegExp(`href="/aset/${simpus}"`));
	// an agen_siber may not attach; a bad asset number is refused
	const id = alerts['lab-unknown'].id;
	assert.equal((await as('agen.dinkes')('POST', `/alerts/${id}/asset`, { asset: simpus })).status, 403);
	let r = await as('ttis')('POST', `/alerts/${id}/asset`, { asset: 'x' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.code, 'invalid');
	r = await as('ttis')('POST', `/alerts/${id}/asset`, { asset: 999999 });
	assert.equal(r.status, 404);
	// the web form, with its CSRF token, attaches it
	await c.get(`/peringatan/${id}`);
	const jaringan = await assetId('Jaringan Dinas Kesehatan dan Puskesmas');
	const done = await c.post(`/peringatan/${id}/aset`, { asset: String(jaringan) });
	assert.equal(done.status, 303, done.text);
	assert.equal((await as('ttis')('GET', `/alerts/${id}`)).json.asset_id, jaringan);
	assert.equal((await as('ttis')('GET', '/alerts?unmatched=1')).json.total, 0);
	// without the token, nothing
	const c2 = new Client(S.base);
	await c2.login('ttis');
	assert.equal((await c2.post(`/peringatan/${id}/aset`, { asset: String(simpus) }, { csrf: false })).status, 403);
});

test('an agen_siber reads its OPD\'s alerts only, read-only; another OPD\'s alert is 404', async () => {
	const mine = await as('agen.dinkes')('GET', '/alerts');
	assert.equal(mine.status, 200);
	const ids = mine.json.alerts.map((a) => a.id);
	assert.ok(ids.includes(alerts['web-dinkes01'].id));
	assert.ok(!ids.includes(alerts['ppdb-web'].id));
	assert.equal(mine.json.total, ids.length);
	const other = await as('agen.dinkes')('GET', `/alerts/${alerts['ppdb-web'].id}`);
	assert.equal(other.status, 404);
	assert.equal(other.json.error.code, 'not_found');
	assert.equal((await as('agen.disdik')('GET', `/alerts/${alerts['ppdb-web'].id}`)).status, 200);
	// no triage
	const d = await as('agen.dinkes')('POST', `/alerts/${alerts['web-dinkes01'].id}/decision`, { status: 'triage' });
	assert.equal(d.status, 403);
	// the pages: its alert without the decision form, the other 404
	const c = new Client(S.base);
	await c.login('agen.dinkes');
	const list = await c.get('/peringatan');
	assert.equal(list.status, 200);
	assert.doesNotMatch(list.text, /ppdb-web/);
	assert.doesNotMatch(list.text, /action="\/peringatan\/kasus"/);
	const page = await c.get(`/peringatan/${alerts['web-dinkes01'].id}`);
	assert.equal(page.status, 200);
	assert.doesNotMatch(page.text, /keputusan/);
	assert.equal((await c.get(`/peringatan/${alerts['ppdb-web'].id}`)).status, 404);
	// outside actors still may not read alerts
	assert.equal((await as('pelapor')('GET', '/alerts')).status, 403);
});

test('an agen_siber reports an incident for its OPD; its OPD sees the case, another OPD does not', async () => {
	const simpus = await assetId('SIMPUS (Sistem Informasi Puskesmas)');
	const ppdb = await assetId('PPDB Daring');
	const fields = { pelapor_nama: 'Agen Dinkes', pelapor_kontak: 'agen@dinkes.contohkab.go.id',
		sistem_terdampak: 'https://simpus.contohkab.go.id/', uraian_kejadian: 'Halaman depan diganti', aset: String(simpus) };
	// another OPD's asset is refused as unknown
	let r = await as('agen.dinkes')('POST', '/cases', { procedure: 'insiden', title: 'Deface', fields: { ...fields, aset: String(ppdb) } });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /no asset/);
	r = await as('agen.dinkes')('POST', '/cases', { procedure: 'insiden', title: 'Deface SIMPUS', fields });
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	// its report is made: the case stands at the officer's step
	const staff = await as('petugas')('GET', `/cases/${ticket}`);
	assert.equal(staff.json.current_step.no, 2);
	assert.deepEqual(staff.json.assets.map((a) => a.id), [simpus]);
	const pc = new Client(S.base);
	await pc.login('petugas');
	assert.match((await pc.get(`/kasus/${ticket}`)).text, new RegExp(`href="/aset/${simpus}"`));
	// the API: the agent sees it, the other OPD's gets 404 and no row
	assert.equal((await as('agen.dinkes')('GET', `/cases/${ticket}`)).status, 200);
	const not = await as('agen.disdik')('GET', `/cases/${ticket}`);
	assert.equal(not.status, 404);
	const listOf = async (u) => (await as(u)('GET', '/cases?limit=200')).json;
	const dk = await listOf('agen.dinkes');
	assert.ok(dk.cases.some((c) => c.ticket === ticket));
	const dd = await listOf('agen.disdik');
	assert.ok(!dd.cases.some((c) => c.ticket === ticket));
	// a patch case on the other OPD's asset is the other OPD's
	const p = await as('petugas')('GET', '/cases?limit=200');
	assert.equal(p.status, 200);
	// the dashboard counts what the list shows
	for (const [u, l] of [['agen.dinkes', dk], ['agen.disdik', dd]]) {
		const dash = await as(u)('GET', '/dashboard');
		assert.equal(dash.status, 200);
		const open = l.cases.filter((c) => c.status === 'open').length;
		assert.equal(dash.json.open, open, `${u}: dashboard open = list's open`);
	}
	// the pages
	const c = new Client(S.base);
	await c.login('agen.disdik');
	assert.equal((await c.get(`/kasus/${ticket}`)).status, 404);
	const c2 = new Client(S.base);
	await c2.login('agen.dinkes');
	assert.equal((await c2.get(`/kasus/${ticket}`)).status, 200);
	// the staff attach the other OPD's asset by hand: then it sees the case,
	// and of its assets only its own
	assert.equal((await as('agen.dinkes')('POST', `/cases/${ticket}/assets`, { asset: ppdb })).status, 403);
	r = await as('petugas')('POST', `/cases/${ticket}/assets`, { asset: ppdb });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.assets.map((a) => a.via).sort(), ['field', 'hand']);
	const seen = await as('agen.disdik')('GET', `/cases/${ticket}`);
	assert.equal(seen.status, 200);
	assert.equal(seen.json.sight, 'limited');
	assert.deepEqual(seen.json.assets.map((a) => a.id), [ppdb]);
});

test('a CTI case opened for an OPD\'s alert is that OPD\'s to see, through the alert\'s asset', async () => {
	const r = await as('ttis')('POST', '/alerts/case', { alerts: [alerts['ppdb-web'].id] });
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	assert.equal((await as('agen.disdik')('GET', `/cases/${ticket}`)).status, 200);
	assert.equal((await as('agen.dinkes')('GET', `/cases/${ticket}`)).status, 404);
});
