// test_documents.mjs: the SOPs' output documents against a real sigap
// serve. An incident case walked over the API reaches the steps whose
// documents it outputs; its Documents page drafts them (HTML with the
// letterhead, and a PDF marked DRAF with no number); who acts on the step
// issues one: numbered gap-free per kind and year, stored as evidence
// under its SHA-256, logged, its signatory told; the PDF (read with the
// real pdftotext, pdftoppm and zbarimg) carries the number, the ticket,
// the names, the date in Indonesian, the TLP marking on every page and a
// QR code of /verifikasi/CODE; that public page tells the number, kind,
// issuer and time, never the content, and says GENUINE for the issued
// file and NOT GENUINE for it with one byte changed. Who may not see the
// case whole sees no document; who does not act on the step issues none;
// a form without its CSRF token changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, Client, storeSql, SIGAP } from './server.mjs';
import { ROLE_USER, walkProcedure } from './walk.mjs';
import { readdirSync } from 'node:fs';

let S, petugas, kabid;
const ART = join(process.env.SIGAP_SOURCE_ROOT || '.', 'tests', 'artifacts', 'documents');

function have(tool) {
	try {
		execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
		return true;
	} catch {
		return false;
	}
}
const TOOLS = have('pdftotext') && have('pdftoppm') && have('zbarimg');

before(async () => {
	S = await startServer(`[notify]\nlink_base = https://sigap.contohkab.go.id/\n`);
	petugas = api(S.base, S.cli('token', 'new', 'petugas', '--name', 'dokumen').trim());
	kabid = api(S.base, S.cli('token', 'new', 'kabid', '--name', 'dokumen').trim());
	mkdirSync(ART, { recursive: true });
});
after(async () => S && (await S.stop()));

// An incident case opened by the officer, walked past step 3 (the report
// form with its ticket, insiden-formulir, issued once the step is done).
async function caseAtStep3(name, open3 = false) {
	const c = await petugas('POST', '/cases', {
		procedure: 'insiden', title: `Defacement situs ${name}`,
		fields: {
			pelapor_nama: name, pelapor_kontak: 'pelapor@example.id',
			sistem_terdampak: 'https://kecamatan.contohkab.go.id',
			uraian_kejadian: 'Halaman depan berubah <script>alert(1)</script> & tautan judi.',
		},
	});
	assert.equal(c.status, 201, c.text);
	const t = c.json.ticket;
	let s = await petugas('POST', `/cases/${t}/steps`, { values: {}, on_behalf: name, channel: 'telepon' });
	assert.equal(s.status, 200, s.text);
	s = await petugas('POST', `/cases/${t}/steps`, { values: { asal_laporan: 'Pihak luar', saluran: 'Telepon' } });
	assert.equal(s.status, 200, s.text);
	if (!open3) {
		s = await petugas('POST', `/cases/${t}/steps`, { values: { ringkasan: `Ringkasan laporan ${name}` } });
		assert.equal(s.status, 200, s.text);
	}
	return t;
}

const pdfText = (file, page) =>
	execFileSync('pdftotext', [...(page ? ['-f', `${page}`, '-l', `${page}`] : []), '-layout', file, '-'], { encoding: 'utf8' });

