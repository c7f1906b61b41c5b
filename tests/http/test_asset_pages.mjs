// test_asset_pages.mjs: the register of assets and the OPDs as pages, against
// a real `sigap serve`: who sees and changes what (an agen_siber of one OPD
// never sees another OPD's asset: 404 for its page, its edit form and its
// posts; admin and outside actors see an empty register), CSRF on every
// form, the add/edit/retire forms with lists one a line, the CSV upload
// (all or nothing, every bad row shown by its line) and download, an
// asset's page with its software, findings, alerts, cases and history,
// HTML escaping of a hostile name, /opd for its keepers, and the users
// page's OPD field that makes an agen_siber from the web.
// Runs under node:test; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, api } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let S;
const tokens = {};
const as = (u) => api(S.base, tokens[u]);
const clients = {};

before(async () => {
	S = await startServer();
	for (const u of ['ttis', 'admin']) tokens[u] = S.cli('token', 'new', u, '--name', 'aset-pages').trim();
	for (const u of ['agen.dinkes', 'agen.disdik', 'ttis', 'petugas', 'administrator', 'admin', 'pelapor', 'kabid']) {
		clients[u] = new Client(S.base);
		await clients[u].login(u);
	}
});
after(async () => { if (S) await S.stop(); });

async function assetId(name) {
	const r = await as('ttis')('GET', '/assets?q=' + encodeURIComponent(name));
	const a = r.json.assets.find((x) => x.name === name);
	assert.ok(a, `demo asset ${name}`);
	return a.id;
}

const names = (html) => [...html.matchAll(/<a href="\/aset\/(\d+)">/g)].map((m) => Number(m[1]));

test('/aset: CSIRT staff see every OPD grouped, an agen_siber only its own; admin and outside actors none', async () => {
	const all = await clients.petugas.get('/aset');
	assert.equal(all.status, 200);
	for (const opd of ['DINKES', 'DISDIK', 'DISKOMINFO'])
		assert.match(all.text, new RegExp(`<h2 class="opd-group">[^<]*<span class="muted">\\(${opd}\\)`));
	assert.match(all.text, /href="\/aset"[^>]*aria-current="page"/); // the nav entry
	const ppdb = await assetId('PPDB Daring'); // DISDIK
	const simpus = await assetId('SIMPUS (Sistem Informasi Puskesmas)'); // DINKES
	const mine = await clients['agen.dinkes'].get('/aset');
	assert.equal(mine.status, 200);
	assert.ok(names(mine.text).includes(simpus));
	assert.ok(!names(mine.text).includes(ppdb), 'agen.dinkes sees a DISDIK asset in the list');
	assert.doesNotMatch(mine.text, /\(DISDIK\)/);
	assert.doesNotMatch(mine.text, /PPDB/);
	// a filter naming another OPD shows nothing of it
	const other = await clients['agen.dinkes'].get('/aset?opd=DISDIK&pensiun=1');
	assert.doesNotMatch(other.text, /PPDB/);
	assert.equal(names(other.text).length, 0);
	for (const u of ['admin', 'pelapor']) {
		const r = await clients[u].get('/aset');
		assert.equal(r.status, 200);
		assert.equal(names(r.text).length, 0, u);
		assert.match(r.text, /id="?[^"]*"?|Anda tidak melihat aset/);
		assert.doesNotMatch(r.text, /href="\/aset"/, `${u} has no Aset nav entry`);
		assert.equal((await clients[u].get(`/aset/${simpus}`)).status, 404, u);
	}
	// filters: kind, KSE, text
	const web = await clients.petugas.get('/aset?jenis=situs_web');
	assert.ok(names(web.text).includes(ppdb) || !names(web.text).includes(simpus));
	const q = await clients.petugas.get('/aset?q=simpus');
	assert.deepEqual(names(q.text), [simpus]);
	const bad = await clients.petugas.get('/aset?jenis=lemari');
	assert.equal(bad.status, 400);
	assert.match(bad.text, /lemari/);
});

