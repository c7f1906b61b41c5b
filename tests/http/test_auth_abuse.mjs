// test_auth_abuse.mjs: what a hostile visitor can do to sign-in and to the
// public status check, against a real sigap serve: the back-off after
// failed logins (per address, per address and name, per name) must never
// let a stranger lock the owner out; a new password, a disabled account
// or changed roles end the user's other sessions and say what became of
// them and of the API tokens; the report status check is rate-limited.
//
// sigap trusts no X-Forwarded-For, so the tests are several clients by
// binding their sockets to other loopback addresses (127.0.0.2, …: Linux
// routes all of 127.0.0.0/8 to lo) while the server listens on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, Client, api, PASSWORD } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(port, localAddress, method, path, body, headers) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, localAddress, method, path, headers, agent: false }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { text += d; });
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, location: res.headers.location }));
		});
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

// A browser from one client address: cookies, the form's CSRF token.
class AddrClient {
	constructor(port, addr) { this.port = port; this.addr = addr; this.cookies = new Map(); this.csrf = null; }
	async req(method, path, body, headers = {}) {
		const h = { ...headers };
		if (this.cookies.size) h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		const r = await request(this.port, this.addr, method, path, body, h);
		for (const c of r.headers['set-cookie'] ?? []) {
			const [kv] = c.split(';');
			const i = kv.indexOf('=');
			if (/Max-Age=0/.test(c)) this.cookies.delete(kv.slice(0, i)); else this.cookies.set(kv.slice(0, i), kv.slice(i + 1));
		}
		const m = r.text.match(/name="csrf" value="([0-9a-f]{64})"/);
		if (m) this.csrf = m[1];
		return r;
	}
	get(path) { return this.req('GET', path); }
	post(path, fields) {
		const p = new URLSearchParams({ csrf: this.csrf ?? '', ...fields });
		return this.req('POST', path, p.toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
	}
	async login(name, password = PASSWORD) {
		await this.get('/login');
		return this.post('/login', { name, password });
	}
}

// The JSON API from one client address.
function apiFrom(port, addr, token) {
	return async (method, path, body) => {
		const h = {};
		if (token) h.Authorization = `Bearer ${token}`;
		let b;
		if (body !== undefined) { b = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
		const r = await request(port, addr, method, '/api/v1' + path, b, h);
		let json = null;
		try { json = JSON.parse(r.text); } catch { /* not JSON */ }
		return { ...r, json };
	};
}

const backoffs = (entries) => entries.filter((e) => e.action === 'user.login_backoff');

// ---- the back-off after failed logins ----

test('failures for admin from one address never lock admin out from another; the wait is shown, grows, survives a restart and is logged once', async () => {
	let s = await startServer();
	try {
		const A = new AddrClient(s.port, '127.0.0.2');
		await A.get('/login');
		for (let i = 0; i < 5; i++) assert.equal((await A.post('/login', { name: 'admin', password: `tebakan-salah-${i}` })).status, 401);
		// The owner, from a clean address, signs in at once.
		const B = new AddrClient(s.port, '127.0.0.3');
		let r = await B.login('admin');
		assert.equal(r.status, 303, 'admin from a clean address while A is locked');
		assert.equal((await B.get('/dasbor')).status, 200);
		// Address A is told to wait, with the time, on the page and in
		// Retry-After; even the right password is not checked meanwhile.
		r = await A.post('/login', { name: 'admin', password: PASSWORD });
		assert.equal(r.status, 429);
		const w1 = Number(r.headers['retry-after']);
		assert.ok(w1 >= 1 && w1 <= 2, `Retry-After ${r.headers['retry-after']}`);
		assert.match(r.text, /Terlalu banyak percobaan masuk yang gagal\. Silakan tunggu (\d+ detik|satu detik), lalu coba lagi\./);
		// The wait grows with each further failure.
		await sleep(w1 * 1000 + 200);
		assert.equal((await A.post('/login', { name: 'admin', password: 'tebakan-salah-5' })).status, 401);
		r = await A.post('/login', { name: 'admin', password: 'tebakan-salah-6' });
		assert.equal(r.status, 429);
		const w2 = Number(r.headers['retry-after']);
		assert.ok(w2 > w1 && w2 <= 4, `second wait ${w2} after ${w1}`);
		// In English too.
		await A.get('/login?lang=en');
		r = await A.post('/login', { name: 'admin', password: 'tebakan-salah-7' });
		assert.equal(r.status, 429);
		assert.match(r.text, /Too many failed sign-ins\. Please wait (\d+ seconds|a second), then try again\./);
		// The counts are in the database: after a restart the next failure
		// from A waits longer still (8 s), not five free tries again.
		await s.stop();
		s = await startServer('', [], s.dir);
		const A2 = new AddrClient(s.port, '127.0.0.2');
		await A2.get('/login');
		r = await A2.post('/login', { name: 'admin', password: 'tebakan-salah-8' });
		if (r.status === 429) {
			await sleep(Number(r.headers['retry-after']) * 1000 + 200);
			r = await A2.post('/login', { name: 'admin', password: 'tebakan-salah-8' });
		}
		assert.equal(r.status, 401);
		r = await A2.post('/login', { name: 'admin', password: 'tebakan-salah-9' });
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) > 4, `wait after restart ${r.headers['retry-after']}`);
		// One logbook entry for the lock, not one a try.
		const a = api(s.base, s.cli('token', 'new', 'admin').trim());
		const lb = await a('GET', '/logbook?object=user:admin&limit=1000');
		const locks = backoffs(lb.json.entries).filter((e) => e.details.origin === '127.0.0.2');
		assert.equal(locks.length, 1, JSON.stringify(locks));
		assert.equal(locks[0].details.failures, 5);
		assert.equal(locks[0].details.scope, 'pair');
	} finally {
		await s.stop();
	}
});

