// test_monitor_check.mjs: sigap monitor check against a real nginx serving
// the fixture sites (monitor_sites.mjs): each site's trouble found with the
// right finding, and nothing found on the clean site (whose article names
// online gambling to warn against it). Skipped when nginx or openssl is
// absent (scripts/install-deps.sh --test installs them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSites, HAVE_NGINX } from './monitor_sites.mjs';

const BIN = process.env.SIGAP_BIN || 'build-dev/sigap';
let SITES, WORK;

before(async () => {
	if (!HAVE_NGINX)
		return;
	WORK = mkdtempSync(join(tmpdir(), 'sigap-monitor-'));
	SITES = await startSites(join(WORK, 'nginx'));
});

after(async () => {
	if (SITES)
		await SITES.stop();
	if (WORK)
		rmSync(WORK, { recursive: true, force: true });
});

// Runs sigap monitor check; returns the exit status and the parsed checks.
function check(args) {
	const r = spawnSync(BIN, ['monitor', 'check', '--json', '--internal', '--ca-file', SITES.ca, ...args],
		{ encoding: 'utf8', env: { ...process.env, SIGAP_CONFIG: '' }, cwd: WORK });
	return { status: r.status, stderr: r.stderr, checks: r.stdout ? JSON.parse(r.stdout) : null };
}

const kinds = (c) => c.findings.map((f) => f.kind).sort();

test('the clean site: nothing found, over HTTP and HTTPS, home page and a path', { skip: !HAVE_NGINX }, () => {
	const r = check(['--path', '/profil.html', SITES.url('clean'), SITES.url('tls')]);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.checks.length, 4);
	for (const c of r.checks) {
		assert.deepEqual(c.findings, [], c.url);
		assert.equal(c.browser.status, 200);
		assert.equal(c.crawler.status, 200);
	}
	assert.equal(r.checks[0].title, 'Dinas Kesehatan Kabupaten Contoh');
	assert.equal(r.checks[1].title, 'Profil - Dinas Kesehatan Kabupaten Contoh');
	// the valid certificate's end is read: about a year ahead
	const days = (r.checks[2].browser.certificate_ends * 1000 - Date.now()) / 86400000;
	assert.ok(days > 360 && days < 366, String(days));
});

test('a defaced page is a critical defacement, with the marks it carries', { skip: !HAVE_NGINX }, () => {
	const r = check([SITES.url('defaced')]);
	assert.equal(r.status, 3);
	const [c] = r.checks;
	assert.deepEqual(kinds(c), ['deface']);
	assert.equal(c.findings[0].level, 'critical');
	assert.match(c.findings[0].text, /Hacked By/);
	assert.match(c.findings[0].text, /your security is low/);
});

test('gambling shown only to Googlebot: judi and cloaking, crawler only', { skip: !HAVE_NGINX }, () => {
	const r = check([SITES.url('cloaked')]);
	assert.equal(r.status, 3);
	const [c] = r.checks;
	assert.deepEqual(kinds(c), ['cloaking', 'judi']);
	for (const f of c.findings) {
		assert.equal(f.level, 'critical');
		assert.equal(f.crawler_only, true);
		assert.equal(f.rule, 'judi-online');
		assert.match(f.text, /slot gacor/);
	}
	// as a browser only, the visitor's page is clean: nothing to see
	const b = check(['--no-crawler', SITES.url('cloaked')]);
	assert.equal(b.status, 0);
	assert.deepEqual(b.checks[0].findings, []);
});

test('links hidden in the footer by the page\'s own style: hidden links and hidden gambling', { skip: !HAVE_NGINX }, () => {
	const r = check([SITES.url('footer')]);
	assert.equal(r.status, 3);
	const [c] = r.checks;
	assert.deepEqual(kinds(c), ['judi', 'tautan_tersembunyi']);
	const links = c.findings.find((f) => f.kind === 'tautan_tersembunyi');
	assert.match(links.text, /^3 links hidden/);
	for (const h of ['slot-gacor-contoh.example', 'togel-contoh.example', 'maxwin-contoh.example'])
		assert.ok(links.text.includes(h), h);
	assert.match(c.findings.find((f) => f.kind === 'judi').text, /hidden from visitors/);
});

test('a slow site is slow; a fast one is not, at the same limit', { skip: !HAVE_NGINX }, () => {
	const r = check(['--slow', '600', '--no-crawler', SITES.url('slow'), SITES.url('clean')]);
	assert.equal(r.status, 3);
	assert.deepEqual(kinds(r.checks[0]), ['lambat']);
	assert.ok(r.checks[0].browser.ms >= 600, String(r.checks[0].browser.ms));
	assert.deepEqual(r.checks[1].findings, []);
});

