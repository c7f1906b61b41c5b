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
	S = await startServer('', [], DIR);
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
		S.proc.kill('SIGHUP');
		await until(() => /the rules were not reloaded; detection runs the ones it has/.test(S.stderr()), 'the refusal logged');
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
		S.proc.kill('SIGHUP');
		await until(() => /the SOPs were not reloaded; the server keeps the ones it has/.test(S.stderr()), 'the refusal logged');
		assert.equal((await sopsNow()).find((s) => s.id === 'pengecualian').sha256, now.sha256);
	} finally {
		rmSync(join(DIR, 'sops', 'rusak.yaml'));
	}
});
