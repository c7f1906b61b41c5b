// test_worklist.mjs: what waits for whom, and what leaves the server:
// "Tugas saya" (/tugas, the navigation's count, GET /api/v1/me/tasks,
// sigap case list --mine) by role and by assignment; the reporter's status
// page (the steps done and the text written for the reporter, never a
// decision label); evidence downloads (safe names, safe types); the
// logbook page's sentences, filters and pages.
// Runs under node:test with the TAP reporter; SIGAP_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, api } from './server.mjs';

let S;
const tokens = {};
const USERS = ['petugas', 'ttis', 'aph', 'pelapor', 'kabid', 'admin'];
const as = (u) => api(S.base, tokens[u]);

before(async () => {
	S = await startServer('[web]\nreport_limit = 10000\nstatus_limit = 10000\n');
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'worklist').trim();
});
after(async () => { if (S) await S.stop(); });

const REPORT = { pelapor_nama: 'Warga', pelapor_kontak: 'warga@example.id', sistem_terdampak: 'https://desa.example.id', uraian_kejadian: 'Iklan judi' };

function sample(f) {
	switch (f.type) {
	case 'select': return f.options[0];
	case 'date': return '2026-11-23';
	case 'number': return '3';
	case 'file': return null;
	default: return `isi ${f.name}`;
	}
}

