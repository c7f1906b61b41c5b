// test_actors.mjs: who sees and who acts, in a real browser (Debian's
// Chromium via playwright-core).
//
//   1. An officer records a report received by telephone and completes the
//      reporter's step on the reporter's behalf (atas nama).
//   2. The police's outcome arrives through a single-case link, opened
//      without any login; the link then works no more.
//   3. An approver (the Kabid) sends a policy draft back, then approves it.
//   4. A CTI case opened from an alert ends FALSE NEGATIVE: an incident case
//      appears, linked both ways, with the alert, now a true positive.
//   5. A user holding only the reporter's role sees its own report and
//      nothing else.
//
// Steps around the ones under test are done through the API. Screenshots
// go to tests/artifacts/e2e/actors-*.png; no page may break the
// Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer, api, PASSWORD, SIGAP } from '../http/server.mjs';

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
	execFileSync(SIGAP, ['user', 'add', 'warga', '--role', 'pelapor', '--password-stdin'], { env: S.env, input: PASSWORD + '\n' });
	for (const u of ['petugas', 'ttis', 'kabid', 'penyusun', 'pelapor', 'warga'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'e2e').trim();
	if (existsSync(CHROMIUM))
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
	if (browser) await browser.close();
	if (S) await S.stop();
});

async function context(width = 1280) {
	const ctx = await browser.newContext({ viewport: { width, height: 900 } });
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

// Completes the current step as user through the API: the required fields
// of the step's form (given values first), a small file for each required
// file field.
async function act(user, ticket, decision, given = {}) {
	const c = await as(user)('GET', `/cases/${ticket}`);
	assert.equal(c.status, 200, `${ticket} as ${user}: ${c.text}`);
	const fd = new FormData();
	if (decision) fd.set('decision', decision);
	for (const f of c.json.current_step.fields) {
		if (given[f.name] !== undefined) fd.set(f.name, given[f.name]);
		else if (f.type === 'file' && f.required) fd.set(f.name, new Blob([`dokumen ${f.name}`]), `${f.name}.txt`);
		else if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : f.type === 'date' ? '2026-12-01' : `isi ${f.name}`);
	}
	for (const [k, v] of Object.entries(given)) if (!fd.has(k)) fd.set(k, v);
	const r = await as(user)('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(r.status, 200, `${ticket} step ${c.json.current_step.no} as ${user}: ${r.text}`);
	return r.json;
}

let phoneTicket; // the incident reported by telephone, used again by the link test

test('an officer records a telephone report on the reporter\'s behalf', { skip }, async () => {
	const ctx = await context();
	const page = await signIn(ctx, 'petugas');
	await page.goto(S.base + '/kasus/baru?prosedur=insiden');
	await page.fill('input[name=judul]', 'Laporan telepon: situs desa berubah');
	await page.fill('#f-pelapor_nama', 'Sari Wulandari');
	await page.fill('#f-pelapor_kontak', '0812-3456-7890');
	await page.fill('#f-sistem_terdampak', 'https://desa-contoh.trenggalekkab.go.id');
	await page.fill('#f-uraian_kejadian', 'Penelepon melaporkan halaman depan situs desa berisi iklan judi.');
	await Promise.all([page.waitForURL(/\/kasus\/INS-\d{4}-\d{4}/), page.click('form[action="/kasus/baru"] button[type=submit]')]);
	phoneTicket = page.url().match(/INS-\d{4}-\d{4}/)[0];
	// step 1 is the reporter's: the officer completes it on the reporter's behalf
	await page.fill('#atas-nama', 'Sari Wulandari');
	await page.selectOption('#saluran', 'telepon');
	await page.screenshot({ path: join(ART, 'actors-on-behalf.png'), fullPage: true });
	await Promise.all([page.waitForURL(new RegExp(`/kasus/${phoneTicket}`)), page.click('#langkah button[type=submit]')]);
	const c = (await as('petugas')('GET', `/cases/${phoneTicket}`)).json;
	assert.equal(c.current_step.no, 2, 'the case moved on to step 2');
	const run = c.history.find((h) => h.step_no === 1);
	assert.equal(run.actor, 'petugas');
	assert.equal(run.on_behalf_of, 'Sari Wulandari');
	assert.equal(run.channel, 'telepon');
	assert.match(await page.textContent('body'), /atas nama Sari Wulandari/);
	const lb = (await as('petugas')('GET', `/logbook?object=case:${phoneTicket}`)).json.entries;
	assert.ok(lb.some((e) => e.action === 'case.step' && e.details.on_behalf_of === 'Sari Wulandari' && e.details.channel === 'telepon'));
	await ctx.close();
});

test('the police\'s outcome arrives through a single-case link, without a login', { skip }, async () => {
	const t = phoneTicket;
	await act('petugas', t, null, { asal_laporan: 'Pihak luar', saluran: 'Telepon' });
	await act('petugas', t);
	await act('petugas', t, 'Insiden');
	await act('petugas', t, null, { kategori: 'fraud', jenis: 'phishing', dampak: 'Sedang', urgensi: 'Sedang', tlp: 'TLP:AMBER' });
	await act('petugas', t, 'Ya'); // a breach of the law: to the police, step 7
	const ctx = await context();
	const page = await signIn(ctx, 'petugas');
	await page.goto(`${S.base}/kasus/${t}`);
	await page.fill('#penerima', 'Unit Siber Polres Trenggalek');
	// The step's Kelengkapan: the reporter's data and report go with it.
	assert.equal(await page.isChecked('#tautan input[name=laporan]'), true);
	await Promise.all([page.waitForURL(new RegExp(`/kasus/${t}`)), page.click('#tautan button[type=submit]')]);
	const link = await page.inputValue('#tautan-baru input.copy');
	assert.match(link, /\/tautan\/[A-Za-z0-9_-]{20,}$/);
	await page.screenshot({ path: join(ART, 'actors-link-issued.png'), fullPage: true });
	// the police open it in a browser that has never signed in
	const police = await context(390);
	const pp = await police.newPage();
	await pp.goto(link.startsWith('http') ? link : S.base + link);
	const text = await pp.textContent('body');
	assert.match(text, new RegExp(t));
	assert.match(text, /Diserahkan kepada Anda[\s\S]*Sari Wulandari[\s\S]*0812-3456-7890/, 'the report handed over with the link');
	assert.doesNotMatch(text, /phishing|Pihak luar|Insiden →/, 'no other step\'s values');
	await pp.fill('[name=langkah_penanganan]', 'Laporan diterima; penyelidikan dibuka dengan nomor LP/123/XII/2026.');
	await pp.screenshot({ path: join(ART, 'actors-link-form.png'), fullPage: true });
	await pp.click('button[type=submit]');
	await pp.waitForLoadState();
	assert.match(await pp.textContent('body'), /terima kasih|Terima kasih|telah diterima|tersimpan/i);
	const c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 8, 'the police step is done');
	const run = c.history.find((h) => h.step_no === 7);
	assert.equal(run.on_behalf_of, 'Unit Siber Polres Trenggalek');
	assert.equal(run.channel, 'tautan');
	// used once: the same link is refused and changes nothing
	const again = await police.newPage();
	const resp = await again.goto(link.startsWith('http') ? link : S.base + link);
	assert.ok(resp.status() >= 400, `a used link answers ${resp.status()}`);
	assert.equal((await as('petugas')('GET', `/cases/${t}`)).json.current_step.no, 8);
	await police.close();
	await ctx.close();
});