test('an agen_siber gets 404 for another OPD\'s asset page, its edit form and its posts, as for one that does not exist', async () => {
	const ppdb = await assetId('PPDB Daring');
	const c = clients['agen.dinkes'];
	const page = await c.get(`/aset/${ppdb}`);
	assert.equal(page.status, 404);
	assert.doesNotMatch(page.text, /PPDB/);
	const missing = await c.get('/aset/999999');
	assert.equal(missing.status, 404);
	assert.equal(page.text.replace(/name="csrf" value="[0-9a-f]+"/, ''), missing.text.replace(/name="csrf" value="[0-9a-f]+"/, ''));
	assert.equal((await c.get(`/aset/${ppdb}/ubah`)).status, 404);
	await c.get('/aset');
	const edit = await c.post(`/aset/${ppdb}/ubah`, { opd: 'DISDIK', nama: 'Diambil alih', jenis: 'aplikasi' });
	assert.equal(edit.status, 404);
	const retire = await c.post(`/aset/${ppdb}/pensiun`, { alasan: 'x' });
	assert.equal(retire.status, 404);
	const still = await as('ttis')('GET', `/assets/${ppdb}`);
	assert.equal(still.json.name, 'PPDB Daring');
	assert.equal(still.json.retired_at, null);
	// its own OPD's asset opens, with the edit button
	const own = await c.get(`/aset/${await assetId('SIMPUS (Sistem Informasi Puskesmas)')}`);
	assert.equal(own.status, 200);
	assert.match(own.text, /id="asset-edit"/);
	// it cannot add an asset to another OPD
	await c.get('/aset/baru');
	const add = await c.post('/aset/baru', { opd: 'DISDIK', nama: 'Titipan', jenis: 'server' });
	assert.notEqual(add.status, 303);
	assert.equal((await as('ttis')('GET', '/assets?q=Titipan')).json.total, 0);
	// a staff member who reads but does not keep the register has no form
	const petugas = await clients.petugas.get(`/aset/${ppdb}`);
	assert.equal(petugas.status, 200);
	assert.doesNotMatch(petugas.text, /id="asset-edit"|action="\/aset\/\d+\/pensiun"/);
	assert.equal((await clients.petugas.get(`/aset/${ppdb}/ubah`)).status, 403);
	await clients.petugas.get('/aset');
	const p = await clients.petugas.post(`/aset/${ppdb}/pensiun`, { alasan: 'x' });
	assert.equal(p.status, 403);
});

test('every form needs its CSRF token', async () => {
	const c = clients.ttis;
	await c.get('/aset/baru');
	const r = await c.post('/aset/baru', { opd: 'DINKES', nama: 'Tanpa Token', jenis: 'server' }, { csrf: false });
	assert.equal(r.status, 403);
	assert.equal((await as('ttis')('GET', '/assets?q=Tanpa%20Token')).json.total, 0);
	const simpus = await assetId('SIMPUS (Sistem Informasi Puskesmas)');
	assert.equal((await c.post(`/aset/${simpus}/pensiun`, { alasan: 'x' }, { csrf: false })).status, 403);
	assert.equal((await c.post(`/aset/${simpus}/ubah`, { opd: 'DINKES', nama: 'X', jenis: 'server' }, { csrf: false })).status, 403);
	const form = new FormData();
	form.set('csrf', '0'.repeat(64));
	form.set('berkas', new Blob(['opd,name,kind\nDINKES,Lewat CSV,server\n'], { type: 'text/csv' }), 'a.csv');
	assert.equal((await c.postMultipart('/aset/impor', form)).status, 403);
	assert.equal((await as('ttis')('GET', '/assets?q=Lewat%20CSV')).json.total, 0);
	await clients.admin.get('/opd');
	assert.equal((await clients.admin.post('/opd', { nama: 'Tanpa Token', singkatan: 'TT' }, { csrf: false })).status, 403);
});

