// test_nodes.mjs: three sigap serve nodes on one PostgreSQL database
// behind HAProxy (Debian's package), as a province runs them: a sign-in on
// one node holds on the others, a case is advanced alternately through
// all three, two nodes appending to the logbook at once leave one chain
// and ticket numbers without gaps, a node killed with SIGKILL while it
// takes events loses none it acknowledged, and an indicator imported
// beside one node, or a rule reloaded through one, is matched by the others. The database server is a
// private PostgreSQL 15 of this test's own (tests/pg/pg.sh). Runs in the
// PostgreSQL suite (SIGAP_TEST_PG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, Client, PG, storeSql, sshdAlert } from './server.mjs';

const PGSH = new URL('../pg/pg.sh', import.meta.url).pathname;
const HAPROXY = '/usr/sbin/haproxy';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const skip = !PG ? 'SIGAP_TEST_PG is not set (tests/run.sh runs this in its PostgreSQL suite)'
	: !existsSync(HAPROXY) ? 'haproxy is not installed (scripts/install-deps.sh --test installs it)' : false;
let pgdir, dir, lb, lbBase, proxy;
const nodes = [];
const tokens = {};

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}


const as = (user, node) => api(node.base, tokens[user]);

async function act(user, node, ticket, decision, given = {}) {
	const c = await as(user, node)('GET', `/cases/${ticket}`);
	assert.equal(c.status, 200, `${ticket} as ${user}: ${c.text}`);
	const fd = new FormData();
	if (decision) fd.set('decision', decision);
	for (const f of c.json.current_step.fields) {
		if (given[f.name] !== undefined) fd.set(f.name, given[f.name]);
		else if (f.type === 'file' && f.required) fd.set(f.name, new Blob([`dokumen ${f.name}`]), `${f.name}.txt`);
		else if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : f.type === 'date' ? '2026-12-01' : `isi ${f.name}`);
	}
	const r = await as(user, node)('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(r.status, 200, `${ticket} step as ${user} on ${node.base}: ${r.text}`);
	return r.json;
}

before(async () => {
	if (skip) return;
	pgdir = mkdtempSync(join(tmpdir(), 'sigap-nodes-pg-'));
	const url = execFileSync('sh', [PGSH, 'start', pgdir], { encoding: 'utf8' }).trim();
	dir = mkdtempSync(join(tmpdir(), 'sigap-nodes-'));
	// one configuration for the three: the database, and the evidence
	// directory they share
	mkdirSync(join(dir, 'rules'));
	writeFileSync(join(dir, 'sigap.conf'), `[database]\nurl = ${url}\n[evidence]\ndir = ${dir}/evidence\n` +
		`[detect]\nrules = ${dir}/rules\n[web]\ntrusted_proxies = 127.0.0.1\n`);
	execFileSync(process.env.SIGAP_BIN, ['init', '--demo'], { env: { ...process.env, SIGAP_CONFIG: join(dir, 'sigap.conf') }, stdio: 'pipe' });
	for (let i = 0; i < 3; i++) nodes.push(await startServer('', [], dir));
	for (const u of ['pelapor', 'petugas', 'ttis']) tokens[u] = nodes[0].cli('token', 'new', u, '--name', 'node').trim();
	lb = await freePort();
	const cfg = join(dir, 'haproxy.cfg');
	writeFileSync(cfg, [
		'global', '  maxconn 512',
		'defaults', '  mode http', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s',
		'  retries 2', '  option redispatch',
		'frontend sigap', `  bind 127.0.0.1:${lb}`, '  default_backend nodes',
		'backend nodes', '  balance roundrobin', '  option httpchk GET /login', '  option forwardfor',
		...nodes.map((n, i) => `  server n${i + 1} 127.0.0.1:${n.port} check inter 500 fall 1 rise 1`), ''].join('\n'));
	proxy = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
	lbBase = `http://127.0.0.1:${lb}`;
	for (let i = 0; i < 50; i++) {
		try { if ((await fetch(lbBase + '/login')).status === 200) break; } catch { /* not yet */ }
		await sleep(100);
	}
});
after(async () => {
	if (proxy) proxy.kill('SIGTERM');
	for (const n of nodes) if (n.proc.exitCode === null && n.proc.signalCode === null) await n.stop();
	if (pgdir) execFileSync('sh', [PGSH, 'stop', pgdir]);
});

// the requests of path a node's access log lists
const served = (node, path) => node.stderr().split('\n').filter((l) => l.includes(`"path":"${path}"`)).length;