test('an approver sends a draft back with a reason, then approves it', { skip }, async () => {
	let r = await as('penyusun')('POST', '/cases', { procedure: 'kebijakan/penyusunan', title: 'Kebijakan kata sandi 2027' });
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	await act('penyusun', t); // step 1: the drafting team writes the draft
	const c = (await as('kabid')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.role, 'kabid', 'step 2 is the Kabid\'s review');
	const ctx = await context();
	const page = await signIn(ctx, 'kabid');
	await page.goto(`${S.base}/kasus/${t}`);
	// sending back: to the draft, with a reason
	await page.click('#kembalikan summary');
	await page.selectOption('#ke-langkah', '1');
	await page.fill('#kembalikan textarea[name=alasan]', 'Tambahkan aturan panjang minimal kata sandi.');
	await page.screenshot({ path: join(ART, 'actors-send-back.png'), fullPage: true });
	await Promise.all([page.waitForURL(new RegExp(`/kasus/${t}`)), page.click('#kembalikan button[type=submit]')]);
	let now = (await as('penyusun')('GET', `/cases/${t}`)).json;
	assert.equal(now.current_step.no, 1, 'back at the draft');
	assert.ok(now.history.some((h) => h.kind === 'kembalikan' && /panjang minimal/.test(h.reason ?? '')));
	await act('penyusun', t); // the draft again
	// approving: the approve branch of step 2
	await page.goto(`${S.base}/kasus/${t}`);
	const labels = (await as('kabid')('GET', `/cases/${t}`)).json.current_step.decision.labels;
	const approve = labels.find((l) => !/tolak|kembali|revisi/i.test(l));
	assert.ok(approve, `an approving label among ${labels}`);
	for (const f of (await as('kabid')('GET', `/cases/${t}`)).json.current_step.fields)
		if (f.required && f.type !== 'file') await page.fill(`[name=${f.name}]`, `isi ${f.name}`);
	await Promise.all([page.waitForURL(new RegExp(`/kasus/${t}`)), page.click(`#langkah button[name=keputusan][value="${approve}"]`)]);
	now = (await as('kabid')('GET', `/cases/${t}`)).json;
	assert.ok(now.current_step === null || now.current_step.no > 2, 'past the review');
	assert.ok(now.history.some((h) => h.step_no === 2 && h.decision === approve));
	await ctx.close();
});

