// test_crash.mjs: an acknowledgement means committed. Senders post Wazuh
// alerts over HTTP, or syslog over RELP (a client of the test's own, and
// a real rsyslog with omrelp), while sigap serve is killed with SIGKILL at
// random moments and started again; every message it acknowledged must
// be stored, once.
//
// SIGAP_CRASH_KILLS sets the number of kills (8 here; bench/crash.sh runs
// many more). Each message is its own alert (its own agent, or its own
// source address within an indicator range), so a doubled line shows as
// a count of 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, storeSql, sshdAlert } from './server.mjs';

const KILLS = Number(process.env.SIGAP_CRASH_KILLS ?? 8);
const SENDERS = 4;
const PER_POST = 20;

const wazuh = (agent) => JSON.stringify(sshdAlert(agent));

// The stored indicator alerts of the crash agents: agent -> count.
function storedAlerts(dir) {
	const out = storeSql(dir,
		"SELECT asset, count FROM alerts WHERE asset LIKE 'crash-%' AND title LIKE 'Threat indicator%'");
	const m = new Map();
	for (const line of out.split('\n').filter(Boolean)) {
		const [asset, count] = line.split('|');
		m.set(asset, (m.get(asset) ?? 0) + Number(count));
	}
	return m;
}

test(`HTTP ingest: ${KILLS} kills -9 under a flood, no acknowledged alert lost or doubled`, { timeout: 600000 }, async () => {
	let s = await startServer('[detect]\nfold_window = 10m\n');
	const dir = s.dir;
	writeFileSync(join(dir, 'feed.txt'), '203.0.113.45\n');
	s.cli('ioc', 'import', '--source', 'uji', join(dir, 'feed.txt'));
	const token = s.cli('token', 'new', 'ttis', '--name', 'crash').trim();
	await s.stop();
	s = await startServer('', [], dir);
	const acked = new Set();
	let sent = 0, refused = 0, n = 0, stop = false;
	const sender = async () => {
		while (!stop) {
			const agents = [];
			for (let i = 0; i < PER_POST; i++) agents.push(`crash-${++n}`);
			sent += agents.length;
			try {
				const r = await fetch(s.base + '/api/v1/ingest/wazuh', {
					method: 'POST', body: agents.map(wazuh).join('\n'),
					headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
					signal: AbortSignal.timeout(30000),
				});
				const j = await r.json().catch(() => null);
				if (r.status === 202 && j?.accepted === agents.length) for (const a of agents) acked.add(a);
				else refused += agents.length;
			} catch {
				refused += agents.length; // the connection died with the server
				await sleep(20);
			}
		}
	};
	const senders = Array.from({ length: SENDERS }, sender);
	try {
		for (let k = 0; k < KILLS; k++) {
			await sleep(300 + Math.random() * 900);
			const gone = new Promise((r) => s.proc.on('exit', r));
			s.proc.kill('SIGKILL');
			await gone;
			s = await startServer('', [], dir);
		}
	} catch (err) {
		stop = true; // a failure stops the senders, or they would run for ever
		throw err;
	}
	await sleep(500);
	stop = true;
	await Promise.all(senders);
	await s.stop();
	const got = storedAlerts(dir);
	const lost = [...acked].filter((a) => !got.has(a));
	const doubled = [...got].filter(([, c]) => c > 1).map(([a]) => a);
	console.log(`# kills ${KILLS}, alerts sent ${sent}, acknowledged ${acked.size}, not acknowledged ${refused}, stored ${got.size}, lost ${lost.length}, doubled ${doubled.length}`);
	assert.ok(acked.size > 100, `only ${acked.size} alerts were acknowledged`);
	assert.equal(lost.length, 0, `acknowledged but not stored: ${lost.slice(0, 10).join(', ')}`);
	assert.equal(doubled.length, 0, `stored twice: ${doubled.slice(0, 10).join(', ')}`);
});

// ---- RELP ----

