// test_hostile.mjs: what a hostile client tried against a real sigap serve,
// each as the specification of the mechanism that now stops it:
//  - a file field's value is never opened as a path on the server, on any
//    route that takes fields, in JSON or multipart, signed in or not;
//  - the route, the caller and the object are known before a body is read:
//    large bodies only where files are taken, from callers allowed to send
//    them, files streamed to disk, memory held by bodies bounded;
//  - slow clients meet deadlines, and new clients find room;
//  - /metrics is answered from memory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, Client, api, PG } from './server.mjs';

let S;
const tokens = {};
const as = (user) => api(S.base, user ? tokens[user] : undefined);
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

const REPORT = { pelapor_nama: 'Budi', pelapor_kontak: '0812', sistem_terdampak: 'https://desa.example', uraian_kejadian: 'Uji' };

before(async () => {
	S = await startServer('[web]\nreport_limit = 100000\nmetrics_allow = 127.0.0.1\n');
	for (const u of ['petugas', 'pelapor', 'admin', 'ttis']) tokens[u] = S.cli('token', 'new', u, '--name', 'hostile').trim();
});
after(async () => { if (S) await S.stop(); });

// Every stored evidence file (the spool apart), and what is in the spool.
function stored(dir) {
	const root = join(dir, 'evidence');
	if (!existsSync(root)) return [];
	return readdirSync(root).filter((d) => d.length === 2).flatMap((d) => readdirSync(join(root, d)));
}
function spooled(dir) {
	const s = join(dir, 'evidence', '.spool');
	// the running server's lock file is not a received file
	return existsSync(s) ? readdirSync(s).filter((n) => !n.endsWith('.lock')) : [];
}

function peakRss(pid) {
	const st = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(st.match(/VmHWM:\s+(\d+) kB/)[1]) * 1024;
}
function rss(pid) {
	const st = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(st.match(/VmRSS:\s+(\d+) kB/)[1]) * 1024;
}

function multipart(fields, files = {}) {
	const fd = new FormData();
	for (const [k, v] of Object.entries(fields)) if (v !== undefined) fd.set(k, v);
	for (const [k, [name, bytes]] of Object.entries(files)) fd.set(k, new Blob([bytes]), name);
	return fd;
}

// A reporter's own report (it is named on the case, so it may act on step 1).
async function newIncident() {
	const r = await as('pelapor')('POST', '/cases', { procedure: 'insiden', fields: REPORT });
	assert.equal(r.status, 201, r.text);
	return r.json.ticket;
}

