// test_evidence_dir.mjs: with no [evidence] dir configured, the evidence
// is kept beside the database: `sigap serve` started in one directory and
// the command line run in another, the store in a third, keep a scanner
// report in the store's directory, and nothing in either working
// directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIGAP, PG } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNERS = join(ROOT, 'tests/data/vuln/scanners');

const stored = (store, file) => {
	const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
	return join(store, 'evidence', sha.slice(0, 2), sha);
};

test('the server and the command line keep reports beside the store, whatever their working directory', {
	skip: PG ? 'a SQLite store\'s default; a PostgreSQL store names its shared directory' : false,
}, async () => {
	const top = mkdtempSync(join(tmpdir(), 'sigap-evdir-'));
	const store = join(top, 'store'), serveCwd = join(top, 'serve-here'), cliCwd = join(top, 'cli-here');
	for (const d of [store, serveCwd, cliCwd]) mkdirSync(d);
	const env = { ...process.env, SIGAP_DB: join(store, 'sigap.db'), SIGAP_CONFIG: '' };
	execFileSync(SIGAP, ['init', '--demo'], { env, cwd: cliCwd, stdio: 'pipe' });
	const token = execFileSync(SIGAP, ['token', 'new', 'ttis', '--name', 'evdir'], { env, cwd: cliCwd, encoding: 'utf8' }).trim();
	const proc = spawn(SIGAP, ['serve', '--listen', '127.0.0.1:0', '--threads', '2'], { env, cwd: serveCwd });
	try {
		let out = '', err = '';
		proc.stderr.on('data', (d) => { err += d; });
		const port = await new Promise((resolve, reject) => {
			proc.stdout.on('data', (d) => {
				out += d;
				const m = out.match(/listening on https?:\/\/127\.0\.0\.1:(\d+)/);
				if (m) resolve(Number(m[1]));
			});
			proc.on('exit', (code) => reject(new Error(`sigap serve exited ${code}: ${err}`)));
			setTimeout(() => reject(new Error('sigap serve did not start: ' + err)), 15000);
		});
		const gmp = join(SCANNERS, 'openvas_gmp.xml');
		const res = await fetch(`http://127.0.0.1:${port}/api/v1/findings/import?filename=openvas_gmp.xml`, {
			method: 'POST', body: readFileSync(gmp),
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
		});
		assert.equal(res.status, 201, await res.text());
		assert.ok(existsSync(stored(store, gmp)), 'the server keeps the report beside the store');
		const wp = join(SCANNERS, 'wpscan.json');
		execFileSync(SIGAP, ['vuln', 'import', wp], { env, cwd: cliCwd, stdio: 'pipe' });
		assert.ok(existsSync(stored(store, wp)), 'the command line keeps it there too');
		assert.ok(!existsSync(join(serveCwd, 'var')) && !existsSync(join(cliCwd, 'var')), 'nothing in a working directory');
	} finally {
		proc.kill('SIGTERM');
	}
});
