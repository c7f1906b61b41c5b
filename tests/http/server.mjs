// server.mjs: starts a real `sigap serve` for a test: a scratch directory,
// `sigap init --demo`, a configuration file, an ephemeral port; and the
// small HTTP helpers the tests share (cookies, CSRF tokens, sign-in).
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIGAP = process.env.SIGAP_BIN;
export const PASSWORD = 'sigap-demo-2026';

// With SIGAP_TEST_PG set (the query part of a libpq URL, "host=…&port=…
// &user=…": tests/run.sh's private PostgreSQL 15), each store is a new
// PostgreSQL database on that server; otherwise DIR/sigap.db.
export const PG = process.env.SIGAP_TEST_PG || '';
let stores = 0;

// The [database] line of the store of a server in dir: the one its
// configuration names already, else a new one.
export function storeLine(dir) {
	const conf = join(dir, 'sigap.conf');
	const had = existsSync(conf) && readFileSync(conf, 'utf8').match(/^(path|url) = .*$/m);
	if (had) return had[0];
	if (!PG) return `path = ${dir}/sigap.db`;
	const name = `h${process.pid}_${++stores}`;
	execFileSync('psql', ['-qX', `postgresql:///postgres?${PG}`, '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
	return `url = postgresql:///${name}?${PG}`;
}

// The store target a configuration line names ("path = …" or "url = …").
function storeOf(dir) {
	const conf = readFileSync(join(dir, 'sigap.conf'), 'utf8');
	const m = conf.match(/^(path|url) = (.*)$/m);
	return m ? m[2] : join(dir, 'sigap.db');
}

// Runs SQL on the store of the server in dir, behind its back, as the
// store's own shell does (sqlite3, psql): rows as "a|b" lines.
export function storeSql(dir, q) {
	const target = storeOf(dir);
	if (/^postgres(ql)?:/.test(target))
		return execFileSync('psql', ['-qXAt', target, '-c', q], { encoding: 'utf8', maxBuffer: 1 << 28 });
	return execFileSync('sqlite3', [target, q], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

// reuse: the directory of an earlier server, to start again on its data.
export async function startServer(conf = '', extraArgs = [], reuse = null) {
	const dir = reuse ?? mkdtempSync(join(tmpdir(), 'sigap-http-'));
	const config = join(dir, 'sigap.conf');
	const env = { ...process.env, SIGAP_CONFIG: config };
	if (!reuse) {
		writeFileSync(config, `[database]\n${storeLine(dir)}\n[evidence]\ndir = ${dir}/evidence\n` + conf);
		execFileSync(SIGAP, ['init', '--demo'], { env, cwd: dir, stdio: 'pipe' });
	}
	const proc = spawn(SIGAP, ['serve', '--listen', '127.0.0.1:0', '--threads', '4', ...extraArgs], { env, cwd: dir });
	let stderr = '';
	let out = '';
	// SIGAP_TEST_STDERR=FILE: every server's stderr appended there too
	proc.stderr.on('data', (d) => {
		stderr += d;
		if (process.env.SIGAP_TEST_STDERR) appendFileSync(process.env.SIGAP_TEST_STDERR, d);
	});
	let late;
	const port = await new Promise((resolve, reject) => {
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening on https?:\/\/127\.0\.0\.1:(\d+)/);
			if (m) {
				clearTimeout(late);
				resolve(Number(m[1]));
			}
		});
		proc.on('exit', (code) => {
			clearTimeout(late);
			reject(new Error(`sigap serve exited ${code}: ${stderr}`));
		});
		// a server that did not start in time is stopped: left running, it
		// would keep the test's process alive for ever (a sanitizer's build
		// recovering a store after kill -9 has taken over 15 s)
		late = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error('sigap serve did not start: ' + stderr));
		}, 60000);
	});
	const base = `http://127.0.0.1:${port}`;
	return {
		dir, env, proc, base, port,
		stderr: () => stderr,
		stdout: () => out,
		cli: (...args) => execFileSync(SIGAP, args, { env, cwd: dir, encoding: 'utf8' }),
		async stop() {
			const done = new Promise((r) => proc.on('exit', (code, sig) => r({ code, sig })));
			proc.kill('SIGTERM');
			return done;
		},
	};
}

// A Wazuh alert of a failed SSH password, as the manager writes it: the
// agent names its host, srcip the sender.
export function sshdAlert(agent, srcip = '203.0.113.45') {
	return {
		timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '001', name: agent },
		rule: { level: 5, description: 'sshd: authentication failed.', id: '5760' },
		full_log: `Nov 23 09:00:00 ${agent} sshd[42]: Failed password for budi from ${srcip} port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: agent }, decoder: { name: 'sshd' },
		data: { srcip }, location: '/var/log/auth.log',
	};
}

// A browser-like client: keeps cookies, reads CSRF tokens off forms.
export class Client {
	constructor(base) { this.base = base; this.cookies = new Map(); this.csrf = null; }
	cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
	async req(method, path, { body, headers = {}, redirect = 'manual' } = {}) {
		const h = { ...headers };
		if (this.cookies.size) h.Cookie = this.cookieHeader();
		const res = await fetch(this.base + path, { method, body, headers: h, redirect });
		for (const c of res.headers.getSetCookie()) {
			const [kv] = c.split(';');
			const i = kv.indexOf('=');
			const k = kv.slice(0, i), v = kv.slice(i + 1);
			if (/Max-Age=0/.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
		}
		const text = await res.text();
		const m = text.match(/name="csrf" value="([0-9a-f]{64})"/);
		if (m) this.csrf = m[1];
		return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
	}
	get(path) { return this.req('GET', path); }
	post(path, fields = {}, { csrf = true, headers = {} } = {}) {
		const p = new URLSearchParams();
		if (csrf && this.csrf) p.set('csrf', this.csrf);
		for (const [k, v] of Object.entries(fields)) p.append(k, v);
		return this.req('POST', path, { body: p.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
	}
	postMultipart(path, form) {
		if (this.csrf && !form.has('csrf')) form.set('csrf', this.csrf);
		return this.req('POST', path, { body: form });
	}
	async login(name, password = PASSWORD) {
		await this.get('/login');
		const r = await this.post('/login', { name, password });
		if (r.status !== 303) throw new Error(`login ${name}: ${r.status}`);
		await this.get('/dasbor');
		return r;
	}
}

// The JSON API with a bearer token.
export function api(base, token) {
	return async (method, path, body, headers = {}) => {
		const h = { ...headers };
		if (token) h.Authorization = `Bearer ${token}`;
		let b = body;
		if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string') {
			b = JSON.stringify(body);
			h['Content-Type'] = 'application/json';
		}
		const res = await fetch(base + '/api/v1' + path, { method, body: b, headers: h });
		const text = await res.text();
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		return { status: res.status, json, text, headers: res.headers };
	};
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until fn() (may be async) is true, checking every 100 ms; throws
// naming what was awaited after ms.
export async function until(fn, what, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		if (await fn()) return;
		if (Date.now() > end) throw new Error(`timed out: ${what}`);
		await sleep(100);
	}
}
