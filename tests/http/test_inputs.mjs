// test_inputs.mjs: the live inputs of sigap serve as an operator watches
// them: a UDP port held by one server is refused to a second (UDP would
// otherwise let the second take the datagrams over silently), and every
// input counts in /metrics the lines it took only as raw text or that
// yielded no fields, with the time of its last line and last such line.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, storeLine } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

// A free port on the loopback, for TCP or UDP.
function freePort(kind) {
	return new Promise((resolve) => {
		if (kind === 'udp') {
			const s = dgram.createSocket('udp4');
			s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
		} else {
			const srv = net.createServer().listen(0, '127.0.0.1', () => {
				const { port } = srv.address();
				srv.close(() => resolve(port));
			});
		}
	});
}

function sendUdp(port, text) {
	return new Promise((resolve, reject) => {
		const c = dgram.createSocket('udp4');
		c.send(Buffer.from(text), port, '127.0.0.1', (err) => { c.close(); if (err) reject(err); else resolve(); });
	});
}

function sendTcp(port, text) {
	return new Promise((resolve, reject) => {
		const c = net.connect({ host: '127.0.0.1', port }, () => c.end(text));
		c.on('close', resolve);
		c.on('error', reject);
	});
}

// One RELP session: open, the messages one command each, close; resolves
// when every message is acknowledged.
function sendRelp(port, messages) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let inbuf = '', acked = 0;
		sock.on('connect', () => {
			const offers = 'relp_version=0\nrelp_software=sigap-test\ncommands=syslog';
			sock.write(`1 open ${offers.length} ${offers}\n`);
			messages.forEach((m, i) => sock.write(`${i + 2} syslog ${Buffer.byteLength(m)} ${m}\n`));
		});
		sock.on('data', (d) => {
			inbuf += d.toString('latin1');
			for (const m of inbuf.matchAll(/^(\d+) rsp \d+ 200/gm)) if (Number(m[1]) > 1) acked++;
			inbuf = inbuf.slice(inbuf.lastIndexOf('\n') + 1);
			if (acked === messages.length) { sock.write(`${messages.length + 2} close 0\n`); sock.end(); resolve(); }
		});
		sock.on('error', reject);
	});
}

async function metrics(s) {
	return (await fetch(s.base + '/metrics')).text();
}
function metric(text, name, input) {
	const m = text.match(new RegExp(`^${name}\\{input="${input}"\\} (-?\\d+)$`, 'm'));
	return m ? Number(m[1]) : NaN;
}
async function until(fn, what) {
	for (let i = 0; i < 100; i++) {
		if (await fn()) return;
		await sleep(100);
	}
	assert.fail(`timed out waiting for ${what}`);
}

test('a second sigap serve on a UDP port already held fails at start, naming the port; the first keeps the datagrams', async () => {
	const port = await freePort('udp');
	const first = await startServer(`[web]\nmetrics_allow = 127.0.0.1\n[inputs]\nsyslog_udp = 127.0.0.1:${port}\n`);
	servers.push(first);
	assert.match(first.stdout(), new RegExp(`syslog udp listening on 127\\.0\\.0\\.1:${port}`));
	let second = null, refusal = null;
	try {
		second = await startServer(`[inputs]\nsyslog_udp = 127.0.0.1:${port}\n`);
		servers.push(second);
	} catch (e) {
		refusal = e.message;
	}
	assert.equal(second, null, 'the second server must not start');
	assert.match(refusal, /exited 1/);
	assert.match(refusal, new RegExp(`syslog udp: cannot listen on 127\\.0\\.0\\.1:${port}: UDP port ${port} is already in use`));
	await sendUdp(port, '<13>Nov 23 09:00:00 host1 app: still here');
	await until(async () => metric(await metrics(first), 'sigap_ingest_lines_total', 'udp') === 1, 'the first server to get the datagram');
});