test('add, edit and retire through the forms: lists one a line, software NAME | VERSION | CPE, history', async () => {
	const c = clients.ttis;
	await c.get('/aset/baru');
	const add = await c.post('/aset/baru', {
		opd: 'DINKES', nama: 'SIMRS', jenis: 'aplikasi', kse: 'tinggi', kritikalitas: 'kritis',
		kontak: 'it@dinkes.example', agen_nama: 'simrs-app', agen_id: '042',
		url: 'https://simrs.contohkab.go.id/\n\n  https://simrs.contohkab.go.id/api/  \n',
		host: 'simrs.contohkab.go.id\r\nsimrs-db.contohkab.go.id',
		alamat: '10.20.7.10\n10.20.7.0/24',
		perangkat_lunak: 'nginx | 1.24.0 | cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*\nPHP | 8.2\nMariaDB',
		catatan: 'rumah sakit',
	});
	assert.equal(add.status, 303, add.text);
	const id = Number(add.location.match(/^\/aset\/(\d+)$/)[1]);
	const a = (await as('ttis')('GET', `/assets/${id}`)).json;
	assert.equal(a.opd.abbrev, 'DINKES');
	assert.deepEqual(a.urls, ['https://simrs.contohkab.go.id/', 'https://simrs.contohkab.go.id/api/']);
	assert.deepEqual(a.hosts, ['simrs-db.contohkab.go.id', 'simrs.contohkab.go.id']);
	assert.deepEqual(a.addresses, ['10.20.7.0/24', '10.20.7.10']);
	assert.deepEqual(a.software.map((s) => [s.name, s.version, s.cpe]),
		[['nginx', '1.24.0', 'cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*'], ['PHP', '8.2', null], ['MariaDB', '', null]]);
	const page = await c.get(`/aset/${id}`);
	assert.equal(page.status, 200);
	for (const s of ['SIMRS', 'simrs-app', '042', 'simrs-db.contohkab.go.id', '10.20.7.0/24', 'cpe:2.3:a:f5:nginx:1.24.0', 'Kritis', 'Tinggi', 'Aplikasi'])
		assert.ok(page.text.includes(s), s);
	assert.match(page.text, /<section id="history">[\s\S]*ttis/);
	// the edit form shows the lists one a line and saves a change
	const form = await c.get(`/aset/${id}/ubah`);
	assert.equal(form.status, 200);
	assert.match(form.text, /<textarea id="a-alamat" name="alamat" rows="3">10\.20\.7\.0\/24\n10\.20\.7\.10\n<\/textarea>/);
	assert.match(form.text, /nginx \| 1\.24\.0 \| cpe:2\.3/);
	const edit = await c.post(`/aset/${id}/ubah`, {
		opd: 'DINKES', nama: 'SIMRS', jenis: 'aplikasi', kse: 'strategis', kritikalitas: 'kritis',
		kontak: '', agen_nama: 'simrs-app', agen_id: '042', url: 'https://simrs.contohkab.go.id/',
		host: '', alamat: '10.20.7.10', perangkat_lunak: 'nginx | 1.25.3', catatan: '',
	});
	assert.equal(edit.status, 303, edit.text);
	const b = (await as('ttis')('GET', `/assets/${id}`)).json;
	assert.equal(b.kse, 'strategis');
	assert.ok(!b.contact, 'an empty contact clears it');
	assert.deepEqual(b.hosts, []);
	assert.deepEqual(b.software.map((s) => s.version), ['1.25.3']);
	// a refused change shows the app's message and keeps what was typed
	const bad = await c.post(`/aset/${id}/ubah`, { opd: 'DINKES', nama: 'SIMRS', jenis: 'aplikasi', alamat: '10.20.7.10/16', url: '', host: '', perangkat_lunak: '' });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /class="notice error"/);
	assert.match(bad.text, /10\.20\.0\.0\/16/); // the range it probably means
	assert.match(bad.text, />10\.20\.7\.10\/16<\/textarea>/);
	// history: add and update, newest first
	const hist = await c.get(`/aset/${id}`);
	const section = hist.text.slice(hist.text.indexOf('<section id="history">'));
	assert.equal((section.match(/<tr><td>/g) || []).length, 2);
	// retire: a reason is needed, then the asset is shown retired and has no forms
	const noreason = await c.post(`/aset/${id}/pensiun`, { alasan: '' });
	assert.equal(noreason.status, 400);
	const ret = await c.post(`/aset/${id}/pensiun`, { alasan: 'diganti SIMRS v2' });
	assert.equal(ret.status, 303);
	const after = await c.get(`/aset/${id}`);
	assert.match(after.text, /Dipensiunkan[\s\S]*diganti SIMRS v2/);
	assert.doesNotMatch(after.text, /id="asset-edit"/);
	assert.ok(!names((await c.get('/aset?q=SIMRS')).text).includes(id));
	assert.ok(names((await c.get('/aset?q=SIMRS&pensiun=1')).text).includes(id));
});