test('no route opens a path a client sends: reports, cases, steps, comments, evidence; JSON and multipart; anonymous and signed in', async () => {
	const fifo = join(S.dir, 'pipa');
	execFileSync('mkfifo', [fifo]);
	// the server's own store file (its configuration, on PostgreSQL)
	const own = PG ? 'sigap.conf' : 'sigap.db';
	const paths = ['/etc/passwd', join(S.dir, own), fifo, '/nonexistent/berkas', '/etc', S.dir + '/../' + S.dir.split('/').pop() + '/' + own];
	const secrets = [readFileSync('/etc/passwd'), readFileSync(join(S.dir, own))].map(sha256);
	const before = stored(S.dir).length;
	const messages = new Set();
	const pelapor = new Client(S.base);
	await pelapor.login('pelapor');
	const petugas = new Client(S.base);
	await petugas.login('petugas');
	const visitor = new Client(S.base);
	await visitor.get('/lapor');
	for (const p of paths) {
		// The API: a file field's plain value is a reference to evidence, never a path.
		let r = await as(null)('POST', '/reports', { fields: { ...REPORT, bukti: p } });
		assert.equal(r.status, 400, `anonymous JSON report ${p}: ${r.text}`);
		messages.add(r.json.error.message);
		r = await as(null)('POST', '/reports', multipart({ ...REPORT, bukti: p }));
		assert.equal(r.status, 400, `anonymous multipart report ${p}`);
		messages.add(r.json.error.message);
		r = await as('petugas')('POST', '/cases', { procedure: 'insiden', fields: { ...REPORT, bukti: p } });
		assert.equal(r.status, 400, `JSON case ${p}`);
		messages.add(r.json.error.message);
		r = await as('petugas')('POST', '/cases', multipart({ procedure: 'insiden', ...REPORT, bukti: p }));
		assert.equal(r.status, 400, `multipart case ${p}`);
		messages.add(r.json.error.message);
		const t = await newIncident();
		r = await as('pelapor')('POST', `/cases/${t}/steps`, { values: { bukti_tambahan: p } });
		assert.equal(r.status, 400, `JSON step ${p}`);
		messages.add(r.json.error.message);
		r = await as('pelapor')('POST', `/cases/${t}/steps`, multipart({ bukti_tambahan: p }));
		assert.equal(r.status, 400, `multipart step ${p}`);
		messages.add(r.json.error.message);
		r = await as('petugas')('POST', `/cases/${t}/evidence`, { file: p });
		assert.equal(r.status, 400, `JSON evidence ${p}`);
		r = await as('petugas')('POST', `/cases/${t}/evidence`, multipart({ file: p }));
		assert.equal(r.status, 400, `multipart evidence without a file part ${p}`);
		r = await as('petugas')('POST', `/cases/${t}/comments`, { body: p });
		assert.equal(r.status, 201, 'a comment is text');
		// The pages take files only from file parts; a text value is not a file.
		r = await visitor.post('/lapor', { ...REPORT, bukti: p });
		assert.equal(r.status, 201, `page report ${p}`);
		r = await visitor.postMultipart('/lapor', multipart({ ...REPORT, bukti: p }));
		assert.equal(r.status, 201, `page multipart report ${p}`);
		r = await petugas.post('/kasus/baru', { prosedur: 'insiden', ...REPORT, bukti: p });
		assert.equal(r.status, 303, `page case ${p}`);
		const form = (await pelapor.get(`/kasus/${t}`)).text; // the step the form is for
		r = await pelapor.post(`/kasus/${t}/langkah`, { bukti_tambahan: p,
			langkah_no: form.match(/name="langkah_no" value="(\d+)"/)[1],
			langkah_mulai: form.match(/name="langkah_mulai" value="(\d+)"/)[1] });
		assert.equal(r.status, 303, `page step ${p}`);
		r = await petugas.post(`/kasus/${t}/bukti`, { berkas: p });
		assert.equal(r.status, 400, `page evidence ${p}`);
		r = await petugas.postMultipart(`/kasus/${t}/bukti`, multipart({ berkas: p }));
		assert.equal(r.status, 400, `page multipart evidence ${p}`);
		r = await petugas.post(`/kasus/${t}/komentar`, { isi: p });
		assert.equal(r.status, 303);
		// The server still answers at once: nothing waited on the FIFO.
		const t0 = Date.now();
		assert.equal((await fetch(S.base + '/healthz')).status, 200);
		assert.ok(Date.now() - t0 < 5000, 'healthz answered at once');
	}
	// No file was copied in; none of its content can be downloaded.
	assert.equal(stored(S.dir).length, before, 'no evidence was stored');
	for (const s of secrets) {
		assert.ok(!stored(S.dir).includes(s));
		assert.equal((await as('admin')('GET', `/evidence/${s}`)).status, 404);
	}
	// The answer is the same for every path: no oracle on the file system.
	const texts = [...messages].join('\n');
	for (const p of paths) assert.ok(!texts.includes(p), `the path ${p} is not echoed`);
	assert.doesNotMatch(texts, /exist|regular|too large|bytes/);
	assert.deepEqual([...messages].map((m) => m.replace(/'(bukti|bukti_tambahan)'/g, "'F'").replace(/\b(bukti|bukti_tambahan)=/g, 'F=')).filter((v, i, a) => a.indexOf(v) === i).length, 1, texts);
});

