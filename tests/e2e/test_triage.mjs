// test_triage.mjs: the CTI monitoring SOP's triage in a real browser
// (Debian's Chromium via playwright-core): a Wazuh alert arrives through
// the ingest route; TTIS filters the alert list, reads the alert and its
// event, records a false positive with a reason (refused without one),
// and opens a CTI case from the list for another alert; the rule page
// charts its hits. No Content-Security-Policy violation on any page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, api, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
let S, browser;

function alert(agent, user) {
	return {
		timestamp: '2026-11-23T09:00:00.000+0700', agent: { id: '001', name: agent },
		rule: { id: '5715', level: 3, description: 'sshd: authentication success.' },
		full_log: `Nov 23 09:00:00 ${agent} sshd[42]: Accepted password for ${user} from 198.51.100.23 port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: agent }, location: '/var/log/auth.log',
	};
}

before(async () => {
	mkdirSync(ART, { recursive: true });
	S = await startServer();
	const ingest = api(S.base, S.cli('token', 'new', 'ttis', '--name', 'wazuh').trim());
	for (const a of [alert('simpeg', 'root'), alert('sipd', 'root')]) {
		const r = await ingest('POST', '/ingest/wazuh?wait=1', a);
		assert.equal(r.status, 202);
	}
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
});

test('TTIS triages alerts in the browser', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const violations = [];
	const page = await ctx.newPage();
	page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
	await page.goto(S.base + '/login');
	await page.fill('#name', 'ttis');
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	await page.click('nav a[href="/peringatan"]');
	await page.waitForURL(/\/peringatan$/);
	assert.match(await page.textContent('h1'), /Peringatan/);
	// filter by asset
	await page.fill('input[name=asset]', 'simpeg');
	await Promise.all([page.waitForURL(/asset=simpeg/), page.click('form.filters button')]);
	const rows = page.locator('table.list tbody tr');
	assert.equal(await rows.count(), 1);
	await page.screenshot({ path: join(ART, 'triage-list.png'), fullPage: true });
	await rows.first().locator('a').first().click();
	await page.waitForURL(/\/peringatan\/\d+$/);
	assert.match(await page.textContent('pre.event'), /Accepted password for root/);
	// a false positive needs a reason
	await page.selectOption('#status', 'false_positive');
	await page.click('form[action$="/keputusan"] button');
	assert.match(await page.textContent('.notice'), /memerlukan alasan/);
	await page.selectOption('#status', 'false_positive');
	await page.fill('#reason', 'Login admin terjadwal dari jaringan kantor');
	await Promise.all([page.waitForURL(/\/peringatan\/\d+$/), page.click('form[action$="/keputusan"] button')]);
	assert.match(await page.textContent('dl.facts'), /Positif palsu/);
	assert.match(await page.textContent('dl.facts'), /Login admin terjadwal/);
	await page.screenshot({ path: join(ART, 'triage-alert.png'), fullPage: true });
	// the rule page charts its hits
	await page.click('dl.facts a[href^="/aturan/"]');
	await page.waitForURL(/\/aturan\//);
	assert.equal(await page.locator('svg').count() >= 1, true);
	// a CTI case for the other alert, chosen in the list
	await page.goto(S.base + '/peringatan?asset=sipd');
	await page.check('input[name=alert]');
	await Promise.all([page.waitForURL(/\/kasus\/CTI-\d{4}-\d{4}$/), page.click('form[action="/peringatan/kasus"] button')]);
	assert.match(await page.textContent('body'), /ALR-\d+/);
	await page.screenshot({ path: join(ART, 'triage-case.png'), fullPage: true });
	assert.deepEqual(violations, []);
	await ctx.close();
});
