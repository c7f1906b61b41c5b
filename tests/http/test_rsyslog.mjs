// test_rsyslog.mjs: a real rsyslog (Debian's rsyslogd, started here as an
// unprivileged process with its own configuration and work directory)
// forwards what local programs log to sigap serve, as a site's hosts do:
// imuxsock on a private socket, written by `logger` and by a small program
// writing datagrams as sshd's syslog(3) does, and omfwd to sigap's syslog
// inputs over UDP, TCP octet-counted and TCP newline-framed, each in the RFC
// 5424 format (RSYSLOG_SyslogProtocol23Format) and the traditional one
// (RSYSLOG_TraditionalForwardFormat, a BSD stamp in the sender's zone).
// Each channel carries its own attacker address: every line sent must be
// received (/metrics), decoded (the alert has its source address, its count
// is the lines sent) and correlated (the shipped brute-force and spraying
// correlations fire for that address). rsyslogd runs in UTC and sigap's
// syslog inputs are told so ([inputs] syslog_udp_timezone for UDP, the
// default syslog_timezone for TCP), so every alert stands at the time it
// was logged. Skipped when rsyslogd is absent (scripts/install-deps.sh
// --test installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api } from './server.mjs';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const HAVE = existsSync(RSYSLOGD);
const N = 12; // lines a channel: 10 by logger, 2 by the syslog(3)-like writer
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// protocol, framing, template, and the attacker address its lines carry
const CHANNELS = [
	{ name: 'udp rfc5424', proto: 'udp', framing: null, template: 'RSYSLOG_SyslogProtocol23Format', ip: '203.0.113.11' },
	{ name: 'tcp octet-counted rfc5424', proto: 'tcp', framing: 'octet-counted', template: 'RSYSLOG_SyslogProtocol23Format', ip: '203.0.113.12' },
	{ name: 'tcp newline rfc5424', proto: 'tcp', framing: 'traditional', template: 'RSYSLOG_SyslogProtocol23Format', ip: '203.0.113.13' },
	{ name: 'udp traditional', proto: 'udp', framing: null, template: 'RSYSLOG_TraditionalForwardFormat', ip: '203.0.113.14' },
	{ name: 'tcp octet-counted traditional', proto: 'tcp', framing: 'octet-counted', template: 'RSYSLOG_TraditionalForwardFormat', ip: '203.0.113.15' },
	{ name: 'tcp newline traditional', proto: 'tcp', framing: 'traditional', template: 'RSYSLOG_TraditionalForwardFormat', ip: '203.0.113.16' },
];

let S, T, RS, WORK, SENT_AT;

function port(kind) {
	return Number(S.stdout().match(new RegExp(`syslog ${kind} listening on 127\\.0\\.0\\.1:(\\d+)`))[1]);
}

async function metric(name) {
	const text = await (await fetch(S.base + '/metrics')).text();
	const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, (c) => '\\' + c)} (\\d+)$`, 'm'));
	return m ? Number(m[1]) : NaN;
}

async function alerts() {
	return (await api(S.base, T)('GET', '/alerts?limit=1000')).json.alerts;
}

// rsyslog's configuration: each channel forwards only its own address's lines.
function rsyslogConf() {
	const actions = CHANNELS.map((c) => {
		const framing = c.framing ? ` TCP_Framing="${c.framing}"` : '';
		return `if ($msg contains "from ${c.ip} ") then {
  action(type="omfwd" target="127.0.0.1" port="${port(c.proto)}" protocol="${c.proto}"${framing}
         template="${c.template}" queue.type="LinkedList" action.resumeRetryCount="-1")
}`;
	});
	return `global(workDirectory="${WORK}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${WORK}/log.sock" RateLimit.Interval="0")
${actions.join('\n')}
`;
}

before(async () => {
	if (!HAVE) return;
	S = await startServer('[web]\nmetrics_allow = 127.0.0.1\n[inputs]\nsyslog_udp = 127.0.0.1:0\nsyslog_tcp = 127.0.0.1:0\n' +
		'syslog_udp_timezone = UTC\nsyslog_timezone = UTC\n');
	T = S.cli('token', 'new', 'ttis', '--name', 'rsyslog').trim();
	WORK = join(S.dir, 'rsyslog');
	mkdirSync(WORK, { recursive: true });
	writeFileSync(join(WORK, 'rsyslog.conf'), rsyslogConf());
	let err = '';
	RS = spawn(RSYSLOGD, ['-n', '-f', join(WORK, 'rsyslog.conf'), '-i', join(WORK, 'rsyslog.pid')],
		{ env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'ignore', 'pipe'] });
	RS.stderr.on('data', (d) => { err += d; });
	for (let i = 0; i < 50 && !existsSync(join(WORK, 'log.sock')); i++) await sleep(100);
	assert.ok(existsSync(join(WORK, 'log.sock')), `rsyslogd did not open its socket: ${err}`);
});

after(async () => {
	if (RS) {
		const done = new Promise((r) => RS.on('exit', r));
		RS.kill('SIGTERM');
		await done;
	}
	if (S) await S.stop();
});

// As sshd logs through syslog(3): "<38>Dec  3 08:35:22 sshd[4321]: …" to the socket.
function syslog3(lines) {
	execFileSync('python3', ['-c', `
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for line in sys.stdin.read().splitlines():
    s.sendto(("<38>" + time.strftime("%b %e %H:%M:%S") + " sshd[4321]: " + line).encode(), sys.argv[1])
