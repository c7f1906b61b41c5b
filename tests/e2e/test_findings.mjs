// test_findings.mjs: vulnerability findings in a real browser (Debian's
// Chromium via playwright-core): an officer uploads a real Greenbone
// report on /kerentanan/impor and reads the import's summary, filters the
// list, chooses a finding and decides it from the list (a false positive
// refused without a reason, then given one), and reads its page with the
// history; the same pages at a 390 px phone never scroll sideways. No
// Content-Security-Policy violation on any page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
const REPORT = join(ROOT, 'tests/data/vuln/scanners/openvas_gmp.xml');
let S, browser;

before(async () => {
	mkdirSync(ART, { recursive: true });
	S = await startServer();
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
});

async function signedIn(width) {
	const ctx = await browser.newContext({ viewport: { width, height: 900 } });
	const page = await ctx.newPage();
	const violations = [];
	page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
	await page.goto(S.base + '/login');
	await page.fill('#name', 'ttis');
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	return { ctx, page, violations };
}

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('an officer uploads a report and decides a finding', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	const { ctx, page, violations } = await signedIn(1280);
	await page.click('nav a[href="/kerentanan"]');
	await page.waitForURL(/\/kerentanan$/);
	assert.match(await page.textContent('h1'), /Kerentanan/);
	await page.click('a[href="/kerentanan/impor"]');
	await page.waitForURL(/\/kerentanan\/impor$/);
	await page.setInputFiles('#i-report', REPORT);
	await page.selectOption('#i-scanner', 'openvas');
	await Promise.all([page.waitForLoadState('load'), page.click('form[action="/kerentanan/impor"] button')]);
	await page.waitForSelector('#import-summary');
	assert.match(await page.textContent('#import-summary'), /openvas_gmp\.xml/);
	assert.equal((await page.textContent('dd[data-count="new"]')).trim(), '3');
	await page.screenshot({ path: join(ART, 'findings-import.png'), fullPage: true });
	// the list, critical and above
	await page.goto(S.base + '/kerentanan');
	await page.selectOption('#q-min_severity', 'critical');
	await Promise.all([page.waitForURL(/min_severity=critical/), page.click('form.filters button')]);
	const rows = page.locator('table.findings tbody tr');
	assert.equal(await rows.count(), 1);
	// a false positive needs a reason: refused, nothing changed
	await rows.first().locator('input[type=checkbox]').check();
	await page.selectOption('#d-state', 'positif_palsu');
	await Promise.all([page.waitForLoadState('load'), page.click('.decide button')]);
	assert.match(await page.textContent('.notice.error'), /memerlukan alasan/);
	assert.match(await page.textContent('table.findings tbody'), /Baru/);
	await page.locator('table.findings tbody tr').first().locator('input[type=checkbox]').check();
	await page.selectOption('#d-state', 'positif_palsu');
	await page.fill('#d-reason', 'Layanan sudah ditambal, pemindai membaca versi lama');
	await Promise.all([page.waitForLoadState('load'), page.click('.decide button')]);
	assert.match(await page.textContent('.notice.ok'), /1 temuan diputuskan: Positif palsu/);
	// the list shows open findings: the false positive is found among all states
	assert.match(await page.textContent('#findings-open-only'), /Hanya temuan terbuka/);
	await Promise.all([page.waitForURL(/state=all/), page.click('#findings-all-states')]);
	assert.match(page.url(), /min_severity=critical/);
	assert.match(await page.textContent('table.findings tbody'), /Positif palsu/);
	// its page: the state, the reason and the history
	await page.locator('table.findings tbody a[href^="/kerentanan/"]').first().click();
	await page.waitForURL(/\/kerentanan\/\d+$/);
	assert.match(await page.textContent('dl.facts'), /Layanan sudah ditambal/);
	const history = await page.textContent('section:has(h2:text("Riwayat")) tbody');
	assert.match(history, /Baru[\s\S]*Positif palsu/);
	await page.screenshot({ path: join(ART, 'findings-finding.png'), fullPage: true });
	assert.deepEqual(violations, []);
	await ctx.close();
});

test('at 390 px the findings list, a finding and the upload never scroll sideways', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	const { ctx, page, violations } = await signedIn(390);
	await page.goto(S.base + '/kerentanan');
	const first = await page.locator('table.findings tbody a[href^="/kerentanan/"]').first().getAttribute('href');
	for (const [path, name] of [['/kerentanan', 'findings-390-list'], [first, 'findings-390-finding'], ['/kerentanan/impor', 'findings-390-upload']]) {
		await page.goto(S.base + path);
		await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
		const w = await pageWidth(page);
		assert.ok(w <= 390, `${path}: the page is ${w} px wide at 390`);
	}
	// deciding at 390 px: choose, verify
	await page.goto(S.base + '/kerentanan?state=baru');
	await page.locator('table.findings tbody tr').first().locator('input[type=checkbox]').check();
	await page.selectOption('#d-state', 'terverifikasi');
	await Promise.all([page.waitForLoadState('load'), page.click('.decide button')]);
	assert.match(await page.textContent('.notice.ok'), /Terverifikasi/);
	assert.deepEqual(violations, []);
	await ctx.close();
});
