// test_alert_pager.mjs: the alert list at scale, as a triage officer sees
// it: the keyset pager (page 2 continues exactly where page 1 ended though
// alerts were raised in between, ties of the same second included, and
// "previous" comes back to page 1), the totals kept by triggers (exact
// without a filter or by asset, status and level, following decisions),
// and the bounded count of a rule, indicator or time filter (the API's
// total_more, the command line's "more than").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, Client, storeSql } from './server.mjs';

let S, ttis;

// A Wazuh alert of agent NAME at second SEC of 23 November 2026: a root
// login, which the shipped rules raise an alert for.
function wazuh(name, sec) {
	const t = new Date(Date.UTC(2026, 10, 23, 2, 0, sec)).toISOString().replace('Z', '+0000');
	return {
		timestamp: t, agent: { id: '001', name },
		rule: { level: 3, description: 'sshd: authentication success.', id: '5715' },
		full_log: `Nov 23 09:00:00 ${name} sshd[42]: Accepted password for root from 198.51.100.23 port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: name }, location: '/var/log/auth.log',
	};
}

async function ingest(list) {
	const r = await ttis('POST', '/ingest/wazuh?wait=1', list);
	assert.equal(r.status, 202, JSON.stringify(r.json));
}

const ids = (r) => r.json.alerts.map((a) => a.id);

before(async () => {
	S = await startServer();
	ttis = api(S.base, S.cli('token', 'new', 'ttis', '--name', 'pager').trim());
	// 120 alerts, three to a second: the pager's order breaks ties by number.
	await ingest(Array.from({ length: 120 }, (_, i) => wazuh(`pg-${i}`, Math.floor(i / 3))));
});
after(async () => { await S?.stop(); });

test('the keyset pager: page 2 continues where page 1 ended, with alerts raised in between', async () => {
	const all = await ttis('GET', '/alerts?limit=1000');
	assert.equal(all.status, 200);
	const order = ids(all);
	assert.equal(order.length, 120);
	assert.equal(all.json.total, 120);
	assert.equal(all.json.total_more, false);
	const p1 = await ttis('GET', '/alerts?limit=50');
	assert.deepEqual(ids(p1), order.slice(0, 50));
	assert.equal(p1.json.previous, null);
	assert.match(p1.json.next, /^\d+\.\d+$/);
	// Five newer alerts arrive while the officer reads page 1.
	await ingest(Array.from({ length: 5 }, (_, i) => wazuh(`late-${i}`, 100 + i)));
	const p2 = await ttis('GET', `/alerts?limit=50&after=${p1.json.next}`);
	assert.equal(p2.status, 200);
	assert.deepEqual(ids(p2), order.slice(50, 100), 'page 2 starts right after page 1');
	assert.equal(p2.json.total, 125);
	// An offset would have shown five rows of page 1 again.
	const byOffset = await ttis('GET', '/alerts?limit=50&offset=50');
	assert.deepEqual(ids(byOffset).slice(0, 5), order.slice(45, 50));
	// Back: the 50 alerts before page 2 are page 1.
	const back = await ttis('GET', `/alerts?limit=50&before=${p2.json.previous}`);
	assert.deepEqual(ids(back), order.slice(0, 50));
	// The last page says there is nothing older.
	const p3 = await ttis('GET', `/alerts?limit=50&after=${p2.json.next}`);
	assert.deepEqual(ids(p3), order.slice(100));
	assert.equal(p3.json.next, null);
	// Previous from a page near the top is the newest page, whole.
	const top = await ttis('GET', `/alerts?limit=50&before=${p1.json.alerts[2].last_seen}.${order[2]}`);
	assert.equal(ids(top).length, 50);
	assert.equal(top.json.previous, null);
	for (const bad of ['x', '12', '12.', '.5', '12.0', '1.2.3'])
		assert.equal((await ttis('GET', `/alerts?after=${bad}`)).status, 400, bad);
	assert.equal((await ttis('GET', `/alerts?after=${p1.json.next}&before=${p1.json.next}`)).status, 400);

	// The page: Next carries the cursor; it shows the next 50 and no row of page 1.
	const c = new Client(S.base);
	await c.login('ttis');
	const page1 = await c.get('/peringatan');
	assert.equal(page1.status, 200);
	const next = page1.text.match(/href="\/peringatan\?after=(\d+\.\d+)"/);
	assert.ok(next, 'a Next link with a cursor');
	const page2 = await c.get(`/peringatan?after=${next[1]}`);
	const shown = [...page2.text.matchAll(/name="alert" value="(\d+)"/g)].map((m) => Number(m[1]));
	assert.deepEqual(shown, order.slice(45, 95), 'page 2 of the page is the 50 after the first 50 shown');
	assert.match(page2.text, /href="\/peringatan\?before=\d+\.\d+"/);
	assert.match(page2.text, /href="\/peringatan\?">Terbaru</);
	// Filters travel with the cursor.
	const f = await c.get('/peringatan?status=new');
	assert.match(f.text, /href="\/peringatan\?after=\d+\.\d+&amp;status=new"/);
});

test('totals: exact from the kept counts, bounded for other filters and said so', async () => {
	// 10,050 alerts of one asset, written straight into the database (as
	// months of detection would leave them): the triggers count them.
	storeSql(S.dir, `
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
		INSERT INTO alerts (kind, rule_id, title, level, fold_key, asset, source_ip, first_seen,
			last_seen, event, status, created_at)
		SELECT 'rule', 'bulk', 'Bulk', CASE WHEN i % 10 = 0 THEN 'high' ELSE 'low' END,
			'bulk|' || i, 'bulk-01', '198.51.100.7', 1700000000 + i, 1700000000 + i, '{}',
			'new', 1700000000 FROM n;`);
	let r = await ttis('GET', '/alerts?limit=1');
	assert.equal(r.json.total, 10175);
	assert.equal(r.json.total_more, false);
	r = await ttis('GET', '/alerts?limit=1&level=high'); // the root logins are high too
	assert.equal(r.json.total, 1130);
	r = await ttis('GET', '/alerts?limit=1&asset=bulk-01');
	assert.deepEqual([r.json.total, r.json.total_more], [10050, false]);
	r = await ttis('GET', '/alerts?limit=1&asset=bulk-01&level=high');
	assert.deepEqual([r.json.total, r.json.total_more], [1005, false]);
	// A rule, an indicator or a time: counted up to 10,000.
	r = await ttis('GET', '/alerts?limit=1&rule=bulk');
	assert.deepEqual([r.json.total, r.json.total_more], [10000, true]);
	r = await ttis('GET', '/alerts?limit=1&rule=bulk&level=high');
	assert.deepEqual([r.json.total, r.json.total_more], [1005, false]);
	r = await ttis('GET', '/alerts?limit=1&since=1700005000');
	assert.deepEqual([r.json.total, r.json.total_more], [5051 + 125, false]);
	r = await ttis('GET', '/alerts?limit=1&asset=pg-7');
	assert.deepEqual([r.json.total, r.json.total_more], [1, false]);

	// A decision moves the alert between the kept counts.
	const id = r.json.alerts[0].id;
	assert.equal((await ttis('POST', `/alerts/${id}/decision`, { status: 'false_positive', reason: 'uji pemindai' })).status, 200);
	r = await ttis('GET', '/alerts?limit=1&status=false_positive');
	assert.deepEqual(ids(r), [id]);
	assert.equal(r.json.total, 1);
	r = await ttis('GET', '/alerts?limit=1&status=new');
	assert.equal(r.json.total, 10174);

	const c = new Client(S.base);
	await c.login('ttis');
	let p = await c.get('/peringatan');
	assert.match(p.text, /<p class="total">10\.175 peringatan<\/p>/);
	p = await c.get('/peringatan?asset=bulk-01');
	assert.match(p.text, /<p class="total">10\.050 peringatan<\/p>/);
	p = await c.get('/peringatan?asset=bulk-01&level=high&status=new');
	assert.match(p.text, /<p class="total">1\.005 peringatan<\/p>/);
	const cli = S.cli('alert', 'list', '--rule', 'bulk', '--limit', '2');
	assert.match(cli, /2 of more than 10000 shown/);
});