test('a reached step lists its documents; a draft shows the letterhead and no number', async () => {
	const t = await caseAtStep3('Siti Aminah', true);
	// step 3 is the current one: drafted now, issued once it is done
	const early3 = await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir' });
	assert.equal(early3.status, 409, early3.text);
	assert.match(early3.json.error.message, /selesai|completed/);
	const list = await petugas('GET', `/cases/${t}/documents`);
	assert.equal(list.status, 200);
	const due = list.json.due.map((d) => `${d.step}:${d.template}`);
	assert.ok(due.includes('3:insiden-formulir'), JSON.stringify(list.json));
	assert.ok(!due.some((d) => d.startsWith('12:')), 'a step not reached lists nothing');
	assert.deepEqual(list.json.issued, []);

	const w = new Client(S.base);
	await w.login('petugas');
	const page = await w.get(`/kasus/${t}/dokumen`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Terbitkan dengan nomor/);
	const draft = await w.get(`/kasus/${t}/dokumen?langkah=3&templat=insiden-formulir`);
	assert.equal(draft.status, 200);
	assert.match(draft.text, /PEMERINTAH KABUPATEN CONTOH/);
	assert.match(draft.text, /DRAF/);
	assert.match(draft.text, new RegExp(t));
	// the reporter's words are escaped, never markup
	assert.ok(!draft.text.includes('<script>alert(1)</script>'));
	assert.match(draft.text, /&lt;script&gt;/);
	const pdf = await fetch(`${S.base}/kasus/${t}/dokumen?langkah=3&templat=insiden-formulir&format=pdf`,
		{ headers: { Cookie: w.cookieHeader() } });
	assert.equal(pdf.status, 200);
	assert.equal(pdf.headers.get('content-type'), 'application/pdf');
	const bytes = Buffer.from(await pdf.arrayBuffer());
	assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
	if (TOOLS) {
		const f = join(ART, 'draf.pdf');
		writeFileSync(f, bytes);
		const txt = pdfText(f);
		assert.match(txt, /Nomor: \(draf\)/);
		assert.match(txt, /Halaman 1 dari 1/);
	}
	// the format as typed in capitals is still the PDF; an unknown one is refused
	const upper = await fetch(`${S.base}/kasus/${t}/dokumen?langkah=3&templat=insiden-formulir&format=PDF`,
		{ headers: { Cookie: w.cookieHeader() } });
	assert.equal(upper.headers.get('content-type'), 'application/pdf');
	assert.equal((await w.get(`/kasus/${t}/dokumen?langkah=3&templat=insiden-formulir&format=docx`)).status, 400);
	// the columns of the screen draft keep the template's widths
	assert.match(draft.text, /<t[hd] lebar="\d+" width="\d+%"/);
	// a step the case has not reached: no draft
	const early = await w.get(`/kasus/${t}/dokumen?langkah=12&templat=insiden-laporan-akhir`);
	assert.ok([404, 409].includes(early.status), `${early.status}`);
});