test('evidence: uploaded files are stored; a reference names evidence the caller may already see; downloads need a case that holds it', async () => {
	const bytes = Buffer.from('tangkapan layar uji ' + Date.now());
	const up = await as('petugas')('POST', '/cases/' + await newIncident() + '/evidence', multipart({}, { file: ['layar.png', bytes] }));
	assert.equal(up.status, 201, up.text);
	assert.equal(up.json.sha256, sha256(bytes));
	assert.equal(up.json.size, bytes.length);
	const got = await fetch(`${S.base}/api/v1/evidence/${up.json.sha256}`, { headers: { Authorization: `Bearer ${tokens.petugas}` } });
	assert.equal(got.status, 200);
	assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
	assert.equal((await as(null)('GET', `/evidence/${up.json.sha256}`)).status, 401);
	// by reference: a new case names the stored evidence by its hash
	const r = await as('petugas')('POST', '/cases', { procedure: 'insiden', fields: { ...REPORT, bukti: up.json.sha256 } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.evidence[0].sha256, up.json.sha256);
	assert.equal(r.json.evidence[0].filename, 'layar.png');
	// a file sent for a text field is refused, not stored as its name
	const textFile = await as('petugas')('POST', '/cases', multipart({ procedure: 'insiden', ...REPORT, pelapor_nama: undefined }, { pelapor_nama: ['/etc/passwd', 'x'] }));
	assert.equal(textFile.status, 400, textFile.text);
	// the public may not name stored evidence
	const pub = await as(null)('POST', '/reports', { fields: { ...REPORT, bukti: up.json.sha256 } });
	assert.equal(pub.status, 400);
	// a hash nothing holds, or a file that is in the store but on no case
	assert.equal((await as('petugas')('GET', `/evidence/${'0'.repeat(64)}`)).status, 404);
	const c = new Client(S.base);
	await c.login('petugas');
	assert.equal((await c.get(`/bukti/${'0'.repeat(64)}`)).status, 404);
	assert.equal((await c.get(`/bukti/${up.json.sha256}`)).status, 200);
});

test('bodies are refused on their headers: unknown routes, strangers, other people\'s steps, routes that take no files', async () => {
	const t = await newIncident();
	// A client that waits for "100 Continue" is answered at once and sends nothing.
	const early = (path, headers) => new Promise((resolve, reject) => {
		const req = http.request(`${S.base}${path}`, {
			method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': 20 * 1024 * 1024, Expect: '100-continue', ...headers },
		});
		req.on('continue', () => { req.destroy(); reject(new Error(`${path}: the server asked for the body`)); });
		req.on('response', (res) => { res.resume(); req.destroy(); resolve(res.statusCode); });
		req.on('error', () => {});
		req.flushHeaders();
	});
	assert.equal(await early(`/api/v1/cases/${t}/evidence`, {}), 401, 'no token');
	assert.equal(await early(`/api/v1/cases/INS-1999-0001/evidence`, { Authorization: `Bearer ${tokens.petugas}` }), 404, 'unknown case');
	assert.equal(await early(`/api/v1/cases/${t}/steps`, { Authorization: `Bearer ${tokens.ttis}` }), 403, 'not the step\'s role');
	assert.equal(await early('/login', {}), 413, 'a sign-in takes no large body');
	assert.equal(await early('/api/v1/nowhere', {}), 404);
	assert.equal(await early(`/api/v1/cases/${t}/evidence`, { Authorization: `Bearer ${tokens.petugas}` }).catch(() => 'continue'), 'continue', 'an allowed upload is asked for');
	// Without Expect the body is read and dropped, and the answer stands.
	const wrong = await as('ttis')('POST', `/cases/${t}/steps`, multipart({}, { bukti_tambahan: ['x.bin', new Uint8Array(3 * 1024 * 1024)] }));
	assert.equal(wrong.status, 403);
	// A route that takes no files refuses a file part.
	const c = new Client(S.base);
	await c.login('petugas');
	const nofile = await c.postMultipart(`/kasus/${t}/komentar`, multipart({ isi: 'uji' }, { berkas: ['a.txt', 'abc'] }));
	assert.equal(nofile.status, 400);
	assert.equal(spooled(S.dir).length, 0, 'nothing left in the spool');
});

test('memory: 40 strangers posting 25 MB each, and a 20 MB upload, do not grow the server by their size', async () => {
	const s = await startServer();
	try {
		const base0 = rss(s.proc.pid);
		const body = new Uint8Array(25 * 1024 * 1024);
		const posts = [];
		for (let i = 0; i < 40; i++) {
			posts.push(fetch(s.base + '/login', { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=x' } })
				.then((r) => r.status, () => 'closed'));
		}
		const statuses = await Promise.all(posts);
		const grew = peakRss(s.proc.pid) - base0;
		assert.ok(grew < 64 * 1024 * 1024, `40 x 25 MB bodies grew the server by ${(grew / 1048576).toFixed(1)} MiB`);
		for (const st of statuses) assert.ok(st === 413 || st === 'closed', `refused: ${st}`);
		// a real upload streams to the spool, not to memory
		const tok = s.cli('token', 'new', 'petugas', '--name', 'm').trim();
		const t = (await api(s.base, tok)('POST', '/cases', { procedure: 'insiden', fields: REPORT })).json.ticket;
		const big = new Uint8Array(20 * 1024 * 1024).map((_, i) => i & 0xff);
		const before = rss(s.proc.pid);
		const r = await api(s.base, tok)('POST', `/cases/${t}/evidence`, multipart({}, { file: ['disk.img', big] }));
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.sha256, sha256(big));
		const up = peakRss(s.proc.pid) - before;
		assert.ok(up < 16 * 1024 * 1024, `a 20 MB upload grew the server by ${(up / 1048576).toFixed(1)} MiB`);
		assert.equal(statSync(join(s.dir, 'evidence', r.json.sha256.slice(0, 2), r.json.sha256)).size, big.length);
		assert.equal(spooled(s.dir).length, 0);
	} finally {
		await s.stop();
	}
});

test('a crash in the middle of an upload leaves nothing that a restart does not clean', async () => {
	let s = await startServer();
	const dir = s.dir;
	try {
		const tok = s.cli('token', 'new', 'petugas', '--name', 'c').trim();
		const t = (await api(s.base, tok)('POST', '/cases', { procedure: 'insiden', fields: REPORT })).json.ticket;
		const kept = stored(dir); // the demo's own documents
		// half of a 4 MB file part, then SIGKILL
		const boundary = 'xyzzy';
		const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n` +
			'Content-Type: application/octet-stream\r\n\r\n';
		const sock = net.connect({ host: '127.0.0.1', port: s.port });
		await new Promise((r) => sock.on('connect', r));
		sock.on('error', () => {});
		sock.write(`POST /api/v1/cases/${t}/evidence HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tok}\r\n` +
			`Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${4 * 1024 * 1024 + 200}\r\n\r\n` + head);
		sock.write(Buffer.alloc(2 * 1024 * 1024, 7));
		for (let i = 0; i < 50 && spooled(dir).length === 0; i++) await sleep(100);
		assert.equal(spooled(dir).length, 1, 'the upload is being received into the spool');
		const gone = new Promise((r) => s.proc.on('exit', r));
		s.proc.kill('SIGKILL');
		await gone;
		sock.destroy();
		s = await startServer('', [], dir);
		assert.deepEqual(spooled(dir), [], 'the restart removed the half-received file');
		assert.match(s.stderr(), /1 partial files removed/);
		assert.deepEqual(stored(dir), kept, 'nothing of the upload was stored');
	} finally {
		await s.stop();
	}
});

// A raw request: headers and the first part of a body, held open.
function hold(port, path, length, first, localAddress) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port, localAddress }, () => {
			sock.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
			if (first) sock.write(first);
			resolve(sock);
		});
		sock.on('error', reject);
	});
}
function answer(sock) {
	return new Promise((resolve) => {
		let data = '';
		sock.on('data', (d) => { data += d; });
		sock.on('close', () => resolve(data));
		sock.on('error', () => resolve(data));
	});
}

test('bodies held in memory are bounded across requests: beyond [web] body_memory, 503 and counted', async () => {
	const s = await startServer('[web]\nbody_max = 600K\nbody_memory = 1M\nmetrics_allow = 127.0.0.1\n');
	try {
		const a = await hold(s.port, '/api/v1/reports/status', 500 * 1024, 'x'.repeat(450 * 1024));
		const b = await hold(s.port, '/api/v1/reports/status', 500 * 1024, 'x'.repeat(450 * 1024));
		await sleep(300);
		const r = await fetch(s.base + '/api/v1/reports/status', { method: 'POST', body: 'x'.repeat(400 * 1024), headers: { 'Content-Type': 'application/json' } });
		assert.equal(r.status, 503);
		assert.equal(r.headers.get('retry-after'), '5');
		const m = await (await fetch(s.base + '/metrics')).text();
		assert.match(m, /^sigap_http_bodies_refused_total\{reason="body_memory"\} [1-9]\d*$/m);
		// the held ones finish and are answered
		const done = [answer(a), answer(b)];
		a.end('x'.repeat(50 * 1024));
		b.end('x'.repeat(50 * 1024));
		for (const d of await Promise.all(done)) assert.match(d, /^HTTP\/1\.1 (400|503)/);
		// with the memory free again, a body is taken
		const ok = await fetch(s.base + '/api/v1/reports/status', { method: 'POST', body: JSON.stringify({ ticket: 'INS-1999-0001', tracking: 'x' }), headers: { 'Content-Type': 'application/json' } });
		assert.equal(ok.status, 404);
	} finally {
		await s.stop();
	}
});

test('slow clients: a deadline for headers and bodies, room for new clients, no log line per connection', async () => {
	const s = await startServer('[web]\nheader_timeout = 2s\nbody_timeout = 2s\nbody_min_rate = 1K\n' +
		'max_connections = 40\nmax_connections_per_address = 8\nmetrics_allow = 127.0.0.1\n');
	const slow = [];
	let stop = false;
	try {
		// eight connections from one address, then a ninth: refused at once
		const eight = [];
		for (let i = 0; i < 8; i++) {
			const c = net.connect({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.9' });
			c.on('error', () => {});
			await new Promise((r) => c.on('connect', r));
			eight.push(c);
		}
		await sleep(200);
		const extra = net.connect({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.9' });
		const extraClosed = await new Promise((r) => { extra.on('close', () => r(true)); extra.on('error', () => {}); setTimeout(() => r(false), 1500); });
		assert.ok(extraClosed, 'a ninth connection from one address is closed');
		for (const c of eight) c.destroy();
		await sleep(200);
		// six addresses, eight trickling connections each: more than the table holds
		for (let a = 2; a <= 7; a++) {
			for (let i = 0; i < 8; i++) {
				const sock = net.connect({ host: '127.0.0.1', port: s.port, localAddress: `127.0.0.${a}` });
				const rec = { sock, closedAt: 0, opened: Date.now() };
				sock.on('close', () => { rec.closedAt = Date.now(); });
				sock.on('error', () => {});
				sock.on('connect', async () => {
					sock.write('GET / HTTP/1.1\r\nHost: x\r\n');
					while (!stop && !rec.closedAt) { sock.write('X-a: b\r\n'); await sleep(300); }
				});
				slow.push(rec);
			}
		}
		await sleep(500);
		// a client that sends its request at once is served throughout
		for (let i = 0; i < 5; i++) {
			const t0 = Date.now();
			const r = await fetch(s.base + '/healthz', { signal: AbortSignal.timeout(5000) });
			assert.equal(r.status, 200);
			// a kept-alive connection is closed after header_timeout: said in every answer
			assert.equal(r.headers.get('keep-alive'), 'timeout=2');
			assert.ok(Date.now() - t0 < 3000, 'served at once');
			await sleep(300);
		}
		// a body trickled byte by byte meets its deadline
		const body = await hold(s.port, '/api/v1/reports/status', 100000, '{');
		const bodyDone = answer(body);
		const trickle = setInterval(() => { try { body.write(' '); } catch { /* closed */ } }, 400);
		const t0 = Date.now();
		await Promise.race([bodyDone, sleep(8000)]);
		clearInterval(trickle);
		assert.ok(Date.now() - t0 < 7000, 'the trickled body was cut off');
		for (let i = 0; i < 60 && slow.some((r) => !r.closedAt); i++) await sleep(100);
		const open = slow.filter((r) => !r.closedAt).length;
		assert.equal(open, 0, `${open} trickling connections still open after the header deadline`);
		const lasted = Math.max(...slow.map((r) => r.closedAt - r.opened));
		// 2 s of deadline, a watchdog pass every 0.5 s, and a loaded machine
		assert.ok(lasted < 8000, `the longest lasted ${lasted} ms`);
		const m = await (await fetch(s.base + '/metrics')).text();
		assert.match(m, /^sigap_http_connections_closed_total\{reason="header_timeout"\} [1-9]\d*$/m);
		assert.match(m, /^sigap_http_connections_closed_total\{reason="evicted"\} [1-9]\d*$/m);
		assert.match(m, /^sigap_http_connections_closed_total\{reason="body_timeout"\} [1-9]\d*$/m);
		assert.match(m, /^sigap_http_connections_refused_total\{reason="per_address"\} [1-9]\d*$/m);
		const lines = s.stderr().split("\n").filter((l) => /"msg":"http: /.test(l));
		assert.ok(lines.length <= 6, `the library logged ${lines.length} lines:\n${lines.join('\n')}`);
	} finally {
		stop = true;
		for (const r of slow) r.sock.destroy();
		await s.stop();
	}
});

test('slow bodies cannot fill the table: a body slower than body_min_rate makes room for a new client', async () => {
	const s = await startServer('[web]\nmax_connections = 40\nmax_connections_per_address = 8\nmetrics_allow = 127.0.0.1\n');
	const bodies = [];
	let stop = false;
	try {
		// 48 bodies trickled a byte every half second from six addresses:
		// within body_timeout (60 s), so no deadline cuts them
		for (let a = 20; a <= 25; a++) {
			for (let i = 0; i < 8; i++) {
				const sock = net.connect({ host: '127.0.0.1', port: s.port, localAddress: `127.0.0.${a}` });
				sock.on('error', () => {});
				sock.on('connect', async () => {
					sock.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n');
					while (!stop && !sock.destroyed) { sock.write('a'); await sleep(500); }
				});
				bodies.push(sock);
			}
		}
		await sleep(3000);
		for (let i = 0; i < 3; i++) {
			const t0 = Date.now();
			const r = await fetch(s.base + '/healthz', { signal: AbortSignal.timeout(5000) });
			assert.equal(r.status, 200, 'served while slow bodies fill the table');
			assert.ok(Date.now() - t0 < 3000, 'served at once');
			await sleep(300);
		}
		const m = await (await fetch(s.base + '/metrics')).text();
		assert.match(m, /^sigap_http_connections_closed_total\{reason="evicted"\} [1-9]\d*$/m);
	} finally {
		stop = true;
		for (const b of bodies) b.destroy();
		await s.stop();
	}
});

test('RELP: a client that never reads its answers cannot grow the server\'s memory', async () => {
	const port = await new Promise((resolve) => {
		const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
	});
	const s = await startServer(`[inputs]\nrelp = 127.0.0.1:${port}\n`);
	try {
		const before = rss(s.proc.pid);
		const sock = net.connect({ host: '127.0.0.1', port });
		sock.on('error', () => {});
		await new Promise((r) => sock.on('connect', r));
		sock.pause(); // never read
		sock.write('1 open 14 relp_version=0\n');
		const junk = [];
		for (let i = 2; i < 1500000; i++) junk.push(`${i} zz 0\n`); // each answered "500 command not supported"
		sock.write(junk.join(''));
		await sleep(3000);
		const grew = peakRss(s.proc.pid) - before;
		assert.ok(grew < 32 * 1024 * 1024, `unread answers grew the server by ${(grew / 1048576).toFixed(1)} MiB`);
		sock.destroy();
	} finally {
		await s.stop();
	}
});

test('/metrics is answered from memory: a scrape runs no query', async () => {
	const s = await startServer('[web]\nmetrics_allow = 127.0.0.1\nmetrics_period = 1h\n');
	try {
		const open = async () => Number((await (await fetch(s.base + '/metrics')).text()).match(/^sigap_cases_open (\d+)$/m)[1]);
		const n = await open();
		const tok = s.cli('token', 'new', 'petugas', '--name', 'm').trim();
		assert.equal((await api(s.base, tok)('POST', '/cases', { procedure: 'insiden', fields: REPORT })).status, 201);
		assert.equal(await open(), n, 'the gauge is the refresher\'s, not computed by the scrape');
	} finally {
		await s.stop();
	}
	const f = await startServer('[web]\nmetrics_allow = 127.0.0.1\nmetrics_period = 1s\n');
	try {
		const open = async () => Number((await (await fetch(f.base + '/metrics')).text()).match(/^sigap_cases_open (\d+)$/m)[1]);
		const n = await open();
		const tok = f.cli('token', 'new', 'petugas', '--name', 'm').trim();
		assert.equal((await api(f.base, tok)('POST', '/cases', { procedure: 'insiden', fields: REPORT })).status, 201);
		let now = n;
		for (let i = 0; i < 50 && now === n; i++) { await sleep(100); now = await open(); }
		assert.equal(now, n + 1, 'the refresher keeps it current');
	} finally {
		await f.stop();
	}
});

test('a request whose path is no UTF-8 leaves its line in the access log, the bytes shown as ?', async () => {
	const raw = await new Promise((resolve, reject) => {
		const sock = net.connect(Number(new URL(S.base).port), '127.0.0.1', () =>
			sock.write('GET /jejak-%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
		let data = '';
		sock.on('data', (d) => { data += d; });
		sock.on('end', () => resolve(data));
		sock.on('error', reject);
	});
	assert.match(raw, /^HTTP\/1\.1 [45]\d\d/);
	for (let i = 0; i < 50 && !S.stderr().includes('/jejak-'); i++) await sleep(100);
	const line = S.stderr().split('\n').find((l) => l.includes('/jejak-'));
	assert.ok(line, 'the request is in the access log');
	const entry = JSON.parse(line);
	assert.equal(entry.msg, 'request');
	assert.match(entry.path, /^\/jejak-\?\?$/);
});

test('a link token is not logged when the request does not reach its route either: a bad method, a bad query, bytes that are no UTF-8', async () => {
	const token = 'RahasiaTautan' + Date.now();
	const raw = (line) => new Promise((resolve, reject) => {
		const sock = net.connect(Number(new URL(S.base).port), '127.0.0.1', () =>
			sock.write(`${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
		let data = '';
		sock.on('data', (d) => { data += d; });
		sock.on('end', () => resolve(data));
		sock.on('error', reject);
	});
	await raw(`GET /tautan/${token}%ff`);
	await raw(`GET /tautan/${token}?x=%ff`);
	await raw(`DELETE /tautan/${token}`);
	await fetch(`${S.base}/tautan/${token}`);
	for (let i = 0; i < 50 && (S.stderr().match(/\/tautan\/\{token\}/g) || []).length < 4; i++) await sleep(100);
	assert.ok((S.stderr().match(/"path":"\/tautan\/\{token\}"/g) || []).length >= 4, 'each request logged, as the route');
	assert.ok(!S.stderr().includes(token), 'the token itself appears nowhere in the log');
});
