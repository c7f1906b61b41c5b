// test_wazuh_integration.mjs: integrations/wazuh/custom-sigap run exactly
// as wazuh-integratord 4.x runs an integration (the alert written to
// /tmp/custom-sigap-TIME-RANDOM.alert as one line of JSON; the command line
// "integrations FILE KEY URL DEBUG OPTIONS TIMEOUT RETRIES > /dev/null 2>&1"
// split at spaces into at most nine arguments; the path
// integrations/custom-sigap from the Wazuh directory; stdout and stderr
// into one stream; the last line of it is what ossec.log shows on
// failure) against a real sigap serve: the alert is stored and raised by
// its rule; a wrong token, a token without the role, sigap down or slow,
// and TLS with a private CA each end with their exit status and one clear
// line; the stock integrations' way (no Authorization header) gets the
// API's JSON error telling what to send. With a spool, an alert sigap
// cannot take is kept and sent, in order, once sigap takes alerts again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'integrations/wazuh/custom-sigap');
// Wazuh's own alert sample (../shared/data, when it is there)
const SAMPLE = join(ROOT, '../shared/data/wazuh/alerts_sample.jsonl');

// The integration needs curl (scripts/install-deps.sh --test installs it).
const CURL = spawnSync('curl', ['--version']).status === 0 ? {} : { skip: 'curl is not installed' };

let S, T, OSSEC;
before(async () => {
	S = await startServer();
	T = S.cli('token', 'new', 'ttis', '--name', 'wazuh-manager').trim();
	// the Wazuh directory: integrations/custom-sigap, mode 750 (root:wazuh)
	OSSEC = mkdtempSync(join(tmpdir(), 'sigap-ossec-'));
	mkdirSync(join(OSSEC, 'integrations'));
	copyFileSync(SCRIPT, join(OSSEC, 'integrations/custom-sigap'));
	chmodSync(join(OSSEC, 'integrations/custom-sigap'), 0o750);
});
after(async () => { if (S) await S.stop(); });

const HOOK = () => `${S.base}/api/v1/ingest/wazuh`;

// OS_StrBreak(' ', cmd, n): at most n pieces, the last one the rest.
function strBreak(cmd, n) {
	const out = [];
	let rest = cmd;
	while (out.length < n - 1 && rest.includes(' ')) {
		const i = rest.indexOf(' ');
		out.push(rest.slice(0, i));
		rest = rest.slice(i + 1);
	}
	out.push(rest);
	return out;
}

// Runs custom-sigap for one alert as wazuh-integratord does
// (src/os_integrator/integrator.c: 4.8 and later by default; 4.7 passed no
// timeout and retries, earlier 4.x no options file either); alertText:
// the file's content, or an object written as compact JSON. Resolves
// {status, output, last, ms}.
function integratord(alertText, { key = T, url = HOOK(), debug = false, options = null, timeout = 10, retries = 3, wazuh = '4.8', ossec = OSSEC } = {}) {
	const stamp = `${Math.floor(Date.now() / 1000)}-${Math.floor(Math.random() * 2 ** 31)}`;
	const file = join(tmpdir(), `custom-sigap-${stamp}.alert`);
	writeFileSync(file, typeof alertText === 'string' ? alertText : JSON.stringify(alertText) + '\n');
	let opt = '';
	if (options !== null) {
		opt = join(tmpdir(), `custom-sigap-${stamp}.options`);
		writeFileSync(opt, options + '\n');
	}
	const args = { '4.8': [debug ? 'debug' : '', opt, timeout, retries], '4.7': [debug ? 'debug' : '', opt], '4.6': [debug ? 'debug' : ''] }[wazuh];
	let cmd = ['integrations', file, key, url, ...args].join(' ');
	if (!debug) cmd += ' > /dev/null 2>&1'; // not a redirection: one more argument
	const argv = strBreak(cmd, { '4.8': 9, '4.7': 7, '4.6': 5 }[wazuh]);
	const out = join(ossec, `out-${stamp}`);
	const fd = openSync(out, 'w');
	const t0 = Date.now();
	const child = spawn('integrations/custom-sigap', argv.slice(1), {
		cwd: ossec, argv0: argv[0], detached: true, // execvp from the Wazuh directory, after setsid()
		stdio: ['ignore', fd, fd], // stdout and stderr into one stream, as wpopenv binds them
		env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }, // systemd's
	});
	closeSync(fd);
	return new Promise((res, rej) => {
		child.on('error', rej);
		child.on('exit', (status) => {
			const output = readFileSync(out, 'utf8');
			for (const f of [file, opt, out]) if (f) unlinkSync(f);
			const lines = output.split('\n').filter(Boolean);
			res({ status, output, last: lines[lines.length - 1] ?? '', ms: Date.now() - t0 });
		});
	});
}

