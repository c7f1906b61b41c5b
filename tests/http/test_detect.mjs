// test_detect.mjs: the live inputs of sigap serve end to end: Wazuh's
// alerts.json followed across a restart and a rotation (no line lost, none
// twice), syslog over UDP and TCP (octet-counted and newline framing),
// the ingest route, bad input counted in /metrics, triage through the
// API (decision with reason, a CTI case for alerts), and rules of [detect]
// rules with placeholders filled from [detect] placeholders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeLine, sshdAlert } from './server.mjs';

let S, T, ALERTS;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function conf(dir) {
	return `[web]\nmetrics_allow = 127.0.0.1\n[detect]\nioc_reload = 1h\nrules = ${join(dir, 'rules')}\n` +
		`placeholders = ${join(dir, 'placeholders.yaml')}\n[inputs]\nwazuh_alerts = ${join(dir, 'alerts.json')}\n` +
		'syslog_udp = 127.0.0.1:0\nsyslog_tcp = 127.0.0.1:0\nmax_line = 4K\n';
}

// A Wazuh sshd alert whose agent names the line, so each line is its own alert.
const wazuh = (agent, srcip) => JSON.stringify(sshdAlert(agent, srcip));

async function alertsOf(asset) {
	return (await api(S.base, T)('GET', `/alerts?asset=${encodeURIComponent(asset)}&limit=1000`)).json.alerts;
}

// Waits until fn() is true (the pipeline is asynchronous), at most 10 s.
async function until(fn, what) {
	for (let i = 0; i < 100; i++) {
		if (await fn()) return;
		await sleep(100);
	}
	assert.fail(`timed out waiting for ${what}`);
}