// A free TCP port on the loopback (RELP's port must stay across restarts).
function freePort() {
	return new Promise((resolve) => {
		const srv = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const ip = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const sshLine = (i) => `<38>Nov 23 09:00:00 relp-host sshd[42]: Failed password for budi from ${ip(i)} port 4242 ssh2`;

// The stored indicator alerts of the 10.0.0.0/8 senders: address -> count.
function storedBySource(dir) {
	const out = storeSql(dir,
		"SELECT source_ip, count FROM alerts WHERE source_ip LIKE '10.%' AND title LIKE 'Threat indicator%'");
	const m = new Map();
	for (const line of out.split('\n').filter(Boolean)) {
		const [src, count] = line.split('|');
		m.set(src, (m.get(src) ?? 0) + Number(count));
	}
	return m;
}

async function relpServer(kills, body) {
	const port = await freePort();
	let s = await startServer(`[detect]\nfold_window = 10m\n[inputs]\nrelp = 127.0.0.1:${port}\n`);
	const dir = s.dir;
	writeFileSync(join(dir, 'feed.txt'), 'value,type\n10.0.0.0/8,cidr\n');
	s.cli('ioc', 'import', '--source', 'uji', join(dir, 'feed.txt'));
	await s.stop();
	s = await startServer('', [], dir);
	const ctl = { get s() { return s; }, port, dir, stopped: false };
	const run = body(ctl);
	try {
		for (let k = 0; k < kills; k++) {
			await sleep(400 + Math.random() * 900);
			const gone = new Promise((r) => s.proc.on('exit', r));
			s.proc.kill('SIGKILL');
			await gone;
			s = await startServer('', [], dir);
		}
	} catch (err) {
		// a failure stops the senders too, or they would keep the test's
		// process alive for ever
		ctl.stopped = true;
		throw err;
	}
	ctl.stopped = true;
	const result = await run;
	await s.stop();
	return { dir, result };
}

// A RELP client: one session at a time, up to WINDOW commands in flight;
// what the server acknowledged is recorded, nothing is sent twice.
function relpSession(port, next, acked, window = 128) {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let txnr = 1, opened = false, inbuf = '';
		const inflight = new Map();
		let finished = false;
		const send = () => {
			while (opened && !finished && inflight.size < window) {
				const i = next();
				if (i < 0) finished = true;
				if (i < 0) break;
				const msg = sshLine(i);
				const t = ++txnr;
				inflight.set(t, i);
				sock.write(`${t} syslog ${Buffer.byteLength(msg)} ${msg}\n`);
			}
		};
		sock.on('connect', () => {
			const offers = 'relp_version=0\nrelp_software=sigap-test\ncommands=syslog';
			sock.write(`1 open ${offers.length} ${offers}\n`);
		});
		sock.on('data', (d) => {
			inbuf += d.toString('latin1');
			for (;;) {
				const m = inbuf.match(/^(\d+) (\w+) (\d+)[ \n]/);
				if (!m) break;
				const len = Number(m[3]);
				const head = m[0].length;
				const total = len === 0 ? head : head + len + 1;
				if (inbuf.length < total) break;
				const data = len ? inbuf.slice(head, head + len) : '';
				inbuf = inbuf.slice(total);
				const t = Number(m[1]);
				if (m[2] !== 'rsp') continue;
				if (t === 1) { opened = data.startsWith('200 OK'); continue; }
				const i = inflight.get(t);
				inflight.delete(t);
				if (data.startsWith('200')) acked.add(i);
			}
			send();
			// the run is over and every command answered: the client
			// closes, as rsyslog does, rather than wait for the server's
			// idle deadline
			if (finished && inflight.size === 0) sock.end();
		});
		sock.on('error', () => {});
		sock.on('close', () => resolve());
	});
}

test(`RELP: ${KILLS} kills -9 under a flood, no acknowledged message lost or doubled`, { timeout: 600000 }, async () => {
	let n = 0;
	const acked = new Set();
	const { dir, result } = await relpServer(KILLS, async (ctl) => {
		while (!ctl.stopped) {
			await relpSession(ctl.port, () => (ctl.stopped ? -1 : ++n), acked);
			await sleep(50);
		}
		return n;
	});
	const got = storedBySource(dir);
	const lost = [...acked].filter((i) => !got.has(ip(i)));
	const doubled = [...got].filter(([, c]) => c > 1).map(([a]) => a);
	console.log(`# RELP client: kills ${KILLS}, messages sent ${result}, acknowledged ${acked.size}, stored ${got.size}, lost ${lost.length}, doubled ${doubled.length}`);
	assert.ok(acked.size > 1000, `only ${acked.size} messages were acknowledged`);
	assert.equal(lost.length, 0, `acknowledged but not stored: ${lost.slice(0, 10).map(ip).join(', ')}`);
	assert.equal(doubled.length, 0, `stored twice: ${doubled.slice(0, 10).join(', ')}`);
});

test(`rsyslog's omrelp: ${KILLS} kills -9; every message logged arrives`, { timeout: 600000 }, async (t) => {
	if (!existsSync('/usr/sbin/rsyslogd') || !existsSync('/usr/lib/x86_64-linux-gnu/rsyslog/omrelp.so')) {
		t.skip('rsyslog and rsyslog-relp are not installed (scripts/install-deps.sh --test installs them)');
		return;
	}
	let N = 0, rs;
	const { dir } = await relpServer(KILLS, async (ctl) => {
		const work = join(ctl.dir, 'rsyslog');
		mkdirSync(work, { recursive: true });
		writeFileSync(join(work, 'rsyslog.conf'), `
global(workDirectory="${work}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${work}/log.sock" RateLimit.Interval="0")
module(load="omrelp")
action(type="omrelp" target="127.0.0.1" port="${ctl.port}"
       queue.type="LinkedList" queue.size="200000" action.resumeRetryCount="-1" action.resumeInterval="1")
`);
		rs = spawn('/usr/sbin/rsyslogd', ['-n', '-f', join(work, 'rsyslog.conf'), '-i', join(work, 'rsyslog.pid')], { stdio: 'ignore' });
		for (let i = 0; i < 50 && !existsSync(join(work, 'log.sock')); i++) await sleep(100);
		// chunks of 200 lines every 50 ms, through every kill
		while (!ctl.stopped) {
			const lines = [];
			for (let k = 0; k < 200; k++) lines.push(`Failed password for budi from ${ip(++N)} port 4242 ssh2`);
			execFileSync('logger', ['-u', join(work, 'log.sock'), '-t', 'sshd'], { input: lines.join('\n') + '\n' });
			await sleep(50);
		}
	});
	// rsyslog sends again what was not acknowledged: wait for it to drain
	let got = new Map();
	const s = await startServer('', [], dir);
	try {
		for (let i = 0; i < 600; i++) {
			got = storedBySource(dir);
			if (got.size >= N) break;
			await sleep(200);
		}
	} finally {
		rs.kill('SIGTERM');
		await s.stop();
	}
	got = storedBySource(dir);
	const missing = [];
	for (let i = 1; i <= N; i++) if (!got.has(ip(i))) missing.push(ip(i));
	const doubled = [...got].filter(([, c]) => c > 1).length;
	console.log(`# rsyslog omrelp: kills ${KILLS}, messages logged ${N}, stored ${got.size}, missing ${missing.length}, sent twice (committed, answer lost in a crash) ${doubled}`);
	assert.equal(missing.length, 0, `not stored: ${missing.slice(0, 10).join(', ')}`);
});
