// test_registers.mjs: exceptions and the policy library in a real browser
// (Debian's Chromium via playwright-core), on the demo data.
//
//   1. The tim_teknis finds the demo's exception in force on /pengecualian,
//      opens it, and changes its expiry on its form: the approval is void
//      and a new request (a new case of the SOP) stands in its place.
//   2. The drafting team writes a policy in Markdown on its case page;
//      after approval, ratification and publication (through the API) the
//      public reads it on /kebijakan, rendered, without the script its
//      author typed, and a petugas acknowledges having read it.
//
// Screenshots go to tests/artifacts/e2e/registers-*.png; no page may
// break the Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, api, PASSWORD } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/artifacts/e2e');
const skip = !existsSync(CHROMIUM) && 'no Chromium';
let S, browser;
const tokens = {};
const violations = [];
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	mkdirSync(ART, { recursive: true });
	S = await startServer();
	for (const u of ['teknis', 'penyusun', 'kabid', 'kadis', 'kasi', 'publikasi', 'petugas'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'e2e').trim();
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
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

const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

test('an exception in force is changed on its page: the approval is void, a new request stands', { skip }, async () => {
	const ctx = await context();
	const page = await signIn(ctx, 'teknis');
	await page.goto(S.base + '/pengecualian');
	const link = page.locator('table a[href^="/pengecualian/"]').first();
	await assert.doesNotReject(link.waitFor());
	await page.screenshot({ path: join(ART, 'registers-exceptions.png'), fullPage: true });
	await link.click();
	await page.waitForURL(/\/pengecualian\/\d+$/);
	const id = Number(page.url().split('/').pop());
	assert.match(await page.locator('h1').innerText(), /Pengecualian/);
	await page.click(`a[href="/pengecualian/${id}/ubah"]`);
	await page.fill('#x-sampai', day(45));
	await page.fill('#x-why', 'Pembaruan SIMPUS dimajukan.');
	await Promise.all([page.waitForURL(/\/pengecualian\/\d+$/), page.click(`form[action="/pengecualian/${id}/ubah"] button[type=submit]`)]);
	const next = Number(page.url().split('/').pop());
	assert.ok(next > id);
	assert.match(await page.locator('dl.facts').innerText(), /Diajukan/);
	await page.screenshot({ path: join(ART, 'registers-exception-changed.png'), fullPage: true });
	assert.equal((await as('teknis')('GET', `/exceptions/${id}`)).json.state, 'dicabut');
	await ctx.close();
});

test('a policy written in Markdown on its case is published, read by the public, and acknowledged', { skip }, async () => {
	let r = await as('penyusun')('POST', '/cases', { procedure: 'kebijakan/penyusunan', title: 'Kebijakan penggunaan surel dinas' });
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	const fd = new FormData();
	fd.set('dokumen_rencana', new Blob(['rencana']), 'rencana.pdf');
	assert.equal((await as('penyusun')('POST', `/cases/${t}/steps`, fd)).status, 200);
	assert.equal((await as('kabid')('POST', `/cases/${t}/steps`, { decision: 'Disetujui' })).status, 200);
	// the draft, in the browser
	const ctx = await context();
	const page = await signIn(ctx, 'penyusun');
	await page.goto(`${S.base}/kasus/${t}`);
	await page.fill('#langkah [name="judul_kebijakan"]', 'Kebijakan Penggunaan Surel Dinas');
	await page.selectOption('#langkah [name="jenis_dokumen"]', 'kebijakan');
	await page.fill('#langkah [name="teks"]', '# Surel Dinas\n\nSurel dinas **hanya** untuk urusan kedinasan.\n\n<script>document.title="x"</script>\n');
	await page.setInputFiles('#langkah [name="draft"]', { name: 'draf.txt', mimeType: 'text/plain', buffer: Buffer.from('draf') });
	await Promise.all([page.waitForURL(/\?ok=1/), page.locator('#langkah button[type=submit]').click()]);
	await ctx.close();
	const p = (await as('petugas')('GET', '/policies')).json.policies.find((x) => x.title === 'Kebijakan Penggunaan Surel Dinas');
	assert.ok(p);
	assert.equal((await as('kabid')('POST', `/cases/${t}/steps`, { decision: 'Disetujui' })).status, 200);
	const rf = new FormData();
	rf.set('decision', 'Disahkan');
	rf.set('tanggal_pengesahan', day(-1));
	rf.set('nomor_kebijakan', '8/2026');
	rf.set('dokumen_kebijakan', new Blob(['ttd']), 'kebijakan.pdf');
	r = await as('kadis')('POST', `/cases/${t}/steps`, rf);
	assert.equal(r.status, 200, r.text);
	r = await as('kasi')('POST', '/cases', { procedure: 'kebijakan/publikasi', title: 'Publikasi kebijakan surel', fields: { kebijakan: String(p.id) } });
	const tp = r.json.ticket;
	const f1 = new FormData();
	f1.set('dokumen_rencana', new Blob(['r']), 'r.pdf');
	assert.equal((await as('kasi')('POST', `/cases/${tp}/steps`, f1)).status, 200);
	assert.equal((await as('kabid')('POST', `/cases/${tp}/steps`, { decision: 'Disetujui' })).status, 200);
	const f3 = new FormData();
	f3.set('dokumentasi_publikasi', new Blob(['foto']), 'foto.pdf');
	assert.equal((await as('publikasi')('POST', `/cases/${tp}/steps`, f3)).status, 200);
	// the public reads it, rendered, without the script
	const pub = await context();
	const anon = await pub.newPage();
	await anon.goto(S.base + '/kebijakan');
	await anon.click(`a[href="/kebijakan/${p.id}"]`);
	await anon.waitForURL(new RegExp(`/kebijakan/${p.id}$`));
	assert.equal(await anon.locator('.markdown h1').innerText(), 'Surel Dinas');
	assert.equal(await anon.locator('.markdown strong').innerText(), 'hanya');
	assert.notEqual(await anon.title(), 'x', 'the script the author typed does not run');
	await anon.screenshot({ path: join(ART, 'registers-policy-public.png'), fullPage: true });
	await pub.close();
	// a petugas acknowledges it
	const staff = await context();
	const pp = await signIn(staff, 'petugas');
	await pp.goto(`${S.base}/kebijakan/${p.id}`);
	await Promise.all([pp.waitForURL(/#terbit$/), pp.click(`form[action="/kebijakan/${p.id}/baca"] button`)]);
	assert.match(await pp.locator('#terbit').innerText(), /Anda telah membaca versi ini/);
	await staff.close();
});
