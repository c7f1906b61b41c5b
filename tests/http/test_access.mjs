// test_access.mjs: need-to-know, walked whole against a real sigap serve.
//
// Six incident cases differ only in their TLP label (none, CLEAR, GREEN,
// AMBER, AMBER+STRICT, RED). Each was reported by the demo citizen
// (pelapor), handled by the officer (petugas) and handed to the police
// (aph), so the people named on it are one staff member and two outside
// actors. Then every case-bearing route, pages and API, is asked by each
// kind of user: staff named on the case (petugas), staff not named (ttis),
// outside actors named (pelapor, aph), an outside actor not named
// (pelapor2), the Kabid (who acts on no incident step but may reopen its
// cases: staff by buka_kembali), CSIRT staff of other procedures (kadis,
// publikasi) and the administrator. The expected sight of each (full, limited, none) is the
// table below, from the rule in src/app/case_access.c; "none" must answer
// exactly as a case that does not exist: 404, no row in lists, no count in
// searches, no entries in the logbook, no evidence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client, api, SIGAP, PASSWORD, storeSql } from './server.mjs';

const USERS = ['petugas', 'ttis', 'pelapor', 'aph', 'pelapor2', 'kabid', 'kadis', 'publikasi', 'admin'];
const LABELS = [null, 'TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

// sight[label][user]
const F = 'full', L = 'limited', N = 'none';
const SIGHT = {
	none:               { petugas: F, ttis: F, pelapor: L, aph: L, pelapor2: N, kabid: F, kadis: N, publikasi: N, admin: N },
	'TLP:CLEAR':        { petugas: F, ttis: F, pelapor: L, aph: L, pelapor2: N, kabid: F, kadis: N, publikasi: N, admin: N },
	'TLP:GREEN':        { petugas: F, ttis: F, pelapor: L, aph: L, pelapor2: N, kabid: F, kadis: N, publikasi: N, admin: N },
	'TLP:AMBER':        { petugas: F, ttis: F, pelapor: L, aph: L, pelapor2: N, kabid: F, kadis: N, publikasi: N, admin: N },
	'TLP:AMBER+STRICT': { petugas: F, ttis: F, pelapor: N, aph: N, pelapor2: N, kabid: F, kadis: N, publikasi: N, admin: N },
	'TLP:RED':          { petugas: F, ttis: N, pelapor: L, aph: L, pelapor2: N, kabid: N, kadis: N, publikasi: N, admin: N },
};

let S;
const tokens = {};
const cases = []; // {label, ticket, word, sha (petugas's evidence), own (pelapor's evidence)}
const as = (u) => api(S.base, tokens[u]);

// Completes the current step as user: the required fields from the step's
// form (given values first), a small file for each required file field.
async function act(user, ticket, decision, given = {}) {
	const c = await as(user)('GET', `/cases/${ticket}`);
	assert.equal(c.status, 200, `${ticket} as ${user}: ${c.text}`);
	const fd = new FormData();
	if (decision) fd.set('decision', decision);
	for (const f of c.json.current_step.fields) {
		if (given[f.name] !== undefined) fd.set(f.name, given[f.name]);
		else if (f.type === 'file' && f.required) fd.set(f.name, new Blob([`dokumen ${ticket} ${f.name}`]), `${f.name}.txt`);
		else if (f.required) fd.set(f.name, f.type === 'select' ? f.options[0] : f.type === 'date' ? '2026-12-01' : `isi ${f.name}`);
	}
	for (const [k, v] of Object.entries(given)) if (!fd.has(k)) fd.set(k, v);
	const r = await as(user)('POST', `/cases/${ticket}/steps`, fd);
	assert.equal(r.status, 200, `${ticket} step as ${user}: ${r.text}`);
	return r.json;
}

before(async () => {
	S = await startServer();
	execFileSync(SIGAP, ['user', 'add', 'pelapor2', '--role', 'pelapor', '--password-stdin'], { env: S.env, input: PASSWORD + '\n' });
	for (const u of USERS) tokens[u] = S.cli('token', 'new', u, '--name', 'akses').trim();
	for (const label of LABELS) {
		const word = `uji${(label ?? 'tanpa').replace(/[^A-Za-z]/g, '').toLowerCase()}`;
		const fd = new FormData();
		fd.set('procedure', 'insiden');
		fd.set('title', `Kasus ${word}`);
		fd.set('pelapor_nama', 'Warga');
		fd.set('pelapor_kontak', 'warga@example.id');
		fd.set('sistem_terdampak', 'https://contoh.go.id');
		fd.set('uraian_kejadian', `Laporan ${word}`);
		fd.set('bukti', new Blob([`bukti warga ${word}`]), 'bukti.txt');
		let r = await as('pelapor')('POST', '/cases', fd);
		assert.equal(r.status, 201, r.text);
		const ticket = r.json.ticket;
		const own = r.json.evidence[0].sha256;
		await act('pelapor', ticket);
		await act('petugas', ticket, null, { asal_laporan: 'Pihak luar', saluran: 'Surel' });
		await act('petugas', ticket);
		await act('petugas', ticket, 'Insiden');
		const cls = { kategori: 'intrusions', jenis: 'system-compromise', dampak: 'Sedang', urgensi: 'Sedang' };
		if (label) cls.tlp = label;
		else cls.tlp = 'TLP:CLEAR'; // set, then cleared below: "no label"
		await act('petugas', ticket, null, cls);
		if (!label) storeSql(S.dir, `UPDATE cases SET tlp = NULL WHERE ticket = '${ticket}'`);
		await act('petugas', ticket, 'Ya'); // to the police: step 7
		r = await as('petugas')('PUT', `/cases/${ticket}/assignee`, { assignee: 'aph' });
		if (label === 'TLP:AMBER+STRICT') { // the police never see it: refused, not stranded
			assert.equal(r.status, 409, r.text);
			assert.match(r.json.error.message, /TLP:AMBER\+STRICT, which an outside actor does not see/);
		} else {
			assert.equal(r.status, 200, r.text);
		}
		const ev = new FormData();
		ev.set('file', new Blob([`catatan petugas ${word}`]), 'catatan.txt');
		r = await as('petugas')('POST', `/cases/${ticket}/evidence`, ev);
		assert.equal(r.status, 201, r.text);
		r = await as('petugas')('POST', `/cases/${ticket}/comments`, { body: `catatan internal ${word}` });
		assert.equal(r.status, 201, r.text);
		cases.push({ label, ticket, word, sha: r.json?.sha256, own });
		cases.at(-1).sha = (await as('petugas')('GET', `/cases/${ticket}/evidence`)).json.evidence.find((e) => e.added_by === 'petugas').sha256;
	}
});
after(async () => { if (S) await S.stop(); });

const sightOf = (c, u) => SIGHT[c.label ?? 'none'][u];

test('API: case, comments, evidence list and download follow the sight table', async () => {
	let checked = 0;
	for (const c of cases) for (const u of USERS) {
		const want = sightOf(c, u);
		const tag = `${c.ticket} (${c.label ?? 'no label'}) as ${u}`;
		const r = await as(u)('GET', `/cases/${c.ticket}`);
		if (want === N) {
			assert.equal(r.status, 404, tag);
			assert.equal(r.json.error.message, `no case '${c.ticket}'`, tag + ': as for a case that does not exist');
		} else {
			assert.equal(r.status, 200, tag);
			assert.equal(r.json.sight, want, tag);
			const txt = JSON.stringify(r.json);
			if (want === L) {
				assert.doesNotMatch(txt, /catatan internal/, tag + ': no staff comments');
				assert.doesNotMatch(txt, /catatan\.txt/, tag + ': no staff evidence');
				assert.ok(r.json.history.every((h) => h.actor === u), tag + ': only its own steps');
				// at the police's step: only the public stage, not the step, its role or the branch
				assert.deepEqual(r.json.current_step, u === 'aph' ? r.json.current_step : { stage: 'Penanganan insiden' }, tag);
				if (u !== 'aph') assert.doesNotMatch(txt, /Aparat|"role":"aph"|"sla"/, tag + ': no hint of the police');
			} else {
				assert.match(txt, /catatan internal/, tag);
			}
		}
		for (const sub of ['comments', 'evidence']) {
			const s = await as(u)('GET', `/cases/${c.ticket}/${sub}`);
			assert.equal(s.status, want === N ? 404 : 200, `${tag} ${sub}`);
		}
		const dl = await as(u)('GET', `/evidence/${c.sha}`);
		assert.equal(dl.status, want === F ? 200 : 404, `${tag}: the officer's evidence`);
		const mine = await as(u)('GET', `/evidence/${c.own}`);
		const ownOk = want === F || (want === L && u === 'pelapor');
		assert.equal(mine.status, ownOk ? 200 : 404, `${tag}: the reporter's evidence`);
		checked++;
	}
	assert.equal(checked, cases.length * USERS.length);
});

test('API: lists, counts and full-text search show no case one may not see', async () => {
	for (const u of USERS) {
		const all = await as(u)('GET', '/cases?limit=500');
		assert.equal(all.status, 200);
		const listed = new Set(all.json.cases.map((x) => x.ticket));
		for (const c of cases) {
			const want = sightOf(c, u) !== N;
			assert.equal(listed.has(c.ticket), want, `${c.ticket} (${c.label}) listed for ${u}`);
			// a search reads what only the whole case holds (staff notes,
			// comments): it finds only cases one sees whole
			const whole = sightOf(c, u) === F;
			const q = await as(u)('GET', `/cases?q=${c.word}`);
			assert.equal(q.json.total, whole ? 1 : 0, `search ${c.word} as ${u}: count`);
			assert.equal(q.json.cases.length, whole ? 1 : 0, `search ${c.word} as ${u}: rows`);
			const note = await as(u)('GET', `/cases?q=internal+${c.word}`);
			assert.equal(note.json.total, whole ? 1 : 0, `search of a comment as ${u}`);
			const prefix = await as(u)('GET', `/cases?q=intern*+${c.word}`);
			assert.equal(prefix.json.total, whole ? 1 : 0, `prefix search of a comment as ${u}`);
		}
		assert.equal(all.json.total, all.json.cases.length, `${u}: the total counts only what is listed`);
		for (const row of all.json.cases) {
			const c = cases.find((x) => x.ticket === row.ticket);
			if (c && sightOf(c, u) === L) // a row says no more than the case page
				assert.ok(row.category === null && row.priority === null && row.step.due_at === undefined, `${u}: limited row ${row.ticket}`);
		}
	}
});

test('API: the dashboard counts only the cases one may see', async () => {
	for (const u of USERS) {
		const d = await as(u)('GET', '/dashboard');
		assert.equal(d.status, 200);
		const list = await as(u)('GET', '/cases?status=open&limit=500');
		assert.equal(d.json.open, list.json.total, `${u}: open cases on the dashboard`);
		const ins = d.json.by_procedure.insiden?.total ?? 0;
		const seen = list.json.cases.filter((x) => x.procedure === 'insiden').length;
		assert.equal(ins, seen, `${u}: incidents on the dashboard`);
		for (const due of d.json.due) assert.ok(list.json.cases.some((x) => x.ticket === due.ticket), `${u}: due ${due.ticket}`);
	}
	assert.equal((await as('admin')('GET', '/dashboard')).json.open, 0, 'the administrator reads no case');
	for (const u of ['pelapor', 'aph']) { // an outside actor: its cases counted, not the team's workload
		const d = (await as(u)('GET', '/dashboard')).json;
		assert.ok(d.open > 0);
		assert.deepEqual([d.by_category, d.by_priority, d.due], [{}, {}, []], `${u}'s dashboard`);
	}
});

test('API: the logbook shows a case\'s entries only to CSIRT staff who see the case', async () => {
	for (const c of cases) for (const u of USERS) {
		const r = await as(u)('GET', `/logbook?object=case:${c.ticket}`);
		assert.equal(r.status, 200);
		const want = sightOf(c, u) === F && !['pelapor', 'aph'].includes(u);
		assert.equal(r.json.entries.length > 0, want, `logbook of ${c.ticket} (${c.label}) as ${u}`);
		const all = await as(u)('GET', '/logbook?limit=1000');
		assert.equal(all.json.entries.some((e) => e.object === `case:${c.ticket}`), want, `whole logbook as ${u}`);
	}
	// the rest of the logbook (sign-ins, accounts, tokens) is the team's and the administrators'
	for (const u of ['pelapor', 'aph', 'pelapor2'])
		assert.equal((await as(u)('GET', '/logbook?limit=1000')).json.entries.length, 0, `${u} reads no logbook entry`);
	assert.ok((await as('admin')('GET', '/logbook?limit=1000')).json.entries.some((e) => e.action === 'user.add'), 'the administrator reads the accounts\' entries');
});

test('pages: case page, printable report, comment and assignment forms follow the same table', async () => {
	const clients = {};
	for (const u of USERS) { clients[u] = new Client(S.base); await clients[u].login(u); }
	for (const c of cases) for (const u of USERS) {
		const want = sightOf(c, u);
		const tag = `${c.ticket} (${c.label}) as ${u}`;
		const page = await clients[u].get(`/kasus/${c.ticket}`);
		assert.equal(page.status, want === N ? 404 : 200, tag + ' page');
		if (want === N) assert.doesNotMatch(page.text, new RegExp(c.word), tag + ': the 404 names nothing');
		if (want === L) {
			assert.doesNotMatch(page.text, /catatan internal/, tag + ': no staff comment');
			assert.doesNotMatch(page.text, /\/(komentar|tugaskan|bukti)"/, tag + ': no comment, assignment or evidence form');
			assert.match(page.text, /bagian kasus ini yang ditujukan kepada Anda/, tag);
		}
		if (want === F) assert.match(page.text, /\/komentar"/, tag + ': the comment form');
		const print = await clients[u].get(`/kasus/${c.ticket}/cetak`);
		assert.equal(print.status, want === N ? 404 : 200, tag + ' report');
		const list = await clients[u].get(`/kasus?q=${c.word}`);
		assert.equal(list.text.includes(c.ticket), want === F, tag + ' found by the page search');
		const before = (await as('petugas')('GET', `/cases/${c.ticket}/comments`)).json;
		const cm = await clients[u].post(`/kasus/${c.ticket}/komentar`, { isi: 'coba' });
		if (want === F) assert.ok([200, 303].includes(cm.status), tag + ' comment');
		else assert.equal(cm.status, want === N ? 404 : 403, tag + ' comment refused');
		if (want !== F) {
			const after = (await as('petugas')('GET', `/cases/${c.ticket}/comments`)).json;
			assert.deepEqual(after, before, tag + ': nothing changed');
		}
	}
});

test('raising the TLP takes effect at once; every change, a lowering said so, is written to the logbook', async () => {
	const r = await as('pelapor')('POST', '/cases', { procedure: 'insiden', title: 'Kasus naikturun', fields: { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'x', uraian_kejadian: 'naikturun' } });
	const t = r.json.ticket;
	await act('pelapor', t);
	await act('petugas', t, null, { asal_laporan: 'Pihak luar', saluran: 'Surel' });
	await act('petugas', t);
	await act('petugas', t, 'Insiden');
	assert.equal((await as('pelapor')('GET', `/cases/${t}`)).status, 200);
	await act('petugas', t, null, { kategori: 'fraud', jenis: 'phishing', dampak: 'Rendah', urgensi: 'Rendah', tlp: 'TLP:AMBER+STRICT' });
	assert.equal((await as('pelapor')('GET', `/cases/${t}`)).status, 404, 'raised: the reporter no longer sees it');
	assert.equal((await as('pelapor')('GET', `/cases?q=naikturun`)).json.total, 0);
	const lb = await as('petugas')('GET', `/logbook?object=case:${t}`);
	const raised = lb.json.entries.find((e) => e.action === 'case.tlp');
	assert.equal(raised.details.to, 'TLP:AMBER+STRICT');
	assert.equal(raised.actor, 'petugas');
	assert.equal(lb.json.entries.some((e) => e.action === 'case.tlp_lowered'), false);
	// sent back to the classification and lowered to GREEN: written as a lowering, and
	// the reporter (named on the case) sees it again, its part only: an outside
	// actor never reads the team's notes, whatever the label
	const back = await as('petugas')('POST', `/cases/${t}/send-back`, { step: 5, reason: 'klasifikasi ditinjau ulang' });
	assert.equal(back.status, 200, back.text);
	await act('petugas', t, null, { kategori: 'fraud', jenis: 'phishing', dampak: 'Rendah', urgensi: 'Rendah', tlp: 'TLP:GREEN' });
	const lowered = (await as('petugas')('GET', `/logbook?object=case:${t}`)).json.entries.find((e) => e.action === 'case.tlp_lowered');
	assert.ok(lowered, 'the lowering is in the logbook');
	assert.equal(lowered.details.from, 'TLP:AMBER+STRICT');
	assert.equal(lowered.details.to, 'TLP:GREEN');
	const seen = await as('pelapor')('GET', `/cases/${t}`);
	assert.equal(seen.status, 200);
	assert.equal(seen.json.sight, 'limited');
	assert.equal((await as('pelapor')('PUT', `/cases/${t}/assignee`, { assignee: 'pelapor' })).status, 403);
});

test('command line: case list and show --as USER follow the rule; without --as the owner reads all', async () => {
	for (const c of cases) for (const u of ['petugas', 'ttis', 'pelapor', 'pelapor2', 'admin']) {
		const want = sightOf(c, u);
		let code = 0, out = '';
		try { out = execFileSync(SIGAP, ['case', 'show', c.ticket, '--as', u, '--json'], { env: S.env, stdio: 'pipe' }).toString(); }
		catch (e) { code = e.status; }
		assert.equal(code, want === N ? 1 : 0, `case show ${c.ticket} (${c.label}) --as ${u}`);
		if (want !== N) assert.equal(JSON.parse(out).sight, want);
		const list = S.cli('case', 'list', '--as', u, '--tickets', '--limit', '1000');
		assert.equal(list.split('\n').includes(c.ticket), want !== N, `case list --as ${u}`);
	}
	const all = S.cli('case', 'list', '--tickets', '--limit', '1000');
	for (const c of cases) assert.ok(all.includes(c.ticket));
});

test('opening a case takes staff of the procedure or the role of its first step', async () => {
	const report = { pelapor_nama: 'W', pelapor_kontak: 'w@example.id', sistem_terdampak: 'x', uraian_kejadian: 'buka' };
	const before = (await as('petugas')('GET', '/cases?limit=1')).json.total;
	for (const [u, proc, fields] of [['admin', 'insiden', report], ['kadis', 'insiden', report], ['pelapor', 'kebijakan/penyusunan', {}], ['aph', 'insiden', report]]) {
		const r = await as(u)('POST', '/cases', { procedure: proc, fields });
		assert.equal(r.status, 403, `${u} opens ${proc}: ${r.text}`);
		assert.match(r.json.error.message, new RegExp(`may not open a case of ${proc}`));
	}
	assert.equal((await as('petugas')('GET', '/cases?limit=1')).json.total, before, 'nothing opened');
	assert.equal((await as('pelapor')('POST', '/cases', { procedure: 'insiden', fields: report })).status, 201, 'a reporter its own report');
	assert.equal((await as('petugas')('POST', '/cases', { procedure: 'insiden', fields: report })).status, 201, 'staff');
});

test('TLP:RED: a step nobody named on the case may do says so, until it is assigned to a holder of its role', async () => {
	const fd = new FormData();
	fd.set('procedure', 'insiden');
	fd.set('title', 'Kasus merah tanpa TTIS');
	fd.set('pelapor_nama', 'Warga');
	fd.set('pelapor_kontak', 'warga@example.id');
	fd.set('sistem_terdampak', 'https://contoh.go.id');
	fd.set('uraian_kejadian', 'Laporan rahasia');
	fd.set('bukti', new Blob(['bukti']), 'bukti.txt');
	let r = await as('pelapor')('POST', '/cases', fd);
	assert.equal(r.status, 201, r.text);
	const t = r.json.ticket;
	await act('pelapor', t);
	await act('petugas', t, null, { asal_laporan: 'Pihak luar', saluran: 'Surel' });
	await act('petugas', t);
	await act('petugas', t, 'Insiden');
	await act('petugas', t, null, { kategori: 'intrusions', jenis: 'system-compromise', dampak: 'Tinggi', urgensi: 'Tinggi', tlp: 'TLP:RED' });
	let c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 6);
	assert.equal(c.current_step.unattended, undefined, 'the officer named on it holds step 6');
	c = await act('petugas', t, 'Tidak'); // to TTIS, step 9: no TTIS member is named
	c = (await as('petugas')('GET', `/cases/${t}`)).json;
	assert.equal(c.current_step.no, 9);
	assert.equal(c.current_step.unattended, true);
	assert.equal((await as('ttis')('GET', `/cases/${t}`)).status, 404, 'TTIS does not see it');
	// the officer named on it is asked, in Tugas saya and its count, to assign it
	let mine = (await as('petugas')('GET', '/me/tasks')).json.tasks.find((k) => k.ticket === t);
	assert.deepEqual(mine?.why, ['unattended']);
	assert.ok(!(await as('pelapor')('GET', '/me/tasks')).json.tasks.some((k) => k.ticket === t), 'not the reporter\'s');
	const page = new Client(S.base);
	await page.login('petugas');
	assert.match((await page.get(`/kasus/${t}`)).text, /tidak seorang pun dari mereka memegang peran langkah yang sedang berjalan/);
	assert.match(S.cli('case', 'show', t), /nobody named on the case holds this step's role/);
	// Assigned to a TTIS member: named on the case, who now sees and does it.
	r = await as('petugas')('PUT', `/cases/${t}/assignee`, { assignee: 'ttis' });
	assert.equal(r.status, 200, r.text);
	c = (await as('ttis')('GET', `/cases/${t}`)).json;
	assert.equal(c.sight, 'full');
	assert.equal(c.current_step.unattended, undefined);
	mine = (await as('petugas')('GET', '/me/tasks')).json.tasks.find((k) => k.ticket === t);
	assert.equal(mine, undefined, 'assigned: no longer the officer\'s to assign');
	assert.doesNotMatch((await page.get(`/kasus/${t}`)).text, /tidak seorang pun dari mereka memegang peran/);
});

test('an outside actor: list rows and dashboard name the public stage only; filters on hidden fields match nothing; its assignment ends with its step', async () => {
	const mine = (await as('pelapor')('GET', '/cases?limit=100')).json.cases.filter((c) => cases.some((k) => k.ticket === c.ticket));
	assert.ok(mine.length > 0);
	for (const c of mine) {
		assert.deepEqual(c.step, { stage: 'Penanganan insiden' }, c.ticket);
		assert.equal(c.category, null);
	}
	const dash = (await as('pelapor')('GET', '/dashboard')).json;
	assert.doesNotMatch(JSON.stringify(dash), /Aparat|"steps"/);
	assert.deepEqual(dash.compliance, []);
	// the hidden category, priority and assignee answer no filter
	for (const q of ['category=intrusions', 'priority=Sedang', 'assignee=aph', 'step=7'])
		assert.equal((await as('pelapor')('GET', `/cases?${q}`)).json.total, 0, q);
	assert.ok((await as('petugas')('GET', '/cases?category=intrusions')).json.total >= cases.length);
	// aph, assigned step 7, completes steps 7 and 8: the team's step 9 is not its task
	const c = cases.find((k) => k.label === 'TLP:AMBER');
	await act('aph', c.ticket);
	assert.equal((await as('petugas')('GET', `/cases/${c.ticket}`)).json.assignee, null, 'the assignment was for the police step');
	await act('aph', c.ticket);
	assert.equal((await as('petugas')('GET', `/cases/${c.ticket}`)).json.current_step.no, 9);
	const tasks = (await as('aph')('GET', '/me/tasks')).json.tasks;
	assert.ok(!tasks.some((k) => k.ticket === c.ticket), 'step 9 is TTIS\'s');
	const lb = (await as('petugas')('GET', `/logbook?object=case:${c.ticket}`)).json.entries;
	assert.ok(lb.some((e) => e.action === 'case.step' && e.details.unassigned === 'aph'));
});

test('an outside actor\'s task rows carry no classification; an administrator cannot grant itself a CSIRT role', async () => {
	const tasks = (await as('aph')('GET', '/me/tasks')).json.tasks;
	const red = cases.find((k) => k.label === 'TLP:RED');
	const row = tasks.find((k) => k.ticket === red.ticket);
	assert.ok(row, 'the police step of the RED case is the assigned police\'s task');
	assert.equal(row.category, null);
	assert.equal(row.priority, null);
	assert.ok((await as('petugas')('GET', '/me/tasks')).json.tasks.every((k) => k.category !== undefined));
	const r = await as('admin')('PUT', '/users/admin', { roles: ['admin', 'kabid'] });
	assert.equal(r.status, 403, r.text);
	assert.match(r.json.error.message, /cannot give your own account the role 'kabid'/);
	assert.equal((await as('admin')('GET', '/cases?limit=1')).json.total, 0, 'still no case');
});

test('a closed TLP:RED case is reopened by the Kabid once named on it; naming takes a staff member and the whole case', async () => {
	const c = cases.find((k) => k.label === 'TLP:RED'); // at the police's step, named: petugas, pelapor, aph
	// walk it to its end: the police by phone, then the team
	const walk = async () => {
		for (let i = 0; i < 12; i++) {
			const cur = (await as('petugas')('GET', `/cases/${c.ticket}`)).json;
			if (cur.status === 'closed') return;
			const st = cur.current_step;
			if (st.unattended) {
				const holder = st.role === 'ttis' ? 'ttis' : 'petugas';
				assert.equal((await as('petugas')('PUT', `/cases/${c.ticket}/assignee`, { assignee: holder })).status, 200);
			}
			const who = st.role === 'aph' ? 'aph' : st.role === 'ttis' ? 'ttis' : 'petugas';
			await act(who, c.ticket, st.decision ? st.decision.labels[0] : null, st.fields.some((f) => f.name === 'ringkasan_penutupan') ? { ringkasan_penutupan: 'Selesai' } : {});
		}
	};
	await walk();
	assert.equal((await as('petugas')('GET', `/cases/${c.ticket}`)).json.status, 'closed');
	assert.equal((await as('kabid')('POST', `/cases/${c.ticket}/reopen`, { reason: 'Temuan baru' })).status, 404, 'RED: not named');
	// naming: refused for an outside actor, for nobody, by one who does not see it whole
	let r = await as('petugas')('POST', `/cases/${c.ticket}/participants`, { user: 'pelapor2' });
	assert.equal(r.status, 400);
	assert.match(r.json.error.message, /holds no staff role of insiden/);
	assert.equal((await as('pelapor')('POST', `/cases/${c.ticket}/participants`, { user: 'kabid' })).status, 403);
	assert.equal((await as('ttis')('POST', `/cases/${c.ticket}/participants`, { user: 'kabid' })).status, 200, 'ttis was assigned: named');
	r = await as('petugas')('POST', `/cases/${c.ticket}/participants`, { user: 'kabid' });
	assert.equal(r.status, 409);
	assert.match(r.json.error.message, /named on .* already/);
	r = await as('kabid')('POST', `/cases/${c.ticket}/reopen`, { reason: 'Temuan baru' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'open');
	const lb = (await as('petugas')('GET', `/logbook?object=case:${c.ticket}`)).json.entries;
	assert.ok(lb.some((e) => e.action === 'case.name' && e.details.person === 'kabid' && e.actor === 'ttis'));
});