test('a name attacked from many addresses is slowed only for addresses that failed for it', async () => {
	const s = await startServer();
	try {
		// Eleven addresses, one wrong password each: each is checked (a
		// fresh address is never kept out), and the name's count passes
		// its ten free failures.
		const bots = [];
		for (let i = 10; i < 21; i++) {
			const c = new AddrClient(s.port, `127.0.0.${i}`);
			await c.get('/login');
			assert.equal((await c.post('/login', { name: 'kabid', password: `bot-${i}-salah` })).status, 401, `bot ${i}`);
			bots.push(c);
		}
		// An address that has failed for kabid now waits, right password or not.
		const r = await bots[0].post('/login', { name: 'kabid', password: PASSWORD });
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) >= 1);
		// The owner from a clean address signs in at once.
		const owner = new AddrClient(s.port, '127.0.0.50');
		assert.equal((await owner.login('kabid')).status, 303);
		assert.equal((await owner.get('/dasbor')).status, 200);
		const a = api(s.base, s.cli('token', 'new', 'admin').trim());
		const lb = await a('GET', '/logbook?object=user:kabid&limit=1000');
		const locks = backoffs(lb.json.entries).filter((e) => e.details.scope === 'name');
		assert.equal(locks.length, 1, JSON.stringify(lb.json.entries));
	} finally {
		await s.stop();
	}
});

test('an address spraying passwords over many names is slowed, for every name, and the lock is logged', async () => {
	const s = await startServer();
	try {
		const sprayer = new AddrClient(s.port, '127.0.0.60');
		await sprayer.get('/login');
		for (let i = 0; i < 20; i++) assert.equal((await sprayer.post('/login', { name: `pengguna-${i}`, password: 'Rahasia2026!' })).status, 401, `name ${i}`);
		const r = await sprayer.post('/login', { name: 'petugas', password: PASSWORD });
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) >= 1);
		// Nobody else is held back.
		const other = new AddrClient(s.port, '127.0.0.61');
		assert.equal((await other.login('petugas')).status, 303);
		const a = api(s.base, s.cli('token', 'new', 'admin').trim());
		const lb = await a('GET', '/logbook?object=address:127.0.0.60');
		assert.equal(backoffs(lb.json.entries).length, 1);
		assert.equal(backoffs(lb.json.entries)[0].details.scope, 'address');
	} finally {
		await s.stop();
	}
});