test('a sign-in through the load balancer holds on every node', { skip, timeout: 60000 }, async () => {
	const c = new Client(lbBase);
	await c.login('petugas');
	const before_ = nodes.map((n) => served(n, '/dasbor'));
	for (let i = 0; i < 9; i++) {
		const r = await c.get('/dasbor');
		assert.equal(r.status, 200, `request ${i}: ${r.status} ${r.location ?? ''}`);
	}
	const each = nodes.map((n, i) => served(n, '/dasbor') - before_[i]);
	assert.ok(each.every((k) => k >= 2), `each node served the signed-in page: ${each.join(', ')}`);
	// and straight to each node, the same cookie
	for (const n of nodes) {
		const d = new Client(n.base);
		d.cookies = c.cookies;
		assert.equal((await d.get('/dasbor')).status, 200, `the session holds on ${n.base}`);
	}
	// signed out on one node: out on all
	const out = await c.post('/logout', {});
	assert.ok(out.status === 303 || out.status === 200, `logout: ${out.status}`);
	for (const n of nodes) {
		const d = new Client(n.base);
		d.cookies = c.cookies;
		assert.equal((await d.get('/dasbor')).status, 303, `signed out on ${n.base} too`);
	}
});

test('the public status-check limit is one for all nodes, not one each', { skip, timeout: 60000 }, async () => {
	// [web] status_limit is 60 an hour by default: 90 checks from one
	// address, spread over the three nodes, get 60 answers and 30 refusals
	const codes = [];
	for (let i = 0; i < 90; i++) {
		const r = await api(nodes[i % 3].base)('POST', '/reports/status', { ticket: 'INS-2026-9999', tracking: 'x' });
		codes.push(r.status);
	}
	assert.equal(codes.filter((c) => c === 429).length, 30, codes.join(' '));
	const refused = await api(nodes[1].base)('POST', '/reports/status', { ticket: 'INS-2026-9999', tracking: 'x' });
	assert.ok(Number(refused.headers.get('retry-after')) > 0);
});

test('through the load balancer each client is counted by its own address (option forwardfor, [web] trusted_proxies)', { skip, timeout: 60000 }, async () => {
	const check = (from) => new Promise((resolve, reject) => {
		const body = JSON.stringify({ ticket: 'INS-2026-9999', tracking: 'x' });
		const req = http.request({ host: '127.0.0.1', port: lb, localAddress: from, method: 'POST', path: '/api/v1/reports/status',
			headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', reject);
		req.end(body);
	});
	const codes = [];
	for (let i = 0; i < 61; i++) codes.push(await check('127.0.0.7'));
	assert.equal(codes.filter((c) => c === 429).length, 1, codes.join(' '));
	assert.equal(await check('127.0.0.8'), 404, 'another client behind the balancer has its own allowance');
});

test('a case advanced alternately through all three nodes', { skip, timeout: 60000 }, async () => {
	const [n1, n2, n3] = nodes;
	const r = await as('pelapor', n1)('POST', '/cases', { procedure: 'insiden', title: 'Tiga simpul',
		fields: { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'x', uraian_kejadian: 'tiga simpul' } });
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	await act('pelapor', n2, t);
	await act('petugas', n3, t, null, { asal_laporan: 'Pihak luar', saluran: 'Surel' });
	await act('petugas', n1, t);
	await act('petugas', n2, t, 'Insiden');
	const c = await as('petugas', n3)('GET', `/cases/${t}`);
	assert.equal(c.json.current_step.no, 5, c.text);
	const lb_ = (await as('petugas', n1)('GET', `/logbook?object=case:${t}`)).json.entries;
	assert.equal(lb_.filter((e) => e.action === 'case.step').length, 4, JSON.stringify(lb_.map((e) => e.action)));
	// the same step sent to two nodes at once: one completes it
	const both = await Promise.all([n1, n3].map(async (n) => {
		const fd = new FormData();
		const cur = (await as('petugas', n)('GET', `/cases/${t}`)).json.current_step;
		for (const f of cur.fields) if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : `isi ${f.name}`);
		fd.set('step', String(cur.no));
		return as('petugas', n)('POST', `/cases/${t}/steps`, fd);
	}));
	const statuses = both.map((x) => x.status).sort();
	assert.deepEqual(statuses, [200, 409], both.map((x) => x.text).join(' | '));
	assert.equal((await as('petugas', n2)('GET', `/cases/${t}`)).json.current_step.no, 6);
});

test('cases and comments written on two nodes at once: one logbook chain, tickets without gaps', { skip, timeout: 120000 }, async () => {
	const [n1, n2] = nodes;
	const made = await Promise.all(Array.from({ length: 16 }, (_, i) => as('pelapor', i % 2 ? n2 : n1)('POST', '/cases', {
		procedure: 'insiden', title: `Serentak ${i}`,
		fields: { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'x', uraian_kejadian: `serentak ${i}` } })));
	for (const m of made) assert.equal(m.status, 201, m.text);
	const numbers = made.map((m) => Number(m.json.ticket.split('-')[2])).sort((a, b) => a - b);
	for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1] + 1, `tickets ${numbers.join(', ')}`);
	const t = made[0].json.ticket;
	const comments = await Promise.all(Array.from({ length: 30 }, (_, i) =>
		as('petugas', i % 2 ? n2 : n1)('POST', `/cases/${t}/comments`, { body: `catatan ${i}` })));
	for (const c of comments) assert.ok(c.status === 201 || c.status === 200, c.text);
	const out = nodes[2].cli('logbook', 'verify');
	assert.match(out, /Logbook intact/);
	const n = Number(storeSql(dir, `SELECT COUNT(*) FROM logbook WHERE object = 'case:${t}' AND action = 'case.comment'`).trim());
	assert.equal(n, 30);
	const seqs = storeSql(dir, 'SELECT COUNT(*), MAX(seq) FROM logbook').trim().split('|').map(Number);
	assert.equal(seqs[0], seqs[1], 'the chain has no gap and no fork');
});

