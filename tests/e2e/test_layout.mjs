// test_layout.mjs: the pages' layout in a real browser (Debian's Chromium
// driven by playwright-core): the case page and the case list fit a 390-
// pixel phone without sideways scrolling of the page (tables scroll in
// their own box); the kebijakan flowchart (six actor columns) fits a
// 1280-pixel screen and prints on A4 landscape (the printable report too,
// on a landscape page of its own); the step box shows the
// step's Kelengkapan, Keterangan, Output, standard time and due time.
// Screenshots go to tests/artifacts/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, api, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
let S, browser, INCIDENT, POLICY;

before(async () => {
	mkdirSync(ART, { recursive: true });
	S = await startServer();
	const petugas = api(S.base, S.cli('token', 'new', 'petugas', '--name', 'layout').trim());
	const penyusun = api(S.base, S.cli('token', 'new', 'penyusun', '--name', 'layout').trim());
	// An incident reported with a long unbroken title, at a step with Kelengkapan,
	// Output and Keterangan (step 5).
	const pelapor = api(S.base, S.cli('token', 'new', 'pelapor', '--name', 'layout').trim());
	let r = await pelapor('POST', '/cases', { procedure: 'insiden',
		title: 'Situs https://kecamatan-sangat-panjang-sekali.trenggalekkab.go.id/berita/2026/12/halaman-yang-diubah menampilkan iklan judi',
		fields: { pelapor_nama: 'Warga', pelapor_kontak: 'warga@example.id', sistem_terdampak: 'https://desa.example.id/' + 'x'.repeat(80), uraian_kejadian: 'Iklan judi' } });
	assert.equal(r.status, 201, r.text);
	INCIDENT = r.json.ticket;
	assert.equal((await pelapor('POST', `/cases/${INCIDENT}/steps`, {})).status, 200);
	// On to step 5, which has all of Kelengkapan, Output and Keterangan.
	for (const body of [{ values: { asal_laporan: 'Pihak luar', saluran: 'Surel' } }, { values: { ringkasan: 'r' } },
		{ decision: 'Insiden', values: { hasil_verifikasi: 'v' } }]) {
		const s = await petugas('POST', `/cases/${INCIDENT}/steps`, body);
		assert.equal(s.status, 200, s.text);
	}
	r = await penyusun('POST', '/cases', { procedure: 'kebijakan/penyusunan', title: 'Kebijakan kata sandi', fields: {} });
	assert.equal(r.status, 201, r.text);
	POLICY = r.json.ticket;
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
});

async function signedIn(viewport, user = 'petugas') {
	const ctx = await browser.newContext({ viewport, locale: 'id-ID' });
	const page = await ctx.newPage();
	await page.goto(S.base + '/login');
	await page.fill('#name', user);
	await page.fill('#password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForURL(/\/dasbor$/);
	return { ctx, page };
}

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('at 390 px the case page, the case list, the tasks, the dashboard and the vulnerability report never scroll sideways', async (t) => {
	if (!browser) return t.skip('no Chromium at ' + CHROMIUM);
	const { ctx, page } = await signedIn({ width: 390, height: 844 });
	for (const [path, name] of [[`/kasus/${INCIDENT}`, 'layout-390-kasus'], ['/kasus', 'layout-390-daftar'],
		['/tugas', 'layout-390-tugas'], ['/dasbor', 'layout-390-dasbor'], ['/logbook', 'layout-390-logbook'], [`/kasus/${INCIDENT}/cetak`, 'layout-390-cetak'],
		['/kerentanan/laporan?opd=DINKES', 'layout-390-laporan-kerentanan']]) {
		await page.goto(S.base + path);
		await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
		const w = await pageWidth(page);
		assert.ok(w <= 390, `${path}: the page is ${w} px wide at 390`);
		// and its values are readable: none squeezed into a sliver beside its label
		const narrow = await page.evaluate(() => Math.min(...[...document.querySelectorAll('dl dd')]
			.filter((d) => d.textContent.trim().length > 12).map((d) => d.getBoundingClientRect().width)));
		assert.ok(narrow >= 200, `${path}: a value is ${narrow} px wide at 390`);
	}
	await ctx.close();
	// The kebijakan case, as its drafting team sees it: the flowchart keeps
	// its size and scrolls inside its own box.
	const team = await signedIn({ width: 390, height: 844 }, 'penyusun');
	await team.page.goto(S.base + `/kasus/${POLICY}`);
	await team.page.screenshot({ path: join(ART, 'layout-390-kebijakan.png'), fullPage: true });
	const w = await pageWidth(team.page);
	assert.ok(w <= 390, `the kebijakan case page is ${w} px wide at 390`);
	const box = await team.page.evaluate(() => {
		const s = document.querySelector('.flow .sopdoc');
		return { client: s.clientWidth, scroll: s.scrollWidth };
	});
	assert.ok(box.scroll > box.client, 'the flowchart scrolls in its box');
	await team.ctx.close();
});

test('the step box shows Kelengkapan, Keterangan, Output, standard time and due time', async (t) => {
	if (!browser) return t.skip('no Chromium at ' + CHROMIUM);
	const { ctx, page } = await signedIn({ width: 1280, height: 900 });
	await page.goto(S.base + `/kasus/${INCIDENT}`);
	const box = page.locator('#langkah');
	const text = await box.innerText();
	assert.match(text, /Kelengkapan/);
	assert.ok(await box.locator('ul.kelengkapan li').count() >= 1, 'Kelengkapan is a list');
	assert.match(text, /Keterangan/);
	assert.match(text, /Keluaran/);
	assert.match(text, /Waktu baku\s*10 Menit/);
	assert.match(await box.locator('#due').innerText(), /^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} \d{2}\.\d{2} WIB/);
	await box.screenshot({ path: join(ART, 'layout-kotak-langkah.png') });
	await ctx.close();
});

