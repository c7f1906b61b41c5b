// test_assets.mjs: the register of assets over the API: who sees and
// keeps what (an agen_siber its own OPD's assets only, another OPD's asset
// is 404 as an unknown one is), validation messages, the CSV export read
// back by the import, and a bad CSV refused whole with every bad line.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './server.mjs';

let S;
const tokens = {};
// demo users: agen.dinkes (agen_siber of DINKES), agen.disdik (of DISDIK)
const USERS = ['agen.dinkes', 'agen.disdik', 'ttis', 'administrator', 'petugas', 'pelapor', 'admin', 'kabid'];
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	S = await startServer();
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'aset').trim();
});
after(async () => { if (S) await S.stop(); });

async function assetId(name) {
	const r = await as('ttis')('GET', '/assets?q=' + encodeURIComponent(name));
	assert.equal(r.status, 200);
	const a = r.json.assets.find((x) => x.name === name);
	assert.ok(a, `demo asset ${name}`);
	return a.id;
}

test('CSIRT staff see every OPD\'s assets; an agen_siber only its own OPD\'s', async () => {
	const all = await as('petugas')('GET', '/assets');
	assert.equal(all.status, 200);
	assert.ok(new Set(all.json.assets.map((a) => a.opd.abbrev)).size >= 5);
	const mine = await as('agen.dinkes')('GET', '/assets');
	assert.equal(mine.status, 200);
	assert.ok(mine.json.total >= 2);
	assert.deepEqual([...new Set(mine.json.assets.map((a) => a.opd.abbrev))], ['DINKES']);
	// a filter on another OPD finds nothing of it
	const other = await as('agen.dinkes')('GET', '/assets?opd=DISDIK');
	assert.equal(other.json.total, 0);
	// outside actors and admin see no asset
	for (const u of ['pelapor', 'admin']) {
		const r = await as(u)('GET', '/assets');
		assert.equal(r.status, 200);
		assert.equal(r.json.total, 0, u);
	}
});

test('an agen_siber gets 404 for another OPD\'s asset, as for one that does not exist', async () => {
	const ppdb = await assetId('PPDB Daring'); // DISDIK
	const simpus = await assetId('SIMPUS (Sistem Informasi Puskesmas)'); // DINKES
	assert.equal((await as('agen.disdik')('GET', `/assets/${ppdb}`)).status, 200);
	const r = await as('agen.dinkes')('GET', `/assets/${ppdb}`);
	assert.equal(r.status, 404);
	assert.equal(r.json.error.code, 'not_found');
	const missing = await as('agen.dinkes')('GET', '/assets/999999');
	assert.equal(missing.status, 404);
	assert.equal(r.json.error.message.replace(/\d+/, 'N'), missing.json.error.message.replace(/\d+/, 'N'));
	// nor can it change or retire it
	assert.equal((await as('agen.dinkes')('PUT', `/assets/${ppdb}`, { notes: 'x' })).status, 404);
	assert.equal((await as('agen.dinkes')('POST', `/assets/${ppdb}/retire`, { reason: 'x' })).status, 404);
	// its own it may change, but not give to another OPD
	const ok = await as('agen.dinkes')('PUT', `/assets/${simpus}`, { contact: 'Seksi Data, ext. 12' });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.contact, 'Seksi Data, ext. 12');
	const move = await as('agen.dinkes')('PUT', `/assets/${simpus}`, { opd: 'DISDIK' });
	assert.equal(move.status, 403);
	assert.equal((await as('ttis')('GET', `/assets/${simpus}`)).json.opd.abbrev, 'DINKES');
});