test('a CTI case ends FALSE NEGATIVE: an incident appears with its alert, now a true positive', { skip }, async () => {
	const ingest = as('ttis');
	const ev = {
		timestamp: '2026-12-01T02:10:00.000+0700', agent: { id: '007', name: 'simpeg' },
		rule: { id: '5715', level: 3, description: 'sshd: authentication success.' },
		full_log: 'Dec  1 02:10:00 simpeg sshd[77]: Accepted password for root from 203.0.113.99 port 5050 ssh2',
		predecoder: { program_name: 'sshd', hostname: 'simpeg' }, location: '/var/log/auth.log',
	};
	assert.equal((await ingest('POST', '/ingest/wazuh?wait=1', ev)).status, 202);
	const alert = (await ingest('GET', '/alerts?asset=simpeg')).json.alerts[0];
	const ctx = await context();
	const page = await signIn(ctx, 'ttis');
	await page.goto(`${S.base}/peringatan?asset=simpeg`);
	await page.check(`input[name=alert][value="${alert.id}"]`);
	await Promise.all([page.waitForURL(/\/kasus\/CTI-\d{4}-\d{4}$/), page.click('form[action="/peringatan/kasus"] button')]);
	const cti = page.url().match(/CTI-\d{4}-\d{4}/)[0];
	// walk to the verdict (step 6) through the API, each step by its role
	for (let i = 0; i < 12; i++) {
		const c = (await as('ttis')('GET', `/cases/${cti}`)).json;
		if (c.current_step.no === 6) break;
		const who = c.current_step.role === 'ttis' ? 'ttis' : 'kabid';
		const labels = c.current_step.decision?.labels;
		await act(who, cti, labels ? labels.find((l) => !/tidak|false positive/i.test(l)) ?? labels[0] : null);
	}
	await page.goto(`${S.base}/kasus/${cti}`);
	await page.fill('[name=laporan]', 'Login root dari alamat asing tanpa jadwal: akun diambil alih.');
	await page.setInputFiles('[name=dokumen_laporan]', { name: 'laporan.txt', mimeType: 'text/plain', buffer: Buffer.from('laporan temuan') });
	await Promise.all([page.waitForURL(new RegExp(`/kasus/${cti}`)), page.click('#langkah button[name=keputusan][value="FALSE NEGATIVE"]')]);
	await page.screenshot({ path: join(ART, 'actors-cti-false-negative.png'), fullPage: true });
	const c = (await as('ttis')('GET', `/cases/${cti}`)).json;
	const to = c.links.find((l) => l.direction === 'to');
	assert.ok(to, 'the CTI case names the incident it handed over to');
	assert.match(to.ticket, /^INS-/);
	assert.match(await page.textContent('#terkait'), new RegExp(to.ticket));
	const ins = (await as('ttis')('GET', `/cases/${to.ticket}`)).json;
	assert.ok(ins.links.some((l) => l.direction === 'from' && l.ticket === cti), 'linked back');
	// the incident's officer, not staff of CTI, sees the incident but not the CTI case it names
	const seenByOfficer = (await as('petugas')('GET', `/cases/${to.ticket}`)).json;
	assert.equal(seenByOfficer.links.length, 0, 'no link to a case the officer may not see');
	assert.ok(ins.alerts.some((a) => a.id === alert.id), 'the incident carries the alert');
	const a = (await as('ttis')('GET', `/alerts/${alert.id}`)).json;
	assert.equal(a.status, 'true_positive');
	assert.ok(a.cases.some((x) => x.ticket === to.ticket) && a.cases.some((x) => x.ticket === cti));
	await ctx.close();
});

test('a user holding only the reporter\'s role sees its own report and nothing else', { skip }, async () => {
	const r = await as('warga')('POST', '/cases', { procedure: 'insiden', title: 'Laporan warga sendiri', fields: { pelapor_nama: 'Warga', pelapor_kontak: 'warga@example.id', sistem_terdampak: 'https://contoh.go.id', uraian_kejadian: 'Surel mencurigakan' } });
	assert.equal(r.status, 201, r.text);
	const own = r.json.ticket;
	const ctx = await context(390);
	const page = await signIn(ctx, 'warga');
	await page.goto(S.base + '/kasus');
	const rows = await page.locator('table.list tbody tr').allTextContents();
	assert.equal(rows.length, 1, `only its own report is listed: ${rows}`);
	assert.match(rows[0], new RegExp(own));
	await page.screenshot({ path: join(ART, 'actors-reporter-list.png'), fullPage: true });
	const other = await page.goto(`${S.base}/kasus/${phoneTicket}`);
	assert.equal(other.status(), 404, 'another case is as if it did not exist');
	const d = await page.goto(`${S.base}/dasbor`);
	assert.equal(d.status(), 200);
	assert.doesNotMatch(await page.textContent('body'), new RegExp(phoneTicket));
	assert.deepEqual(violations, []);
	await ctx.close();
});