async function metric(name) {
	const text = await (await fetch(S.base + '/metrics')).text();
	const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, (c) => '\\' + c)} (\\d+)$`, 'm'));
	return m ? Number(m[1]) : NaN;
}

before(async () => {
	const probe = await startServer();
	const dir = probe.dir;
	await probe.stop();
	// A site's rule with a placeholder (filled below) and one whose
	// placeholder the site did not give (refused; the others run).
	mkdirSync(join(dir, 'rules'));
	writeFileSync(join(dir, 'rules', 'site.yml'), [
		'title: Login from a Domain Controller Address', 'id: 6f0d2c4e-9a1b-4c3d-8e5f-0a1b2c3d4e5f',
		'logsource: {product: linux, service: sshd}',
		"detection: {sel: {srcip|expand: '%dc_addresses%'}, condition: sel}", '---',
		'title: Needs a Placeholder Nobody Gave', 'logsource: {product: linux, service: sshd}',
		"detection: {sel: {srcip|expand: '%nowhere%'}, condition: sel}", ''].join('\n'));
	writeFileSync(join(dir, 'placeholders.yaml'), 'dc_addresses: [192.0.2.210, 192.0.2.211]\n');
	writeFileSync(join(dir, 'sigap.conf'), `[database]\n${storeLine(dir)}\n[evidence]\ndir = ${dir}/evidence\n` + conf(dir));
	ALERTS = join(dir, 'alerts.json');
	S = await startServer('', [], dir);
	T = S.cli('token', 'new', 'ttis', '--name', 'detect').trim();
	writeFileSync(join(dir, 'feed.txt'), '203.0.113.45\nphish.example\n');
	S.cli('ioc', 'import', '--source', 'uji', join(dir, 'feed.txt'));
	// imported by another process (as through another node): the running
	// server reloads within a second of the import's change mark, not at
	// its hourly ioc_reload
	await sleep(1500);
});
after(async () => { if (S) await S.stop(); });

test('alerts.json: lines become alerts; a restart resumes where it stopped; rotation loses nothing', async () => {
	appendFileSync(ALERTS, wazuh('ws-a1') + '\n' + wazuh('ws-a2') + '\n');
	await until(async () => (await alertsOf('ws-a2')).length === 1, 'the first two lines');
	const a1 = await alertsOf('ws-a1');
	assert.equal(a1.length, 1);
	assert.equal(a1[0].title, 'Threat indicator: ipv4 203.0.113.45');
	assert.equal(a1[0].indicators[0].source, 'uji');
	// stopped: lines written meanwhile are read once after the restart
	const dir = S.dir;
	await S.stop();
	appendFileSync(ALERTS, wazuh('ws-a3') + '\n' + wazuh('ws-a4') + '\n');
	S = await startServer('', [], dir);
	await until(async () => (await alertsOf('ws-a4')).length === 1, 'lines written while stopped');
	for (const a of ['ws-a1', 'ws-a2', 'ws-a3']) {
		const l = await alertsOf(a);
		assert.equal(l.length, 1, a);
		assert.equal(l[0].count, 1, `${a} was read twice`);
	}
	// rotation: the old file's last lines, then the new file's
	renameSync(ALERTS, ALERTS + '.1');
	appendFileSync(ALERTS + '.1', wazuh('ws-a5') + '\n');
	await sleep(300);
	writeFileSync(ALERTS, wazuh('ws-a6') + '\n');
	await until(async () => (await alertsOf('ws-a6')).length === 1, 'the rotated file');
	assert.equal((await alertsOf('ws-a5')).length, 1);
	assert.equal((await alertsOf('ws-a4'))[0].count, 1);
	// truncated in place (logrotate's copytruncate): read again from the start
	writeFileSync(ALERTS, '');
	await sleep(500);
	writeFileSync(ALERTS, wazuh('ws-a7') + '\n');
	await until(async () => (await alertsOf('ws-a7')).length === 1, 'the truncated file');
	assert.equal((await alertsOf('ws-a6'))[0].count, 1);
});

function port(kind) {
	return Number(S.stdout().match(new RegExp(`syslog ${kind} listening on 127\\.0\\.0\\.1:(\\d+)`))[1]);
}

test('syslog over UDP and TCP, octet-counted and newline framed', async () => {
	const u = dgram.createSocket('udp4');
	await new Promise((r) => u.send('<38>Nov 23 09:00:01 udp-host sshd[5]: Accepted password for root from 192.0.2.77 port 4242 ssh2', port('udp'), '127.0.0.1', r));
	u.close();
	const m = '<38>1 2026-11-23T09:00:02+07:00 tcp-host sshd 5 - - Invalid user oracle from 192.0.2.78 port 22';
	const c = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => c.on('connect', r));
	c.write(`${Buffer.byteLength(m)} ${m}`);
	c.write('<38>Nov 23 09:00:03 tcp-host2 sshd[5]: Invalid user pi from 192.0.2.79 port 22\n');
	c.end('<38>Nov 23 09:00:04 tcp-host3 sshd[5]: Connection to phish.example failed');
	await until(async () => (await alertsOf('tcp-host3')).length === 1, 'the TCP lines');
	await until(async () => (await alertsOf('udp-host')).length === 1, 'the UDP datagram');
	assert.equal((await alertsOf('udp-host'))[0].title, 'Root Login over SSH Accepted');
	assert.equal((await alertsOf('tcp-host'))[0].title, 'SSH Login Attempt with an Unknown Account');
	assert.equal((await alertsOf('tcp-host2'))[0].source_ip, '192.0.2.79');
	assert.equal((await alertsOf('tcp-host3'))[0].title, 'Threat indicator: domain phish.example');
	// a line that starts with digits is a line, not a broken octet count
	const d = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => d.on('connect', r));
	d.write('203.0.113.5 - - [23/Nov/2026:09:00:05 +0700] "GET /index.php?page=../../etc/passwd HTTP/1.1" 404 12 "-" "curl/8.5.0"\n');
	d.end('<38>Nov 23 09:00:06 after-digits sshd[5]: Invalid user pi from 192.0.2.80 port 22\n');
	await until(async () => (await alertsOf('after-digits')).length === 1, 'the line after an access-log line');
	// a correlation over the stream: ten failed passwords from one address
	const b = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => b.on('connect', r));
	for (let i = 0; i < 10; i++)
		b.write(`<38>Nov 23 09:01:${String(i).padStart(2, '0')} brute-host sshd[5]: Failed password for user${i % 3} from 192.0.2.201 port 22 ssh2\n`);
	b.end();
	await until(async () => (await alertsOf('brute-host')).some((a) => a.title === 'SSH Password Guessing from One Address'), 'the brute-force correlation');
	assert.ok(!(await alertsOf('brute-host')).some((a) => a.title === 'SSH Password Failure'), 'member rules stay quiet');
	assert.ok(await metric('sigap_ingest_lines_total{input="udp"}') >= 1);
	assert.ok(await metric('sigap_ingest_lines_total{input="tcp"}') >= 3);
});

test('[detect] placeholders fill a site rule; a rule whose placeholder has no value is reported and skipped', async () => {
	assert.match(S.stderr(), /site\.yml:8:\d+: placeholder %nowhere% has no value/);
	const c = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => c.on('connect', r));
	c.end('<38>Nov 23 09:02:00 dc-peer sshd[5]: Accepted password for budi from 192.0.2.211 port 22 ssh2\n');
	await until(async () => (await alertsOf('dc-peer')).some((a) => a.title === 'Login from a Domain Controller Address'), 'the filled rule');
});

test('bad input is counted, never fatal: long lines, noise, broken JSON, a flood', async () => {
	const c = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => c.on('connect', r));
	c.write('x'.repeat(1 << 20) + '\n');          // 1 MB line, over max_line
	c.write('999999 ' + 'y'.repeat(100) + '\n');   // a count beyond max_line
	c.end();
	const u = dgram.createSocket('udp4');
	const noise = Buffer.alloc(2000);
	for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) & 0xff;
	for (let i = 0; i < 2000; i++) u.send(i % 2 ? noise : Buffer.from(`<13>Nov 23 09:00:05 flood sshd[1]: Invalid user u${i} from 192.0.2.1 port 22`), port('udp'), '127.0.0.1');
	await sleep(200);
	u.close();
	appendFileSync(ALERTS, Buffer.concat([Buffer.from('{"truncated": \n'), Buffer.from([0xff, 0xfe, 0x0a])]));
	await until(async () => await metric('sigap_ingest_oversize_total{input="tcp"}') >= 2, 'oversize counted');
	await until(async () => await metric('sigap_ingest_unparsed_total{input="file"}') >= 1, 'broken JSON counted');
	const flood = await alertsOf('flood');
	assert.equal(flood.length, 1, 'the flood folds into one alert');
	assert.ok(flood[0].count > 100, `count ${flood[0].count}`);
	assert.equal((await fetch(S.base + '/healthz')).status, 200);
	// the file input goes on after the broken lines
	appendFileSync(ALERTS, wazuh('ws-after') + '\n');
	await until(async () => (await alertsOf('ws-after')).length === 1, 'a line after broken ones');
	// the log: the first of each kind once, per input; the rest counted
	const tcpLines = S.stderr().split('\n').filter((l) => l.includes('tcp input: a line was left out'));
	assert.ok(tcpLines.some((l) => l.includes('longer than [inputs] max_line')), 'the long line, logged');
	assert.ok(tcpLines.some((l) => l.includes('a frame longer than [inputs] max_line')), 'the long frame, a second kind, logged too');
	const before = tcpLines.length;
	const again = net.connect(port('tcp'), '127.0.0.1');
	await new Promise((r) => again.on('connect', r));
	again.write('z'.repeat(1 << 20) + '\n');
	again.end();
	await until(async () => await metric('sigap_ingest_oversize_total{input="tcp"}') >= 3, 'the third counted');
	assert.equal(S.stderr().split('\n').filter((l) => l.includes('tcp input: a line was left out')).length, before,
		'a kind seen before is counted, not logged again');
});

test('POST /api/v1/ingest/wazuh: TTIS tokens only; objects, arrays, JSON lines', async () => {
	const ttis = api(S.base, T);
	let r = await ttis('POST', '/ingest/wazuh?wait=1', JSON.parse(wazuh('api-1')));
	assert.equal(r.status, 202);
	assert.equal(r.json.accepted, 1);
	assert.equal((await alertsOf('api-1')).length, 1);
	r = await ttis('POST', '/ingest/wazuh?wait=1', wazuh('api-2') + '\n' + wazuh('api-3') + '\nnot json\n',
		{ 'Content-Type': 'application/x-ndjson' });
	assert.equal(r.status, 202);
	assert.deepEqual([r.json.accepted, r.json.rejected], [2, 1]);
	r = await ttis('POST', '/ingest/wazuh', 'garbage', { 'Content-Type': 'application/json' });
	assert.equal(r.status, 400);
	// one alert over max_line (4K here) is refused and counted, the other taken
	const big = JSON.parse(wazuh('api-big'));
	big.full_log += ' ' + 'z'.repeat(5000);
	r = await ttis('POST', '/ingest/wazuh?wait=1', [big, JSON.parse(wazuh('api-small'))]);
	assert.equal(r.status, 202);
	assert.deepEqual([r.json.accepted, r.json.rejected], [1, 1]);
	assert.ok(await metric('sigap_ingest_oversize_total{input="http"}') >= 1);
	const pelapor = api(S.base, S.cli('token', 'new', 'pelapor', '--name', 'x').trim());
	assert.equal((await pelapor('POST', '/ingest/wazuh', JSON.parse(wazuh('api-4')))).status, 403);
	assert.equal((await api(S.base)('POST', '/ingest/wazuh', {})).status, 401);
});

test('triage through the API: decision with a reason, a CTI case for alerts', async () => {
	const ttis = api(S.base, T);
	const [a] = await alertsOf('api-1');
	let r = await ttis('POST', `/alerts/${a.id}/decision`, { status: 'false_positive' });
	assert.equal(r.status, 400);
	r = await ttis('POST', `/alerts/${a.id}/decision`, { status: 'true_positive', reason: 'Alamat ada di umpan CTI' });
	assert.equal(r.status, 200);
	assert.equal(r.json.status, 'true_positive');
	assert.equal(r.json.decided_by, 'ttis');
	const [b] = await alertsOf('api-2');
	r = await ttis('POST', '/alerts/case', { alerts: [a.id, b.id] });
	assert.equal(r.status, 201);
	assert.match(r.json.ticket, /^CTI-\d{4}-\d{4}$/);
	const got = (await ttis('GET', `/alerts/${b.id}`)).json;
	assert.equal(got.case, r.json.ticket);
	assert.equal(got.status, 'triage');
	assert.equal(got.event.fields['agent.name'], 'api-2');
	const ind = (await ttis('GET', '/indicators/search?value=www.phish.example')).json.indicators;
	assert.equal(ind[0].value, 'phish.example');
	const one = (await ttis('GET', `/indicators/${ind[0].id}`)).json;
	assert.ok(one.hits.reduce((s, h) => s + h.hits, 0) >= 1);
	const rule = (await ttis('GET', '/rules/967e9169-5eeb-5e4f-b316-7172f4f43719')).json;
	assert.equal(rule.title, 'Root Login over SSH Accepted');
	assert.ok(rule.hits.length >= 1);
	// a correlation rule is a running rule too, with what it counts and its hits
	const corr = (await ttis('GET', '/rules/8d5b6c2e-1f0a-5b7d-a4c3-2e9f0d1b7a64')).json;
	assert.equal(corr.title, 'SSH Password Guessing from One Address');
	assert.equal(corr.correlation.type, 'event_count');
	assert.equal(corr.correlation.condition.gte, 10);
	assert.ok(corr.correlation.rules.length >= 1 && corr.correlation.rules[0].title);
	assert.ok(corr.hits.reduce((s, h) => s + h.hits, 0) >= 1, JSON.stringify(corr.hits));
	const listed = (await ttis('GET', '/rules')).json.rules;
	assert.ok(listed.some((x) => x.id === corr.id && x.correlation), 'correlations are listed');
	assert.equal((await ttis('GET', '/alerts?status=bogus')).status, 400);
});

test('pages: alert list with filters, alert page, decision with reason, a CTI case from the list', async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	let p = await c.get('/peringatan?status=new&asset=ws-a3');
	assert.equal(p.status, 200);
	assert.match(p.text, /Threat indicator: ipv4 203\.0\.113\.45/);
	assert.match(p.text, /Peringatan/);
	assert.doesNotMatch(p.text, /ws-a4/);
	const id = Number(p.text.match(/name="alert" value="(\d+)"/)[1]);
	p = await c.get(`/peringatan/${id}`);
	assert.equal(p.status, 200);
	assert.match(p.text, /Failed password for budi from 203\.0\.113\.45/);
	assert.match(p.text, /href="\/indikator\/\d+"/);
	let r = await c.post(`/peringatan/${id}/keputusan`, { status: 'false_positive', reason: '' });
	assert.equal(r.status, 400);
	assert.match(r.text, /memerlukan alasan/);
	r = await c.post(`/peringatan/${id}/keputusan`, { status: 'false_positive', reason: 'Alamat uji internal' });
	assert.equal(r.status, 303);
	p = await c.get(`/peringatan/${id}`);
	assert.match(p.text, /Positif palsu/);
	assert.match(p.text, /Alamat uji internal/);
	const list = await c.get('/peringatan?asset=ws-a5');
	const other = Number(list.text.match(/name="alert" value="(\d+)"/)[1]);
	r = await c.post('/peringatan/kasus', { alert: String(other) });
	assert.equal(r.status, 303);
	assert.match(r.location, /^\/kasus\/CTI-\d{4}-\d{4}$/);
	p = await c.get(`/peringatan/${other}`);
	assert.match(p.text, /CTI-\d{4}-\d{4}/);
	p = await c.get('/indikator?cari=sub.phish.example');
	assert.match(p.text, />phish\.example</);
	const ind = p.text.match(/href="\/indikator\/(\d+)"/)[1];
	p = await c.get(`/indikator/${ind}`);
	assert.equal(p.status, 200);
	assert.match(p.text, /<svg/);
	p = await c.get('/aturan/967e9169-5eeb-5e4f-b316-7172f4f43719');
	assert.match(p.text, /Root Login over SSH Accepted/);
	assert.match(p.text, /udp-host/);
	// the correlation's page: running, what it counts, its hits
	p = await c.get('/aturan/8d5b6c2e-1f0a-5b7d-a4c3-2e9f0d1b7a64');
	assert.equal(p.status, 200);
	assert.doesNotMatch(p.text, /tidak termasuk aturan yang sedang dijalankan/);
	assert.match(p.text, /SSH Password Guessing from One Address/);
	assert.match(p.text, /<dt>Korelasi<\/dt><dd>event_count/);
	assert.match(p.text, /Aturan yang dikorelasikan<\/dt><dd><ul><li><a href="\/aturan\/[0-9a-f-]+">/);
	assert.match(p.text, /gte 10 dalam 300 s/);
	assert.match(p.text, /brute-host/);
	p = await c.get('/dasbor');
	assert.match(p.text, /href="\/peringatan\?status=new"/);
	assert.match(p.text, /peringatan baru tingkat tinggi atau kritis/);
	const pel = new Client(S.base);
	await pel.login('pelapor');
	assert.equal((await pel.get('/peringatan')).status, 403);
	assert.doesNotMatch((await pel.get('/dasbor')).text, /peringatan baru/);
});

test('SIGTERM stops the inputs and detection cleanly', async () => {
	const { code } = await S.stop();
	const err = S.stderr();
	S = null;
	assert.equal(code, 0, err);
	assert.doesNotMatch(err, /Sanitizer|runtime error/);
});
