// walk.mjs: an SOP procedure walked through the API from its first step to
// an end, as the users of the demo roles would: whoever holds the first
// step's role opens the case, each step is done by a holder of its role
// (an outside actor not yet named on the case is assigned first), a
// decision takes its labels in turn on each visit (shifted by offset, so a
// second walk takes the other branches; or offset is a function (step,
// visit) giving the label), required and wajib fields get
// sample values and files. Shared by test_http.mjs and test_documents.mjs.
import assert from 'node:assert/strict';

// The demo user of each role (sigap init --demo).
export const ROLE_USER = {
	admin: 'admin', pelapor: 'pelapor', petugas: 'petugas', ttis: 'ttis', aph: 'aph', kabid: 'kabid',
	kepala_dinas: 'kadis', administrator: 'administrator', tim_teknis: 'teknis', pemohon: 'pemohon',
	kasi: 'kasi', tim_penyusun: 'penyusun', tim_publikasi: 'publikasi', tim_evaluasi: 'evaluasi',
	agen_siber: 'agen.dinkes',
};

export function sample(f) {
	switch (f.type) {
	case 'select': return f.options[0];
	case 'date': return '2026-11-23';
	case 'number': return '3';
	case 'file': return null;
	default: return `nilai ${f.name}`;
	}
}

export function values(fields) {
	const v = {};
	for (const f of fields) if (f.required && sample(f) !== null) v[f.name] = sample(f);
	return v;
}

// What a step that writes a record (catat:) needs besides samples: the
// exception's request a control of the catalogue and a day to come, its
// risk analysis a risk of the register (entered by the tim_teknis).
export function dayFromNow(days) {
	return new Date(Date.now() + days * 86400e3).toISOString().slice(0, 10);
}

// The last policy a walk drafted (and, the decisions going forward in
// the end, ratified): the publication and evaluation walks are about it.
let lastPolicy = null;

async function recordValues(as, cur, v) {
	if (cur.catat === 'kebijakan.draf') v.judul_kebijakan = 'Kebijakan uji langkah';
	if (cur.catat === 'kebijakan.pengesahan') v.tanggal_pengesahan = dayFromNow(0);
	if (cur.catat === 'pengecualian.permohonan') {
		v.kontrol = 'indeks-kami-4:III';
		v.berlaku_sampai = dayFromNow(90);
	}
	if (cur.catat === 'pengecualian.risiko') {
		const r = await as(ROLE_USER.tim_teknis)('POST', '/risks', { title: 'Risiko uji langkah', likelihood: 3, impact: 3, treatment: 'terima' });
		assert.equal(r.status, 201, r.text);
		v.risiko = String(r.json.id);
	}
}

// as(user): the API as that user. p: a procedure of GET /sops/ID. Returns
// the ticket, the last answer and the last staff user (who sees it whole).
export async function walkProcedure(as, p, offset = 0) {
	// Whoever holds the first step's role opens the case.
	const opener = ROLE_USER[p.steps[0].role];
	const fields = values(p.fields);
	if (fields.kategori) fields.jenis = 'spam';
	if (['kebijakan/publikasi', 'kebijakan/evaluasi'].includes(p.id)) {
		assert.ok(lastPolicy, `${p.id}: walk kebijakan/penyusunan first`);
		fields.kebijakan = String(lastPolicy);
	}
	const caseFiles = p.fields.filter((f) => f.type === 'file' && f.required);
	let body = { procedure: p.id, title: `Uji ${p.id}`, fields };
	if (caseFiles.length) {
		body = new FormData();
		body.set('procedure', p.id);
		body.set('title', `Uji ${p.id}`);
		for (const [k, x] of Object.entries(fields)) body.set(k, x);
		for (const f of caseFiles) body.set(f.name, new Blob(['dokumen']), `${f.name}.pdf`);
	}
	let r = await as(opener)('POST', '/cases', body);
	assert.equal(r.status, 201, `${p.id}: ${r.text}`);
	const ticket = r.json.ticket;
	assert.match(ticket, new RegExp(`^${p.ticket_prefix}-\\d{4}-\\d{4}$`));
	const visits = {};
	let n = 0;
	let staff = null; // the last staff actor, who sees the whole case
	while (r.json.status === 'open') {
		assert.ok(n++ < 80, `${p.id}: no end after 80 steps`);
		// an outside actor's answer names only the public stage: ask staff
		let next = r.json.current_step;
		for (const u of Object.values(ROLE_USER)) {
			if (next.role) break;
			const x = await as(u)('GET', `/cases/${ticket}`);
			if (x.status === 200 && x.json.sight === 'full') next = x.json.current_step;
		}
		const user = ROLE_USER[next.role];
		// An outside actor not yet named on the case is asked by
		// assignment; it then sees the step addressed to it.
		let seen = await as(user)('GET', `/cases/${ticket}`);
		if (seen.status === 404 && staff) {
			const asg = await as(staff)('PUT', `/cases/${ticket}/assignee`, { assignee: user });
			assert.equal(asg.status, 200, `${ticket}: assign to ${user}: ${asg.text}`);
			seen = await as(user)('GET', `/cases/${ticket}`);
		}
		assert.equal(seen.status, 200, `${ticket} as ${user}: ${seen.text}`);
		const cur = seen.json.current_step;
		if (seen.json.sight === 'full') staff = user;
		const v = values(cur.fields);
		if (v.kategori) v.jenis = 'spam';
		await recordValues(as, cur, v);
		let decision;
		if (cur.decision) {
			const k = (visits[cur.no] = (visits[cur.no] ?? -1) + 1);
			decision = typeof offset === 'function' ? offset(cur, k)
				: cur.decision.labels[(k + offset) % cur.decision.labels.length];
		}
		// Files the step needs (required, or wajib for the decision) go
		// as multipart, with the other values.
		const needs = new Set(cur.decision?.wajib?.[decision] ?? []);
		for (const f of cur.fields) if (needs.has(f.name) && f.type !== 'file') v[f.name] = sample(f);
		const files = cur.fields.filter((f) => f.type === 'file' && (f.required || needs.has(f.name)));
		if (files.length) {
			const fd = new FormData();
			if (decision) fd.set('decision', decision);
			for (const [k, x] of Object.entries(v)) fd.set(k, x);
			for (const f of files) fd.set(f.name, new Blob([`dokumen ${f.name}`]), `${f.name}.pdf`);
			r = await as(user)('POST', `/cases/${ticket}/steps`, fd);
		} else {
			r = await as(user)('POST', `/cases/${ticket}/steps`, { decision, values: v });
		}
		assert.equal(r.status, 200, `${ticket} step ${cur.no} as ${user}: ${r.text}`);
	}
	assert.ok(r.json.closed_at > 0);
	assert.equal(r.json.step_result.closed, true);
	if (p.id === 'kebijakan/penyusunan') {
		const l = (await as(staff)('GET', '/policies')).json.policies;
		lastPolicy = Math.max(...l.map((x) => x.id));
	}
	return { ticket, r, staff };
}