let S;
let admin;
before(async () => {
	S = await startServer();
	admin = api(S.base, S.cli('token', 'new', 'admin').trim());
});
after(async () => { await S.stop(); });

test('guesses sent in parallel cannot slip past the lock the first ones earn', async () => {
	const c = new AddrClient(S.port, '127.0.0.70');
	await c.get('/login');
	// Four rounds (four names: the address's 20 free failures are not
	// passed before the last), 24 guesses at once each: exactly the five
	// free ones are checked. A race lost even once shows.
	for (const name of ['petugas', 'ttis', 'kabid', 'tidak-ada']) {
		const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => c.post('/login', { name, password: `paralel-${i}` })));
		const statuses = answers.map((r) => r.status);
		assert.equal(statuses.filter((x) => x === 401).length, 5, `${name}: ${statuses.join(' ')}`);
		assert.equal(statuses.filter((x) => x === 429).length, 19, `${name}: ${statuses.join(' ')}`);
	}
});

// ---- what a new password, a disabled account and new roles end ----

test('a new password ends the other sessions, keeps this one, and says the API tokens stay valid', async () => {
	assert.equal((await admin('POST', '/users', { name: 'ganti', roles: ['petugas'], password: 'sandi-lama-123' })).status, 201);
	const tok = api(S.base, S.cli('token', 'new', 'ganti').trim());
	const c1 = new Client(S.base);
	const c2 = new Client(S.base);
	await c1.login('ganti', 'sandi-lama-123');
	await c2.login('ganti', 'sandi-lama-123');
	await c1.get('/akun/sandi');
	const r = await c1.post('/akun/sandi', { lama: 'sandi-lama-123', baru: 'sandi-baru-456', ulang: 'sandi-baru-456' });
	const gone = await c2.get('/dasbor');
	assert.equal(gone.status, 303, 'the other session ended');
	assert.match(gone.location, /^\/login/);
	assert.equal((await c1.get('/dasbor')).status, 200, 'the session that changed it stays');
	// Said on the page: how many sessions ended, which tokens stay, where
	// to revoke them.
	assert.equal(r.status, 200);
	assert.match(r.text, /Sesi lain yang diakhiri: 1\./);
	assert.match(r.text, /Token API yang tetap berlaku: 1\./);
	assert.match(r.text, /href="\/token"/);
	assert.equal((await tok('GET', '/me')).status, 200, 'tokens are kept');
	// Through the API (a token keeps no session): every session ends.
	const c3 = new Client(S.base);
	await c3.login('ganti', 'sandi-baru-456');
	const p = await tok('PUT', '/me/password', { current: 'sandi-baru-456', new: 'sandi-baru-789' });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.sessions_ended, 2);
	assert.equal(p.json.tokens_active, 1);
	assert.match(p.json.note, /\/api\/v1\/tokens/);
	assert.equal((await c1.get('/dasbor')).status, 303);
	assert.equal((await c3.get('/dasbor')).status, 303);
	const lb = await admin('GET', '/logbook?object=user:ganti');
	const changes = lb.json.entries.filter((e) => e.action === 'user.password').map((e) => e.details);
	assert.deepEqual(changes, [{ sessions_ended: 2, tokens_active: 1 }, { sessions_ended: 1, tokens_active: 1 }]);
});

