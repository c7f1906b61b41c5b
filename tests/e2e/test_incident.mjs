// test_incident.mjs: the incident SOP end to end in a real browser
// (Debian's Chromium driven by playwright-core): a citizen reports an
// incident on /lapor with an evidence file; an officer signs in, verifies,
// categorises, escalates to TTIS; TTIS remediates, analyses and closes; the
// reporter sees the status change. Screenshots go to tests/artifacts/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
let S, browser;

before(async () => {
	mkdirSync(ART, { recursive: true });
	S = await startServer('[web]\nreport_limit = 100\n');
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
});

async function shot(page, name) {
	await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
}

async function signIn(ctx, user) {
	const page = await ctx.newPage();
	await page.goto(S.base + '/login');
	await page.fill('#name', user);
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	return page;
}

// Completes the case's current step on its page: fills fields, then
// presses the decision button (or "Selesaikan langkah ini").
async function step(page, ticket, fields = {}, decision = null) {
	await page.goto(`${S.base}/kasus/${ticket}`);
	for (const [name, value] of Object.entries(fields)) {
		const el = page.locator(`#langkah [name="${name}"]`);
		if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
		else await el.fill(value);
	}
	const button = decision
		? page.locator(`#langkah button[name="keputusan"][value="${decision}"]`)
		: page.locator('#langkah button[type=submit]');
	await Promise.all([page.waitForURL(/\?ok=1/), button.click()]);
}

// Completes steps on the case page for as long as the signed-in user holds
// the current step's role, filling each required input with text (or the
// first option, or a small report file); returns how many steps were done.
async function stepsWhileMine(page, ticket, text) {
	let done = 0;
	for (;;) {
		await page.goto(`${S.base}/kasus/${ticket}`);
		const form = page.locator('#langkah form');
		if ((await form.count()) === 0) return done;
		for (const el of await form.locator('[required]').all()) {
			const tag = await el.evaluate((e) => e.tagName);
			if (tag === 'SELECT') await el.selectOption({ index: 1 });
			else if ((await el.getAttribute('type')) === 'file')
				await el.setInputFiles({ name: 'laporan.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
			else await el.fill(text);
		}
		const decisions = form.locator('button[name="keputusan"]');
		const button = (await decisions.count()) ? decisions.first() : form.locator('button[type=submit]');
		await Promise.all([page.waitForURL(/\?ok=1/), button.click()]);
		done++;
	}
}

test('a citizen reports, officers handle the incident to its end, the citizen sees it closed', { timeout: 120000 }, async (t) => {
	if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
	// 1. The citizen reports, on a phone-sized screen.
	const citizen = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const pub = await citizen.newPage();
	await pub.goto(S.base + '/lapor');
	assert.equal(await pub.locator('html').getAttribute('lang'), 'id');
	await pub.fill('#f-pelapor_nama', 'Rina Warga');
	await pub.fill('#f-pelapor_kontak', 'rina@example.id');
	await pub.fill('#f-sistem_terdampak', 'https://pajak.example.go.id');
	await pub.fill('#f-uraian_kejadian', 'Halaman login meminta data kartu kredit; diduga phishing.');
	const evidence = join(S.dir, 'tangkapan.txt');
	writeFileSync(evidence, 'tangkapan layar halaman palsu\n');
	await pub.setInputFiles('#f-bukti', evidence);
	await shot(pub, '01-lapor-form');
	await pub.click('button[type=submit]');
	const ticket = (await pub.locator('#ticket').textContent()).trim();
	const code = (await pub.locator('#tracking').textContent()).trim();
	assert.match(ticket, /^INS-\d{4}-\d{4}$/);
	await shot(pub, '02-lapor-diterima');

	// 2. The officer verifies, categorises and escalates to TTIS.
	const officer = await browser.newContext();
	const p = await signIn(officer, 'petugas');
	await p.goto(`${S.base}/kasus/${ticket}`);
	assert.match(await p.locator('#bukti').textContent(), /tangkapan\.txt/);
	await shot(p, '03-kasus-petugas');
	await step(p, ticket, { asal_laporan: 'Pihak luar', saluran: 'Formulir daring' });
	await step(p, ticket, { ringkasan: 'Situs phishing meniru portal pajak daerah.' });
	await step(p, ticket, { hasil_verifikasi: 'Terverifikasi: domain palsu aktif.' }, 'Insiden');
	await step(p, ticket, { kategori: 'fraud', jenis: 'phishing', dampak: 'Tinggi', urgensi: 'Tinggi', tlp: 'TLP:AMBER' });
	await step(p, ticket, { rekomendasi: 'Eskalasi ke TTIS untuk takedown.' }, 'Tidak');
	await p.goto(`${S.base}/kasus/${ticket}`);
	assert.match(await p.locator('dl.facts').textContent(), /Kritis/);
	await shot(p, '04-kasus-dikategorikan');

	// 3. TTIS remediates and analyses (steps 9 and 10).
	const ttisCtx = await browser.newContext();
	const q = await signIn(ttisCtx, 'ttis');
	assert.equal(await stepsWhileMine(q, ticket, 'Dikerjakan oleh TTIS.'), 2);
	await shot(q, '05-kasus-ttis');
	// 4. The officer updates the logbook and closes (steps 11 and 12).
	assert.equal(await stepsWhileMine(p, ticket, 'Ditutup oleh petugas.'), 2);
	await q.goto(`${S.base}/kasus/${ticket}`);
	assert.match(await q.locator('dl.facts').textContent(), /ditutup/);
	await shot(q, '06-kasus-selesai');
	const report = await q.goto(`${S.base}/kasus/${ticket}/cetak`);
	assert.equal(report.status(), 200);
	await shot(q, '07-laporan-cetak');

	// 5. The citizen checks the status.
	await pub.goto(S.base + '/lapor/status?tiket=' + ticket);
	await pub.fill('#kode', code);
	await pub.click('button[type=submit]');
	assert.match(await pub.locator('#status').textContent(), /Selesai/);
	await shot(pub, '08-status-selesai');
	const text = await pub.locator('main').textContent();
	assert.doesNotMatch(text, /Eskalasi ke TTIS|Rina Warga/);
});

test('pages work with JavaScript off', { timeout: 60000 }, async (t) => {
	if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await signIn(ctx, 'petugas');
	await page.goto(S.base + '/kasus?status=open');
	const first = page.locator('table.cases tbody a').first();
	await first.click();
	await page.waitForURL(/\/kasus\/[A-Z]+-/);
	await page.fill('#komentar-isi', 'Komentar tanpa JavaScript');
	await Promise.all([page.waitForURL(/\?ok=1/), page.locator('#komentar button[type=submit]').click()]);
	assert.match(await page.locator('#komentar').textContent(), /Komentar tanpa JavaScript/);
	await shot(page, '09-tanpa-javascript');
});

test('the page keeps the Content-Security-Policy: no script or style is blocked', { timeout: 60000 }, async (t) => {
	if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
	const ctx = await browser.newContext();
	const page = await signIn(ctx, 'petugas');
	const violations = [];
	page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
	for (const path of ['/dasbor', '/kasus', '/sop/insiden', '/logbook', '/token'])
		await page.goto(S.base + path);
	await shot(page, '10-token');
	assert.deepEqual(violations, []);
});
