// test_inputs.mjs: the live inputs of sigap serve as an operator watches
// them: a UDP port held by one server is refused to a second (UDP would
// otherwise let the second take the datagrams over silently).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { startServer } from './server.mjs';

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