// A Wazuh 4.x alert of rule 5710, as alerts.json holds it.
function wazuhAlert(agent, srcip = '198.51.100.23') {
	return {
		timestamp: '2026-11-23T09:15:02.318+0700',
		rule: { level: 5, description: 'sshd: Attempt to login using a non-existent user', id: '5710',
			mitre: { id: ['T1110.001', 'T1021.004'], tactic: ['Credential Access', 'Lateral Movement'], technique: ['Password Guessing', 'SSH'] },
			firedtimes: 1, mail: false, groups: ['syslog', 'sshd', 'authentication_failed', 'invalid_login'] },
		agent: { id: '004', name: agent, ip: '10.20.0.14' }, manager: { name: 'wazuh-manager' },
		id: '1795400102.88120', full_log: `Nov 23 09:15:01 ${agent} sshd[2411]: Invalid user admin from ${srcip} port 51234`,
		predecoder: { program_name: 'sshd', timestamp: 'Nov 23 09:15:01', hostname: agent },
		decoder: { parent: 'sshd', name: 'sshd' }, data: { srcip, srcport: '51234', srcuser: 'admin' },
		location: '/var/log/auth.log',
	};
}

async function alertsOf(asset) {
	return (await api(S.base, T)('GET', `/alerts?asset=${encodeURIComponent(asset)}&limit=100`)).json.alerts;
}

test('an alert handed over as integratord runs the integration is stored and raised by its rule', CURL, async () => {
	const r = await integratord(wazuhAlert('srv-kominfo-01'));
	assert.equal(r.status, 0, r.output);
	assert.equal(r.output, '', 'quiet when all is well and integratord is not in debug mode');
	const [a] = await alertsOf('srv-kominfo-01');
	assert.equal(a.title, 'SSH Login Attempt with an Unknown Account');
	assert.equal(a.source_ip, '198.51.100.23');
	const one = (await api(S.base, T)('GET', `/alerts/${a.id}`)).json;
	assert.equal(one.event.fields['rule.id'], '5710');
	// in debug mode integratord logs what the script says
	const d = await integratord(wazuhAlert('srv-kominfo-02'), { debug: true });
	assert.equal(d.status, 0, d.output);
	assert.match(d.last, /^custom-sigap: sigap stored the alert \(HTTP 202, attempt 1\)/);
	assert.equal((await alertsOf('srv-kominfo-02')).length, 1);
	// the command lines of earlier 4.x releases
	for (const wazuh of ['4.7', '4.6']) {
		const o = await integratord(wazuhAlert(`srv-wazuh-${wazuh}`), { wazuh });
		assert.equal(o.status, 0, `${wazuh}: ${o.output}`);
		assert.equal((await alertsOf(`srv-wazuh-${wazuh}`)).length, 1, wazuh);
	}
});

test("Wazuh's own alert sample (../shared/data) is stored as it is", CURL, async (t) => {
	if (!existsSync(SAMPLE)) return t.skip(`${SAMPLE} is not there (../shared/data is not part of the repository)`);
	const line = readFileSync(SAMPLE, 'utf8').split('\n')[0];
	const r = await integratord(line + '\n');
	assert.equal(r.status, 0, r.output);
	const [a] = await alertsOf('localhost.localdomain');
	assert.equal(a.source_ip, '172.17.1.1');
	assert.equal(a.title, 'SSH Login Attempt with an Unknown Account');
	assert.equal((await api(S.base, T)('GET', `/alerts/${a.id}`)).json.event.fields.id, '1652272159.1549653');
});