test('the kebijakan flowchart (six actor columns) fits 1280 px and prints on A4 landscape', async (t) => {
	if (!browser) return t.skip('no Chromium at ' + CHROMIUM);
	const { ctx, page } = await signedIn({ width: 1280, height: 900 }, 'penyusun');
	await page.goto(S.base + `/kasus/${POLICY}`);
	assert.ok(await pageWidth(page) <= 1280);
	const m = await page.evaluate(() => {
		const s = document.querySelector('.flow .sopdoc');
		const t = s.querySelector('table.prosedur');
		const cols = [...t.querySelectorAll('col.aktor')];
		const heads = [...t.querySelectorAll('th.aktor')].map((h) => h.getBoundingClientRect().width);
		const uraian = t.querySelector('td.uraian, tbody td:nth-child(2)').getBoundingClientRect().width;
		const ket = t.querySelector('thead th:last-child').getBoundingClientRect().width;
		return { cols: cols.length, client: s.clientWidth, scroll: s.scrollWidth, heads, uraian, ket };
	});
	assert.equal(m.cols, 6);
	assert.ok(m.scroll <= m.client, `the table (${m.scroll} px) fits its box (${m.client} px)`);
	for (const w of m.heads) assert.ok(w >= 64, `an actor column is ${w} px: a symbol (60 px) must fit`);
	assert.ok(m.uraian >= 150 && m.ket >= 90, `text columns stay readable: ${m.uraian}, ${m.ket}`);
	await page.locator('section.flow').screenshot({ path: join(ART, 'layout-1280-kebijakan.png') });
	// Printing: A4 landscape from the page's own @page rule, the table whole.
	await page.emulateMedia({ media: 'print' });
	const printed = await page.evaluate(() => {
		const t = document.querySelector('.flow table.prosedur');
		return { table: t.getBoundingClientRect().width, box: t.parentElement.clientWidth };
	});
	assert.ok(printed.table <= printed.box + 1, `printed table ${printed.table} px in ${printed.box} px`);
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	writeFileSync(join(ART, 'layout-kebijakan.pdf'), pdf);
	const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
	assert.ok(box, 'the PDF has a page size');
	const [w, h] = [Number(box[1]), Number(box[2])];
	assert.ok(Math.abs(w - 841.89) < 2 && Math.abs(h - 595.28) < 2, `A4 landscape, got ${w} x ${h} pt`);
	// The printable report: A4 portrait, the flowchart on A4 landscape.
	const report = await ctx.newPage();
	await report.goto(S.base + `/kasus/${POLICY}/cetak`);
	assert.equal(await report.locator('section.bagan table.prosedur col.aktor').count(), 6);
	const rpdf = await report.pdf({ preferCSSPageSize: true, printBackground: true });
	writeFileSync(join(ART, 'layout-laporan-kebijakan.pdf'), rpdf);
	const sizes = [...rpdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)]
		.map((m) => (Number(m[1]) > Number(m[2]) ? 'landscape' : 'portrait'));
	assert.equal(sizes[0], 'portrait', sizes.join());
	assert.ok(sizes.includes('landscape'), sizes.join());
	await ctx.close();
});