test('issuing numbers gap-free, stores the PDF as evidence, and it verifies; a changed byte does not', async () => {
	const t = await caseAtStep3('Budi Santoso');
	const tlp = await petugas('PUT', `/cases/${t}/tlp`, { tlp: 'TLP:AMBER' });
	assert.equal(tlp.status, 200, tlp.text);
	const w = new Client(S.base);
	await w.login('petugas');
	await w.get(`/kasus/${t}/dokumen`);
	// without the CSRF token: refused, nothing issued
	const forged = await w.post(`/kasus/${t}/dokumen`, { langkah: '3', templat: 'insiden-formulir' }, { csrf: false });
	assert.equal(forged.status, 403);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.ticket = '${t}'`).trim(), '0');

	const before = Number(storeSql(S.dir, "SELECT COALESCE(MAX(seq), 0) FROM documents WHERE kode = (SELECT kode FROM documents LIMIT 1)").trim() || 0);
	const issued = await w.post(`/kasus/${t}/dokumen`, { langkah: '3', templat: 'insiden-formulir' });
	// to the list, so a reload issues nothing again
	assert.equal(issued.status, 303, issued.text.slice(0, 500));
	const listed = await w.get(issued.location);
	assert.match(listed.text, /kode verifikasi ([A-Z2-9]{10})/);
	assert.match(listed.text, /Sudah diterbitkan/);
	const code = listed.text.match(/kode verifikasi ([A-Z2-9]{10})/)[1];
	// the API issues the next of the same kind: numbers follow with no gap
	const second = await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir' });
	assert.equal(second.status, 201, second.text);
	const docs = (await petugas('GET', `/cases/${t}/documents`)).json.issued;
	assert.equal(docs.length, 2);
	const seqs = storeSql(S.dir, `SELECT seq FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.ticket = '${t}' ORDER BY seq`).trim().split('\n').map(Number);
	assert.equal(seqs[1], seqs[0] + 1);
	assert.ok(seqs[0] >= 1 && seqs[0] >= before);
	const year = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
	assert.equal(docs[0].number, `${seqs[0]}/FLI/CSIRT.CONTOH/${year}`);
	assert.equal(docs[0].code, code);
	// the PDF is the case's evidence, under its SHA-256, with a custody record
	const ev = (await petugas('GET', `/cases/${t}`)).json.evidence;
	assert.ok(ev.some((e) => e.sha256 === docs[0].sha256 && e.field === 'dokumen'), JSON.stringify(ev));
	const dl = await fetch(`${S.base}/bukti/${docs[0].sha256}`, { headers: { Cookie: w.cookieHeader() } });
	assert.equal(dl.status, 200);
	const file = Buffer.from(await dl.arrayBuffer());
	assert.equal(file.subarray(0, 5).toString(), '%PDF-');
	// logged
	const log = storeSql(S.dir, `SELECT details FROM logbook WHERE action = 'document.issue' AND object = 'case:${t}'`);
	assert.match(log, new RegExp(docs[0].sha256));

	if (TOOLS) {
		const f = join(ART, 'formulir.pdf');
		writeFileSync(f, file);
		const txt = pdfText(f);
		assert.match(txt, new RegExp(docs[0].number.replace(/\//g, '\\/')));
		assert.match(txt, new RegExp(t));
		assert.match(txt, /Budi Santoso/);
		assert.match(txt, /PEMERINTAH KABUPATEN CONTOH/);
		assert.match(txt, /(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/);
		// the marking at the top and the bottom of every page
		const pages = Number(execFileSync('pdfinfo', [f], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1]);
		for (let p = 1; p <= pages; p++)
			assert.ok((pdfText(f, p).match(/TLP:AMBER/g) || []).length >= 2, `page ${p}`);
		execFileSync('pdftoppm', ['-r', '150', '-png', f, join(ART, 'formulir')]);
		const png = join(ART, pages > 9 ? `formulir-${String(pages).padStart(2, '0')}.png` : `formulir-${pages}.png`);
		assert.ok(existsSync(png), png);
		const qr = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		assert.equal(qr, `https://sigap.contohkab.go.id/verifikasi/${code}`);
	}

	// the public page: no sign-in, what and who and when, never the content
	const anon = new Client(S.base);
	const v = await anon.get(`/verifikasi/${code}`);
	assert.equal(v.status, 200);
	assert.match(v.text, new RegExp(docs[0].number.replace(/\//g, '\\/')));
	assert.match(v.text, /Formulir Laporan Insiden/);
	assert.ok(!v.text.includes('Budi Santoso') && !v.text.includes(t), 'the content stays hidden');
	// the genuine file
	const up = new FormData();
	up.set('berkas', new Blob([file], { type: 'application/pdf' }), 'dokumen.pdf');
	const ok = await anon.postMultipart(`/verifikasi/${code}`, up);
	assert.equal(ok.status, 200, ok.text.slice(0, 300));
	assert.match(ok.text, /ASLI/);
	assert.ok(!/TIDAK ASLI/.test(ok.text));
	// one byte changed
	const bad = Buffer.from(file);
	bad[Math.floor(bad.length / 2)] ^= 1;
	const up2 = new FormData();
	up2.set('berkas', new Blob([bad], { type: 'application/pdf' }), 'dokumen.pdf');
	const no = await anon.postMultipart(`/verifikasi/${code}`, up2);
	assert.equal(no.status, 200);
	assert.match(no.text, /TIDAK ASLI/);
	// by SHA-256, any case, and the code typed in lower case with a dash
	const bySha = await anon.postMultipart(`/verifikasi/${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`,
		(() => { const f = new FormData(); f.set('sha256', docs[0].sha256.toUpperCase()); return f; })());
	assert.match(bySha.text, /ASLI/);
	assert.ok(!/TIDAK ASLI/.test(bySha.text));
	// the command line tells genuine (0), not genuine (3) and unknown (1) apart
	if (TOOLS) {
		const f = join(ART, 'formulir.pdf'), g = join(ART, 'formulir-ubah.pdf');
		writeFileSync(g, bad);
		assert.match(S.cli('document', 'verify', code, f), /GENUINE|ASLI/);
		const exit = (args) => spawnSync(SIGAP, args, { env: S.env, cwd: S.dir, encoding: 'utf8' }).status;
		assert.equal(exit(['document', 'verify', code, g]), 3);
		assert.equal(exit(['document', 'verify', 'ABCDEFGHJK', f]), 1);
	}
	// an unknown code
	assert.equal((await anon.get('/verifikasi/ABCDEFGHJK')).status, 404);
	assert.equal((await anon.get('/verifikasi/..%2F..%2Fetc')).status, 404);
});

test('who may not see the case whole sees no document; who does not act on the step issues none', async () => {
	const t = await caseAtStep3('Ani Lestari');
	// the ttis role acts on no step of this incident
	const ttis = api(S.base, S.cli('token', 'new', 'ttis', '--name', 'dokumen').trim());
	const r = await ttis('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir' });
	assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`);
	// the reporter of another case, and a signed-out visitor
	const pelapor = api(S.base, S.cli('token', 'new', 'pelapor', '--name', 'dokumen').trim());
	assert.ok([403, 404].includes((await pelapor('GET', `/cases/${t}/documents`)).status));
	const anon = new Client(S.base);
	const page = await anon.get(`/kasus/${t}/dokumen`);
	assert.ok([302, 303, 401].includes(page.status), `${page.status}`);
	// a template the step does not output, and a bad body
	assert.equal((await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'cti-surat-pse' })).status, 404);
	assert.equal((await petugas('POST', `/cases/${t}/documents`, { step: 'tiga', template: 'insiden-formulir' })).status, 400);
	assert.equal((await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir', extra: 1 })).status, 400);
	assert.equal(storeSql(S.dir, `SELECT COUNT(*) FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.ticket = '${t}'`).trim(), '0');
});

test('a step the case was sent back before issues nothing until it is done again', async () => {
	const t = await caseAtStep3('Sari Dewi');
	let s = await petugas('POST', `/cases/${t}/steps`, { values: { hasil_verifikasi: 'Benar terjadi' }, decision: 'Insiden' });
	assert.equal(s.status, 200, s.text);
	// at step 5: the documents of steps 3 and 4 are issued from their runs
	const listed = (await petugas('GET', `/cases/${t}/documents`)).json;
	assert.ok(listed.due.some((d) => d.step === 4 && d.may_issue), JSON.stringify(listed));
	// sent back to step 3: step 4 is to be done again, step 3 is open again
	const back = await petugas('POST', `/cases/${t}/send-back`, { step: 3, reason: 'ringkasan kurang lengkap' });
	assert.equal(back.status, 200, back.text);
	for (const [step, template] of [[3, 'insiden-formulir'], [4, 'insiden-verifikasi']]) {
		const r = await petugas('POST', `/cases/${t}/documents`, { step, template });
		assert.equal(r.status, 409, `${step}: ${r.status} ${r.text}`);
	}
	// step 3 done again: its document is issued; step 4 still waits
	s = await petugas('POST', `/cases/${t}/steps`, { values: { ringkasan: 'Ringkasan yang dilengkapi' } });
	assert.equal(s.status, 200, s.text);
	assert.equal((await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir' })).status, 201);
	assert.equal((await petugas('POST', `/cases/${t}/documents`, { step: 4, template: 'insiden-verifikasi' })).status, 409);
});

test('an incident exports as a STIX 2.1 bundle and a MISP event for escalation', async () => {
	const t = await caseAtStep3('Rudi');
	assert.equal((await petugas('PUT', `/cases/${t}/tlp`, { tlp: 'TLP:AMBER+STRICT' })).status, 200);
	const stix = await petugas('GET', `/cases/${t}/export?format=stix`);
	assert.equal(stix.status, 200, stix.text);
	assert.equal(stix.json.type, 'bundle');
	const byType = (ty) => stix.json.objects.filter((o) => o.type === ty);
	const [incident] = byType('incident');
	assert.equal(incident.spec_version, '2.1');
	assert.equal(incident.name, `Defacement situs Rudi`);
	assert.match(incident.description, /Rudi/);
	assert.equal(incident.external_references[0].external_id, t);
	// TLP:AMBER+STRICT is STIX 2.1's predefined TLP AMBER marking
	assert.deepEqual(incident.object_marking_refs, ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82']);
	assert.equal(byType('identity')[0].name, 'DINAS KOMUNIKASI DAN INFORMATIKA');
	assert.match(byType('note')[0].content, /langkah 2/);
	assert.equal(byType('url')[0].value, 'https://kecamatan.contohkab.go.id');
	for (const o of stix.json.objects) assert.match(o.id, /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	// a second export names the same incident
	assert.equal(byType('incident')[0].id, (await petugas('GET', `/cases/${t}/export?format=stix`)).json.objects.find((o) => o.type === 'incident').id);
	const misp = await petugas('GET', `/cases/${t}/export?format=misp`);
	assert.equal(misp.status, 200);
	assert.equal(misp.json.Event.info, `${t}: Defacement situs Rudi`);
	assert.ok(misp.json.Event.Tag.some((g) => g.name === 'tlp:amber+strict'));
	assert.ok(misp.json.Event.Attribute.some((x) => x.type === 'url' && x.value === 'https://kecamatan.contohkab.go.id'));
	assert.equal((await petugas('GET', `/cases/${t}/export?format=pdf`)).status, 400);
	const pelapor = api(S.base, S.cli('token', 'new', 'pelapor', '--name', 'ekspor').trim());
	assert.ok([403, 404].includes((await pelapor('GET', `/cases/${t}/export?format=stix`)).status));
});

test('the admin sets the letterhead and signatories; a bad number pattern or NIP is refused', async () => {
	const w = new Client(S.base);
	await w.login('admin');
	const form = await w.get('/admin/dokumen');
	assert.equal(form.status, 200);
	assert.match(form.text, /PEMERINTAH KABUPATEN CONTOH/);
	const bad = await w.post('/admin/dokumen', { nomor: '{kode}/{tahun}' });
	assert.equal(bad.status, 400);
	const nip = await w.post('/admin/dokumen', { 'ttd.kabid.nip': '123' });
	assert.equal(nip.status, 400);
	// a pattern without {kode} would give two kinds the same numbers
	assert.equal((await w.post('/admin/dokumen', { nomor: '{seq}/{tahun}' })).status, 400);
	const ok = await w.post('/admin/dokumen', { instansi: 'PEMERINTAH KABUPATEN UJI', nomor: '{seq:3}/{kode}/{bulan_romawi}/{tahun}' });
	assert.equal(ok.status, 200, ok.text.slice(0, 300));
	const t = await caseAtStep3('Dewi');
	const d = await petugas('POST', `/cases/${t}/documents`, { step: 3, template: 'insiden-formulir' });
	assert.equal(d.status, 201, d.text);
	assert.match(d.json.number, /^\d{3}\/FLI\/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\/\d{4}$/);
	// not an admin: refused
	const p = new Client(S.base);
	await p.login('petugas');
	assert.equal((await p.get('/admin/dokumen')).status, 403);
});

test('every shipped template is issued for a walked case: its number, ticket and date in the PDF', async () => {
	const tokens = {};
	for (const u of Object.values(ROLE_USER)) tokens[u] = S.cli('token', 'new', u, '--name', 'walk').trim();
	const as = (u) => api(S.base, tokens[u]);
	const root = process.env.SIGAP_SOURCE_ROOT || '.';
	// every template but the monthly report's, which is no case's (tested below)
	const shipped = readdirSync(join(root, 'templates')).filter((f) => f.endsWith('.tmpl'))
		.map((f) => f.slice(0, -5)).filter((t) => t !== 'laporan-bulanan');
	const issued = new Set();
	const sops = (await as('admin')('GET', '/sops')).json.sops;
	const months = /\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/;
	// each procedure twice: the second walk takes the other branches; a
	// third goes forward at every decision (an incident to the police; the
	// CTI report verified, ratified and sent to the PSE)
	const FORWARD = ['Insiden', 'Ya', 'FALSE NEGATIVE', 'Terverifikasi', 'Disahkan'];
	const forward = (cur, k) => cur.decision.labels.find((l) => FORWARD.includes(l)) ?? cur.decision.labels[k % cur.decision.labels.length];
	for (const offset of [0, 1, forward])
		for (const s of sops)
			for (const p of (await as('admin')('GET', `/sops/${s.id}`)).json.procedures) {
				const { ticket, staff } = await walkProcedure(as, p, offset);
				const due = (await as(staff)('GET', `/cases/${ticket}/documents`)).json.due;
				for (const d of due) {
					// who acts on the step, else a staff role acting for its outside actor
					let got;
					for (const u of [ROLE_USER[d.role], staff, 'petugas', 'kabid', 'teknis']) {
						got = await as(u)('POST', `/cases/${ticket}/documents`, { step: d.step, template: d.template });
						if (got.status === 201) break;
					}
					assert.equal(got.status, 201, `${ticket} step ${d.step} ${d.template}: ${got.text}`);
					issued.add(d.template);
					if (!TOOLS) continue;
					const pdf = await fetch(`${S.base}/api/v1/evidence/${got.json.sha256}`, { headers: { Authorization: `Bearer ${tokens[staff]}` } });
					assert.equal(pdf.status, 200);
					const f = join(ART, `${d.template}.pdf`);
					writeFileSync(f, Buffer.from(await pdf.arrayBuffer()));
					const txt = pdfText(f);
					assert.ok(txt.includes(got.json.number), `${d.template}: number ${got.json.number}`);
					assert.ok(txt.includes(ticket), `${d.template}: ticket ${ticket}`);
					assert.match(txt, months, `${d.template}: a date in Indonesian`);
					assert.match(txt, /Halaman 1 dari \d+/, d.template);
				}
			}
	const missing = shipped.filter((t) => !issued.has(t));
	assert.deepEqual(missing, [], `templates no walk issued: ${missing.join(', ')}`);
});

test('the monthly report counts the month\'s incidents, SLA, alerts and findings; only for kabid, kepala dinas, TTIS', async () => {
	const now = new Date(Date.now() + 7 * 3600e3);
	const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
	// the incidents opened so far in this test file, as the store knows them
	const from = Date.parse(`${month}-01T00:00:00+07:00`) / 1000;
	const all = (await petugas('GET', '/cases?sop=insiden&limit=100')).json.cases;
	const opened = all.filter((c) => c.created_at >= from).length;
	assert.ok(opened >= 4, `${opened}`);
	const k = new Client(S.base);
	await k.login('kabid');
	const page = await k.get(`/laporan/bulanan?bulan=${month}`);
	assert.equal(page.status, 200, page.text.slice(0, 300));
	assert.match(page.text, /LAPORAN BULANAN LAYANAN KEAMANAN INFORMASI/);
	assert.match(page.text, new RegExp(`Jumlah laporan insiden yang diterima pada periode ini: <b>${opened}</b>`));
	assert.match(page.text, /KEPATUHAN WAKTU BAKU/);
	assert.match(page.text, /Layanan Insiden Keamanan Informasi/);
	const pdf = await fetch(`${S.base}/laporan/bulanan?bulan=${month}&format=pdf`, { headers: { Cookie: k.cookieHeader() } });
	assert.equal(pdf.status, 200);
	assert.equal((await k.get(`/laporan/bulanan?bulan=${month}&format=xlsx`)).status, 400);
	if (TOOLS) {
		const f = join(ART, 'laporan-bulanan.pdf');
		writeFileSync(f, Buffer.from(await pdf.arrayBuffer()));
		const txt = pdfText(f);
		assert.match(txt, /LAPORAN BULANAN/);
		assert.match(txt, /(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/);
		assert.match(txt, /\u2588/); // the bars
	}
	// a month with nothing: zeros, not an error
	const empty = await k.get('/laporan/bulanan?bulan=2020-01');
	assert.equal(empty.status, 200);
	assert.match(empty.text, /periode ini: <b>0<\/b>/);
	assert.equal((await k.get('/laporan/bulanan?bulan=2026-13')).status, 400);
	assert.equal((await k.get('/laporan/bulanan?bulan=..%2F2026')).status, 400);
	// the officer and the reporter: refused
	const p = new Client(S.base);
	await p.login('petugas');
	assert.equal((await p.get(`/laporan/bulanan?bulan=${month}`)).status, 403);
	assert.equal(S.cli('document', 'monthly', month, '--as', 'kadis').includes('LAPORAN BULANAN'), true);
});