test('a wrong token: exit 4, one line naming the refusal; the API answered its JSON error; nothing stored', CURL, async () => {
	const wrong = 'sgp_' + '0'.repeat(40);
	const r = await integratord(wazuhAlert('srv-wrong-key'), { key: wrong });
	assert.equal(r.status, 4, r.output);
	assert.equal(r.last, 'custom-sigap: sigap refused the alert with HTTP 401: unauthorized: unknown or revoked API token (not sent again)');
	const direct = await api(S.base, wrong)('POST', '/ingest/wazuh', wazuhAlert('srv-wrong-key'));
	assert.equal(direct.status, 401);
	assert.equal(direct.headers.get('content-type'), 'application/json');
	assert.deepEqual(JSON.parse(direct.text), { error: { code: 'unauthorized', message: 'unknown or revoked API token' } });
	assert.equal((await alertsOf('srv-wrong-key')).length, 0);
	// a token of a user without the role ttis
	const pelapor = S.cli('token', 'new', 'pelapor', '--name', 'x').trim();
	const p = await integratord(wazuhAlert('srv-wrong-key'), { key: pelapor });
	assert.equal(p.status, 4, p.output);
	assert.match(p.last, /HTTP 403: forbidden: alerts and threat indicators are handled by the roles ttis, kabid and admin/);
	// the token pasted with its scheme, or no token at all: refused before sending
	const b = await integratord(wazuhAlert('srv-wrong-key'), { key: `Bearer:${T}` });
	assert.equal(b.status, 2, b.output);
	assert.match(b.last, /<api_key> is not a sigap token: give the token alone/);
	const none = await integratord(wazuhAlert('srv-wrong-key'), { key: '' });
	assert.equal(none.status, 2, none.output);
	assert.match(none.last, /no token: set <api_key> to a sigap token of a user with the role ttis \(sigap token new USER\)/);
	assert.equal((await alertsOf('srv-wrong-key')).length, 0);
});

test("the stock integrations' request, with no Authorization header, is told what to send", async () => {
	const res = await fetch(HOOK(), { method: 'POST', body: JSON.stringify(wazuhAlert('srv-stock')),
		headers: { 'Content-Type': 'application/json', 'X-Api-Key': T } });
	assert.equal(res.status, 401);
	assert.deepEqual(await res.json(), { error: { code: 'unauthorized',
		message: "this route needs an API token: send the header 'Authorization: Bearer TOKEN' (sigap token new USER makes one)" } });
});

test('sigap down: every attempt is made, then exit 5 with the reason; a missing alert file is exit 6', CURL, async () => {
	const port = await new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
	const r = await integratord(wazuhAlert('srv-down'), { url: `http://127.0.0.1:${port}/api/v1/ingest/wazuh`, retries: 2, debug: true });
	assert.equal(r.status, 5, r.output);
	assert.equal(r.output.match(/attempt \d: cannot reach sigap/g).length, 2, r.output);
	assert.match(r.last, new RegExp(`^custom-sigap: the alert was not stored after 3 attempt\\(s\\): cannot reach sigap at http://127\\.0\\.0\\.1:${port}/api/v1/ingest/wazuh: curl: \\(7\\)`));
	assert.ok(r.ms >= 3000, 'waits 1 s, then 2 s, between attempts');
	const f = await new Promise((res, rej) => {
		const child = spawn('integrations/custom-sigap', ['/tmp/custom-sigap-0-0.alert', T, HOOK(), '', '', '10', '3'], { cwd: OSSEC });
		let out = '';
		child.stderr.on('data', (d) => { out += d; });
		child.on('error', rej);
		child.on('exit', (status) => res({ status, out }));
	});
	assert.equal(f.status, 6);
	assert.match(f.out, /the alert file '\/tmp\/custom-sigap-0-0\.alert' cannot be read/);
});

test('a server that answers 503 is asked again; the request carries the bearer token, JSON type and the alert byte for byte', CURL, async () => {
	const seen = [];
	const fake = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => { body += d; });
		req.on('end', () => {
			seen.push({ auth: req.headers.authorization, type: req.headers['content-type'], body });
			const first = seen.length === 1;
			res.writeHead(first ? 503 : 202, { 'Content-Type': 'application/json' });
			res.end(first ? '{"error":{"code":"busy","message":"the detection queue is full; send again later"}}' : '{"accepted":1}');
		});
	});
	await new Promise((r) => fake.listen(0, '127.0.0.1', r));
	const text = JSON.stringify(wazuhAlert('srv-fake')) + '\n';
	try {
		const r = await integratord(text, { url: `http://127.0.0.1:${fake.address().port}/api/v1/ingest/wazuh`, debug: true });
		assert.equal(r.status, 0, r.output);
		assert.match(r.output, /attempt 1: sigap answered HTTP 503: busy: the detection queue is full; send again later; again in 1 s/);
	} finally {
		fake.close();
	}
	assert.equal(seen.length, 2);
	assert.equal(seen[1].auth, `Bearer ${T}`);
	assert.equal(seen[1].type, 'application/json');
	assert.equal(seen[1].body, text);
});

