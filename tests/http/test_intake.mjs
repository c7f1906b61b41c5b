// test_intake.mjs: reports by e-mail against a real Dovecot (started by
// tests/imap/dovecot.sh) and a real sigap serve. A citizen's e-mail opens
// an incident case: the sender the reporter, the subject the title, the
// text the description, the whole message and its attachment evidence
// with custody, the receipt (ticket and tracking code) written to the
// outbox; a reply naming the ticket becomes a comment of that case, and
// the same ticket from another sender does not; an automatic answer opens
// nothing, nor does a bounce; a malformed message still opens a case,
// with what could not be read said and the message kept; a message over
// max_size, or one whose case cannot be written in three tries, is left
// in the mailbox read and flagged for an officer, and newer mail is still
// taken; a poll again takes nothing twice, also after a crash between
// the commit and the \Seen flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, storeSql } from './server.mjs';

const ROOT = process.env.SIGAP_SOURCE_ROOT || '.';
const DOVECOT = join(ROOT, 'tests', 'imap', 'dovecot.sh');
const skip = !existsSync(process.env.DOVECOT || '/usr/sbin/dovecot') && 'dovecot-imapd is not installed';
let S, D, petugas, url, ca;

const crlf = (s) => s.replace(/\r?\n/g, '\r\n');
function deliver(name, text) {
	const f = join(D, `${name}.eml`);
	writeFileSync(f, crlf(text));
	execFileSync('sh', [DOVECOT, 'deliver', D, 'sigap-intake', f]);
}
const poll = () => S.cli('intake', 'poll');
// the message's flags in the mailbox, as Dovecot keeps them
const flags = (uid) => execFileSync('doveadm', ['-c', join(D, 'dovecot.conf'), 'fetch', '-u', 'sigap-intake', 'flags', 'mailbox', 'INBOX', 'uid', `${uid}`], { encoding: 'utf8' });