test('an agen_siber adds assets for its own OPD only', async () => {
	const body = { opd: 'DISDIK', name: 'Sistem Informasi Sekolah', kind: 'aplikasi', urls: ['https://sis.contohkab.go.id/'] };
	const r = await as('agen.dinkes')('POST', '/assets', body);
	assert.equal(r.status, 403);
	assert.match(r.json.error.message, /own OPD/);
	const list = await as('ttis')('GET', '/assets?q=Sistem%20Informasi%20Sekolah');
	assert.equal(list.json.total, 0);
	const own = await as('agen.disdik')('POST', '/assets', body);
	assert.equal(own.status, 201, own.text);
	assert.equal(own.json.opd.abbrev, 'DISDIK');
	assert.equal(own.json.created_by, 'agen.disdik');
	// an outside actor and admin keep no assets
	for (const u of ['pelapor', 'admin', 'petugas']) {
		const x = await as(u)('POST', '/assets', { ...body, name: 'Lain ' + u });
		assert.equal(x.status, 403, u);
	}
});

test('validation: bad range, bad CPE, unknown OPD, duplicate name, each with its message', async () => {
	const cases = [
		[{ opd: 'DINKES', name: 'A', kind: 'server', addresses: ['10.20.5.7/24'] }, 400, /host bits set: the range is 10\.20\.5\.0\/24/],
		[{ opd: 'DINKES', name: 'A', kind: 'server', software: [{ name: 'nginx', cpe: 'cpe:/a:nginx:nginx:1.24' }] }, 400, /must begin 'cpe:2\.3:'/],
		[{ opd: 'NOPE', name: 'A', kind: 'server' }, 404, /no OPD 'NOPE'/],
		[{ opd: 'DINKES', name: 'A', kind: 'komputer' }, 400, /kind 'komputer' is not one of/],
		[{ opd: 'DINKES', name: 'simpus (sistem informasi puskesmas)', kind: 'aplikasi' }, 409, /already has an asset named/],
		[{ opd: 'DINKES', name: 'A', kind: 'server', wazuh_agent_id: '003' }, 409, /Wazuh agent 003 already belongs/],
		[{ opd: 'DINKES', name: 'A', kind: 'server', urls: ['simpus.contohkab.go.id'] }, 400, /not an absolute URL/],
	];
	for (const [body, status, re] of cases) {
		const r = await as('ttis')('POST', '/assets', body);
		assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
		assert.match(r.json.error.message, re);
	}
});

test('OPDs are kept by admin and kabid; an OPD in use is not deleted', async () => {
	const r = await as('ttis')('POST', '/opd', { name: 'Badan Pendapatan Daerah', abbrev: 'bapenda' });
	assert.equal(r.status, 403);
	const ok = await as('admin')('POST', '/opd', { name: 'Badan Pendapatan Daerah', abbrev: 'bapenda' });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.abbrev, 'BAPENDA');
	assert.equal((await as('admin')('POST', '/opd', { name: 'Lain', abbrev: 'BAPENDA' })).status, 409);
	const upd = await as('kabid')('PUT', '/opd/bapenda', { head: 'Ir. Wahyu' });
	assert.equal(upd.json.head, 'Ir. Wahyu');
	const used = await as('admin')('DELETE', '/opd/DINKES');
	assert.equal(used.status, 409);
	assert.match(used.json.error.message, /assets and 1 users/);
	// who belongs to an OPD is the team's business
	assert.deepEqual((await as('ttis')('GET', '/opd/DINKES')).json.user_names, ['agen.dinkes']);
	const seen = await as('pelapor')('GET', '/opd/DINKES');
	assert.equal(seen.status, 200);
	assert.equal(seen.json.name, 'Dinas Kesehatan');
	assert.equal(seen.json.user_names, undefined);
	assert.equal((await as('admin')('DELETE', '/opd/BAPENDA')).status, 200);
	assert.equal((await as('admin')('GET', '/opd/BAPENDA')).status, 404);
	// an agen_siber must belong to an OPD
	const noopd = await as('admin')('POST', '/users', { name: 'agen.baru', roles: ['agen_siber'] });
	assert.equal(noopd.status, 400);
	assert.match(noopd.json.error.message, /agen_siber acts for an OPD/);
	const withopd = await as('admin')('POST', '/users', { name: 'agen.baru', roles: ['agen_siber'], opd: 'BKPSDM' });
	assert.equal(withopd.status, 201, withopd.text);
	const list = (await as('admin')('GET', '/users')).json.users;
	assert.equal(list.find((u) => u.name === 'agen.baru').opd, 'BKPSDM');
	const clear = await as('admin')('PUT', '/users/agen.baru', { opd: null });
	assert.equal(clear.status, 400);
});

