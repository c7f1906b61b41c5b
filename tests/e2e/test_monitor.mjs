// test_monitor.mjs: the website monitor in a real browser (Debian's Chromium
// via playwright-core), against a real nginx serving the fixture sites
// (tests/http/monitor_sites.mjs).
//
//   1. The tim_teknis registers a site's URL on an asset, then watches it
//      from /pantau with the form: more pages, a dynamic region.
//   2. The TTIS officer opens the site, has it checked now, accepts its
//      pages as the baseline; the defacer replaces the page; checked again,
//      the site is "Terkena deface" on /pantau, its finding shows the
//      difference from the baseline, and the alert page links back to it.
//   3. The latency chart is drawn (SVG, no script), and no page breaks the
//      Content-Security-Policy.
//
// Screenshots go to tests/artifacts/e2e/monitor-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, api, PASSWORD } from '../http/server.mjs';
import { startSites, HAVE_NGINX } from '../http/monitor_sites.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
const skip = (!existsSync(CHROMIUM) && 'no Chromium') || (!HAVE_NGINX && 'no nginx');
let S, SITES, WORK, browser;
const tokens = {};
const violations = [];
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	if (skip)
		return;
	mkdirSync(ART, { recursive: true });
	WORK = mkdtempSync(join(tmpdir(), 'sigap-e2e-monitor-'));
	SITES = await startSites(join(WORK, 'nginx'));
	S = await startServer(`[pantau]\nca_file = ${SITES.ca}\ninterval = 1h\nalamat_dalam = izinkan\n`);
	for (const u of ['teknis', 'ttis'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'e2e').trim();
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
		args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
	if (SITES) await SITES.stop();
	if (WORK) rmSync(WORK, { recursive: true, force: true });
	assert.deepEqual(violations, [], 'no page breaks the Content-Security-Policy');
});

async function context() {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	ctx.on('page', (p) => p.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); }));
	return ctx;
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

test('a keeper watches a site; an officer checks it, accepts it, and sees its defacement', { skip }, async () => {
	const url = SITES.url('changing');
	const a = await as('teknis')('POST', '/assets', { opd: 'DINKES', name: 'Portal Dinkes', kind: 'situs_web', urls: [url] });
	assert.equal(a.status, 201, a.text);

	// 1. the keeper's form
	const kctx = await context();
	const k = await signIn(kctx, 'teknis');
	await k.goto(S.base + '/pantau');
	await k.click('text=Pantau situs web');
	await k.selectOption('select[name=sasaran]', `${a.json.id} ${url}`);
	await k.fill('input[name=menit]', '30');
	await k.fill('textarea[name=halaman]', '/profil.html');
	await k.fill('textarea[name=wilayah]', '#berita\np.tanggal');
	await k.click('form[action="/pantau/baru"] button[type=submit]');
	await k.waitForURL(/\/pantau\/\d+$/);
	const id = Number(k.url().split('/').pop());
	assert.match(await k.textContent('main, body'), /Belum diperiksa/);
	await k.screenshot({ path: join(ART, 'monitor-new.png'), fullPage: true });
	await kctx.close();

	// 2. the officer: check now, accept, then the defacer strikes
	const octx = await context();
	const o = await signIn(octx, 'ttis');
	await o.goto(`${S.base}/pantau/${id}`);
	await o.click('text=Periksa sekarang');
	await o.waitForURL(/\?ok=periksa$/);
	assert.match(await o.textContent('body'), /Situs telah diperiksa/);
	assert.match(await o.textContent('body'), /Normal/);
	await o.click('text=Tetapkan halaman saat ini sebagai acuan');
	await o.waitForURL(/\?ok=baseline$/);
	assert.match(await o.textContent('body'), /ttis/);
	writeFileSync(join(SITES.dir, 'berubah/index.html'), readFileSync(join(SITES.dir, 'deface/index.html')));
	await o.click('text=Periksa sekarang');
	await o.waitForURL(/\?ok=periksa$/);
	const body = await o.textContent('body');
	assert.match(body, /Terkena deface/);
	assert.match(body, /Tanda defacement, ditampilkan kepada pengunjung/);
	assert.match(body, /Halaman menggantikan isi situs/);
	// the difference from the baseline, opened
	await o.click('summary >> text=Perbedaan dari halaman acuan');
	assert.match(await o.textContent('pre.diff'), /^\+ HACKED BY CONTOH CYBER TEAM$/m);
	// 3. the latency chart: two checks, one line
	assert.equal(await o.locator('figure.latency svg polyline').count(), 1);
	await o.screenshot({ path: join(ART, 'monitor-site.png'), fullPage: true });
	// the list says it, and the alert page leads back to the site
	await o.goto(S.base + '/pantau');
	assert.match(await o.textContent('table.list'), /Terkena deface/);
	const alert = (await as('ttis')('GET', `/monitor/sites/${id}`)).json.findings.find((f) => f.kind === 'deface').alert;
	await o.goto(`${S.base}/peringatan/${alert}`);
	await o.click(`a[href="/pantau/${id}"]`);
	await o.waitForURL(new RegExp(`/pantau/${id}$`));
	await o.screenshot({ path: join(ART, 'monitor-list.png'), fullPage: true });
	await octx.close();
});