test("an address that is not sigap's hook: a redirection or a 200 is not taken for stored", CURL, async () => {
	const fake = http.createServer((req, res) => {
		req.resume();
		if (req.url === '/old') res.writeHead(301, { Location: 'https://sigap.example/api/v1/ingest/wazuh' }).end();
		else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>');
	});
	await new Promise((r) => fake.listen(0, '127.0.0.1', r));
	const base = `http://127.0.0.1:${fake.address().port}`;
	try {
		const moved = await integratord(wazuhAlert('srv-moved'), { url: `${base}/old` });
		assert.equal(moved.status, 4, moved.output);
		assert.match(moved.last, /answered HTTP 301, a redirection: give the address it leads to in <hook_url>/);
		const page = await integratord(wazuhAlert('srv-moved'), { url: `${base}/login` });
		assert.equal(page.status, 4, page.output);
		assert.match(page.last, /answered HTTP 200, not sigap's 202: is <hook_url> sigap's \/api\/v1\/ingest\/wazuh\?/);
	} finally {
		fake.close();
	}
});

test('a silent server: an attempt ends at <timeout>', CURL, async () => {
	const held = [];
	const silent = net.createServer((c) => held.push(c));
	await new Promise((r) => silent.listen(0, '127.0.0.1', r));
	try {
		const r = await integratord(wazuhAlert('srv-slow'), { url: `http://127.0.0.1:${silent.address().port}/x`, timeout: 1, retries: 0 });
		assert.equal(r.status, 5, r.output);
		assert.match(r.last, /not stored after 1 attempt\(s\): cannot reach sigap .*curl: \(28\)/);
		assert.ok(r.ms < 5000, `took ${r.ms} ms`);
	} finally {
		for (const c of held) c.destroy();
		silent.close();
	}
});

test("TLS: sigap's certificate is verified; a private CA is given in <options> ca_file", CURL, async (t) => {
	const dir = mkdtempSync(join(tmpdir(), 'sigap-tls-'));
	const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
	try {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
			'-subj', '/CN=sigap.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
	} catch {
		return t.skip('openssl is not installed');
	}
	const s = await startServer('', ['--tls-cert', cert, '--tls-key', key]);
	const token = s.cli('token', 'new', 'ttis', '--name', 'wazuh-manager').trim();
	try {
		const url = `https://127.0.0.1:${s.port}/api/v1/ingest/wazuh`;
		const r = await integratord(wazuhAlert('srv-tls'), { url, key: token });
		assert.equal(r.status, 5, r.output);
		assert.match(r.last, /^custom-sigap: TLS with https:\/\/127\.0\.0\.1:\d+\/api\/v1\/ingest\/wazuh failed: curl: \(60\).*\(a private CA: set ca_file in <options>; not sent again\)$/);
		const ok = await integratord(wazuhAlert('srv-tls'), { url, key: token, options: JSON.stringify({ ca_file: cert }) });
		assert.equal(ok.status, 0, ok.output);
		const missing = await integratord(wazuhAlert('srv-tls'), { url, key: token, options: '{"ca_file": "/nonexistent/ca.pem"}' });
		assert.equal(missing.status, 2, missing.output);
		assert.match(missing.last, /<options> ca_file '\/nonexistent\/ca\.pem' cannot be read/);
		assert.equal(JSON.parse(s.cli('alert', 'list', '--asset', 'srv-tls', '--json')).alerts.length, 1);
	} finally {
		await s.stop();
	}
});

// A port nothing listens on.
async function closedPort() {
	return new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
}
const spooledIn = (dir) => readdirSync(dir).filter((f) => f.endsWith('.alert')).sort();

test('sigap down with a spool: the alert is kept (exit 3), the next ones go behind it without retries, and all are sent in order once sigap answers', CURL, async () => {
	const spool = mkdtempSync(join(tmpdir(), 'sigap-spool-'));
	const options = JSON.stringify({ spool_dir: spool });
	const down = `http://127.0.0.1:${await closedPort()}/api/v1/ingest/wazuh`;
	const a = await integratord(wazuhAlert('srv-spool-a'), { url: down, retries: 1, options });
	assert.equal(a.status, 3, a.output);
	assert.match(a.last, new RegExp(`^custom-sigap: the alert was not stored after 2 attempt\\(s\\): cannot reach sigap at .*; the alert is kept in ${spool} \\(1 waiting\\) and is sent with the next alert once sigap takes it$`));
	assert.ok(a.ms >= 1000, 'the first one is tried again, as without a spool');
	const b = await integratord(wazuhAlert('srv-spool-b'), { url: down, retries: 3, options });
	assert.equal(b.status, 3, b.output);
	assert.match(b.last, /the alerts spooled before this one still are not taken: cannot reach sigap .*\(2 waiting\)/);
	assert.ok(b.ms < 1000, `behind the spooled one at once, no retries (${b.ms} ms)`);
	const kept = spooledIn(spool);
	assert.equal(kept.length, 2);
	assert.match(readFileSync(join(spool, kept[0]), 'utf8'), /srv-spool-a/, 'oldest first, byte for byte');
	assert.equal(readFileSync(join(spool, kept[1]), 'utf8'), JSON.stringify(wazuhAlert('srv-spool-b')) + '\n');
	// sigap answers again: the spooled ones go first, then this one
	const c = await integratord(wazuhAlert('srv-spool-c'), { options, debug: true });
	assert.equal(c.status, 0, c.output);
	assert.match(c.output, /sent 2 spooled alert\(s\) to sigap/);
	assert.deepEqual(spooledIn(spool), []);
	assert.equal(existsSync(join(spool, '.lock')), false, 'the lock is let go');
	const ids = [];
	for (const agent of ['srv-spool-a', 'srv-spool-b', 'srv-spool-c']) {
		const got = await alertsOf(agent);
		assert.equal(got.length, 1, agent);
		ids.push(got[0].id);
	}
	assert.deepEqual([...ids].sort((x, y) => x - y), ids, 'stored in the order they were raised');
});