test('a site that is down: unreachable, with the reason', { skip: !HAVE_NGINX }, () => {
	const r = check([SITES.url('down')]);
	assert.equal(r.status, 3);
	const [c] = r.checks;
	assert.deepEqual(kinds(c), ['tidak_terjangkau']);
	assert.equal(c.browser.reached, false);
	assert.match(c.findings[0].text, /Couldn't connect|Connection refused/);
});

test('certificates: an expired one is refused, one ending in 10 days is told', { skip: !HAVE_NGINX }, () => {
	const r = check(['--no-crawler', SITES.url('expired'), SITES.url('expiring')]);
	assert.equal(r.status, 3);
	const [expired, expiring] = r.checks;
	assert.deepEqual(kinds(expired), ['sertifikat_tidak_sah']);
	assert.match(expired.findings[0].text, /expired/);
	// the page is still read without trust, and its end is known
	assert.equal(expired.browser.status, 200);
	assert.ok(expired.browser.certificate_ends * 1000 < Date.now());
	assert.deepEqual(kinds(expiring), ['sertifikat_segera_habis']);
	assert.match(expiring.findings[0].text, /ends in (9|10) days/);
	// without the test CA, even the valid certificate is refused: trust is never skipped
	const untrusted = spawnSync(BIN, ['monitor', 'check', '--json', '--internal', '--no-crawler', SITES.url('tls')],
		{ encoding: 'utf8', env: { ...process.env, SIGAP_CONFIG: '' }, cwd: WORK });
	assert.deepEqual(kinds(JSON.parse(untrusted.stdout)[0]), ['sertifikat_tidak_sah']);
});

test('a redirect to another domain is recorded with its hop', { skip: !HAVE_NGINX }, () => {
	const r = check(['--no-crawler', SITES.url('redirect')]);
	assert.equal(r.status, 3);
	const [c] = r.checks;
	assert.deepEqual(kinds(c), ['pengalihan_asing']);
	assert.match(c.browser.redirects, new RegExp(`^302 http://localhost:${SITES.port.clean}/$`));
	assert.equal(c.browser.final_url, `http://localhost:${SITES.port.clean}/`);
});

test('content rules: a rule of the CSIRT\'s own is used; a bad one is refused at its place', { skip: !HAVE_NGINX }, () => {
	const own = join(WORK, 'pinjol.yaml');
	writeFileSync(own, 'id: pinjol\njudul: Promosi pinjaman daring ilegal\njenis: konten\ntingkat: high\nambang: 3\nkuat: [imunisasi anak]\n');
	const r = check(['--rules', own, '--no-crawler', SITES.url('clean')]);
	assert.equal(r.status, 3);
	assert.deepEqual(kinds(r.checks[0]), ['konten']);
	assert.equal(r.checks[0].findings[0].rule, 'pinjol');
	const bad = join(WORK, 'rusak.yaml');
	writeFileSync(bad, 'id: rusak\njudul: Rusak\njenis: judi\npola:\n  - "slot(("\n');
	const b = check(['--rules', bad, SITES.url('clean')]);
	assert.equal(b.status, 1);
	assert.match(b.stderr, /rusak\.yaml:5:5: pola 'slot\(\(': /);
	assert.equal(b.checks, null);
});

test('internal addresses are refused unless allowed, a redirect\'s too', { skip: !HAVE_NGINX }, () => {
	const r = spawnSync(BIN, ['monitor', 'check', '--json', '--no-crawler', SITES.url('clean')],
		{ encoding: 'utf8', env: { ...process.env, SIGAP_CONFIG: '' }, cwd: WORK });
	assert.equal(r.status, 3);
	const [c] = JSON.parse(r.stdout);
	assert.deepEqual(kinds(c), ['tidak_terjangkau']);
	assert.match(c.findings[0].text, /127\.0\.0\.1 is an address of an internal network: refused/);
	// so is every connection, whatever URL led to it
	const red = spawnSync(BIN, ['monitor', 'check', '--json', '--no-crawler', SITES.url('redirect')],
		{ encoding: 'utf8', env: { ...process.env, SIGAP_CONFIG: '' }, cwd: WORK });
	assert.match(JSON.parse(red.stdout)[0].findings[0].text, /internal network/);
});

test('usage errors', () => {
	for (const [args, re] of [[[], /no URL/], [['ftp://x/'], /not an http/], [['--ignore', '#', 'http://x/'], /no name after/],
		[['--slow', 'x', 'http://x/'], /--slow/], [['http://'], /not a URL sigap can check/],
		[['http://exa mple.go.id/'], /not a URL sigap can check/], [['--path', 'profil', 'http://x.go.id/'], /must begin with/],
		[['--ca-file', '/tidak/ada.pem', 'http://x.go.id/'], /cannot be read/]]) {
		const r = spawnSync(BIN, ['monitor', 'check', ...args], { encoding: 'utf8' });
		assert.equal(r.status, 2);
		assert.match(r.stderr, re);
	}
});