test('a TCP port already held is refused the same way', async () => {
	const port = await freePort('tcp');
	const first = await startServer(`[inputs]\nsyslog_tcp = 127.0.0.1:${port}\n`);
	servers.push(first);
	await assert.rejects(startServer(`[inputs]\nsyslog_tcp = 127.0.0.1:${port}\n`),
		new RegExp(`syslog tcp: cannot listen on 127\\.0\\.0\\.1:${port}: TCP port ${port} is already in use`));
});

test('/metrics counts, per input, the lines taken only as raw text or yielding no fields, and when each input last had a line', async () => {
	const [udp, tcp, relp] = [await freePort('udp'), await freePort('tcp'), await freePort('tcp')];
	const probe = await startServer();
	await probe.stop();
	const dir = probe.dir, file = join(dir, 'alerts.json');
	writeFileSync(file, '');
	writeFileSync(join(dir, 'sigap.conf'), `[database]\n${storeLine(dir)}\n[evidence]\ndir = ${dir}/evidence\n` +
		`[web]\nmetrics_allow = 127.0.0.1\n[inputs]\nwazuh_alerts = ${file}\nsyslog_udp = 127.0.0.1:${udp}\n` +
		`syslog_tcp = 127.0.0.1:${tcp}\nrelp = 127.0.0.1:${relp}\n`);
	const s = await startServer('', [], dir);
	servers.push(s);
	const T = s.cli('token', 'new', 'ttis', '--name', 'inputs').trim();
	const before = await metrics(s);
	for (const input of ['file', 'udp', 'tcp', 'http', 'relp']) {
		assert.equal(metric(before, 'sigap_ingest_unrecognised_total', input), 0, input);
		assert.equal(metric(before, 'sigap_ingest_last_line_timestamp_seconds', input), 0, input);
		assert.equal(metric(before, 'sigap_ingest_unrecognised_last_timestamp_seconds', input), 0, input);
	}
	// the server's time(2) reads the coarse clock, which may stand a few
	// milliseconds behind Date.now(): across a second's edge, one second
	const t0 = Math.floor(Date.now() / 1000) - 1;
	const syslog = '<34>Nov 23 09:00:00 web01 sshd[42]: Failed password for budi from 203.0.113.7 port 4242 ssh2';
	const wazuh = JSON.stringify({ timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '001', name: 'web01' },
		rule: { level: 5, id: '5760', description: 'sshd: authentication failed.' }, location: '/var/log/auth.log' });
	// each input: recognised lines, and lines of plain words or an empty object
	appendFileSync(file, `${wazuh}\njust some words from a misconfigured sender\n{}\n`);
	await sendUdp(udp, syslog);
	await sendUdp(udp, 'plain words over udp');
	await sendTcp(tcp, `${syslog}\nplain words over tcp\nmore plain words\n`);
	await sendRelp(relp, [syslog, 'plain words over relp']);
	const r = await api(s.base, T)('POST', '/ingest/wazuh', [JSON.parse(wazuh), {}]);
	assert.equal(r.status, 202, r.text);
	const want = { file: [3, 2], udp: [2, 1], tcp: [3, 2], relp: [2, 1], http: [2, 1] };
	await until(async () => {
		const m = await metrics(s);
		return Object.entries(want).every(([k, [lines, bare]]) => metric(m, 'sigap_ingest_lines_total', k) === lines &&
			metric(m, 'sigap_ingest_unrecognised_total', k) === bare);
	}, 'every input counted');
	const m = await metrics(s);
	assert.match(m, /^# TYPE sigap_ingest_unrecognised_total counter$/m);
	assert.match(m, /^# TYPE sigap_ingest_last_line_timestamp_seconds gauge$/m);
	const t1 = Math.ceil(Date.now() / 1000);
	for (const k of Object.keys(want)) {
		for (const name of ['sigap_ingest_last_line_timestamp_seconds', 'sigap_ingest_unrecognised_last_timestamp_seconds']) {
			const at = metric(m, name, k);
			assert.ok(at >= t0 && at <= t1, `${name}{input="${k}"} = ${at}, not within ${t0}..${t1}`);
		}
		assert.equal(metric(m, 'sigap_ingest_unparsed_total', k), 0, `${k}: nothing broke a format`);
	}
});