test('a rule reloaded through one node is run by every node, without a restart', { skip, timeout: 60000 }, async () => {
	const id = '5a9e0c1d-3333-4c3d-8e5f-0a1b2c3d4e03';
	writeFileSync(join(dir, 'rules', 'simpul.yml'), ['title: Node Reload Probe', `id: ${id}`, 'level: high',
		'logsource: {product: linux, service: sshd}', "detection: {sel: {srcip: '198.51.100.99'}, condition: sel}", ''].join('\n'));
	const out = nodes[0].cli('rules', 'reload');
	assert.match(out, /checked; every sigap serve on this store runs them/);
	for (const [i, n] of nodes.entries()) {
		for (let k = 0; k < 50; k++) {
			const r = await as('ttis', n)('GET', '/rules');
			if (r.json.rules.some((x) => x.id === id)) break;
			assert.ok(k < 49, `node ${i + 1} did not load the rule`);
			await sleep(100);
		}
		const r = await as('ttis', n)('POST', '/ingest/wazuh?wait=1', [sshdAlert(`simpul-aturan-${i + 1}`, '198.51.100.99')]);
		assert.equal(r.status, 202, r.text);
	}
	const raised = storeSql(dir, `SELECT asset FROM alerts WHERE title = 'Node Reload Probe' ORDER BY asset`).trim();
	assert.equal(raised, 'simpul-aturan-1\nsimpul-aturan-2\nsimpul-aturan-3');
});

test('an indicator imported beside one node is matched by the others; a node killed with SIGKILL while taking events loses none it acknowledged', { skip, timeout: 180000 }, async () => {
	const [n1, n2, n3] = nodes;
	const feed = join(dir, 'feed.txt');
	const ips = Array.from({ length: 1500 }, (_, i) => `10.77.${i >> 8}.${i & 255}`);
	writeFileSync(feed, ['203.0.113.77', ...ips].join('\n') + '\n');
	n1.cli('ioc', 'import', '--source', 'simpul', feed);
	await sleep(1500); // each node reloads within a second of the import's change mark
	for (const [n, agent] of [[n2, 'simpul-dua'], [n3, 'simpul-tiga']]) {
		const r = await as('ttis', n)('POST', '/ingest/wazuh?wait=1', [sshdAlert(agent, '203.0.113.77')]);
		assert.equal(r.status, 202, r.text);
	}
	const titles = storeSql(dir, "SELECT asset, title FROM alerts WHERE source_ip = '203.0.113.77' ORDER BY asset").trim();
	assert.equal(titles, 'simpul-dua|Threat indicator: ipv4 203.0.113.77\nsimpul-tiga|Threat indicator: ipv4 203.0.113.77');

	// events to node 3 in batches until it is killed; what it acknowledged
	// is stored, whatever node reads it
	const acked = [];
	let next = 0, stop = false;
	const sender = (async () => {
		while (!stop && next < ips.length) {
			const batch = ips.slice(next, next + 20);
			next += 20;
			try {
				const r = await as('ttis', n3)('POST', '/ingest/wazuh?wait=1', batch.map((ip) => sshdAlert('simpul-mati', ip)));
				if (r.status === 202) acked.push(...batch);
			} catch { break; } // the node is gone
		}
	})();
	await sleep(1500);
	n3.proc.kill('SIGKILL');
	stop = true;
	await sender;
	assert.ok(acked.length >= 20, `only ${acked.length} events were acknowledged`);
	const stored = new Set(storeSql(dir, "SELECT source_ip FROM alerts WHERE asset = 'simpul-mati'").trim().split('\n'));
	const lost = acked.filter((ip) => !stored.has(ip));
	console.log(`# node killed: ${acked.length} events acknowledged, ${stored.size} stored, ${lost.length} lost`);
	assert.equal(lost.length, 0, `acknowledged but not stored: ${lost.slice(0, 5).join(', ')}`);
	// the others go on, through the balancer too
	const r = await api(lbBase, tokens.ttis)('POST', '/ingest/wazuh?wait=1', [sshdAlert('simpul-hidup', ips[ips.length - 1])]);
	assert.equal(r.status, 202, r.text);
	assert.match(n1.cli('logbook', 'verify'), /Logbook intact/);
});