test('the spool: a refused token keeps the alert until the token is fixed; spool_max bounds it; an alert sigap refuses is set aside; a bad spool_dir is said', CURL, async () => {
	const spool = mkdtempSync(join(tmpdir(), 'sigap-spool-'));
	const wrong = 'sgp_' + '1'.repeat(40);
	const k = await integratord(wazuhAlert('srv-spool-key'), { key: wrong, options: JSON.stringify({ spool_dir: spool }) });
	assert.equal(k.status, 3, k.output);
	assert.match(k.last, /sigap refused the alert with HTTP 401: unauthorized: unknown or revoked API token; the alert is kept in .* \(1 waiting\)/);
	// full: the next one is not kept, and says so
	const full = await integratord(wazuhAlert('srv-spool-full'), { key: wrong, options: JSON.stringify({ spool_dir: spool, spool_max: 1 }) });
	assert.equal(full.status, 5, full.output);
	assert.match(full.last, /the spool .* is full \(1 alerts, spool_max\): this alert is not kept$/);
	assert.equal(spooledIn(spool).length, 1);
	// something sigap will never take, in the spool (a file left by hand)
	writeFileSync(join(spool, '19700101000000-0000000001-zzzzzz.alert'), 'not an alert\n');
	// the token fixed: the bad one is set aside, the kept one sent, then this one
	const ok = await integratord(wazuhAlert('srv-spool-fixed'), { options: JSON.stringify({ spool_dir: spool }) });
	assert.equal(ok.status, 0, ok.output);
	assert.match(ok.output, /a spooled alert was refused and moved to .*\/refused\/19700101000000-0000000001-zzzzzz\.alert: sigap refused the alert with HTTP 400/);
	assert.deepEqual(spooledIn(spool), []);
	assert.deepEqual(readdirSync(join(spool, 'refused')), ['19700101000000-0000000001-zzzzzz.alert']);
	assert.equal((await alertsOf('srv-spool-key')).length, 1);
	assert.equal((await alertsOf('srv-spool-fixed')).length, 1);
	assert.equal((await alertsOf('srv-spool-full')).length, 0);
	const bad = await integratord(wazuhAlert('srv-spool-bad'), { options: JSON.stringify({ spool_dir: '/nonexistent/spool' }) });
	assert.equal(bad.status, 2, bad.output);
	assert.match(bad.last, /<options> spool_dir '\/nonexistent\/spool' is not a directory the wazuh user can write/);
});

test('without options the spool is queue/custom-sigap of the Wazuh directory, made when queue/ is there', CURL, async () => {
	const ossec = mkdtempSync(join(tmpdir(), 'sigap-ossec-'));
	mkdirSync(join(ossec, 'integrations'));
	mkdirSync(join(ossec, 'queue'));
	copyFileSync(SCRIPT, join(ossec, 'integrations/custom-sigap'));
	chmodSync(join(ossec, 'integrations/custom-sigap'), 0o750);
	const down = `http://127.0.0.1:${await closedPort()}/api/v1/ingest/wazuh`;
	const r = await integratord(wazuhAlert('srv-spool-default'), { url: down, retries: 0, wazuh: '4.6', ossec });
	assert.equal(r.status, 3, r.output);
	assert.equal(spooledIn(join(ossec, 'queue/custom-sigap')).length, 1);
	const ok = await integratord(wazuhAlert('srv-spool-default-2'), { wazuh: '4.6', ossec });
	assert.equal(ok.status, 0, ok.output);
	assert.deepEqual(spooledIn(join(ossec, 'queue/custom-sigap')), []);
	assert.equal((await alertsOf('srv-spool-default')).length, 1);
});
