// test_auth_abuse.mjs: what a hostile visitor can do to the public
// status check, against a real sigap serve: it is rate-limited per
// address, apart from the reports.
//
// sigap trusts no X-Forwarded-For, so the tests are several clients by
// binding their sockets to other loopback addresses (127.0.0.2, …: Linux
// routes all of 127.0.0.0/8 to lo) while the server listens on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './server.mjs';

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
