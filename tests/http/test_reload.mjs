// test_reload.mjs: the rules detection runs and the SOP registry are read
// again while sigap serve runs, without a restart: `sigap rules reload` and
// `sigap sop reload` run as another process (as on another node: they move
// a change mark in the store, which every server reads once a second), and
// SIGHUP to the server itself. Files that do not load change nothing: the
// command refuses, and the server goes on with what it has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, storeLine, sshdAlert, SIGAP } from './server.mjs';

let S, T, DIR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, what) {
	for (let i = 0; i < 100; i++) {
		if (await fn()) return;
		await sleep(100);
	}
	assert.fail(`timed out waiting for ${what}`);
}

const rule = (title, id, srcip) => [
	`title: ${title}`, `id: ${id}`, 'level: high', 'logsource: {product: linux, service: sshd}',
	`detection: {sel: {srcip: '${srcip}'}, condition: sel}`, ''].join('\n');

// how many SIGHUPs the server refused so far (the log is cumulative)
const refusals = () => (S.stderr().match(/the reload was refused/g) || []).length;
const reloads = () => (S.stderr().match(/"reloaded: the configuration/g) || []).length;

const rulesNow = async () => (await api(S.base, T)('GET', '/rules')).json.rules.map((r) => r.id);
const sopsNow = async () => (await api(S.base, T)('GET', '/sops')).json.sops;

// the CLI as another process on the same store; its exit status and output
function cli(...args) {
	try {
		return { code: 0, out: execFileSync(SIGAP, args, { env: S.env, cwd: S.dir, encoding: 'utf8', stdio: 'pipe' }) };
	} catch (e) {
		return { code: e.status, out: String(e.stdout) + String(e.stderr) };
	}
}

async function alertTitles(agent) {
	const r = await api(S.base, T)('POST', '/ingest/wazuh?wait=1', sshdAlert(agent, agent === 'reload-b' ? '198.51.100.78' : '198.51.100.77'));
	assert.equal(r.status, 202);
	return (await api(S.base, T)('GET', `/alerts?asset=${agent}&limit=100`)).json.alerts.map((a) => a.title);
}

before(async () => {
	const probe = await startServer();
	DIR = probe.dir;
	await probe.stop();
	mkdirSync(join(DIR, 'rules'));
	mkdirSync(join(DIR, 'sops'));
	writeFileSync(join(DIR, 'sigap.conf'), `[database]\n${storeLine(DIR)}\n[evidence]\ndir = ${DIR}/evidence\n` +
		`[detect]\nrules = ${join(DIR, 'rules')}\n[sop]\ndir = ${join(DIR, 'sops')}\n`);
	S = await startServer('', ['--relp', '127.0.0.1:0'], DIR);
	T = S.cli('token', 'new', 'ttis', '--name', 'reload').trim();
});
after(async () => { if (S) await S.stop(); });

test('sigap rules reload: a new rule is run by the running server within seconds; before it, not', async () => {
	const id = '0b7c2a6e-1111-4c3d-8e5f-0a1b2c3d4e01';
	writeFileSync(join(DIR, 'rules', 'probe.yml'), rule('Reload Probe A', id, '198.51.100.77'));
	assert.ok(!(await rulesNow()).includes(id), 'a file dropped in is not run before the reload');
	assert.ok(!(await alertTitles('reload-a')).includes('Reload Probe A'));
	const r = cli('rules', 'reload');
	assert.equal(r.code, 0, r.out);
	assert.match(r.out, /rules and \d+ correlations checked; every sigap serve on this store runs them/);
	await until(async () => (await rulesNow()).includes(id), 'the reloaded rule listed');
	assert.ok((await alertTitles('reload-a')).includes('Reload Probe A'), 'the new rule raises its alert');
	// the page of the rule reads the set it holds
	const page = await api(S.base, T)('GET', `/rules/${id}`);
	assert.equal(page.status, 200);
	assert.equal(page.json.title, 'Reload Probe A');
	assert.match(S.stderr(), /detection: now running \d+ Sigma rules/);
});

test('sigap rules reload refuses rules that cannot be read; the server keeps running its own', async () => {
	const before = await rulesNow();
	renameSync(join(DIR, 'rules'), join(DIR, 'rules.away'));
	try {
		const r = cli('rules', 'reload');
		assert.equal(r.code, 1, r.out);
		assert.match(r.out, /the rules were not reloaded; the servers run the ones they have/);
		// SIGHUP with the directory gone: the server says so and keeps its rules
		const seen = refusals();
		S.proc.kill('SIGHUP');
		await until(() => refusals() > seen, 'the refusal logged');
		assert.match(S.stderr(), /the reload was refused: \[detect\]: .*rules/);
		assert.deepEqual(await rulesNow(), before);
		assert.ok((await alertTitles('reload-a')).includes('Reload Probe A'));
	} finally {
		renameSync(join(DIR, 'rules.away'), join(DIR, 'rules'));
	}
});

test('sigap rules reload refuses a set with one broken rule: the rule is fixed, not dropped on every node', async () => {
	const before = await rulesNow();
	writeFileSync(join(DIR, 'rules', 'rusak.yml'), "title: Rusak\nlogsource: {product: linux}\ndetection: {sel: {srcuser: [tidak ditutup\n");
	try {
		const r = cli('rules', 'reload');
		assert.equal(r.code, 1, r.out);
		assert.match(r.out, /rusak\.yml:\d+:\d+/);
		assert.match(r.out, /the rules were not reloaded/);
		await sleep(1500);
		assert.deepEqual(await rulesNow(), before);
	} finally {
		rmSync(join(DIR, 'rules', 'rusak.yml'));
	}
});

test('SIGHUP reads the rules again in this server alone', async () => {
	const id = '0b7c2a6e-2222-4c3d-8e5f-0a1b2c3d4e02';
	writeFileSync(join(DIR, 'rules', 'probe-b.yml'), rule('Reload Probe B', id, '198.51.100.78'));
	S.proc.kill('SIGHUP');
	await until(async () => (await rulesNow()).includes(id), 'the rule of SIGHUP listed');
	assert.ok((await alertTitles('reload-b')).includes('Reload Probe B'));
	assert.equal(S.proc.exitCode, null, 'SIGHUP does not stop the server');
});

test('SIGHUP with a rule file that did not load before either: the reload goes on without it, as the start did', async () => {
	const file = join(DIR, 'rules', 'never.yml');
	writeFileSync(file, "title: Never Loads\nlogsource: {product: linux}\ndetection: {sel: {a|nosuchmod: 1}, condition: sel}\n");
	try {
		let seen = reloads();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen || refusals() > 0 && S.stderr().split('\n').filter((l) => l.includes('reload was refused')).pop().includes('never.yml'), 'the first reload');
		// it runs nowhere now, so the next reload is not refused for it
		seen = reloads();
		const refused = refusals();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen || refusals() > refused, 'the second reload');
		assert.equal(refusals(), refused, 'a file that runs nowhere does not block a reload');
	} finally {
		rmSync(file);
	}
});

