#!/usr/bin/env python3
# po_id.py: writes po/id.po, the Indonesian catalog of the web interface,
# from the messages xgettext finds in src/web (keyword T:2) and the
# translations below. Fails, naming them, when a message has no
# translation, so the interface is never half Indonesian.
#
#   python3 tools/po_id.py            rewrite po/id.po
#   python3 tools/po_id.py --check    exit 1 when po/id.po is not current
import re, subprocess, sys, os

ID = {
"(all)": "(semua)",
"(nobody)": "(belum ada)",
"(not yet set)": "(belum ditetapkan)",
"30 days": "30 hari",
"90 days": "90 hari",
"A one-time password is generated; the user changes it at first sign-in.": "Kata sandi sekali pakai dibuat otomatis; pengguna wajib menggantinya saat pertama kali masuk.",
"A password must be 10 to 1024 characters.": "Kata sandi harus terdiri atas 10 sampai 1024 karakter.",
"A token lets a program use the JSON API under /api/v1 as you, with your roles. Send it as: Authorization: Bearer TOKEN.": "Token memungkinkan sebuah program memakai API JSON di /api/v1 atas nama Anda, dengan peran Anda. Kirimkan sebagai: Authorization: Bearer TOKEN.",
"API tokens": "Token API",
"Action": "Tindakan",
"Actor": "Pelaksana",
"Add a user": "Tambah pengguna",
"Add an evidence file": "Tambahkan berkas bukti",
"Add comment": "Tambahkan komentar",
"Add user": "Tambah pengguna",
"Added by": "Ditambahkan oleh",
"Approved by": "Disetujui oleh",
"Assign": "Tugaskan",
"Assign to": "Tugaskan kepada",
"Assignee": "Petugas",
"Being handled": "Sedang ditangani",
"Case not found": "Kasus tidak ditemukan",
"Case report": "Laporan kasus",
"Cases": "Kasus",
"Category": "Kategori",
"Change password": "Ganti kata sandi",
"Change your one-time password first.": "Ganti kata sandi sekali pakai Anda terlebih dahulu.",
"Check a report's status": "Cek status laporan",
"Check the status": "Cek status",
"Choose a file to upload.": "Pilih berkas yang akan diunggah.",
"Choose a procedure.": "Pilih prosedur.",
"Closed": "Ditutup",
"Comments": "Komentar",
"Complete this step": "Selesaikan langkah ini",
"Continue": "Lanjutkan",
"Create token": "Buat token",
"Created": "Dibuat",
"Current password": "Kata sandi saat ini",
"Current stage": "Tahap saat ini",
"Current step": "Langkah saat ini",
"Cyber security logbook": "Logbook keamanan siber",
"Dashboard": "Dasbor",
"Dashboard unavailable": "Dasbor tidak tersedia",
"Decision": "Keputusan",
"Decisions": "Keputusan",
"Due": "Batas waktu",
"Due soon": "Segera jatuh tempo",
"Enter the ticket number and the tracking code.": "Masukkan nomor tiket dan kode pelacakan.",
"Enter your user name and password.": "Masukkan nama pengguna dan kata sandi Anda.",
"Every open step is within its standard time.": "Semua langkah yang berjalan masih dalam waktu baku.",
"Evidence": "Bukti",
"File": "Berkas",
"Fill in what you know. Fields marked * are required. After sending you receive a ticket number and a tracking code to follow your report.": "Isikan informasi yang Anda ketahui. Isian bertanda * wajib diisi. Setelah laporan dikirim, Anda menerima nomor tiket dan kode pelacakan untuk memantau laporan Anda.",
"Filter": "Saring",
"Finished": "Selesai",
"Finished on": "Selesai pada",
"History": "Riwayat",
"Incident reporting": "Pelaporan insiden",
"Information security incident service": "Layanan insiden keamanan informasi",
"Keep both: the tracking code is shown only once and lets you see the status of your report.": "Simpan keduanya: kode pelacakan hanya ditampilkan sekali dan diperlukan untuk melihat status laporan Anda.",
"Last used": "Terakhir dipakai",
"Logbook": "Logbook",
"Logbook entries of this case": "Catatan logbook kasus ini",
"Metrics are served to this host and to administrators only.": "Metrik hanya disajikan untuk host ini dan administrator.",
"Name": "Nama",
"Name of the new token": "Nama token baru",
"New case": "Kasus baru",
"New comment (internal; never shown to the reporter)": "Komentar baru (internal; tidak pernah ditampilkan kepada pelapor)",
"New password (at least 10 characters)": "Kata sandi baru (paling sedikit 10 karakter)",
"New password again": "Ulangi kata sandi baru",
"Next": "Berikutnya",
"No open cases.": "Tidak ada kasus yang berjalan.",
"No report matches this ticket number and tracking code.": "Tidak ada laporan dengan nomor tiket dan kode pelacakan tersebut.",
"Not found": "Tidak ditemukan",
"Number": "Nomor",
"Object": "Objek",
"One-time password for": "Kata sandi sekali pakai untuk",
"Only administrators may do this.": "Hanya administrator yang dapat melakukan ini.",
"Open cases by category": "Kasus berjalan menurut kategori",
"Open cases by priority": "Kasus berjalan menurut prioritas",
"Open cases per SOP and step": "Kasus berjalan per SOP dan langkah",
"Open the case": "Buka kasus",
"Opened": "Dibuka",
"Opened from": "Dibuka sejak",
"Opened until": "Dibuka sampai",
"Output": "Keluaran",
"Password": "Kata sandi",
"Past due": "Lewat batas waktu",
"Please fill in": "Mohon isi",
"Please sign in first.": "Silakan masuk terlebih dahulu.",
"Prepared by": "Disusun oleh",
"Previous": "Sebelumnya",
"Printable report": "Laporan untuk dicetak",
"Printed": "Dicetak",
"Priority": "Prioritas",
"Procedure": "Prosedur",
"Procedures": "Prosedur",
"Received": "Diterima",
"Regional Government CSIRT": "CSIRT Pemerintah Daerah",
"Report": "Laporan",
"Report a suspected information security incident affecting a regional government electronic system. Your report is handled by the CSIRT according to the incident handling SOP.": "Laporkan dugaan insiden keamanan informasi pada sistem elektronik pemerintah daerah. Laporan Anda ditangani oleh CSIRT sesuai SOP penanganan insiden.",
"Report an incident": "Laporkan insiden",
"Report an information security incident": "Laporkan insiden keamanan informasi",
"Report received": "Laporan diterima",
"Report status": "Status laporan",
"Reporting unavailable": "Pelaporan tidak tersedia",
"Request refused": "Permintaan ditolak",
"Reset": "Atur ulang",
"Revoke": "Cabut",
"Roles": "Peran",
"SLA compliance over 30 days": "Kepatuhan SLA selama 30 hari",
"SLA compliance per SOP": "Kepatuhan SLA per SOP",
"SOP flowchart": "Bagan alir SOP",
"SOPs": "SOP",
"Saved.": "Tersimpan.",
"Screenshots, logs or other files; at most": "Tangkapan layar, log, atau berkas lain; paling besar",
"Search (whole words; end a word with * for a prefix)": "Cari (kata utuh; akhiri kata dengan * untuk awalan)",
"Send report": "Kirim laporan",
"Show status": "Tampilkan status",
"Sign in": "Masuk",
"Sign in (officers)": "Masuk (petugas)",
"Sign out": "Keluar",
"Size (bytes)": "Ukuran (bita)",
"Standard operating procedures": "Standar operasional prosedur",
"Standard time": "Waktu baku",
"State": "Keadaan",
"Status": "Status",
"Status of your report": "Status laporan Anda",
"Step": "Langkah",
"Steps": "Langkah",
"Steps past or near their standard time": "Langkah yang melewati atau mendekati waktu baku",
"The address is not valid text.": "Alamat tersebut bukan teks yang sah.",
"The chain is broken at entry": "Rantai terputus pada catatan",
"The chain is whole": "Rantai utuh",
"The current password is wrong.": "Kata sandi saat ini salah.",
"The form has expired or did not come from this site. Please open the page again and resend it.": "Formulir telah kedaluwarsa atau tidak berasal dari situs ini. Silakan buka kembali halamannya dan kirim ulang.",
"The incident SOP is not installed on this server.": "SOP insiden belum terpasang di server ini.",
"The report could not be saved:": "Laporan tidak dapat disimpan:",
"The request is larger than this server accepts.": "Permintaan melebihi ukuran yang diterima server ini.",
"The stored file is missing.": "Berkas yang tersimpan tidak ditemukan.",
"The two new passwords differ.": "Kedua kata sandi baru tidak sama.",
"There is no SOP with this name.": "Tidak ada SOP dengan nama ini.",
"There is no page at this address.": "Tidak ada halaman di alamat ini.",
"There is no such token.": "Token tersebut tidak ada.",
"This address does not take that method.": "Alamat ini tidak menerima metode tersebut.",
"This case is closed.": "Kasus ini telah ditutup.",
"This step is done by a user with the role": "Langkah ini dikerjakan oleh pengguna dengan peran",
"Ticket": "Tiket",
"Ticket number": "Nomor tiket",
"Time": "Waktu",
"Title": "Judul",
"Too many failed sign-ins for this user. Please wait a moment and try again.": "Terlalu banyak percobaan masuk yang gagal untuk pengguna ini. Mohon tunggu sebentar lalu coba lagi.",
"Too many reports from your address in the last hour. Please try again later or contact the CSIRT by telephone.": "Terlalu banyak laporan dari alamat Anda dalam satu jam terakhir. Silakan coba lagi nanti atau hubungi CSIRT melalui telepon.",
"Tracking code": "Kode pelacakan",
"Type": "Jenis",
"Upload": "Unggah",
"User name": "Nama pengguna",
"Users": "Pengguna",
"Users and roles": "Pengguna dan peran",
"Wrong user name or password.": "Nama pengguna atau kata sandi salah.",
"Your new token (shown only now):": "Token baru Anda (hanya ditampilkan sekarang):",
"Your password was given to you once; choose your own before you continue.": "Kata sandi Anda diberikan untuk sekali pakai; tentukan kata sandi Anda sendiri sebelum melanjutkan.",
"Your report has been received": "Laporan Anda telah diterima",
"active": "aktif",
"all": "semua",
"cases": "kasus",
"closed": "ditutup",
"decision": "keputusan",
"disabled": "nonaktif",
"due": "batas waktu",
"entries": "catatan",
"head": "ujung",
"late": "terlambat",
"no finished steps": "belum ada langkah selesai",
"open": "berjalan",
"open cases": "kasus berjalan",
"per must be 1 to 1000.": "per harus bernilai 1 sampai 1000.",
"required": "wajib",
"revoked": "dicabut",
"sigap: security operations of the regional government CSIRT": "sigap: operasi keamanan CSIRT pemerintah daerah",
"steps": "langkah",
"steps due within 4 hours": "langkah jatuh tempo dalam 4 jam",
"steps past due": "langkah lewat batas waktu",
"was due": "batas waktunya",
"within standard time": "tepat waktu",
}