// Completes the current step of an incident case as the user who holds
// its role (the police's steps as aph), filling the required fields, with
// a decision when the step asks for one. Returns the case after.
const ROLE_USER = { pelapor: 'pelapor', petugas: 'petugas', ttis: 'ttis', aph: 'aph' };
async function step(ticket, { decision, values = {} } = {}) {
	const c = (await as('petugas')('GET', `/cases/${ticket}`)).json;
	const cur = c.current_step;
	const v = {};
	for (const f of cur.fields) if (f.required && sample(f) !== null) v[f.name] = sample(f);
	if (v.kategori) Object.assign(v, { kategori: 'fraud', jenis: 'phishing' });
	Object.assign(v, values);
	// A required document goes as a file of the form.
	const fd = new FormData();
	if (decision) fd.set('decision', decision);
	for (const [k, x] of Object.entries(v)) fd.set(k, x);
	for (const f of cur.fields)
		if (f.type === 'file' && f.required) fd.set(f.name, new Blob([`dokumen ${ticket} ${f.name}`]), `${f.name}.txt`);
	const r = await as(ROLE_USER[cur.role])('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(r.status, 200, `${ticket} step ${cur.no}: ${r.text}`);
	return r.json;
}

// Walks an incident case until it stands on step `no`; the legal branch
// (step 6) goes to the police when viaPolice, else to TTIS.
async function walkTo(ticket, no, viaPolice = false) {
	for (let n = 0; n < 30; n++) {
		const c = (await as('petugas')('GET', `/cases/${ticket}`)).json;
		if (c.status !== 'open' || c.current_step.no === no) return c;
		if (c.current_step.role === 'aph' && c.assignee !== 'aph') { // the police, named on the case
			const a = await as('petugas')('PUT', `/cases/${ticket}/assignee`, { assignee: 'aph' });
			assert.equal(a.status, 200, a.text);
		}
		const d = c.current_step.decision;
		let decision;
		if (d) decision = c.current_step.no === 4 ? 'Insiden' : viaPolice ? 'Ya' : 'Tidak';
		await step(ticket, { decision });
	}
	throw new Error(`${ticket} never reached step ${no}`);
}

// Opened by the reporter (who completes step 1, and so may see the case).
async function openIncident(title) {
	const r = await as('pelapor')('POST', '/cases', { procedure: 'insiden', title, fields: REPORT });
	assert.equal(r.status, 201, r.text);
	return r.json.ticket;
}

const tickets = (list) => list.map((t) => t.ticket);

test('tasks: a petugas sees the cases at petugas steps, not those at a ttis step or at the reporter\'s step', async () => {
	const atPetugas = await openIncident('Tugas petugas');
	await walkTo(atPetugas, 3);
	const atTtis = await openIncident('Tugas ttis');
	await walkTo(atTtis, 9);
	const atReporter = await openIncident('Menunggu pelapor'); // step 1: the reporter's (an outside role)
	const p = (await as('petugas')('GET', '/me/tasks')).json;
	assert.ok(tickets(p.tasks).includes(atPetugas));
	assert.ok(!tickets(p.tasks).includes(atTtis), 'a ttis step is not the petugas\'s task');
	assert.ok(tickets(p.tasks).includes(atReporter), 'the reporter\'s step is also the task of the staff the SOP names to act for it (atas_nama: petugas)');
	assert.ok(!tickets((await as('ttis')('GET', '/me/tasks')).json.tasks).includes(atReporter), 'but not of other staff');
	const mine = p.tasks.find((t) => t.ticket === atPetugas);
	assert.equal(mine.step.no, 3);
	assert.equal(mine.step.role, 'petugas');
	assert.deepEqual(mine.why, ['role']);
	assert.ok(mine.step.due_at > 0);
	assert.equal(p.total, p.tasks.length);
	const t = (await as('ttis')('GET', '/me/tasks')).json;
	assert.ok(tickets(t.tasks).includes(atTtis));
	assert.ok(!tickets(t.tasks).includes(atPetugas));
	const rep = (await as('pelapor')('GET', '/me/tasks')).json;
	assert.ok(tickets(rep.tasks).includes(atReporter), 'the holder of the outside role sees its step');
	// Most urgent first: due times never decrease down the list.
	const due = p.tasks.map((x) => x.step.due_at ?? Infinity);
	assert.deepEqual(due, [...due].sort((a, b) => a - b));
	assert.equal((await as('petugas')('GET', '/me/tasks?limit=0')).status, 400);
});

test('tasks: a case assigned to a user stays in their list when its step passes to another role', async () => {
	const t = await openIncident('Ditugaskan ke ttis');
	await walkTo(t, 9);
	const a = await as('ttis')('PUT', `/cases/${t}/assignee`, { assignee: 'ttis' });
	assert.ok(a.status < 300, a.text);
	let mine = (await as('ttis')('GET', '/me/tasks')).json.tasks.find((x) => x.ticket === t);
	assert.deepEqual(mine.why, ['role', 'assigned']);
	await walkTo(t, 11); // steps 9 and 10 done by ttis; 11 is the petugas's
	mine = (await as('ttis')('GET', '/me/tasks')).json.tasks.find((x) => x.ticket === t);
	assert.ok(mine, 'the assigned case is still listed');
	assert.deepEqual(mine.why, ['assigned']);
	assert.equal(mine.step.role, 'petugas');
	assert.ok((await as('petugas')('GET', '/me/tasks')).json.tasks.some((x) => x.ticket === t));
});

test('tasks: a case the user may not see is neither listed nor counted (need-to-know)', async () => {
	// rina holds petugas too, but a TLP:RED case is only for the people on it.
	const u = await as('admin')('POST', '/users', { name: 'rina', roles: ['petugas'], password: 'kata-sandi-rina-2026' });
	assert.ok(u.status < 300, u.text);
	tokens.rina = S.cli('token', 'new', 'rina', '--name', 'worklist').trim();
	const open = await openIncident('Rahasia TLP merah');
	await walkTo(open, 5);
	await step(open, { values: { tlp: 'TLP:RED' } }); // step 5 classifies; step 6 is the petugas's
	const green = await openIncident('Boleh dilihat');
	await walkTo(green, 5);
	await step(green, { values: { tlp: 'TLP:GREEN' } });
	const rina = (await as('rina')('GET', '/me/tasks?limit=1000')).json;
	assert.ok(!tickets(rina.tasks).includes(open), 'the TLP:RED case is not rina\'s task');
	assert.ok(tickets(rina.tasks).includes(green));
	assert.equal(rina.total, rina.tasks.length, 'nor is it counted');
	const cli = JSON.parse(S.cli('case', 'list', '--mine', '--as', 'rina', '--json'));
	assert.ok(!tickets(cli).includes(open));
	const p = (await as('petugas')('GET', '/me/tasks?limit=1000')).json;
	assert.ok(tickets(p.tasks).includes(open), 'the officer who worked on it still has it');
	const c = new Client(S.base);
	await c.login('rina', 'kata-sandi-rina-2026');
	const page = await c.get('/tugas');
	assert.doesNotMatch(page.text, new RegExp(open));
	assert.equal(Number(page.text.match(/id="tasks-count"[^>]*>(\d+)</)[1]), rina.total);
});

test('tasks: the API, the command line, /tugas and the navigation\'s count agree', async () => {
	const viaApi = (await as('petugas')('GET', '/me/tasks?limit=1000')).json;
	const viaCli = JSON.parse(S.cli('case', 'list', '--mine', '--as', 'petugas', '--limit', '1000', '--json'));
	assert.deepEqual(tickets(viaCli), tickets(viaApi.tasks));
	const cliTickets = S.cli('case', 'list', '--mine', '--as', 'petugas', '--tickets').trim().split('\n');
	assert.deepEqual(cliTickets, tickets(viaApi.tasks).slice(0, 100));
	const c = new Client(S.base);
	await c.login('petugas');
	const page = await c.get('/tugas');
	assert.equal(page.status, 200);
	const onPage = [...page.text.matchAll(/<td><a href="\/kasus\/([A-Z]+-\d{4}-\d{4})#langkah">/g)].map((m) => m[1]);
	assert.deepEqual(onPage, tickets(viaApi.tasks));
	for (const path of ['/tugas', '/dasbor', '/kasus', '/sop', '/logbook']) {
		const r = await c.get(path);
		const n = r.text.match(/id="tasks-count"[^>]*>(\d+)</);
		assert.ok(n, `${path} shows the count`);
		assert.equal(Number(n[1]), viaApi.total, path);
	}
	const dash = await c.get('/dasbor');
	assert.match(dash.text, /<section class="panel wide" id="tugas"><h2>Tugas saya/);
	assert.throws(() => S.cli('case', 'list', '--mine'), /--mine and --as USER go together/);
});

test('report status: whether a case went to the police or not, the reporter is told the same stages', async () => {
	const status = async (viaPolice, at) => {
		const c = new Client(S.base);
		await c.get('/lapor');
		const form = new FormData();
		for (const [k, v] of Object.entries(REPORT)) form.set(k, v);
		const r = await c.postMultipart('/lapor', form);
		const ticket = r.text.match(/id="ticket">([^<]+)</)[1];
		const code = r.text.match(/id="tracking">([^<]+)</)[1];
		await walkTo(ticket, at, viaPolice);
		return (await api(S.base)('POST', '/reports/status', { ticket, tracking: code })).json;
	};
	const police = await status(true, 8);  // at the police's report (step 8)
	const team = await status(false, 10); // at TTIS's analysis (step 10)
	assert.deepEqual(police.step, { no: 6, uraian: 'Penanganan insiden', of: 8 });
	assert.deepEqual(team.step, police.step);
	assert.deepEqual(police.steps.map((x) => [x.no, x.uraian]), team.steps.map((x) => [x.no, x.uraian]));
	assert.doesNotMatch(JSON.stringify(police), /Aparat|APH|Penegak/);
});

test('report status: the steps done and the text written for the reporter, never a decision label', async () => {
	const c = new Client(S.base);
	await c.get('/lapor');
	const form = new FormData();
	for (const [k, v] of Object.entries(REPORT)) form.set(k, v);
	const r = await c.postMultipart('/lapor', form);
	assert.equal(r.status, 201);
	const ticket = r.text.match(/id="ticket">([^<]+)</)[1];
	const code = r.text.match(/id="tracking">([^<]+)</)[1];
	await walkTo(ticket, 12, true); // by the police: decisions Insiden and Ya
	await as('petugas')('POST', `/cases/${ticket}/comments`, { body: 'CATATAN-INTERNAL' });
	await step(ticket, { values: { ringkasan_penutupan: 'Situs telah dipulihkan dan celahnya ditutup.' } });
	const closed = (await as('petugas')('GET', `/cases/${ticket}`)).json;
	assert.equal(closed.status, 'closed');
	assert.ok(closed.history.some((h) => h.decision === 'Ya'));
	await c.get('/lapor/status');
	const st = await c.post('/lapor/status', { tiket: ticket, kode: code });
	assert.equal(st.status, 200);
	assert.match(st.text, /id="status" class="status-closed"/);
	assert.match(st.text, /Ringkasan penanganan untuk pelapor/);
	assert.match(st.text, /Situs telah dipulihkan dan celahnya ditutup\./);
	assert.match(st.text, /Penutupan laporan/); // the step's public stage (tahap_publik)
	assert.doesNotMatch(st.text, /Aparat|APH|Penegak Hukum/, 'the police branch never shows');
	assert.doesNotMatch(st.text, /Keputusan|→|>Ya<|Insiden → Ya|CATATAN-INTERNAL|isi hasil_verifikasi|isi rekomendasi|isi langkah_penanganan/);
	const j = (await api(S.base)('POST', '/reports/status', { ticket, tracking: code })).json;
	assert.equal(j.decisions, undefined);
	assert.deepEqual(j.public.map((p) => p.value), ['Situs telah dipulihkan dan celahnya ditutup.']);
	assert.deepEqual([j.steps.at(-1).no, j.steps.at(-1).uraian], [8, 'Penutupan laporan']);
	assert.equal(new Set(j.steps.map((x) => x.uraian)).size, j.steps.length, 'a stage is one line');
	assert.ok(j.steps.every((s) => Object.keys(s).sort().join() === 'finished_at,no,uraian'));
	const text = JSON.stringify(j);
	for (const secret of ['"Ya"', 'Insiden"', 'CATATAN-INTERNAL', 'isi hasil_verifikasi', '"petugas"', 'Warga'])
		assert.ok(!text.includes(secret), `the status holds ${secret}`);
});

test('report status: a report that is not an incident tells the reporter why', async () => {
	const c = new Client(S.base);
	await c.get('/lapor');
	const form = new FormData();
	for (const [k, v] of Object.entries(REPORT)) form.set(k, v);
	const r = await c.postMultipart('/lapor', form);
	const ticket = r.text.match(/id="ticket">([^<]+)</)[1];
	const code = r.text.match(/id="tracking">([^<]+)</)[1];
	await walkTo(ticket, 4);
	const refused = await as('petugas')('POST', `/cases/${ticket}/steps`, { decision: 'Bukan Insiden', values: { hasil_verifikasi: 'iklan resmi dinas' } });
	assert.equal(refused.status, 400);
	assert.match(refused.json.error.message, /'Bukan Insiden' needs the field 'penjelasan_pelapor'/);
	const done = await as('petugas')('POST', `/cases/${ticket}/steps`, { decision: 'Bukan Insiden', values: { hasil_verifikasi: 'iklan resmi dinas', penjelasan_pelapor: 'Halaman itu iklan resmi Dinas Pariwisata, bukan peretasan.' } });
	assert.equal(done.status, 200, done.text);
	const j = (await api(S.base)('POST', '/reports/status', { ticket, tracking: code })).json;
	assert.equal(j.status, 'closed');
	assert.deepEqual(j.public.map((p) => p.value), ['Halaman itu iklan resmi Dinas Pariwisata, bukan peretasan.']);
	assert.doesNotMatch(JSON.stringify(j), /iklan resmi dinas"|Bukan Insiden/);
});

test('evidence downloads keep a safe name and a safe type', async () => {
	const t = await openIncident('Unduhan bukti');
	const c = new Client(S.base);
	await c.login('petugas');
	const files = [
		['../../evil".html', '<script>alert(1)</script>', 'evil.html', /^application\/octet-stream$/, 'attachment'],
		['laporan akhir.pdf', '%PDF-1.4 test', 'laporan akhir.pdf', /^application\/pdf$/, 'inline'],
		['layar.PNG', 'PNG', 'layar.PNG', /^image\/png$/, 'inline'],
		['catatan.txt', 'teks', 'catatan.txt', /^text\/plain; charset=utf-8$/, 'attachment'],
		['gambar.svg', '<svg onload="alert(1)"/>', 'gambar.svg', /^application\/octet-stream$/, 'attachment'],
		['..\\..\\win\t\x01X: 1.csv', 'a,b', 'winX 1.csv', /^text\/csv; charset=utf-8$/, 'attachment'],
		['berkas ünïcödé.txt', 'u', 'berkas ünïcödé.txt', /^text\/plain; charset=utf-8$/, 'attachment'],
		['../../etc/passwd<x>.html', 'x', 'passwdx.html', /^application\/octet-stream$/, 'attachment'],
	];
	for (const [name, body, safe, type, disposition] of files) {
		// Written by hand: FormData would escape the quote and the control characters.
		const boundary = 'sigapBATAS0123456789';
		const raw = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="` +
			name.replaceAll('\\', '\\\\').replaceAll('"', '\\"') +
			`"\r\nContent-Type: application/octet-stream\r\n\r\n${body}${name}\r\n--${boundary}--\r\n`;
		const up = await as('petugas')('POST', `/cases/${t}/evidence`, raw, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
		assert.equal(up.status, 201, up.text);
		const sha = up.json.sha256;
		for (const get of [
			() => as('petugas')('GET', `/evidence/${sha}`),
			() => c.get(`/bukti/${sha}`),
		]) {
			const r = await get();
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), type, name);
			assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
			const cd = r.headers.get('content-disposition');
			assert.ok(cd.startsWith(disposition + ';'), `${name}: ${cd}`);
			assert.doesNotMatch(cd, /[\r\n]|\.\.|\//);
			const star = cd.match(/filename\*=UTF-8''([^;]+)$/)[1];
			assert.equal(decodeURIComponent(star), safe);
			const plain = cd.match(/filename="([^"]*)"/)[1];
			assert.doesNotMatch(plain, /[^\x20-\x7e]|["\\]/);
		}
	}
});

test('ENISA classes and types show their labels: Indonesian, English on the English page', async () => {
	const t = await openIncident('Label taksonomi');
	await walkTo(t, 6); // step 5 classified it fraud / phishing
	const c = new Client(S.base);
	await c.login('petugas');
	const page = await c.get(`/kasus/${t}`);
	assert.match(page.text, /<dt>Kategori<\/dt><dd>Penipuan<\/dd><dt>Jenis<\/dt><dd>Phishing<\/dd>/);
	assert.match(page.text, /<dd>Penipuan<\/dd>/);
	const list = await c.get('/kasus');
	assert.match(list.text, /<option value="fraud">Penipuan<\/option>/);
	assert.match(list.text, /<option value="intrusion-attempts">Percobaan intrusi<\/option>/);
	const dash = await c.get('/dasbor');
	assert.match(dash.text, />Penipuan</);
	const en = await c.get(`/kasus/${t}?lang=en`);
	assert.match(en.text, /<dt>Category<\/dt><dd>Fraud<\/dd>/);
	const enList = await c.get('/kasus?lang=en');
	assert.match(enList.text, /<option value="fraud">Fraud<\/option>/);
	// The step form of a class offers labels and sends codes.
	const at5 = await openIncident('Formulir kategori');
	await walkTo(at5, 5);
	const form = await c.get(`/kasus/${at5}?lang=id`);
	assert.match(form.text, /<option value="malicious-code">Kode berbahaya<\/option>/);
});

// ---- the logbook page ----

test('every action the code writes to the logbook has its sentence', async () => {
	const root = new URL('../../', import.meta.url).pathname;
	const { readdirSync, readFileSync } = await import('node:fs');
	const actions = new Set();
	for (const dir of ['src/app', 'src/web', 'src/cli', 'src/ingest']) {
		for (const f of readdirSync(root + dir).filter((x) => x.endsWith('.c'))) {
			const text = readFileSync(`${root}${dir}/${f}`, 'utf8');
			// The action is a literal among a call's first arguments (or two,
			// as in lowered ? "case.tlp_lowered" : "case.tlp").
			for (const call of text.matchAll(/logbook_(?:record|append)\(([^;]*?)(?:json_pack|details|\bd\b|NULL)/gs))
				for (const m of call[1].matchAll(/"([a-z_]+(?:\.[a-z_]+)+)"/g)) actions.add(m[1]);
		}
	}
	assert.ok(actions.size >= 15, [...actions].join());
	const sentences = readFileSync(root + 'src/web/logbook_text.c', 'utf8');
	for (const a of actions) assert.ok(sentences.includes(`"${a}"`), `no sentence for ${a}`);
});

test('logbook: sentences, filters by actor, kind, ticket and dates, pages, and the chain check', async () => {
	const t = await openIncident('Buku catatan');
	await walkTo(t, 5);
	await as('petugas')('POST', `/cases/${t}/comments`, { body: 'catatan' });
	await as('petugas')('PUT', `/cases/${t}/assignee`, { assignee: 'petugas' });
	await as('admin')('POST', '/users', { name: 'sari', roles: ['petugas'], password: 'kata-sandi-sari-2026' });
	const c = new Client(S.base);
	await c.login('petugas');
	let r = await c.get(`/logbook?objek=${t}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /id="chain"[^>]*>Rantai utuh|id="chain" role="status"/);
	const rows = (text) => [...text.matchAll(/<td class="sentence" title="([a-z_.]+)">([^<]*)<\/td><td>(?:<a [^>]*>)?([^<]*)/g)]
		.map((m) => ({ action: m[1], text: m[2], object: m[3] }));
	let list = rows(r.text);
	assert.ok(list.every((x) => x.object === t), 'only the ticket\'s entries');
	const texts = list.map((x) => x.text);
	assert.ok(texts.includes(`Kasus ${t} dibuka oleh pelapor`), texts.join(' | '));
	assert.ok(texts.includes('Langkah 4 diselesaikan oleh petugas: Insiden'), texts.join(' | '));
	assert.ok(texts.includes('Langkah 1 diselesaikan oleh pelapor'));
	assert.ok(texts.includes(`Komentar pada kasus ${t} ditambahkan oleh petugas`));
	assert.ok(texts.includes(`Kasus ${t} ditugaskan kepada petugas oleh petugas`));
	assert.match(r.text, /id="logbook-count">7 catatan/);
	// The kind and the actor.
	r = await c.get('/logbook?jenis=user&per=1000');
	list = rows(r.text);
	assert.ok(list.length > 0 && list.every((x) => x.action.startsWith('user.')));
	assert.ok(list.some((x) => x.text === 'Pengguna sari ditambahkan oleh admin'));
	r = await c.get('/logbook?pelaku=pelapor&per=1000');
	list = rows(r.text);
	assert.ok(list.length > 0);
	assert.ok(list.every((x) => /oleh pelapor$|^pelapor masuk/.test(x.text)), list.map((x) => x.text).join(' | '));
	r = await c.get(`/logbook?jenis=case.step&objek=${t}`);
	assert.deepEqual(rows(r.text).map((x) => x.action), ['case.step', 'case.step', 'case.step', 'case.step']);
	// Dates: today holds everything, a day long past nothing.
	const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // WIB
	r = await c.get(`/logbook?objek=${t}&dari=${today}&sampai=${today}`);
	assert.equal(rows(r.text).length, 7);
	r = await c.get(`/logbook?objek=${t}&sampai=2020-01-01`);
	assert.equal(rows(r.text).length, 0);
	assert.equal((await c.get('/logbook?dari=kemarin')).status, 400);
	assert.equal((await c.get('/logbook?hal=0')).status, 400);
	// Pages: three a page, newest first, the pages adding up to the whole.
	const all = rows((await c.get('/logbook?per=1000')).text);
	const seen = [];
	for (let page = 1; page <= 3; page++) {
		r = await c.get(`/logbook?per=3&hal=${page}`);
		seen.push(...rows(r.text));
		if (page > 1) assert.match(r.text, /rel="prev"/);
	}
	assert.deepEqual(seen.map((x) => x.text), all.slice(0, 9).map((x) => x.text));
	assert.match((await c.get('/logbook?per=3')).text, /<a href="\/logbook\?per=3&amp;hal=2" rel="next">Berikutnya<\/a>/);
	// No entry falls back to the bare action name.
	assert.ok(all.every((x) => !x.text.startsWith(x.action)), all.filter((x) => x.text.startsWith(x.action)).map((x) => x.text).join(' | '));
	// The API filters the same way, with a total for its pages.
	const j = (await as('petugas')('GET', `/logbook?object=case:${t}&kind=case.step`)).json;
	assert.equal(j.total, 4);
	assert.ok(j.entries.every((x) => x.action === 'case.step' && x.object === `case:${t}`));
	const p2 = (await as('petugas')('GET', `/logbook?object=case:${t}&limit=3&offset=3`)).json;
	assert.equal(p2.total, 7);
	const full = (await as('petugas')('GET', `/logbook?object=case:${t}&limit=1000`)).json.entries;
	assert.deepEqual(p2.entries.map((x) => x.seq), full.slice(3, 6).map((x) => x.seq));
	assert.equal((await as('petugas')('GET', `/logbook?object=case:${t}&to=2020-01-01`)).json.total, 0);
	assert.equal((await as('petugas')('GET', '/logbook?from=kemarin')).status, 400);
	assert.equal((await as('pelapor')('GET', '/logbook?actor=petugas&kind=case')).json.total, 0, 'an outside actor reads no case entries');
	// The case page reads the same sentences.
	const cp = await c.get(`/kasus/${t}`);
	assert.match(cp.text, /Langkah 4 diselesaikan oleh petugas: Insiden/);
});

test('tasks: the navigation counts to 99+, the API counts them all', async () => {
	const before = (await as('ttis')('GET', '/me/tasks')).json.total;
	for (let i = before; i < 101; i++) {
		const r = await as('ttis')('POST', '/cases', { procedure: 'cti', title: `Pemantauan ${i}`, fields: { sistem: `sistem ${i}` } });
		assert.equal(r.status, 201, r.text);
	}
	const all = (await as('ttis')('GET', '/me/tasks?limit=1000')).json;
	assert.ok(all.total >= 101);
	assert.equal(all.tasks.length, all.total);
	const c = new Client(S.base);
	await c.login('ttis');
	const page = await c.get('/sop');
	assert.match(page.text, /id="tasks-count"[^>]*>99\+</);
	assert.equal((await as('ttis')('GET', '/me/tasks?limit=5')).json.tasks.length, 5);
});

test('the server stops cleanly after all of the above (no sanitizer report)', async () => {
	const { code } = await S.stop();
	const err = S.stderr();
	S = null;
	assert.equal(code, 0, err.slice(-2000));
	assert.doesNotMatch(err, /Sanitizer|runtime error/);
});