test('a hostile asset name is escaped on the list, its page and its form', async () => {
	const c = clients['agen.dinkes'];
	await c.get('/aset/baru');
	const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
	const add = await c.post('/aset/baru', { opd: 'DINKES', nama: evil, jenis: 'server', catatan: '<b>tebal</b>', perangkat_lunak: '<svg onload=x> | 1' });
	assert.equal(add.status, 303, add.text);
	const id = Number(add.location.split('/').pop());
	for (const path of ['/aset', `/aset/${id}`, `/aset/${id}/ubah`]) {
		const r = await c.get(path);
		assert.equal(r.status, 200, path);
		assert.doesNotMatch(r.text, /<script>alert|<img src=x|<b>tebal|<svg onload/, path);
		assert.match(r.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, path);
	}
});

test('CSV upload: a file with a bad row shows the line and stores nothing; a good one imports; the download reads back', async () => {
	const c = clients['agen.dinkes'];
	const before = (await as('ttis')('GET', '/assets?retired=1&limit=1000')).json.total;
	const csv = 'opd,name,kind,addresses\nDINKES,Unggah 1,server,10.20.9.1\nDINKES,Unggah 2,lemari,\nDISDIK,Unggah 3,server,\n';
	await c.get('/aset');
	let form = new FormData();
	form.set('berkas', new Blob([csv], { type: 'text/csv' }), 'buruk.csv');
	const r = await c.postMultipart('/aset/impor', form);
	assert.equal(r.status, 400, r.text);
	const errs = r.text.match(/<ul class="notice error" id="import-errors">([\s\S]*?)<\/ul>/);
	assert.ok(errs, r.text);
	assert.match(errs[1], /Baris 3: [^<]*lemari/);
	assert.match(errs[1], /Baris 4: [^<]*DISDIK/);
	assert.doesNotMatch(errs[1], /Baris 2/);
	assert.equal((await as('ttis')('GET', '/assets?retired=1&limit=1000')).json.total, before);
	assert.equal((await as('ttis')('GET', '/assets?q=Unggah')).json.total, 0);
	// a good file
	form = new FormData();
	form.set('berkas', new Blob(['opd;name;kind;hosts\nDINKES;Unggah 1;server;unggah.dinkes.contohkab.go.id\n'], { type: 'text/csv' }), 'baik.csv');
	const ok = await c.postMultipart('/aset/impor', form);
	assert.equal(ok.status, 200, ok.text);
	assert.match(ok.text, /Diimpor: 1 ditambahkan, 0 diubah/);
	assert.equal((await as('ttis')('GET', '/assets?q=Unggah')).json.total, 1);
	// the download: this agent's OPD only, the header first
	const dl = await c.get('/aset/ekspor');
	assert.equal(dl.status, 200);
	assert.match(dl.headers.get('content-type'), /^text\/csv/);
	assert.match(dl.headers.get('content-disposition'), /attachment; filename="aset.csv"/);
	assert.ok(dl.text.startsWith('opd,name,kind,kse,criticality,contact,wazuh_agent_name,wazuh_agent_id,urls,hosts,addresses,software,notes\r\n'));
	assert.match(dl.text, /Unggah 1/);
	assert.doesNotMatch(dl.text, /DISDIK|PPDB/);
	// a caller who may change no asset is refused before the body is read
	await clients.petugas.get('/aset');
	form = new FormData();
	form.set('berkas', new Blob(['opd,name,kind\nDINKES,Unggah 9,server\n'], { type: 'text/csv' }), 'a.csv');
	const refused = await clients.petugas.postMultipart('/aset/impor', form);
	assert.equal(refused.status, 403);
	// and a file over [web] body_max is refused on its declared length
	await c.get('/aset');
	form = new FormData();
	form.set('berkas', new Blob(['opd,name,kind\n' + 'x'.repeat(1100 * 1024)], { type: 'text/csv' }), 'besar.csv');
	const big = await c.postMultipart('/aset/impor', form);
	assert.equal(big.status, 413);
	assert.match(big.text, /sigap asset import/);
});