test('a stolen session or token cannot guess the current password freely: a password change is throttled like a sign-in', async () => {
	assert.equal((await admin('POST', '/users', { name: 'curian', roles: ['petugas'], password: 'sandi-asli-123' })).status, 201);
	const tok = S.cli('token', 'new', 'curian').trim();
	const thief = apiFrom(S.port, '127.0.0.31', tok);
	const statuses = [];
	for (let i = 0; i < 8; i++) statuses.push((await thief('PUT', '/me/password', { current: `tebakan-${i}-xyz`, new: 'sandi-pencuri-1' })).status);
	assert.deepEqual(statuses.slice(0, 5), [403, 403, 403, 403, 403], statuses.join(' '));
	const last = await thief('PUT', '/me/password', { current: 'sandi-asli-123', new: 'sandi-pencuri-1' });
	assert.equal(last.status, 429, 'even the right password waits while the back-off holds');
	assert.ok(last.headers['retry-after']);
	// The owner, from a clean address, is not kept out.
	const owner = new AddrClient(S.port, '127.0.0.32');
	const r = await owner.login('curian', 'sandi-asli-123');
	assert.equal(r.status, 303);
});

test('changed roles end the user\'s sessions and hold for tokens at once; disabling ends them and refuses the tokens', async () => {
	assert.equal((await admin('POST', '/users', { name: 'geser', roles: ['ttis'], password: 'sandi-geser-1' })).status, 201);
	const tok = api(S.base, S.cli('token', 'new', 'geser').trim());
	const c = new Client(S.base);
	await c.login('geser', 'sandi-geser-1');
	let r = await admin('PUT', '/users/geser', { roles: ['ttis', 'petugas'] });
	assert.equal(r.status, 200, r.text);
	const d = await c.get('/dasbor');
	assert.equal(d.status, 303, 'a session does not go on with roles it no longer has');
	assert.match(d.location, /^\/login/);
	assert.equal(r.json.sessions_ended, 1);
	assert.deepEqual((await tok('GET', '/me')).json.roles, ['petugas', 'ttis']);
	// The same roles again change nothing and end nothing.
	await c.login('geser', 'sandi-geser-1');
	r = await admin('PUT', '/users/geser', { roles: ['petugas', 'ttis'] });
	assert.equal(r.json.sessions_ended, 0);
	assert.equal((await c.get('/dasbor')).status, 200);
	// A role taken away holds for the token at its next request.
	assert.equal((await tok('GET', '/alerts')).status, 200);
	assert.equal((await admin('PUT', '/users/geser', { roles: ['petugas'] })).status, 200);
	assert.equal((await tok('GET', '/alerts')).status, 403);
	// Disabled through the page: sessions end, the page says so and what
	// becomes of the tokens, and the tokens are refused.
	await c.login('geser', 'sandi-geser-1');
	const adm = new Client(S.base);
	await adm.login('admin');
	await adm.get('/pengguna');
	r = await adm.post('/pengguna/geser', { peran: 'petugas', status: 'nonaktif' });
	assert.equal(r.status, 200);
	assert.match(r.text, /Pengguna geser dinonaktifkan: sesi yang diakhiri: 1; token API pengguna tersebut ditolak/);
	assert.equal((await c.get('/dasbor')).status, 303);
	assert.equal((await tok('GET', '/me')).status, 401);
	const lb = await admin('GET', '/logbook?object=user:geser');
	const ended = lb.json.entries.filter((e) => e.action === 'user.update').map((e) => e.details.sessions_ended);
	assert.deepEqual(ended, [1, 1, undefined, 1]); // newest first; the same roles end nothing
});

// ---- the report status check ----