def esc(s):
    return s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')

def messages(root):
    srcs = sorted(os.path.join(root, 'src/web', f) for f in os.listdir(os.path.join(root, 'src/web')) if f.endswith('.c'))
    pot = subprocess.run(['xgettext', '--from-code=UTF-8', '--language=C', '--keyword=T:2',
                          '--no-location', '--omit-header', '--sort-output', '-o', '-'] + srcs,
                         check=True, capture_output=True, text=True, env=dict(os.environ, LC_ALL='C.UTF-8')).stdout
    out = []
    for m in re.finditer(r'msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)msgstr', pot):
        s = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        s = s.encode().decode('unicode_escape').encode('latin-1').decode('utf-8')
        if s:
            out.append(s)
    return out

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ids = messages(root)
    missing = [i for i in ids if i not in ID]
    if missing:
        sys.exit('po_id.py: no Indonesian translation for:\n' + '\n'.join('  ' + m for m in missing))
    text = ('# Indonesian catalog of the sigap web interface. Generated by tools/po_id.py\n'
            '# from the messages in src/web; edit the translations there.\n'
            'msgid ""\nmsgstr ""\n"Project-Id-Version: sigap\\n"\n"PO-Revision-Date: 2026-11-23 00:00+0700\\n"\n'
            '"Last-Translator: sigap developers\\n"\n"Language-Team: Indonesian\\n"\n"Language: id\\n"\n'
            '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n')
    for i in ids:
        text += '\nmsgid "%s"\nmsgstr "%s"\n' % (esc(i), esc(ID[i]))
    path = os.path.join(root, 'po/id.po')
    if '--check' in sys.argv:
        cur = open(path, encoding='utf-8').read() if os.path.exists(path) else ''
        if cur != text:
            sys.exit('po_id.py: po/id.po is not current; run python3 tools/po_id.py')
        unused = sorted(set(ID) - set(ids))
        if unused:
            sys.exit('po_id.py: translations of messages no longer used:\n' + '\n'.join('  ' + u for u in unused))
        return
    open(path, 'w', encoding='utf-8').write(text)

main()
