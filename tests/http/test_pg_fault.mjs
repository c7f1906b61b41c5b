// test_pg_fault.mjs: sigap serve on PostgreSQL while the database server
// goes away and comes back: requests during the outage get 503 with a
// clear message and Retry-After, the node reconnects by itself, nothing
// acknowledged is lost, the logbook's chain holds. The server is a private
// PostgreSQL 15 of this test's own (tests/pg/pg.sh), so stopping it
// disturbs no other test. Runs in the PostgreSQL suite (SIGAP_TEST_PG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, Client, PASSWORD, PG, sshdAlert } from './server.mjs';

const PGSH = new URL('../pg/pg.sh', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let S, T, pgdir, ALERTS;

const wazuh = (agent, i) => sshdAlert(agent, `198.51.100.${i}`);

before(async () => {
	if (!PG) return;
	pgdir = mkdtempSync(join(tmpdir(), 'sigap-pgfault-'));
	const url = execFileSync('sh', [PGSH, 'start', pgdir], { encoding: 'utf8' }).trim();
	const dir = mkdtempSync(join(tmpdir(), 'sigap-http-'));
	ALERTS = join(dir, 'alerts.json');
	writeFileSync(ALERTS, '');
	writeFileSync(join(dir, 'sigap.conf'), `[database]\nurl = ${url}\n[evidence]\ndir = ${dir}/evidence\n` +
		`[inputs]\nwazuh_alerts = ${ALERTS}\n`);
	execFileSync(process.env.SIGAP_BIN, ['init', '--demo'], { env: { ...process.env, SIGAP_CONFIG: join(dir, 'sigap.conf') }, stdio: 'pipe' });
	S = await startServer('', [], dir);
	T = S.cli('token', 'new', 'ttis', '--name', 'gangguan').trim();
	// the senders are known indicators: each event is an alert
	writeFileSync(join(dir, 'feed.txt'), [1, 2, 3, 4, 5].map((i) => `198.51.100.${i}`).join('\n') + '\n');
	S.cli('ioc', 'import', '--source', 'uji', join(dir, 'feed.txt'));
	await sleep(1500); // the running server reloads on the import's change mark
});
after(async () => {
	if (S) await S.stop();
	if (pgdir) execFileSync('sh', [PGSH, 'stop', pgdir]);
});

test('PostgreSQL stopped and started again under sigap serve: 503 meanwhile, then served again without a restart; nothing acknowledged lost', {
	skip: PG ? false : 'SIGAP_TEST_PG is not set (tests/run.sh runs this in its PostgreSQL suite)', timeout: 120000,
}, async () => {
	const ttis = api(S.base, T);
	const before = await ttis('POST', '/ingest/wazuh?wait=1', [wazuh('sebelum', 1), wazuh('sebelum', 2)]);
	assert.equal(before.status, 202, before.text);
	assert.equal((await ttis('GET', '/cases?limit=1')).status, 200);

	const signer = new Client(S.base); // its sign-in form, fetched before the outage
	await signer.get('/login');
	assert.ok(signer.csrf, 'the sign-in form has its token');
	execFileSync('sh', [PGSH, 'halt', pgdir]);
	try {
		const down = await ttis('GET', '/cases?limit=1');
		assert.equal(down.status, 503, down.text);
		assert.equal(down.headers.get('retry-after'), '5');
		assert.equal(down.json.error.code, 'busy');
		assert.match(down.json.error.message, /cannot be reached/);
		assert.ok(!down.text.includes(pgdir) && !/socket|port \d/.test(down.text), `the answer names no server: ${down.text}`);
		const page = await fetch(`${S.base}/login`);
		assert.ok(page.status === 200 || page.status === 503, `the sign-in page answers ${page.status}`);
		// a sign-in meanwhile: the store is busy, not the server broken
		const login = await signer.post('/login', { name: 'petugas', password: PASSWORD });
		assert.equal(login.status, 503, `sign-in during the outage: ${login.status}`);
		assert.ok(!login.text.includes(pgdir), 'the sign-in page names no server');
		const ingest = await ttis('POST', '/ingest/wazuh?wait=1', [wazuh('selama', 3)]);
		assert.notEqual(ingest.status, 202, 'nothing is acknowledged that was not committed');
		// Wazuh goes on writing its alerts.json meanwhile
		appendFileSync(ALERTS, [1, 2, 3, 4, 5].map((i) => JSON.stringify(wazuh(`berkas-${i}`, i))).join('\n') + '\n');
		await sleep(1500);
	} finally {
		execFileSync('sh', [PGSH, 'resume', pgdir]);
	}

	// the node reconnects by itself: a read finds its connection gone
	// and is sent again on a new one, so even the first is served
	const up = await ttis('GET', '/cases?limit=1');
	assert.equal(up.status, 200, `served at once after the restart: ${up.text}`);
	const after_ = await ttis('POST', '/ingest/wazuh?wait=1', [wazuh('sesudah', 4), wazuh('sesudah', 5)]);
	assert.equal(after_.status, 202, after_.text);
	// the followed file's lines of the outage were handed again, not lost
	let stored = [];
	for (let i = 0; i < 50 && stored.length < 5; i++) {
		stored = (await ttis('GET', '/alerts?limit=100')).json.alerts.map((a) => a.asset).filter((x) => x.startsWith('berkas-'));
		if (stored.length < 5) await sleep(200);
	}
	assert.deepEqual(stored.sort(), ['berkas-1', 'berkas-2', 'berkas-3', 'berkas-4', 'berkas-5']);
	const alerts = (await ttis('GET', '/alerts?limit=100')).json.alerts.map((a) => a.asset);
	for (const agent of ['sebelum', 'sesudah'])
		assert.ok(alerts.includes(agent), `the alerts of ${agent} are stored: ${alerts.join(', ')}`);
	assert.match(S.cli('logbook', 'verify'), /Logbook intact/);
	// sign-in works again: sessions live in the database
	const login = await fetch(`${S.base}/login`);
	assert.equal(login.status, 200);
});