`, join(WORK, 'log.sock')], { input: lines.join('\n') + '\n' });
}

test('rsyslog forwards sshd over UDP and TCP, RFC 5424 and traditional: every line received, decoded and correlated', { timeout: 120000 }, async (t) => {
	if (!HAVE) {
		t.skip('rsyslogd is not installed (scripts/install-deps.sh --test installs it)');
		return;
	}
	SENT_AT = Math.floor(Date.now() / 1000);
	for (const c of CHANNELS) {
		const lines = [];
		for (let k = 1; k <= N; k++) lines.push(`Failed password for invalid user guest${k} from ${c.ip} port ${40000 + k} ssh2`);
		execFileSync('logger', ['-u', join(WORK, 'log.sock'), '-t', 'sshd', '--id=1234', '-p', 'auth.info'],
			{ input: lines.slice(0, N - 2).join('\n') + '\n' });
		syslog3(lines.slice(N - 2));
	}
	const sent = { udp: 0, tcp: 0 };
	for (const c of CHANNELS) sent[c.proto] += N;
	// wait until every line is through detection
	let got = [];
	for (let i = 0; i < 150; i++) {
		got = await alerts();
		const done = CHANNELS.every((c) => got.some((a) => a.source_ip === c.ip && a.title === 'SSH Login Attempt with an Unknown Account' && a.count === N));
		if (done && await metric('sigap_ingest_lines_total{input="tcp"}') >= sent.tcp) break;
		await sleep(100);
	}
	// sent = received, and all of it parsed
	assert.equal(await metric('sigap_ingest_lines_total{input="udp"}'), sent.udp, 'UDP lines received');
	assert.equal(await metric('sigap_ingest_lines_total{input="tcp"}'), sent.tcp, 'TCP lines received');
	for (const i of ['udp', 'tcp']) {
		assert.equal(await metric(`sigap_ingest_unparsed_total{input="${i}"}`), 0, `${i} lines not parsed`);
		assert.equal(await metric(`sigap_ingest_oversize_total{input="${i}"}`), 0, `${i} lines left out`);
	}
	const now = Math.floor(Date.now() / 1000);
	for (const c of CHANNELS) {
		const mine = got.filter((a) => a.source_ip === c.ip);
		const titles = mine.map((a) => a.title).sort();
		// decoded: the source address is on the alert, and all N lines fold into it
		const unknown = mine.find((a) => a.title === 'SSH Login Attempt with an Unknown Account');
		assert.ok(unknown, `${c.name}: no alert with the source address ${c.ip} (titles: ${titles.join('; ')})`);
		assert.equal(unknown.count, N, `${c.name}: lines decoded`);
		// the shipped correlations: 10 failures from one address, 5 accounts or more
		assert.ok(titles.includes('SSH Password Guessing from One Address'), `${c.name}: brute force not correlated (${titles.join('; ')})`);
		assert.ok(titles.includes('SSH Password Spraying from One Address'), `${c.name}: spraying not correlated (${titles.join('; ')})`);
		// the time it was logged: RFC 5424 carries its zone; a BSD stamp is
		// read in the input's zone (UTC, as rsyslogd here), and in this year
		for (const a of mine) {
			assert.ok(a.first_seen >= SENT_AT - 5 && a.last_seen <= now + 5,
				`${c.name}: ${a.title} seen ${a.first_seen}..${a.last_seen}, logged ${SENT_AT}..${now}`);
		}
	}
	// the asset is the host rsyslog names (its hostname), in every channel
	const host = execFileSync('hostname', { encoding: 'utf8' }).trim().split('.')[0];
	assert.ok(got.filter((a) => CHANNELS.some((c) => c.ip === a.source_ip)).every((a) => a.asset === host),
		`assets: ${[...new Set(got.map((a) => a.asset))].join(', ')}, want ${host}`);
});

test('a BSD stamp ahead of the clock by more than a day is last year\'s, never the future', async (t) => {
	if (!HAVE) {
		t.skip('rsyslogd is not installed');
		return;
	}
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const stamp = (d) => `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
		`${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
	// nine days ahead, in UTC as the input reads it (ten if that is 29 February)
	let ahead = new Date(Date.now() + 9 * 86400 * 1000);
	if (ahead.getUTCMonth() === 1 && ahead.getUTCDate() === 29) ahead = new Date(ahead.getTime() + 86400 * 1000);
	const soon = new Date(Date.now() + 60 * 1000); // a sender clock a minute fast
	const u = dgram.createSocket('udp4');
	const send = (m) => new Promise((r) => u.send(m, port('udp'), '127.0.0.1', r));
	await send(`<38>${stamp(ahead)} clock-host sshd[7]: Invalid user ahead from 198.51.100.9 port 22`);
	await send(`<38>${stamp(soon)} clock-host sshd[7]: Invalid user soon from 198.51.100.10 port 22`);
	u.close();
	let got = [];
	for (let i = 0; i < 100; i++) {
		got = (await alerts()).filter((a) => a.asset === 'clock-host');
		if (got.length === 2) break;
		await sleep(100);
	}
	assert.equal(got.length, 2);
	const byIp = Object.fromEntries(got.map((a) => [a.source_ip, a.first_seen]));
	const want = (d, years) => Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate(),
		d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
	assert.equal(byIp['198.51.100.9'], want(ahead, 1), 'nine days ahead: last year');
	assert.equal(byIp['198.51.100.10'], want(soon, 0), 'a minute ahead: this year');
});