test('an asset\'s page shows its findings (linking /kerentanan/ID), its alerts for triage roles and its OPD\'s agen_siber, and the cases that name it', async () => {
	const simpeg = await assetId('Server Aplikasi SIMPEG'); // agent srv-simpeg
	// an alert of its Wazuh agent, and one of another agent (an agent is
	// known by its id first: asset_find)
	const ev = (name) => ({
		timestamp: '2026-11-23T02:00:00.000+0000', agent: { id: name === 'srv-simpeg' ? '005' : '099', name },
		rule: { level: 3, description: 'sshd: authentication success.', id: '5715' },
		full_log: `Nov 23 09:00:00 ${name} sshd[42]: Accepted password for root from 198.51.100.23 port 4242 ssh2`,
		predecoder: { program_name: 'sshd', hostname: name }, location: '/var/log/auth.log',
	});
	const ing = await as('ttis')('POST', '/ingest/wazuh?wait=1', [ev('srv-simpeg'), ev('srv-lain')]);
	assert.equal(ing.status, 202, ing.text);
	const alerts = (await as('ttis')('GET', '/alerts')).json.alerts;
	const mine = alerts.find((a) => a.asset === 'srv-simpeg'), other = alerts.find((a) => a.asset === 'srv-lain');
	assert.ok(mine && other);
	// findings on it, from a scanner report imported by the command line
	S.cli('vuln', 'import', '--asset', String(simpeg), join(ROOT, 'tests/data/vuln/scanners/nuclei_v3.jsonl'));
	const findings = JSON.parse(S.cli('vuln', 'list', '--asset', String(simpeg), '--json'));
	const page = await clients.ttis.get(`/aset/${simpeg}`);
	assert.equal(page.status, 200);
	const section = (id) => page.text.slice(page.text.indexOf(`<section id="${id}">`)).split('</section>')[0];
	// the demo's patch case names the SIMPEG server: its staff (administrator)
	// see it there; ttis, no staff of the patch SOP, does not (need-to-know)
	assert.doesNotMatch(section('cases'), /href="\/kasus\/PAT-/);
	const adm = await clients.administrator.get(`/aset/${simpeg}`);
	const cases = adm.text.slice(adm.text.indexOf('<section id="cases">')).split('</section>')[0];
	assert.match(cases, /href="\/kasus\/PAT-\d{4}-\d{4}"/);
	assert.match(section('alerts'), new RegExp(`href="/peringatan/${mine.id}"`));
	assert.doesNotMatch(section('alerts'), new RegExp(`href="/peringatan/${other.id}"`));
	assert.match(section('software'), /OpenSSH[\s\S]*8\.9p1[\s\S]*cpe:2\.3:a:openbsd:openssh/);
	const list = findings.findings ?? findings;
	assert.ok(list.length > 0, 'the import made findings');
	for (const f of list.slice(0, 50))
		assert.match(section('findings'), new RegExp(`href="/kerentanan/${f.id}"`));
	assert.match(section('findings'), /class="level level-(critical|high|medium|low|informational)"/);
	// the agent of another OPD sees none of them, nor the asset
	assert.equal((await clients['agen.dinkes'].get(`/aset/${simpeg}`)).status, 404);
	// an agen_siber reads its own OPD's asset's alerts (its constituency:
	// docs/assets.md), never another asset's
	const dinkes = await assetId('SIMPUS (Sistem Informasi Puskesmas)');
	const ag = await clients['agen.dinkes'].get(`/aset/${dinkes}`);
	assert.equal(ag.status, 200);
	assert.match(ag.text, /<section id="alerts">/);
	assert.doesNotMatch(ag.text, new RegExp(`href="/peringatan/${mine.id}"`));
	// admin reads accounts, not the register
	assert.equal((await clients.admin.get(`/aset/${simpeg}`)).status, 404);
});

test('/opd: kept by admin and kabid; an OPD in use cannot be deleted and the refusal is shown', async () => {
	for (const u of ['ttis', 'agen.dinkes', 'pelapor']) {
		assert.equal((await clients[u].get('/opd')).status, 403, u);
	}
	const c = clients.admin;
	const list = await c.get('/opd');
	assert.equal(list.status, 200);
	assert.match(list.text, /Dinas Kesehatan/);
	const add = await c.post('/opd', { nama: 'Badan <Pendapatan> Daerah', singkatan: 'bapenda', kepala: 'Ir. A', kontak: '' });
	assert.equal(add.status, 303, add.text);
	const o = (await as('admin')('GET', '/opd/BAPENDA')).json;
	assert.equal(o.name, 'Badan <Pendapatan> Daerah');
	const shown = await c.get('/opd');
	assert.match(shown.text, /Badan &lt;Pendapatan&gt; Daerah/);
	const dup = await c.post('/opd', { nama: 'Lain', singkatan: 'BAPENDA' });
	assert.equal(dup.status, 409);
	assert.match(dup.text, /class="notice error"/);
	const upd = await c.post(`/opd/${o.id}`, { nama: 'Badan Pendapatan Daerah', singkatan: 'BAPENDA', kepala: 'Ir. B', kontak: 'x@y' });
	assert.equal(upd.status, 303);
	assert.equal((await as('admin')('GET', '/opd/BAPENDA')).json.head, 'Ir. B');
	const dinkes = (await as('admin')('GET', '/opd/DINKES')).json;
	const used = await c.post(`/opd/${dinkes.id}/hapus`, {});
	assert.equal(used.status, 409);
	assert.match(used.text, /class="notice error"[^>]*>[^<]*aset/);
	assert.equal((await as('admin')('GET', '/opd/DINKES')).status, 200);
	const del = await c.post(`/opd/${o.id}/hapus`, {});
	assert.equal(del.status, 303);
	assert.equal((await as('admin')('GET', '/opd/BAPENDA')).status, 404);
	assert.equal((await clients.kabid.get('/opd')).status, 200);
});

test('the users page makes an agen_siber of an OPD from the web, and moves it', async () => {
	const c = clients.admin;
	const page = await c.get('/pengguna');
	assert.match(page.text, /<select name="opd" id="u-opd"/);
	const noopd = await c.post('/pengguna', { nama: 'agen.web', peran: 'agen_siber', opd: '' });
	assert.equal(noopd.status, 400);
	assert.match(noopd.text, /class="notice error"/);
	const r = await c.post('/pengguna', { nama: 'agen.web', peran: 'agen_siber', opd: 'DINKES' });
	assert.equal(r.status, 201, r.text);
	let u = (await as('admin')('GET', '/users')).json.users.find((x) => x.name === 'agen.web');
	assert.equal(u.opd, 'DINKES');
	const moved = await c.post('/pengguna/agen.web', { peran: 'agen_siber', status: 'aktif', opd: 'DISDIK' });
	assert.equal(moved.status, 200, moved.text);
	u = (await as('admin')('GET', '/users')).json.users.find((x) => x.name === 'agen.web');
	assert.equal(u.opd, 'DISDIK');
	// no longer an agent: the OPD can go with the role
	const plain = await c.post('/pengguna/agen.web', { peran: 'petugas', status: 'aktif', opd: '' });
	assert.equal(plain.status, 200, plain.text);
	u = (await as('admin')('GET', '/users')).json.users.find((x) => x.name === 'agen.web');
	assert.equal(u.opd, null);
	assert.deepEqual(u.roles, ['petugas']);
});
