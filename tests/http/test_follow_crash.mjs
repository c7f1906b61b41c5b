// test_follow_crash.mjs: the alerts.json follower when the file is rotated
// while sigap serve is stopped or killed: the unread rest of the old file
// is read from its rotated name (PATH.1, PATH.2, … or [inputs]
// wazuh_alerts_rotated, found by its inode), then the files rotated after
// it, then the new one; no line twice, and archives older than it never;
// an old file that is gone is counted in /metrics. Last, sigap serve is
// killed with SIGKILL at random while a writer appends and rotates
// logrotate-style: nothing lost, nothing doubled.
//
// SIGAP_CRASH_KILLS sets the kills (8 by default, for make test);
// bench/crash.sh runs a long one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	appendFileSync, existsSync, linkSync, mkdirSync, renameSync, unlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeLine } from './server.mjs';

const KILLS = Number(process.env.SIGAP_CRASH_KILLS || 8);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo));
const running = new Set();
after(async () => { for (const s of running) await s.stop(); });

// A Wazuh alert that raises exactly one alert of its own (a root login
// over SSH) on an agent named by tag and number, so each line is its own
// alert and a line read twice folds into it (count 2).
function line(tag, n) {
	const agent = `${tag}-${n}`;
	return JSON.stringify({
		timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '001', name: agent },
		rule: { level: 3, description: 'sshd: authentication success.', id: '5715' },
		full_log: `Nov 23 09:00:00 ${agent} sshd[42]: Accepted password for root from 198.51.100.7 port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: agent }, decoder: { name: 'sshd' },
		data: { srcip: '198.51.100.7', dstuser: 'root' }, location: '/var/log/auth.log',
	}) + '\n';
}

function lines(tag, from, to) {
	let s = '';
	for (let i = from; i < to; i++) s += line(tag, i);
	return s;
}

// A server of its own following DIR/alerts.json; extra(dir): more of [inputs].
async function newServer(extra = () => '') {
	const probe = await startServer();
	const dir = probe.dir;
	await probe.stop();
	const A = join(dir, 'alerts.json');
	writeFileSync(join(dir, 'sigap.conf'), `[database]\n${storeLine(dir)}\n[evidence]\ndir = ${dir}/evidence\n` +
		`[inputs]\nwazuh_alerts = ${A}\n${extra(dir)}`);
	const x = { dir, A };
	await start(x);
	x.T = x.S.cli('token', 'new', 'ttis', '--name', 'follow').trim();
	return x;
}

async function start(x) {
	x.S = await startServer('', [], x.dir);
	running.add(x.S);
	(x.servers ??= []).push(x.S);
}

// The last lines each server process of x wrote to stderr (for failures).
const logs = (x) => x.servers.map((s, i) => `--- sigap serve #${i + 1}\n` + s.stderr().split('\n').slice(-15).join('\n')).join('\n');

// Stops the server: SIGTERM (checked clean of sanitizer reports) or SIGKILL.
async function stop(x, signal = 'SIGTERM') {
	const done = new Promise((r) => x.S.proc.on('exit', r));
	x.S.proc.kill(signal);
	await done;
	running.delete(x.S);
	if (signal === 'SIGTERM') assert.doesNotMatch(x.S.stderr(), /Sanitizer|runtime error/);
}

// The stored alerts of the lines of tag, by asset: their counts.
async function alertsOf(x, tag) {
	const seen = new Map();
	for (let off = 0; ; off += 1000) {
		const r = await api(x.S.base, x.T)('GET', `/alerts?limit=1000&offset=${off}`);
		assert.equal(r.status, 200, r.text);
		for (const a of r.json.alerts) {
			if (!a.asset?.startsWith(tag + '-')) continue;
			if (!seen.has(a.asset)) seen.set(a.asset, []);
			seen.get(a.asset).push(a.count);
		}
		if (r.json.alerts.length < 1000) return seen;
	}
}

async function total(x) {
	return (await api(x.S.base, x.T)('GET', '/alerts?limit=1')).json.total;
}

// Lines tag-0 … tag-(n-1): how many have no alert, how many more than one
// (two alerts, or one with count > 1); extra: alerts of other lines.
function tally(seen, tag, n) {
	let lost = 0, doubled = 0;
	for (let i = 0; i < n; i++) {
		const c = seen.get(`${tag}-${i}`);
		if (!c) lost++;
		else if (c.length > 1 || c[0] !== 1) doubled++;
	}
	const extra = [...seen.keys()].filter((k) => !(Number(k.slice(tag.length + 1)) < n)).length;
	return { lost, doubled, extra };
}

// Waits until the alerts of lines tag-0 … tag-(n-1) are there, but for
// lost ones (at most ms), a moment more for any line read twice to show,
// then tallies.
async function settle(x, tag, n, ms = 15000, lost = 0) {
	const end = Date.now() + ms;
	while (tally(await alertsOf(x, tag), tag, n).lost > lost && Date.now() < end) await sleep(200);
	await sleep(1000);
	return tally(await alertsOf(x, tag), tag, n);
}

async function metric(x, name) {
	const admin = new Client(x.S.base); // /metrics is an administrator's
	await admin.login('admin');
	const r = await admin.get('/metrics');
	assert.equal(r.status, 200);
	const text = r.text;
	const m = text.match(new RegExp(`^${name.replace(/[{}"]/g, (c) => '\\' + c)} (\\d+)$`, 'm'));
	return m ? Number(m[1]) : NaN;
}

const LOST = 'sigap_ingest_rotated_lost_total{input="file"}';

// logrotate's "rotate keep" with "create": PATH.k to PATH.k+1 from the
// oldest (PATH.keep is overwritten), PATH to PATH.1, a new empty PATH.
function rotate(A, keep, last = '') {
	for (let k = keep - 1; k >= 1; k--) if (existsSync(`${A}.${k}`)) renameSync(`${A}.${k}`, `${A}.${k + 1}`);
	renameSync(A, `${A}.1`);
	if (last) appendFileSync(`${A}.1`, last); // the writer still had the old file open
	writeFileSync(A, '');
}

let R; // the server of the logrotate tests

test('stopped; 100 lines appended; renamed to .1; a new file of 50: all 150 read once', async () => {
	R = await newServer();
	appendFileSync(R.A, lines('r', 0, 20));
	assert.deepEqual(await settle(R, 'r', 20), { lost: 0, doubled: 0, extra: 0 });
	await stop(R);
	appendFileSync(R.A, lines('r', 20, 120));
	renameSync(R.A, R.A + '.1');
	writeFileSync(R.A, lines('r', 120, 170));
	await start(R);
	assert.deepEqual(await settle(R, 'r', 170), { lost: 0, doubled: 0, extra: 0 });
	assert.match(R.S.stderr(), /rotated before it was read to its end; reading the rest of .*alerts\.json\.1 first/);
	assert.equal(await metric(R, LOST), 0);
});

test('rotated twice while stopped: the rest of .2, all of .1, then the new file; older archives never again', async () => {
	await stop(R);
	appendFileSync(R.A, lines('r', 170, 200));
	rotate(R.A, 5);
	appendFileSync(R.A, lines('r', 200, 240));
	rotate(R.A, 5);
	appendFileSync(R.A, lines('r', 240, 260));
	// alerts.json.3 is the first test's .1, read long ago
	assert.ok(existsSync(R.A + '.3'));
	await start(R);
	assert.deepEqual(await settle(R, 'r', 260), { lost: 0, doubled: 0, extra: 0 });
	// and a restart with nothing new reads nothing again
	await stop(R);
	await start(R);
	appendFileSync(R.A, lines('r', 260, 261));
	assert.deepEqual(await settle(R, 'r', 261), { lost: 0, doubled: 0, extra: 0 });
	assert.equal(await metric(R, LOST), 0);
});

test('rotated while running: the old file is read until quiet, then the new one', async () => {
	appendFileSync(R.A, lines('r', 261, 270));
	assert.deepEqual(await settle(R, 'r', 270), { lost: 0, doubled: 0, extra: 0 });
	// the writer goes on in the old file for a moment after the rename
	rotate(R.A, 5, lines('r', 270, 275));
	await sleep(300);
	appendFileSync(R.A + '.1', lines('r', 275, 280));
	appendFileSync(R.A, lines('r', 280, 290));
	assert.deepEqual(await settle(R, 'r', 290), { lost: 0, doubled: 0, extra: 0 });
	await stop(R);
});

test('Wazuh\'s own rotation ([inputs] wazuh_alerts_rotated): the day\'s file found by its inode; a compressed one counted lost', async () => {
	const day = (x, d) => join(x.dir, 'archive', '2026', 'Nov', `ossec-alerts-${d}.json`);
	// Wazuh writes the day's file and keeps alerts.json a hard link to it
	const link = (x, d) => { if (existsSync(x.A)) unlinkSync(x.A); linkSync(day(x, d), x.A); };
	const W = await newServer((dir) => `wazuh_alerts_rotated = ${dir}/archive/*/*/ossec-alerts-*.json\n`);
	await stop(W);
	mkdirSync(join(W.dir, 'archive', '2026', 'Nov'), { recursive: true });
	const days = (n) => (Date.now() / 1000) - n * 86400;
	writeFileSync(day(W, 20), lines('z', 0, 5)); // older than anything read: never
	utimesSync(day(W, 20), days(3), days(3));
	writeFileSync(day(W, 21), lines('w', 0, 10));
	link(W, 21);
	await start(W);
	assert.deepEqual(await settle(W, 'w', 10), { lost: 0, doubled: 0, extra: 0 });
	await stop(W);
	appendFileSync(W.A, lines('w', 10, 30)); // through the link, into the 21st's file
	utimesSync(day(W, 21), days(2), days(2));
	writeFileSync(day(W, 22), lines('w', 30, 45));
	utimesSync(day(W, 22), days(1), days(1));
	link(W, 22);
	writeFileSync(day(W, 23), lines('w', 45, 50));
	link(W, 23);
	await start(W);
	assert.deepEqual(await settle(W, 'w', 50), { lost: 0, doubled: 0, extra: 0 });
	assert.equal((await alertsOf(W, 'z')).size, 0);
	// the 23rd is compressed (gone) with 7 lines unread while sigap is down
	await stop(W);
	appendFileSync(W.A, lines('w', 50, 57));
	writeFileSync(day(W, 24), lines('w', 57, 60));
	link(W, 24);
	writeFileSync(day(W, 23) + '.gz', 'not read');
	unlinkSync(day(W, 23));
	await start(W);
	assert.deepEqual(await settle(W, 'w', 60, 15000, 7), { lost: 7, doubled: 0, extra: 0 });
	const got = await alertsOf(W, 'w');
	for (let i = 50; i < 57; i++) assert.ok(!got.has(`w-${i}`), `w-${i} came from nowhere`);
	assert.equal(await metric(W, LOST), 1);
	assert.match(W.S.stderr(), /no longer there under its name or a rotated name/);
	assert.equal((await alertsOf(W, 'z')).size, 0);
	// counted once: a restart finds the position in the 24th's file
	await stop(W);
	await start(W);
	appendFileSync(W.A, lines('w', 60, 62));
	assert.deepEqual(await settle(W, 'w', 62, 15000, 7), { lost: 7, doubled: 0, extra: 0 });
	assert.equal(await metric(W, LOST), 0);
	await stop(W);
});

test(`kill -9 at random while a writer appends and rotates: nothing lost, nothing doubled (${KILLS} kills)`, async (t) => {
	const X = await newServer();
	const t0 = Date.now();
	const base = await total(X);
	const KEEP = 8; // logrotate's "rotate 8"
	// sigap has been following the file: a position is stored (a first
	// start reads only the path, never what was rotated before it)
	appendFileSync(X.A, line('c', 0));
	assert.deepEqual(await settle(X, 'c', 1), { lost: 0, doubled: 0, extra: 0 });
	let n = 1, rotations = 0, writing = true, asked = 0;
	const writer = (async () => {
		let next = Date.now() + rand(1000, 3000), half = '';
		while (writing) {
			// now and then a line in two writes, so a kill may fall inside it
			let s = half;
			half = '';
			for (let k = rand(1, 5); k > 0; k--) s += line('c', n++);
			if (Math.random() < 0.2) {
				const l = line('c', n++);
				const cut = rand(1, l.length - 1);
				s += l.slice(0, cut);
				half = l.slice(cut);
			}
			appendFileSync(X.A, s);
			if ((asked > 0 || Date.now() >= next) && !half) {
				rotate(X.A, KEEP, Math.random() < 0.5 ? line('c', n++) : '');
				rotations++;
				asked = Math.max(0, asked - 1);
				next = Date.now() + rand(1000, 3000);
			}
			await sleep(rand(5, 20));
		}
		if (half) appendFileSync(X.A, half);
	})();
	// rotations the writer makes now, after a few more lines each
	const rotateNow = async (k) => { asked += k; while (asked > 0) await sleep(5); };
	// Each kill in turn: at a random moment; just after a rotation (the old
	// file not yet finished); or followed by one to three rotations while
	// sigap is down.
	for (let k = 0; k < KILLS; k++) {
		await sleep(rand(500, 2500));
		if (k % 3 === 1) {
			await rotateNow(1);
			await sleep(rand(0, 800));
		}
		await stop(X, 'SIGKILL');
		await sleep(rand(50, 500));
		if (k % 3 === 2) await rotateNow(rand(1, 4));
		await sleep(rand(0, 500));
		await start(X);
	}
	writing = false;
	await writer;
	const end = Date.now() + 60000;
	while ((await total(X)) - base < n && Date.now() < end) await sleep(300);
	const r = await settle(X, 'c', n, 5000);
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	t.diagnostic(`kills ${KILLS}, lines ${n}, rotations ${rotations}, lost ${r.lost}, doubled ${r.doubled}, ${secs} s`);
	if (r.lost || r.doubled) {
		const seen = await alertsOf(X, 'c');
		const bad = [];
		for (let i = 0; i < n && bad.length < 20; i++) {
			const c = seen.get(`c-${i}`);
			if (!c || c.length > 1 || c[0] !== 1) bad.push(`c-${i}: ${c ? c.join('+') : 'none'}`);
		}
		t.diagnostic(`first lines lost or doubled: ${bad.join(', ')}`);
	}
	assert.deepEqual(r, { lost: 0, doubled: 0, extra: 0 }, logs(X));
	assert.equal(await metric(X, LOST), 0);
	await stop(X);
});
