// test_assets.mjs: the register of assets in a real browser (Debian's
// Chromium via playwright-core): a cyber agent of an OPD (agen_siber) opens
// "Aset" from the navigation, adds an asset through the form (URLs, host
// names, addresses and software one a line), lands on its page, and finds
// it on /aset under its OPD; the same at a 390-pixel phone, where neither
// the register, the asset's page nor the form scrolls sideways. No
// Content-Security-Policy violation on any page. Screenshots go to
// tests/artifacts/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
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

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

async function addAsset(viewport, name, shot) {
	const ctx = await browser.newContext({ viewport, locale: 'id-ID' });
	const violations = [];
	const page = await ctx.newPage();
	page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
	await page.goto(S.base + '/login');
	await page.fill('#name', 'agen.dinkes');
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	await page.click('nav a[href="/aset"]');
	await page.waitForURL(/\/aset$/);
	assert.match(await page.textContent('h1'), /Daftar aset/);
	await page.click('#asset-new');
	await page.waitForURL(/\/aset\/baru$/);
	// an agen_siber may name only its own OPD
	assert.deepEqual(await page.locator('#a-opd option').evaluateAll((o) => o.map((x) => x.value)), ['DINKES']);
	await page.fill('#a-nama', name);
	await page.selectOption('#a-jenis', 'situs_web');
	await page.selectOption('#a-kse', 'rendah');
	await page.selectOption('#a-kritikalitas', 'sedang');
	await page.fill('#a-kontak', 'Seksi Data, Dinas Kesehatan');
	await page.fill('#a-url', 'https://sehat.contohkab.go.id/\nhttps://sehat.contohkab.go.id/layanan/');
	await page.fill('#a-host', 'sehat.contohkab.go.id');
	await page.fill('#a-alamat', '192.0.2.40');
	await page.fill('#a-perangkat-lunak', 'WordPress | 6.4.2 | cpe:2.3:a:wordpress:wordpress:6.4.2:*:*:*:*:*:*:*\nnginx | 1.24.0');
	if (viewport.width <= 390) {
		const w = await pageWidth(page);
		assert.ok(w <= viewport.width, `the form is ${w} px wide at ${viewport.width}`);
		await page.screenshot({ path: join(ART, `${shot}-form.png`), fullPage: true });
	}
	await Promise.all([page.waitForURL(/\/aset\/\d+$/), page.click('form.asset-form button[type=submit]')]);
	assert.equal(await page.textContent('#asset-name'), name);
	assert.match(await page.textContent('#software'), /WordPress[\s\S]*6\.4\.2/);
	await page.screenshot({ path: join(ART, `${shot}-aset.png`), fullPage: true });
	let w = await pageWidth(page);
	assert.ok(w <= viewport.width, `the asset's page is ${w} px wide at ${viewport.width}`);
	// and on the register, under its OPD
	await page.click('nav a[href="/aset"]');
	await page.waitForURL(/\/aset$/);
	const link = page.locator('table.assets a', { hasText: name });
	assert.equal(await link.count(), 1);
	assert.match(await page.locator('h2.opd-group').first().textContent(), /Dinas Kesehatan/);
	await page.screenshot({ path: join(ART, `${shot}-daftar.png`), fullPage: true });
	w = await pageWidth(page);
	assert.ok(w <= viewport.width, `the register is ${w} px wide at ${viewport.width}`);
	assert.deepEqual(violations, []);
	await ctx.close();
}

test('an OPD\'s cyber agent adds an asset through the form and finds it on /aset', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	await addAsset({ width: 1280, height: 900 }, 'Portal Layanan Kesehatan', 'aset-1280');
});

test('the same at a 390 px phone, nothing scrolling sideways', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	await addAsset({ width: 390, height: 844 }, 'Portal Sehat Seluler', 'aset-390');
});

test('/opd and the users page with its OPD field fit a 390 px phone', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, async () => {
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
	const page = await ctx.newPage();
	await page.goto(S.base + '/login');
	await page.fill('#name', 'admin');
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	await page.click('nav a[href="/opd"]');
	await page.waitForURL(/\/opd$/);
	await page.screenshot({ path: join(ART, 'aset-390-opd.png'), fullPage: true });
	assert.ok(await pageWidth(page) <= 390, '/opd scrolls sideways');
	await page.goto(S.base + '/pengguna');
	assert.equal(await page.locator('#u-opd option[value="DINKES"]').count(), 1);
	assert.ok(await pageWidth(page) <= 390, '/pengguna scrolls sideways');
	// the outbox (admins) and one's own notification settings
	await page.click('nav a[href="/admin/kotak-keluar"]');
	await page.waitForURL(/\/admin\/kotak-keluar$/);
	assert.match(await page.textContent('h1'), /Kotak keluar/);
	assert.ok(await pageWidth(page) <= 390, '/admin/kotak-keluar scrolls sideways');
	await page.click('header a.user');
	await page.waitForURL(/\/akun\/notifikasi$/);
	await page.fill('#n-email', 'admin@diskominfo.example.go.id');
	await page.fill('#n-quiet', '22:00-06:00');
	await page.click('main button[type=submit]');
	await page.waitForURL(/\/akun\/notifikasi\?ok=1$/);
	assert.match(await page.textContent('main'), /Tersimpan\./);
	assert.equal(await page.inputValue('#n-email'), 'admin@diskominfo.example.go.id');
	await page.screenshot({ path: join(ART, 'akun-390-notifikasi.png'), fullPage: true });
	assert.ok(await pageWidth(page) <= 390, '/akun/notifikasi scrolls sideways');
	await ctx.close();
});
