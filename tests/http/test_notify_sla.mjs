// Standard times running out ([notify] events tenggat, src/app/outbox_sla.c):
// a step whose waktu baku ends within sla_warn_before is told to its role
// (tenggat.segera), one past it to its role and the kabid (tenggat.lewat),
// each once a visit of the step, and again after the case is sent back to
// it. A real receiver started here; a small SOP of the tests (step 1:
// petugas, 10 minutes) on a calendar that works around the clock; the
// step's start moved back in the store to make it late.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, api, storeSql, sleep, until } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let S, srv;
const got = [];
const tokens = {};
const as = (u) => api(S.base, tokens[u]);
const of = (ticket, event) => got.filter((m) => m.case?.ticket === ticket && m.event === event);

before(async () => {
	srv = createServer((req, res) => {
		const parts = [];
		req.on('data', (d) => parts.push(d));
		req.on('end', () => { got.push(JSON.parse(Buffer.concat(parts).toString('utf8'))); res.writeHead(204); res.end(); });
	});
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	const sops = mkdtempSync(join(tmpdir(), 'sigap-sla-sops-'));
	copyFileSync(join(ROOT, 'tests/data/sop-good/contoh.yaml'), join(sops, 'contoh.yaml'));
	S = await startServer(`[sop]\ndir = ${sops}\n` +
		'[kalender]\njam_kerja = 00:00-24:00\nhari_kerja = senin, selasa, rabu, kamis, jumat, sabtu, minggu\n' +
		`[notify]\nwebhook_url = http://127.0.0.1:${srv.address().port}/hook\nwebhook_secret = rahasia-tenggat-uji-2026\n` +
		'events = tenggat\nsla_warn_before = 15m\nsla_check = 1s\nretry_after = 1s\n');
	for (const u of ['petugas', 'kabid']) tokens[u] = S.cli('token', 'new', u, '--name', 'sla').trim();
});
after(async () => { if (S) await S.stop(); if (srv) srv.close(); });

test('soon, then late: each told once a visit; told again after the case is sent back to the step', async () => {
	const r = await as('petugas')('POST', '/cases', { procedure: 'contoh', title: 'Uji tenggat', fields: { judul_laporan: 'laporan' } });
	assert.equal(r.status, 201, r.text);
	const ticket = r.json.ticket;
	// 10 minutes of standard time, warned 15 minutes ahead: soon at once
	await until(() => of(ticket, 'tenggat.segera').length === 1, 'tenggat.segera');
	const soon = of(ticket, 'tenggat.segera')[0];
	assert.equal(soon.step.no, 1);
	assert.equal(soon.step.role, 'petugas');
	assert.ok(soon.step.due_at > Date.now() / 1000, 'the end is ahead');
	assert.equal(got.filter((m) => m.event === 'langkah.menunggu').length, 0, 'events = tenggat only');
	// started an hour ago: late
	storeSql(S.dir, `UPDATE cases SET step_started_at = step_started_at - 3600 WHERE ticket = '${ticket}'`);
	await until(() => of(ticket, 'tenggat.lewat').length === 1, 'tenggat.lewat');
	assert.ok(of(ticket, 'tenggat.lewat')[0].step.due_at < Date.now() / 1000);
	await sleep(2500); // several checks later: still once each
	assert.equal(of(ticket, 'tenggat.segera').length, 1);
	assert.equal(of(ticket, 'tenggat.lewat').length, 1);
	// step 1 done, step 2 (kabid, one day) is not near its end: nothing
	const c = await as('petugas')('GET', `/cases/${ticket}`);
	const fd = new FormData();
	for (const f of c.json.current_step.fields) if (f.required) fd.set(f.name, 'isi');
	let s = await as('petugas')('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(s.status, 200, s.text);
	// the kabid sends it back to step 1: a new visit, told again
	s = await as('kabid')('POST', `/cases/${ticket}/send-back`, { step: 1, reason: 'lengkapi catatan' });
	assert.equal(s.status, 200, s.text);
	await until(() => of(ticket, 'tenggat.segera').length === 2, 'the new visit warned');
	assert.equal(of(ticket, 'tenggat.lewat').length, 1);
});