test('CSV: the export imports back to the same register', async () => {
	const exp = await as('ttis')('GET', '/assets/export');
	assert.equal(exp.status, 200);
	assert.match(exp.headers.get('content-type'), /^text\/csv/);
	const lines = exp.text.trim().split('\r\n');
	assert.equal(lines[0], 'opd,name,kind,kse,criticality,contact,wazuh_agent_name,wazuh_agent_id,urls,hosts,addresses,software,notes');
	assert.ok(lines.length >= 11);
	// into a fresh server with the same OPDs: same CSV out
	const T = await startServer();
	try {
		const tok = T.cli('token', 'new', 'ttis', '--name', 'csv').trim();
		const other = api(T.base, tok);
		// the demo's own assets are there already: the import changes those
		// that differ (an unchanged one counts as neither), and adds what
		// the first server has besides
		const imp = await other('POST', '/assets/import?name=aset.csv', exp.text, { 'Content-Type': 'text/csv' });
		assert.equal(imp.status, 200, imp.text);
		assert.ok(imp.json.added > 0 && imp.json.added + imp.json.updated <= lines.length - 1, imp.text);
		// the same file again changes nothing
		const same = await other('POST', '/assets/import?name=aset.csv', exp.text, { 'Content-Type': 'text/csv' });
		assert.deepEqual([same.json.added, same.json.updated], [0, 0]);
		const again = await other('GET', '/assets/export');
		assert.equal(again.text, exp.text);
		// the import is in the logbook, and each asset's change
		const lb = await api(T.base, tok)('GET', '/logbook?limit=200');
		assert.ok(lb.json.entries.some((e) => e.action === 'asset.import'));
	} finally {
		await T.stop();
	}
	// an agen_siber exports its own OPD's only
	const mine = await as('agen.dinkes')('GET', '/assets/export');
	const rows = mine.text.trim().split('\r\n').slice(1);
	assert.ok(rows.length >= 2);
	for (const r of rows) assert.match(r, /^DINKES,/);
});

test('CSV: a bad file is refused whole, every bad row named by its line', async () => {
	const before = (await as('ttis')('GET', '/assets?limit=1000')).json.total;
	const csv = [
		'opd,name,kind,addresses,software',
		'DINKES,Server Baru 1,server,10.20.9.1,',
		'DINKES,Server Baru 2,server,10.20.9.1/24,',
		'DINKES,Server Baru 3,lemari,,',
		'DINKES,Server Baru 4,server,,"nginx|1.24|cpe:2.3:a:nginx"',
		'NOPE,Server Baru 5,server,,',
		'DISDIK,Server Baru 6,server,,',
		'DINKES,server baru 1,server,,',
	].join('\n') + '\n';
	const r = await as('agen.dinkes')('POST', '/assets/import?name=buruk.csv', csv, { 'Content-Type': 'text/csv' });
	assert.equal(r.status, 400, r.text);
	assert.match(r.json.error.message, /6 of 7 rows are refused; nothing was stored/);
	assert.deepEqual(r.json.error.lines.map((l) => l.line), [3, 4, 5, 6, 7, 8]);
	const msg = Object.fromEntries(r.json.error.lines.map((l) => [l.line, l.message]));
	assert.match(msg[3], /host bits set/);
	assert.match(msg[4], /kind 'lemari'/);
	assert.match(msg[5], /CPE/);
	assert.match(msg[6], /no OPD 'NOPE'/);
	assert.match(msg[7], /may not change the assets of OPD DISDIK/);
	assert.match(msg[8], /also on line 2/);
	const after = (await as('ttis')('GET', '/assets?limit=1000')).json.total;
	assert.equal(after, before);
	assert.equal((await as('ttis')('GET', '/assets?q=Server%20Baru')).json.total, 0);
	// a header the register does not have
	const hdr = await as('ttis')('POST', '/assets/import', 'opd,nama,kind\nDINKES,X,server\n', { 'Content-Type': 'text/csv' });
	assert.equal(hdr.status, 400);
	assert.match(hdr.json.error.lines[0].message, /unknown column "nama"/);
	// not CSV
	assert.equal((await as('ttis')('POST', '/assets/import', {})).status, 415);
});