test('SIGHUP with a broken rule file: the reload is refused and the rule keeps running', async () => {
	const id = '0b7c2a6e-2222-4c3d-8e5f-0a1b2c3d4e02';
	const file = join(DIR, 'rules', 'probe-b.yml');
	const good = readFileSync(file, 'utf8');
	writeFileSync(file, good.replace('condition: sel}', 'condition: sel') + 'title: [tidak ditutup\n');
	try {
		const seen = refusals();
		S.proc.kill('SIGHUP');
		await until(() => refusals() > seen, 'the refusal logged');
		assert.match(S.stderr().split('\n').filter((l) => l.includes('reload was refused')).pop(), /probe-b\.yml/);
		assert.ok((await rulesNow()).includes(id), 'the rule of the broken file still runs');
		await api(S.base, T)('POST', '/ingest/wazuh?wait=1', sshdAlert('reload-d', '198.51.100.78'));
		const titles = (await api(S.base, T)('GET', '/alerts?asset=reload-d&limit=100')).json.alerts.map((a) => a.title);
		assert.ok(titles.includes('Reload Probe B'), 'and raises its alert');
	} finally {
		writeFileSync(file, good);
	}
});

test('sigap sop reload: a revised SOP file is served at once; a broken one is refused and changes nothing', async () => {
	const old = (await sopsNow()).find((s) => s.id === 'pengecualian');
	const text = readFileSync(new URL('../../sops/pengecualian.yaml', import.meta.url), 'utf8')
		.replace(/^nama: .*$/m, 'nama: SOP Pengecualian SMKI (revisi uji)');
	writeFileSync(join(DIR, 'sops', 'pengecualian.yaml'), text);
	assert.equal((await sopsNow()).find((s) => s.id === 'pengecualian').nama, old.nama, 'not before the reload');
	let r = cli('sop', 'reload');
	assert.equal(r.code, 0, r.out);
	assert.match(r.out, /SOPs checked; every sigap serve on this store reads them again/);
	await until(async () => (await sopsNow()).find((s) => s.id === 'pengecualian').nama === 'SOP Pengecualian SMKI (revisi uji)', 'the revision served');
	const now = (await sopsNow()).find((s) => s.id === 'pengecualian');
	assert.notEqual(now.sha256, old.sha256);
	// a broken file: the command refuses; SIGHUP leaves the registry as it is
	writeFileSync(join(DIR, 'sops', 'rusak.yaml'), 'id: rusak\nnama: [tidak ditutup\n');
	try {
		r = cli('sop', 'reload');
		assert.equal(r.code, 1, r.out);
		assert.match(r.out, /rusak\.yaml:\d+:\d+/);
		const seen = refusals();
		S.proc.kill('SIGHUP');
		await until(() => refusals() > seen, 'the refusal logged');
		assert.match(S.stderr().split('\n').filter((l) => l.includes('reload was refused')).pop(), /rusak\.yaml/);
		assert.equal((await sopsNow()).find((s) => s.id === 'pengecualian').sha256, now.sha256);
	} finally {
		rmSync(join(DIR, 'sops', 'rusak.yaml'));
	}
});