before(async () => {
	if (skip) return;
	D = mkdtempSync(join(tmpdir(), 'sigap-imap-'));
	[url, ca] = execFileSync('sh', [DOVECOT, 'start', D], { encoding: 'utf8' }).trim().split(' ');
	// the server's own poller waits a day after its first look: the test
	// polls with the command line, which does what it does
	S = await startServer(`[intake]\nurl = ${url}/INBOX\nuser = sigap-intake\npassword = sandi-kotak-uji\naddress = lapor@diskominfo.example.go.id\n` +
		`ca_file = ${ca}\npoll = 1d\nmax_size = 64K\n` +
		'[notify]\nsmtp_url = smtp://127.0.0.1:1\nsmtp_from = sigap <sigap@diskominfo.example.go.id>\n' +
		'link_base = https://sigap.example.go.id\n');
	petugas = api(S.base, S.cli('token', 'new', 'petugas', '--name', 'surel').trim());
});
after(async () => {
	if (S) await S.stop();
	if (D) {
		execFileSync('sh', [DOVECOT, 'stop', D]);
		rmSync(D, { recursive: true, force: true });
	}
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0000000000049454e44ae426082', 'hex');

function report(from, subject, body, extra = '') {
	return `From: ${from}\nTo: csirt@diskominfo.example.go.id\nSubject: ${subject}\n` +
		`Date: Thu, 03 Dec 2026 09:00:00 +0700\nMessage-ID: <${Math.random().toString(36).slice(2)}@warga.example.id>\n${extra}` +
		'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n' +
		`--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}\n` +
		`--b1\nContent-Type: image/png; name="layar.png"\nContent-Disposition: attachment; filename="layar.png"\n` +
		`Content-Transfer-Encoding: base64\n\n${PNG.toString('base64')}\n--b1--\n`;
}

const caseOf = async (title) => (await petugas('GET', `/cases?q=${encodeURIComponent(title)}`)).json.cases.find((c) => c.title === title);

test('an e-mail opens an incident case with the sender as reporter, the message and its attachment as evidence, and the receipt', { skip }, async () => {
	deliver('a', report('Siti Aminah <Siti@Warga.Example.id>', 'Situs desa menampilkan judi daring', 'Halaman depan situs desa berubah.\nMohon bantuan.'));
	assert.match(poll(), /1 unseen: 1 new cases/);
	const c = await caseOf('Situs desa menampilkan judi daring');
	assert.ok(c, 'the case');
	const full = (await petugas('GET', `/cases/${c.ticket}`)).json;
	assert.equal(full.fields.pelapor_nama, 'Siti Aminah');
	assert.equal(full.fields.pelapor_kontak, 'siti@warga.example.id');
	assert.match(full.fields.uraian_kejadian, /Halaman depan situs desa berubah\.\nMohon bantuan\./);
	assert.equal(full.current_step.no, 2, 'the reporter\'s step is done by the e-mail');
	const names = full.evidence.map((e) => e.filename);
	assert.ok(names.some((n) => n.endsWith('.eml')), JSON.stringify(names));
	const png = full.evidence.find((e) => e.filename === 'layar.png');
	assert.ok(png, JSON.stringify(names));
	assert.equal(png.sha256, execFileSync('sh', ['-c', 'sha256sum'], { input: PNG }).toString().split(' ')[0]);
	assert.match(png.origin, /^surel:siti@warga\.example\.id$/);
	// the receipt: the ticket and the tracking code, to the sender
	const receipt = storeSql(S.dir, `SELECT subject || '|' || body FROM outbox WHERE recipient = 'siti@warga.example.id' AND event = 'laporan.diterima'`);
	assert.match(receipt, new RegExp(`Laporan Anda diterima: ${c.ticket} #[A-Z2-9]{6}\\|`));
	assert.match(receipt, /Kode pelacakan : [a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/);
	assert.match(receipt, /\|Yth\. Bapak\/Ibu Pelapor,/);
	assert.match(receipt, /balas surel ini tanpa mengubah subjeknya/);
	// taken once: the next poll finds nothing new
	assert.match(poll(), /0 unseen/);
});

test('a reply with the ticket and its reply code is a comment of that case; without the code, or from another sender, a new report', { skip }, async () => {
	const c = await caseOf('Situs desa menampilkan judi daring');
	const subject = storeSql(S.dir, `SELECT subject FROM outbox WHERE recipient = 'siti@warga.example.id' AND event = 'laporan.diterima'`).trim();
	const code = subject.match(/#([A-Z2-9]{6})$/)[1];
	// a mail program's reply: the subject kept, the receipt quoted below
	deliver('b', `From: siti@warga.example.id\nSubject: Re: ${subject.toLowerCase()}\nMessage-ID: <balasan1@warga.example.id>\n\nTambahan: situs kecamatan juga berubah.\n\n> Nomor tiket    : ${c.ticket}\n> Kode pelacakan : abcd-efgh-jkmn-pqrs\n`);
	deliver('c', `From: orang.lain@example.id\nSubject: Tentang ${c.ticket} #${code}\nMessage-ID: <lain1@example.id>\n\nSaya juga melihatnya.\n`);
	// the reporter's address forged, the ticket known, the code not
	deliver('c2', `From: Siti Aminah <siti@warga.example.id>\nSubject: Re: ${c.ticket} tolong hapus\nMessage-ID: <palsu1@example.id>\n\nMohon kasus ini ditutup saja.\n`);
	assert.match(poll(), /3 unseen: 2 new cases, 1 replies/);
	const full = (await petugas('GET', `/cases/${c.ticket}`)).json;
	assert.ok(full.comments.some((m) => /situs kecamatan juga berubah/.test(m.body) && m.author === 'surel:siti@warga.example.id'), JSON.stringify(full.comments));
	assert.ok(!full.comments.some((m) => /ditutup saja/.test(m.body)), 'no comment without the code');
	// the quoted receipt (its tracking code) is not copied into the case
	assert.ok(!full.comments.some((m) => /Kode pelacakan|abcd-efgh/.test(m.body)), JSON.stringify(full.comments));
	assert.ok(await caseOf(`Tentang ${c.ticket} #${code}`), 'another sender opens a case of their own');
	const forged = await caseOf(`Re: ${c.ticket} tolong hapus`);
	assert.ok(forged, 'the forged reply is a report of its own');
	assert.match((await petugas('GET', `/cases/${forged.ticket}`)).json.fields.uraian_kejadian, /tanpa kode balasannya/);
	// the reply's message is the comment's evidence, in the same transaction
	assert.equal(full.evidence.filter((e) => e.filename.endsWith('.eml')).length, 2, JSON.stringify(full.evidence));
});

test('a sender\'s long name and a long reply are cut, not refused; no stranger\'s words in the receipt; five receipts an hour to one address', { skip }, async () => {
	const name = 'Selamat! Anda menang hadiah, klaim di https://hadiah.example/klaim '.repeat(50);
	deliver('n', report(`"${name}" <panjang@example.id>`, 'Laporan dengan nama panjang', 'Isi laporan.'));
	assert.match(poll(), /1 new cases, 0 replies, 0 not reports, 0 too large, 0 failed/);
	const c = await caseOf('Laporan dengan nama panjang');
	const full = (await petugas('GET', `/cases/${c.ticket}`)).json;
	assert.ok(full.fields.pelapor_nama.length <= 200 && full.fields.pelapor_nama.startsWith('Selamat!'));
	const body = storeSql(S.dir, "SELECT body FROM outbox WHERE recipient = 'panjang@example.id'");
	assert.ok(!body.includes('hadiah'), body);
	const subject = storeSql(S.dir, "SELECT subject FROM outbox WHERE recipient = 'panjang@example.id'").trim();
	deliver('r', `From: panjang@example.id\nSubject: Re: ${subject}\nMessage-ID: <panjang-balas@example.id>\n\n${'Tambahan keterangan. '.repeat(1500)}\n`);
	assert.match(poll(), /1 unseen: 0 new cases, 1 replies/);
	const comment = (await petugas('GET', `/cases/${c.ticket}`)).json.comments.find((m) => m.author === 'surel:panjang@example.id');
	assert.ok(comment && comment.body.length <= 20000 && /dipotong/.test(comment.body));
	for (let i = 0; i < 6; i++)
		deliver(`m${i}`, report('sering@example.id', `Laporan berulang ${i}`, 'Isi.'));
	assert.match(poll(), /6 unseen: 6 new cases/);
	assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM outbox WHERE recipient = 'sering@example.id' AND event = 'laporan.diterima'").trim(), '5');
});

test('an automatic answer or a bounce opens nothing; a malformed message still opens a case; one over max_size is left flagged', { skip }, async () => {
	deliver('d', 'From: kepala@dinas.example.go.id\nSubject: Otomatis: Sedang cuti\nAuto-Submitted: auto-replied\nMessage-ID: <cuti@dinas.example.go.id>\n\nSaya sedang cuti sampai 10 Desember.\n');
	deliver('d2', 'Return-Path: <>\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.id>\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce1@mx.example.id>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\nContent-Type: text/plain\n\nThis is the mail system.\n--r--\n');
	deliver('d3', 'From: postmaster@example.id\nSubject: Pemberitahuan\nMessage-ID: <pm1@example.id>\n\nKotak surel penuh.\n');
	deliver('d4', 'From: libur@example.id\nSubject: Libur\nX-Autoreply: yes\nMessage-ID: <libur1@example.id>\n\nSaya sedang libur.\n');
	deliver('e', 'From: warga2@example.id\nSubject: Laporan rusak\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="tidakada"\nMessage-ID: <rusak@example.id>\n\nTeks tanpa batas bagian yang benar.\n');
	deliver('e2', 'Subject: Tanpa pengirim\nMessage-ID: <tanpa@example.id>\n\nPesan tanpa alamat pengirim.\n');
	deliver('f', report('besar@example.id', 'Lampiran besar', 'x'.repeat(100 * 1024)));
	const out = poll();
	assert.match(out, /7 unseen: 2 new cases, 0 replies, 4 not reports, 1 too large/);
	assert.ok(!(await caseOf('Otomatis: Sedang cuti')), 'no case for an auto-reply');
	for (const id of ['cuti@dinas.example.go.id', 'bounce1@mx.example.id', 'pm1@example.id', 'libur1@example.id'])
		assert.equal(storeSql(S.dir, `SELECT state FROM mail_intake WHERE message_id = '${id}'`).trim(), 'diabaikan', id);
	const bad = await caseOf('Laporan rusak');
	assert.ok(bad, 'the malformed message opened a case');
	const full = (await petugas('GET', `/cases/${bad.ticket}`)).json;
	assert.match(full.fields.uraian_kejadian, /Catatan sigap/);
	assert.ok(full.evidence.some((e) => e.filename.endsWith('.eml')));
	// no sender: a case all the same, without a receipt
	const anon = await caseOf('Tanpa pengirim');
	assert.ok(anon, 'a message without From opened a case');
	assert.match((await petugas('GET', `/cases/${anon.ticket}`)).json.fields.uraian_kejadian, /tidak dapat dibaca/);
	assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM mail_intake WHERE state = 'terlalu_besar'").trim(), '1');
	assert.ok(!(await caseOf('Lampiran besar')));
	// the large one: read and flagged for an officer, so the next round
	// does not stop at it; the log says so once
	const uid = storeSql(S.dir, "SELECT uid FROM mail_intake WHERE state = 'terlalu_besar'").trim();
	assert.match(flags(uid), /\\Flagged/);
	assert.match(flags(uid), /\\Seen/);
	assert.match(poll(), /^0 unseen/);
	assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM logbook WHERE action = 'intake.too_big'").trim(), '1');
});

test('a message whose case cannot be written is tried three times, then left flagged and logged; newer mail is still taken', { skip }, async (t) => {
	if (process.env.SIGAP_TEST_PG) return t.skip('the failure is made with an SQLite trigger');
	storeSql(S.dir, "CREATE TRIGGER uji_gagal BEFORE INSERT ON cases WHEN NEW.title = 'Tidak dapat ditulis' BEGIN SELECT RAISE(ABORT, 'penyimpanan menolak (uji)'); END");
	try {
		deliver('x', report('gagal@example.id', 'Tidak dapat ditulis', 'Isi.'));
		for (let i = 1; i <= 2; i++) {
			assert.throws(() => poll(), /not taken/);
			assert.equal(storeSql(S.dir, "SELECT state || ':' || tries FROM mail_intake WHERE sender = 'gagal@example.id'").trim(), `diproses:${i}`);
		}
		deliver('y', report('baru@example.id', 'Laporan sesudahnya', 'Isi.'));
		assert.throws(() => poll(), /not taken/); // the third try: gagal; the new one is taken
		assert.equal(storeSql(S.dir, "SELECT state FROM mail_intake WHERE sender = 'gagal@example.id'").trim(), 'gagal');
		assert.ok(await caseOf('Laporan sesudahnya'));
		const uid = storeSql(S.dir, "SELECT uid FROM mail_intake WHERE sender = 'gagal@example.id'").trim();
		assert.match(flags(uid), /\\Flagged/);
		assert.match(storeSql(S.dir, "SELECT details FROM logbook WHERE action = 'intake.failed'"), /penyimpanan menolak/);
		assert.match(poll(), /^0 unseen/);
		// nothing of the failed tries was left behind
		assert.equal(storeSql(S.dir, "SELECT COUNT(*) FROM case_evidence WHERE origin = 'surel:gagal@example.id'").trim(), '0');
	} finally {
		storeSql(S.dir, 'DROP TRIGGER uji_gagal');
	}
});

test('after a crash between the case\'s commit and \\Seen, the message is not taken twice', { skip }, async () => {
	deliver('g', report('ulang@example.id', 'Laporan sebelum mati listrik', 'Situs BKPSDM lambat.'));
	assert.match(poll(), /1 new cases/);
	// as if sigap stopped after the commit: the claim back to diproses,
	// long ago, and the message unseen again in the mailbox
	const uid = storeSql(S.dir, "SELECT uid FROM mail_intake WHERE sender = 'ulang@example.id'").trim();
	storeSql(S.dir, `UPDATE mail_intake SET state = 'diproses', claimed_at = 0 WHERE uid = ${uid}`);
	execFileSync('doveadm', ['-c', join(D, 'dovecot.conf'), 'flags', 'remove', '-u', 'sigap-intake', '\\Seen', 'mailbox', 'INBOX', 'uid', uid]);
	assert.match(poll(), /unseen: 0 new cases/);
	const n = (await petugas('GET', `/cases?q=${encodeURIComponent('Laporan sebelum mati listrik')}`)).json.cases.length;
	assert.equal(n, 1);
	assert.equal(storeSql(S.dir, `SELECT state FROM mail_intake WHERE uid = ${uid}`).trim(), 'kasus');
});