test('report status checks are rate-limited per address, apart from reports, with Retry-After', async () => {
	const s = await startServer('[web]\nstatus_limit = 3\n');
	try {
		const A = apiFrom(s.port, '127.0.0.2');
		const q = { ticket: 'INS-2026-9999', tracking: 'aaaabbbbccccdddd' };
		for (let i = 0; i < 3; i++) assert.equal((await A('POST', '/reports/status', q)).status, 404);
		const r = await A('POST', '/reports/status', q);
		assert.equal(r.status, 429);
		assert.equal(r.json.error.code, 'too_many_requests');
		const wait = Number(r.headers['retry-after']);
		assert.ok(wait > 1000 && wait <= 1200, `Retry-After ${r.headers['retry-after']}`);
		// The page shares the address's allowance, and says it in Indonesian.
		const page = new AddrClient(s.port, '127.0.0.2');
		await page.get('/lapor/status');
		const p = await page.post('/lapor/status', { tiket: 'INS-2026-9999', kode: 'aaaa-bbbb-cccc-dddd' });
		assert.equal(p.status, 429);
		assert.ok(Number(p.headers['retry-after']) > 1000);
		assert.match(p.text, /Terlalu banyak pemeriksaan status dari alamat Anda dalam satu jam terakhir\. Silakan tunggu 20 menit, lalu coba lagi\./);
		// Reports are counted apart, and other addresses are not held back.
		const f = { fields: { pelapor_nama: 'a', pelapor_kontak: 'b', sistem_terdampak: 'c', uraian_kejadian: 'd' } };
		assert.equal((await A('POST', '/reports', f)).status, 201);
		assert.equal((await apiFrom(s.port, '127.0.0.3')('POST', '/reports/status', q)).status, 404);
	} finally {
		await s.stop();
	}
});

test('behind a trusted load balancer each client is counted by its own address (X-Forwarded-For); from anyone else the header is ignored', async () => {
	const s = await startServer('[web]\nstatus_limit = 2\ntrusted_proxies = 127.0.0.5\nmax_connections_per_address = 2\n');
	try {
		const q = JSON.stringify({ ticket: 'INS-2026-9999', tracking: 'aaaabbbbccccdddd' });
		const via = (addr, xff) => request(s.port, addr, 'POST', '/api/v1/reports/status', q,
			{ 'Content-Type': 'application/json', ...(xff ? { 'X-Forwarded-For': xff } : {}) });
		// through the balancer: two clients, each its own allowance
		for (const client of ['198.51.100.7', '198.51.100.8'])
			for (let i = 0; i < 2; i++) assert.equal((await via('127.0.0.5', client)).status, 404, `${client} check ${i}`);
		assert.equal((await via('127.0.0.5', '198.51.100.7')).status, 429, 'the third of one client');
		// the right end is the address the balancer saw: what the client
		// wrote to its left does not make a new allowance
		assert.equal((await via('127.0.0.5', '203.0.113.99, 198.51.100.7')).status, 429);
		assert.equal((await via('127.0.0.5', '198.51.100.9, 127.0.0.5')).status, 404, 'a trusted hop is passed over');
		// a client that is no trusted proxy cannot choose its address
		assert.equal((await via('127.0.0.6', '198.51.100.50')).status, 404);
		assert.equal((await via('127.0.0.6', '198.51.100.51')).status, 404);
		assert.equal((await via('127.0.0.6', '198.51.100.52')).status, 429, 'counted by its own address');
		// a balancer's connections are not held to the per-address limit
		const held = [];
		for (let i = 0; i < 4; i++) {
			const sock = net.connect({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.5' });
			sock.on('error', () => {});
			await new Promise((r) => sock.on('connect', r));
			held.push(sock);
		}
		await new Promise((r) => setTimeout(r, 200));
		assert.equal((await via('127.0.0.5', '198.51.100.60')).status, 404, 'a fifth connection of the balancer is served');
		for (const h of held) h.destroy();
	} finally {
		await s.stop();
	}
});

test('report status checks: 60 an hour per address by default', async () => {
	const s = await startServer();
	try {
		const A = apiFrom(s.port, '127.0.0.2');
		const q = { ticket: 'INS-2026-9999', tracking: 'aaaabbbbccccdddd' };
		for (let i = 0; i < 60; i++) assert.equal((await A('POST', '/reports/status', q)).status, 404, `check ${i}`);
		const r = await A('POST', '/reports/status', q);
		assert.equal(r.status, 429);
		assert.ok(Number(r.headers['retry-after']) >= 1);
	} finally {
		await s.stop();
	}
});
