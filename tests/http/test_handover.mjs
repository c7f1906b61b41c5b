// test_handover.mjs: hand-overs between SOPs and alerts that follow their
// case, against a real sigap serve. A CTI case opened from alerts and
// decided FALSE NEGATIVE opens an incident case linked both ways that
// carries the alerts, which become true positives; FALSE POSITIVE marks
// them false positives with the report as the reason; an evaluation that
// needs a revision starts a drafting case; the pages link the cases and
// alerts both ways; `sigap sop validate` refuses a hand-over to nowhere
// with FILE:LINE:COL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, SIGAP } from './server.mjs';

let S, ttis;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A Wazuh sshd alert of a root login (the shipped rule "Root Login over
// SSH Accepted" raises an alert for it) on the agent named.
function wazuh(agent) {
	return {
		timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '001', name: agent },
		rule: { level: 3, description: 'sshd: authentication success.', id: '5715' },
		full_log: `Nov 23 09:00:00 ${agent} sshd[42]: Accepted password for root from 203.0.113.45 port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: agent }, decoder: { name: 'sshd' },
		data: { srcip: '203.0.113.45' }, location: '/var/log/auth.log',
	};
}

async function alertsOf(asset) {
	for (let i = 0; i < 100; i++) {
		const got = (await ttis('GET', `/alerts?asset=${asset}`)).json.alerts;
		if (got.length) return got;
		await sleep(100);
	}
	assert.fail(`no alert for ${asset}`);
}

// A CTI case for the alerts of two assets, walked to its verdict (step 6).
async function ctiAtVerdict(tag) {
	const r = await ttis('POST', '/ingest/wazuh?wait=1', [wazuh(`${tag}-1`), wazuh(`${tag}-2`)]);
	assert.equal(r.status, 202);
	const ids = [(await alertsOf(`${tag}-1`))[0].id, (await alertsOf(`${tag}-2`))[0].id];
	const c = await ttis('POST', '/alerts/case', { alerts: ids });
	assert.equal(c.status, 201);
	const t = c.json.ticket;
	// evidence on the CTI case: carried by a hand-over, and the document a
	// step may require (a file field with required: true takes its SHA-256)
	const ev = new FormData();
	ev.set('file', new Blob([`tangkapan ${tag}`]), 'tangkapan.txt');
	assert.equal((await ttis('POST', `/cases/${t}/evidence`, ev)).status, 201);
	const sha = (await ttis('GET', `/cases/${t}`)).json.evidence[0].sha256;
	const step = async (decision, values) => {
		const cur = (await ttis('GET', `/cases/${t}`)).json.current_step;
		for (const f of cur.fields) if (f.type === 'file' && f.required) values[f.name] = sha;
		const s = await ttis('POST', `/cases/${t}/steps`, decision ? { decision, values } : { values });
		assert.equal(s.status, 200, s.text);
	};
	await step(null, {});
	await step(null, {});
	await step(null, { catatan_analisis: 'Login gagal beruntun dari satu alamat' });
	await step('Ya', { hasil_analisis: 'Pola brute force SSH' });
	await step(null, { hasil_va: 'Kata sandi akun budi lemah' });
	return { t, ids, step, sha };
}

before(async () => {
	S = await startServer();
	ttis = api(S.base, S.cli('token', 'new', 'ttis', '--name', 'handover').trim());
});
after(async () => { if (S) await S.stop(); });

test('FALSE NEGATIVE: an incident case opens, linked both ways, carrying the alerts, which become true positives', async () => {
	const { t, ids, step, sha } = await ctiAtVerdict('fn');
	await step('FALSE NEGATIVE', { laporan: 'Akun budi berhasil ditebak dari 203.0.113.45' });
	const cti = (await ttis('GET', `/cases/${t}`)).json;
	assert.equal(cti.links.length, 1);
	const [to] = cti.links;
	assert.equal(to.direction, 'to');
	assert.equal(to.procedure.id, 'insiden');
	assert.equal(to.decision, 'FALSE NEGATIVE');
	const ins = (await ttis('GET', `/cases/${to.ticket}`)).json;
	assert.match(ins.ticket, /^INS-\d{4}-\d{4}$/);
	assert.deepEqual(ins.links.map((l) => [l.direction, l.ticket]), [['from', t]]);
	assert.equal(ins.fields.uraian_kejadian, 'Akun budi berhasil ditebak dari 203.0.113.45');
	assert.equal(ins.fields.sistem_terdampak, 'fn-1');
	assert.equal(ins.current_step.no, 2, "the reporter's step is done on the CTI case's behalf");
	assert.deepEqual(ins.alerts.map((a) => a.id).sort(), [...ids].sort());
	const carried = ins.evidence.find((e) => e.sha256 === sha);
	assert.equal(carried.origin, `kasus ${t}`);
	for (const id of ids) {
		const a = (await ttis('GET', `/alerts/${id}`)).json;
		assert.equal(a.status, 'true_positive');
		assert.match(a.reason, /FALSE NEGATIVE.*Akun budi/);
		assert.equal(a.case, t);
		assert.deepEqual(a.cases.map((c) => c.ticket), [t, to.ticket]);
	}
	// The reason is the CTI case's report: who reads the alerts but may not
	// see that case (the incident's officer, on the incident's page) is told
	// a case decided it, not the report; the administrator reads no alert.
	const admin = api(S.base, S.cli('token', 'new', 'admin', '--name', 'alasan').trim());
	assert.equal((await admin('GET', `/alerts/${ids[0]}`)).status, 403);
	assert.equal((await admin('GET', '/alerts')).status, 403);
	for (const id of ids)
		assert.equal((await ttis('GET', `/alerts/${id}`)).json.reason_case, t);
	const petugas = api(S.base, S.cli('token', 'new', 'petugas', '--name', 'alasan').trim());
	const seen = (await petugas('GET', `/cases/${to.ticket}`)).json;
	assert.ok(seen.alerts.length === 2 && seen.alerts.every((a) => a.reason === null && a.reason_withheld === true && a.case === null));
	assert.doesNotMatch(JSON.stringify(seen.alerts), /Akun budi/);
	const officer = new Client(S.base);
	await officer.login('petugas');
	const op = await officer.get(`/kasus/${to.ticket}`);
	assert.match(op.text, /Diputuskan oleh putusan sebuah kasus yang tidak dapat Anda lihat/);
	// the logbook entry of each decision names the case, not its report
	assert.doesNotMatch(S.cli('logbook', 'list', '--json', '--limit', '100'), /"to":"true_positive"[^}]*Akun budi/);
	// the pages link both ways
	const c = new Client(S.base);
	await c.login('ttis');
	let p = await c.get(`/kasus/${t}`);
	assert.match(p.text, /Kasus terkait/);
	assert.ok(p.text.includes(`href="/kasus/${to.ticket}"`));
	assert.ok(p.text.includes(`href="/peringatan/${ids[0]}"`));
	assert.match(p.text, /Positif benar|True positive/);
	p = await c.get(`/kasus/${to.ticket}`);
	assert.ok(p.text.includes(`href="/kasus/${t}"`));
	assert.ok(p.text.includes(`href="/peringatan/${ids[1]}"`));
	p = await c.get(`/peringatan/${ids[0]}`);
	assert.ok(p.text.includes(`href="/kasus/${t}"`) && p.text.includes(`href="/kasus/${to.ticket}"`));
	// the logbook holds the hand-over and each alert's decision
	const log = S.cli('logbook', 'list', '--json', '--limit', '100');
	assert.match(log, /case\.handover/);
	assert.equal((log.match(/"alert\.decide"/g) || []).length, 2);
	assert.match(S.cli('logbook', 'verify'), /ok|whole|utuh/i);
	// the command line shows the link
	assert.match(S.cli('case', 'show', to.ticket), new RegExp(`handed over from ${t}`));
});

test('FALSE POSITIVE: the case closes and its alerts are false positives with the report as reason', async () => {
	const { t, ids, step } = await ctiAtVerdict('fp');
	await step('FALSE POSITIVE', { laporan: 'Pemindaian terjadwal oleh tim internal' });
	const cti = (await ttis('GET', `/cases/${t}`)).json;
	assert.equal(cti.status, 'closed');
	assert.equal(cti.links.length, 0);
	for (const id of ids) {
		const a = (await ttis('GET', `/alerts/${id}`)).json;
		assert.equal(a.status, 'false_positive');
		assert.match(a.reason, /Pemindaian terjadwal/);
		assert.equal(a.decided_by, 'ttis');
	}
});

test('evaluasi "Perlu Revisi" starts a penyusunan case for the same policy', async () => {
	const ev = api(S.base, S.cli('token', 'new', 'evaluasi', '--name', 'handover').trim());
	// the demo's published policy of the library
	const policy = String((await ev('GET', '/policies')).json.policies[0].id);
	let r = await ev('POST', '/cases', { procedure: 'kebijakan/evaluasi', title: 'Evaluasi kebijakan kata sandi', fields: { kebijakan: policy } });
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	r = await ev('POST', `/cases/${t}/steps`, { values: { telaahan: 'Kepatuhan rendah' } });
	assert.equal(r.status, 200, r.text);
	r = await ev('POST', `/cases/${t}/steps`, { decision: 'Perlu Revisi', values: { analisis: 'Perlu panjang minimum 12' } });
	assert.equal(r.status, 200, r.text);
	const c = (await ev('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 3);
	const [l] = c.links;
	assert.equal(l.procedure.id, 'kebijakan/penyusunan');
	const kbs = (await ev('GET', `/cases/${l.ticket}`)).json;
	assert.match(kbs.ticket, /^KBS-/);
	assert.equal(kbs.fields.kebijakan, policy);
	assert.equal(kbs.current_step.no, 1);
	assert.deepEqual(kbs.links.map((x) => [x.direction, x.ticket]), [['from', t]]);
});

test('sigap sop validate refuses a hand-over to a procedure no SOP has, at FILE:LINE:COL', () => {
	const bad = join(S.dir, 'cti-bad.yaml');
	writeFileSync(bad, readFileSync('sops/cti.yaml', 'utf8').replace('start: insiden', 'start: insidne'));
	let err = '';
	assert.throws(() => {
		try {
			execFileSync(SIGAP, ['sop', 'validate', bad], { env: S.env, encoding: 'utf8', stdio: 'pipe' });
		} catch (e) { err = e.stderr; throw e; }
	});
	assert.match(err, new RegExp(`${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: step 6: branch 'FALSE NEGATIVE' starts procedure 'insidne'`));
	// the same file beside one that has the procedure is accepted
	const ok = join(S.dir, 'insidne.yaml');
	writeFileSync(ok, readFileSync('sops/insiden.yaml', 'utf8').replace('id: insiden', 'id: insidne').replace('ticket_prefix: INS', 'ticket_prefix: INX'));
	const out = execFileSync(SIGAP, ['sop', 'validate', bad, ok], { env: S.env, encoding: 'utf8', stdio: 'pipe' });
	assert.match(out, /cti-bad\.yaml: ok/);
});

test('a correlation alert shows its member events, asset and source address', async () => {
	const lines = [];
	for (let i = 0; i < 10; i++) {
		const w = wazuh('corr-1');
		w.rule = { level: 5, description: 'sshd: authentication failed.', id: '5760' };
		w.full_log = `Nov 23 09:00:0${i} corr-1 sshd[42]: Failed password for user${i} from 198.51.100.23 port 4242 ssh2`;
		w.data = { srcip: '198.51.100.23' };
		lines.push(w);
	}
	assert.equal((await ttis('POST', '/ingest/wazuh?wait=1', lines)).status, 202);
	const [a] = await alertsOf('corr-1');
	assert.equal(a.title, 'SSH Password Guessing from One Address');
	assert.equal(a.source_ip, '198.51.100.23');
	const got = (await ttis('GET', `/alerts/${a.id}`)).json;
	const c = got.event.correlation;
	assert.equal(c.type, 'event_count');
	assert.equal(c.group, '198.51.100.23');
	assert.equal(c.members.length, 10);
	assert.match(c.members[0].event, /Failed password for user0 from 198\.51\.100\.23/);
	assert.match(c.members[9].event, /user9/);
	const cl = new Client(S.base);
	await cl.login('ttis');
	const p = await cl.get(`/peringatan/${a.id}`);
	assert.match(p.text, /Peristiwa anggota/);
	assert.match(p.text, /Failed password for user5/);
	assert.match(p.text, /corr-1/);
});