// a public report (its body need not be valid: the gate counts first)
const report = async () => (await fetch(`${S.base}/api/v1/reports`, {
	method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status;

test('SIGHUP reads sigap.conf again: a key that can change runs at once; one taken at the start is named and keeps its value', async () => {
	const conf = join(DIR, 'sigap.conf');
	const base = readFileSync(conf, 'utf8');
	try {
		writeFileSync(conf, base + '[web]\nreport_limit = 1\n');
		let seen = reloads();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen, 'the reload logged');
		assert.notEqual(await report(), 429, 'one report an hour: the first passes the gate');
		assert.equal(await report(), 429, 'the second is refused');
		// no limit, and a listen address, a body limit and an input moved
		writeFileSync(conf, base + '[web]\nreport_limit = 0\nlisten = 127.0.0.1:1\nbody_max = 2K\nmax_connections = 100\n' +
			'[inputs]\nsyslog_udp = 127.0.0.1:0\n[kalender]\nzona = Asia/Makassar\njam_kerja = 08:00-16:00\n');
		seen = reloads();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen, 'the second reload logged');
		assert.notEqual(await report(), 429, 'report_limit = 0 runs without a restart');
		const log = S.stderr();
		for (const key of ['\\[web\\] max_connections', '\\[web\\] body_max', '\\[inputs\\] syslog_udp', '\\[kalender\\] zona'])
			assert.match(log, new RegExp(`${key} changed: it takes effect when sigap serve restarts`));
		assert.match(log, /"reloaded: the configuration \(4 keys waiting for a restart\)/);
		assert.doesNotMatch(log, /jam_kerja changed/);
		assert.match(log.split('\n').filter((l) => l.includes('"reloaded:')).pop(), /"at":"[^"]*\+07:00"/, 'the log keeps the zone it started with');
		assert.doesNotMatch(log, /report_limit changed/);
		assert.doesNotMatch(log, /\[inputs\] relp changed/, 'an input given as an option is not a change');
		assert.doesNotMatch(log, /\[web\] listen changed/, '--listen stands over the file: not a change either');
		// the body limit is still the start's: a 4 KB body is read, not refused as too large
		const big = await fetch(`${S.base}/api/v1/reports`, { method: 'POST',
			headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(4000) }) });
		assert.notEqual(big.status, 413, 'body_max waits for the restart');
		assert.equal(big.status, 400);
		assert.equal(S.proc.exitCode, null);
	} finally {
		writeFileSync(conf, base);
	}
});

test('SIGHUP with a broken sigap.conf: every problem logged with its line, and nothing changes', async () => {
	const conf = join(DIR, 'sigap.conf');
	const base = readFileSync(conf, 'utf8');
	try {
		writeFileSync(conf, base + '[web]\nreport_limit = 1\n');
		let seen = reloads();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen, 'the reload logged');
		await report();
		assert.equal(await report(), 429);
		const lines = base.split('\n').length;
		writeFileSync(conf, base + '[web]\nreport_limit = 0\nbogus = 1\n[kalender]\nzona = Mars/Olympus\n');
		const before = (S.stderr().match(/the configuration was not reloaded/g) || []).length;
		S.proc.kill('SIGHUP');
		await until(() => (S.stderr().match(/the configuration was not reloaded/g) || []).length > before, 'the refusal logged');
		const log = S.stderr();
		assert.match(log, new RegExp(`sigap\\.conf:${lines + 2}: unknown key 'bogus' in section \\[web\\]`));
		assert.match(log, new RegExp(`sigap\\.conf:${lines + 4}: .*Mars/Olympus`));
		assert.match(log, /the configuration was not reloaded \(2 problems\): the server runs on as it was/);
		assert.equal(await report(), 429, 'report_limit = 0 of the broken file did not run');
	} finally {
		writeFileSync(conf, base);
		const seen = reloads();
		S.proc.kill('SIGHUP');
		await until(() => reloads() > seen, 'the restoring reload');
	}
});