test('filters: OPD, kind, KSE, text; bad values refused', async () => {
	const k = await as('ttis')('GET', '/assets?kind=jaringan');
	assert.ok(k.json.total >= 2);
	for (const a of k.json.assets) assert.equal(a.kind, 'jaringan');
	const s = await as('ttis')('GET', '/assets?kse=strategis&opd=diskominfo');
	assert.ok(s.json.total >= 1);
	for (const a of s.json.assets) { assert.equal(a.kse, 'strategis'); assert.equal(a.opd.abbrev, 'DISKOMINFO'); }
	const q = await as('ttis')('GET', '/assets?q=10.30.1');
	assert.deepEqual(q.json.assets.map((a) => a.name), ['Server Aplikasi SIMPEG']);
	assert.equal((await as('ttis')('GET', '/assets?kind=lemari')).status, 400);
	assert.equal((await as('ttis')('GET', '/assets?opd=NOPE')).status, 404);
});

test('a patch case\'s asset field names an asset of the register', async () => {
	const simpeg = await assetId('Server Aplikasi SIMPEG');
	const bad = await as('administrator')('POST', '/cases', { procedure: 'patch', title: 'Uji', fields: { aset: 'srv-simpeg' } });
	assert.equal(bad.status, 400);
	assert.match(bad.json.error.message, /names an asset by its number/);
	const unknown = await as('administrator')('POST', '/cases', { procedure: 'patch', title: 'Uji', fields: { aset: '999999' } });
	assert.equal(unknown.status, 400);
	assert.match(unknown.json.error.message, /no asset 999999 in the register/);
	// the number as the register writes it: "08" is not asset 8
	const padded = await as('administrator')('POST', '/cases', { procedure: 'patch', title: 'Uji', fields: { aset: '0' + String(simpeg) } });
	assert.equal(padded.status, 400);
	assert.match(padded.json.error.message, /names an asset by its number/);
	const ok = await as('administrator')('POST', '/cases', { procedure: 'patch', title: 'Uji', fields: { aset: String(simpeg) } });
	assert.equal(ok.status, 201, ok.text);
});

test('retiring keeps the asset, in the logbook, out of the list and of matching', async () => {
	const id = await assetId('Situs Web Dinas Pendidikan');
	const r = await as('agen.disdik')('POST', `/assets/${id}/retire`, { reason: 'Digabung ke portal kabupaten' });
	assert.equal(r.status, 200, r.text);
	assert.ok(r.json.retired_at > 0);
	assert.equal((await as('agen.disdik')('POST', `/assets/${id}/retire`, { reason: 'lagi' })).status, 409);
	assert.equal((await as('ttis')('GET', '/assets?q=Situs%20Web%20Dinas%20Pendidikan')).json.total, 0);
	assert.equal((await as('ttis')('GET', '/assets?retired=1&q=Situs%20Web%20Dinas%20Pendidikan')).json.total, 1);
	const found = S.cli('asset', 'find', '--url', 'https://www.contohkab.go.id/berita');
	assert.match(found, /Portal Resmi/);
	assert.throws(() => S.cli('asset', 'find', '--url', 'https://disdik.contohkab.go.id/'));
	const lb = await as('ttis')('GET', `/logbook?limit=50`);
	assert.ok(lb.json.entries.some((e) => e.action === 'asset.retire' && e.object === `asset:${id}`));
});
