#!/bin/sh
# test_cli.sh: the command line end to end on a temporary database, as a
# sysadmin and an officer use it. Speaks TAP.
#   tests/cli/test_cli.sh PATH/TO/sigap
# With SIGAP_TEST_PG set (tests/run.sh's private PostgreSQL 15: "host=…
# &port=…&user=…"), every store is a new database on that server instead
# of a SQLite file, with its evidence where the file's would be; the few
# checks of the file itself are SQLite's alone.
set -u
SIGAP=${1:?usage: test_cli.sh PATH/TO/sigap}
ROOT=${SIGAP_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/sigap-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
unset SIGAP_CONFIG SIGAP_SOPS
PG=${SIGAP_TEST_PG:-}
# use_store PATH: the store of what follows, as SIGAP_DB: the SQLite file
# PATH, or a new PostgreSQL database whose evidence is in PATH's directory
# (the configuration SIGAP_CONFIG names, as SQLite's default would place it)
use_store() {
	if [ -z "$PG" ]; then
		export SIGAP_DB="$1"
		return
	fi
	name="cli_$$_$(printf %s "$1" | cksum | cut -d' ' -f1)" # the same PATH, the same store
	[ -f "$T/$name.conf" ] ||
		psql -qX "postgresql:///postgres?$PG" -c "CREATE DATABASE $name" >/dev/null
	export SIGAP_DB="postgresql:///$name?$PG"
	printf '[evidence]\ndir = %s/evidence\n' "$(dirname "$1")" >"$T/$name.conf"
	export SIGAP_CONFIG="$T/$name.conf"
}
# sql SQL (or SQL on standard input): on the current store, rows as "a|b"
sql() {
	case "$SIGAP_DB" in
	postgres*) psql -qXAt -v ON_ERROR_STOP=1 "$SIGAP_DB" ${1:+-c "$1"} ;;
	*) sqlite3 "$SIGAP_DB" ${1:+"$1"} ;;
	esac
}
# evidence_conf FILE: a configuration written by a test is given the
# store's evidence directory on PostgreSQL, which has no default one
evidence_conf() {
	[ -n "$PG" ] && cat "$SIGAP_CONFIG" >>"$1"
	return 0
}
# sqlite_only NAME: true on SQLite; on PostgreSQL, a skipped test
sqlite_only() {
	[ -z "$PG" ] && return 0
	n=$((n + 1))
	echo "ok $n - $1 # SKIP a SQLite file's own property"
	return 1
}
use_store "$T/var/sigap.db"
cd "$T"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
# check NAME EXPECTED_EXIT COMMAND...: runs, keeps output in $out/$err
check() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if [ "$got" -eq "$want" ]; then ok "$name"; else
		not_ok "$name (exit $got, wanted $want)"
		sed 's/^/# /' "$T/out" "$T/err"
	fi
}
has() { # has NAME TEXT NEEDLE
	case "$2" in *"$3"*) ok "$1" ;; *) not_ok "$1"; echo "# wanted: $3"; echo "$2" | sed 's/^/# got: /' ;; esac
}

# --- help and usage ----------------------------------------------------
check "sigap --help exits 0" 0 "$SIGAP" --help
has "help lists the commands" "$out" "logbook"
for c in init sop case user logbook; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
done
for c in "sop list" "sop show" "sop validate" "sop render" "case new" "case list" "case show" \
	 "case step" "case send-back" "case reopen" "case link" "user add" "user list" "logbook list" "logbook verify"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
check "no command is a usage error" 2 "$SIGAP"
check "an unknown command is a usage error" 2 "$SIGAP" frobnicate
has "an unknown command is named" "$err" "unknown command 'frobnicate'"
check "an unknown option is a usage error" 2 "$SIGAP" case list --frob
check "case step without --as is a usage error" 2 "$SIGAP" case step INS-2026-0001

# --- before init ---------------------------------------------------------
check "a missing database is an error" 1 "$SIGAP" case list
has "the error says to run init" "$err" "sigap init"
check "SOPs validate without a database" 0 "$SIGAP" sop validate "$ROOT"/sops/*.yaml
has "all five seeds validate" "$(grep -c ': ok' "$T/out")" "5"

# --- init ------------------------------------------------------------------
check "init creates the database and its directory" 0 "$SIGAP" init
if sqlite_only "the database file exists, not readable by other users"; then
	[ -f "$T/var/sigap.db" ] && ok "the database file exists" || not_ok "the database file exists"
	case "$(stat -c %a "$T/var/sigap.db")" in
	6[04]0) ok "the database is not readable by other users" ;;
	*) not_ok "the database is not readable by other users ($(stat -c %a "$T/var/sigap.db"))" ;;
	esac
fi
check "init again is harmless" 0 "$SIGAP" init
check "--db overrides SIGAP_DB" 0 "$SIGAP" --db "$T/other.db" init
[ -f "$T/other.db" ] && ok "--db wrote there" || not_ok "--db wrote there"

# --- users -------------------------------------------------------------------
check "user add with a generated password" 0 "$SIGAP" user add petugas1 --role petugas
has "the one-time password is printed" "$out" "One-time password"
echo "sandi-rahasia-1" | "$SIGAP" user add pelapor1 --role pelapor --password-stdin >/dev/null &&
	ok "user add --password-stdin" || not_ok "user add --password-stdin"
echo "sandi-rahasia-1" | "$SIGAP" user add ttis1 --role ttis --role petugas --password-stdin >/dev/null &&
	ok "user add with two roles" || not_ok "user add with two roles"
check "user add with an unknown role fails" 1 "$SIGAP" user add x1 --role hacker
has "the unknown role is named" "$err" "unknown role 'hacker'"
check "user add twice fails" 1 "$SIGAP" user add petugas1 --role petugas
has "the duplicate is named" "$err" "already exists"
echo "pendek" | "$SIGAP" user add x2 --role ttis --password-stdin 2>/dev/null
[ $? -eq 1 ] && ok "a short password is refused" || not_ok "a short password is refused"
check "user list" 0 "$SIGAP" user list
has "user list shows roles" "$out" "petugas, ttis"
check "user roles lists the SOP roles" 0 "$SIGAP" user roles
has "roles include kepala_dinas" "$out" "kepala_dinas"

# --- a case, end to end -------------------------------------------------------
check "case new prints the ticket alone" 0 "$SIGAP" case new insiden --title "Situs diubah" --as pelapor1 \
	--field pelapor_nama=Siti --field pelapor_kontak=0812 \
	--field sistem_terdampak=https://contoh.go.id --field "uraian_kejadian=Halaman depan berubah"
TICKET=$out
has "the ticket has the SOP prefix and year" "$TICKET" "INS-20"
[ "$(wc -l <"$T/out")" -eq 1 ] && ok "case new prints one line" || not_ok "case new prints one line"
check "case new without a required field fails" 1 "$SIGAP" case new insiden --field pelapor_nama=Siti
has "the missing field is named" "$err" "required field 'pelapor_kontak'"
check "case new with an unknown procedure fails" 1 "$SIGAP" case new tidak-ada
check "--field without = is a usage error" 2 "$SIGAP" case new insiden --field pelapor_nama
check "step 1 by the reporter" 0 "$SIGAP" case step "$TICKET" --as pelapor1
has "step 1 moves to step 2" "$out" "now at step 2"
check "step 2 by the wrong role is refused" 1 "$SIGAP" case step "$TICKET" --as pelapor1 \
	--field asal_laporan="Pihak luar" --field saluran=Surel
has "the refusal names the role" "$err" "does not hold the role 'petugas'"
check "step 2 with a bad option is refused" 1 "$SIGAP" case step "$TICKET" --as petugas1 \
	--field asal_laporan=Mars --field saluran=Surel
has "the options are listed" "$err" "choose one of"
check "step 2" 0 "$SIGAP" case step "$TICKET" --as petugas1 --field "asal_laporan=Pihak luar" --field saluran=Surel
check "step 3" 0 "$SIGAP" case step "$TICKET" --as petugas1 --field ringkasan=Ringkas
check "step 4 without a decision is refused" 1 "$SIGAP" case step "$TICKET" --as petugas1 --field hasil_verifikasi=Benar
has "the decisions are listed" "$err" "'Bukan Insiden', 'Insiden'"
check "step 4 with an unknown decision is refused" 1 "$SIGAP" case step "$TICKET" --as petugas1 \
	--decision Entahlah --field hasil_verifikasi=Benar
check "step 4: Insiden" 0 "$SIGAP" case step "$TICKET" --as petugas1 --decision Insiden --field hasil_verifikasi=Benar
echo "bukti insiden" >"$T/bukti.txt"
check "step 5" 0 "$SIGAP" case step "$TICKET" --as petugas1 --field kategori=intrusions --field jenis=system-compromise \
	--field dampak=Tinggi --field urgensi=Sedang --field tlp=TLP:AMBER
check "step 6: Tidak (to TTIS)" 0 "$SIGAP" case step "$TICKET" --as petugas1 --decision Tidak --field rekomendasi=Perbaiki
has "the flow skips APH to step 9" "$out" "now at step 9"
check "step 9 by TTIS" 0 "$SIGAP" case step "$TICKET" --as ttis1 --field langkah_perbaikan=Dipulihkan
check "step 10 by TTIS" 0 "$SIGAP" case step "$TICKET" --as ttis1 --field penyebab=Plugin --file "laporan_ttis=$T/bukti.txt"
check "step 11" 0 "$SIGAP" case step "$TICKET" --as petugas1 --field catatan_logbook=Dicatat
check "step 12 closes the case" 0 "$SIGAP" case step "$TICKET" --as petugas1 --field ringkasan_penutupan=Selesai
has "the case is closed" "$out" "closed"
check "a closed case cannot be advanced" 1 "$SIGAP" case step "$TICKET" --as petugas1
has "the error says it is closed" "$err" "is closed"
check "case show" 0 "$SIGAP" case show "$TICKET"
has "case show has the history" "$out" "History"
has "case show has the SLA" "$out" "steps within standard time"
check "case show --json" 0 "$SIGAP" case show "$TICKET" --json
has "the JSON has the status" "$out" '"status": "closed"'
check "case show of an unknown ticket fails" 1 "$SIGAP" case show INS-1999-0001

# need-to-know with --as: staff of the procedure and the people named on
# the case see it; another reporter does not know it exists
echo "sandi-rahasia-2" | "$SIGAP" user add pelapor2 --role pelapor --password-stdin >/dev/null
check "case list --as a staff member" 0 "$SIGAP" case list --as petugas1 --tickets
has "staff see the case" "$out" "$TICKET"
check "case list --as another reporter" 0 "$SIGAP" case list --as pelapor2 --tickets
[ -z "$out" ] && ok "another reporter lists nothing" || not_ok "another reporter lists nothing ($out)"
check "case show --as another reporter fails" 1 "$SIGAP" case show "$TICKET" --as pelapor2
has "as for an unknown ticket" "$err" "no case '$TICKET'"
check "case show --as the reporter" 0 "$SIGAP" case show "$TICKET" --as pelapor1 --json
has "the reporter sees only its own part (TLP:AMBER)" "$out" '"sight": "limited"'
case "$out" in *Dipulihkan*) not_ok "the reporter does not see TTIS's notes" ;; *) ok "the reporter does not see TTIS's notes" ;; esac
check "case show --as an unknown user fails" 1 "$SIGAP" case show "$TICKET" --as siapa
has "the unknown user is named" "$err" "no user 'siapa'"
check "case list --open is empty now" 0 "$SIGAP" case list --open --tickets
[ -z "$out" ] && ok "no open cases" || not_ok "no open cases"
check "case list --sop insiden" 0 "$SIGAP" case list --sop insiden --tickets
has "the case is listed" "$out" "$TICKET"
check "case list --sop unknown fails" 1 "$SIGAP" case list --sop tidak-ada

# --- on behalf, send back, reopen, links ----------------------------------------
check "case new for a phone report" 0 "$SIGAP" case new insiden --title "Laporan telepon" \
	--field pelapor_nama=Rudi --field pelapor_kontak=0813 \
	--field sistem_terdampak=https://desa.go.id --field "uraian_kejadian=Situs lambat"
PHONE=$out
check "case link for the reporter's step" 0 "$SIGAP" case link "$PHONE" --as petugas1 --for Rudi
has "the link's address is printed" "$out" "/tautan/"
check "--atas-nama without --saluran is a usage error" 2 "$SIGAP" case step "$PHONE" --as petugas1 --atas-nama Rudi
check "on behalf with an unknown channel is refused" 1 "$SIGAP" case step "$PHONE" --as petugas1 \
	--atas-nama Rudi --saluran merpati
has "the channels are listed" "$err" "telepon, surat, surel, datang langsung"
check "step 1 on behalf of the reporter, by phone" 0 "$SIGAP" case step "$PHONE" --as petugas1 \
	--atas-nama Rudi --saluran telepon
check "case show names whom it was done for" 0 "$SIGAP" case show "$PHONE"
has "on behalf of Rudi by phone" "$out" "on behalf of Rudi (telepon)"
check "step 2" 0 "$SIGAP" case step "$PHONE" --as petugas1 --field "asal_laporan=Pihak luar" --field saluran=Telepon
check "send-back without a reason is a usage error" 2 "$SIGAP" case send-back "$PHONE" --as petugas1 --step 2
check "send-back to a later step is refused" 1 "$SIGAP" case send-back "$PHONE" --as petugas1 --step 4 --reason x
has "the refusal says earlier" "$err" "not before step 3"
check "send-back to step 2" 0 "$SIGAP" case send-back "$PHONE" --as petugas1 --step 2 --reason "Saluran keliru"
has "send-back says where" "$out" "sent back to step 2"
check "reopen of an open case is refused" 1 "$SIGAP" case reopen "$PHONE" --as petugas1 --reason x
check "case new with evidence" 0 "$SIGAP" case new insiden --field pelapor_nama=Siti \
	--field pelapor_kontak=0812 --field sistem_terdampak=x --field uraian_kejadian=y --file "bukti=$T/bukti.txt"
T2=$out
check "case show lists the evidence" 0 "$SIGAP" case show "$T2"
SHA=$(sha256sum "$T/bukti.txt" | cut -c1-64)
has "with its SHA-256" "$out" "$SHA"
check "a file field given a path with --field is refused, never opened" 1 "$SIGAP" case new insiden \
	--field pelapor_nama=Siti --field pelapor_kontak=0812 --field sistem_terdampak=x \
	--field uraian_kejadian=y --field "bukti=$T/bukti.txt"
has "the error names --file" "$err" "--file bukti=PATH"
check "--field names stored evidence by its SHA-256" 0 "$SIGAP" case new insiden --field pelapor_nama=Siti \
	--field pelapor_kontak=0812 --field sistem_terdampak=x --field uraian_kejadian=y --field "bukti=$SHA"
check "--file of a missing file fails" 1 "$SIGAP" case new insiden --field pelapor_nama=Siti \
	--field pelapor_kontak=0812 --field sistem_terdampak=x --field uraian_kejadian=y --file "bukti=$T/tidak-ada"
has "naming the file" "$err" "$T/tidak-ada"
check "--file of a directory fails" 1 "$SIGAP" case new insiden --field pelapor_nama=Siti \
	--field pelapor_kontak=0812 --field sistem_terdampak=x --field uraian_kejadian=y --file "bukti=$T"
has "saying it is not a file" "$err" "not a regular file"
spool=$(find "$T" -path '*/.spool/*' -type f | wc -l) # the lock file goes at exit too
[ "$spool" -eq 0 ] && ok "nothing is left in the evidence spool" || not_ok "nothing is left in the evidence spool ($spool)"
check "case list without filters" 0 "$SIGAP" case list --tickets
has "lists the open case" "$out" "$T2"
has "and the closed one" "$out" "$TICKET"

# --- SOP documents ------------------------------------------------------------
check "sop list" 0 "$SIGAP" sop list
has "sop list shows a kebijakan procedure" "$out" "kebijakan/evaluasi"
check "sop show insiden" 0 "$SIGAP" sop show insiden
has "sop show has the branches" "$out" "[Bukan Insiden -> end]"
check "sop show of an unknown SOP fails" 1 "$SIGAP" sop show tidak-ada
check "sop render" 0 "$SIGAP" sop render kebijakan --format html -o "$T/keb.html"
has "the document has three procedures" "$(grep -o '<section class="prosedur-blok">' "$T/keb.html" | wc -l)" "3"
check "sop render: unknown format" 2 "$SIGAP" sop render insiden --format pdf
check "sop validate: a bad file" 1 "$SIGAP" sop validate "$ROOT/tests/data/sop-bad/no-actor.yaml"
has "FILE:LINE:COL: message" "$err" "no-actor.yaml:14:9: step 2 has no actor (pelaksana)"
check "sop validate: a missing file" 1 "$SIGAP" sop validate "$T/tidak-ada.yaml"

# --- configuration ---------------------------------------------------------------
printf '[kalender]\njam_kerja = 08:00-15:00\nlibur = 2026-12-25\n[evidence]\ndir = %s/evidence-check\n' "$T" >"$T/ok.conf"
check "a valid configuration" 0 "$SIGAP" --config "$T/ok.conf" case list
printf '[kalender]\njam_kerja = 8-15\n' >"$T/bad.conf"
check "a bad configuration value fails" 1 "$SIGAP" --config "$T/bad.conf" case list
has "the line is named" "$err" "bad.conf:2"
printf '[inputs]\nsyslog_timezone = UTC\nrelp_timezone = WITA\n' >"$T/tz.conf"
check "syslog time zones of the inputs" 0 "$SIGAP" --config "$T/tz.conf" case list
printf '[inputs]\nsyslog_tcp_timezone = Europe/Berlin\n' >"$T/badtz.conf"
check "an unknown input time zone fails" 1 "$SIGAP" --config "$T/badtz.conf" case list
has "it says which zones are known" "$err" "badtz.conf:2: syslog_tcp_timezone 'Europe/Berlin' is not a known time zone"
# [notify]: the webhook with its secret, or neither; each value checked
printf '[notify]\nwebhook_url = https://hook.example.go.id/sigap\nwebhook_secret = rahasia-yang-panjang\nevents = langkah, peringatan\nretry_after = 10s\n' >"$T/nt.conf"
check "a webhook with its secret" 0 "$SIGAP" --config "$T/nt.conf" case list
printf '[notify]\nwebhook_url = https://hook.example.go.id/sigap\n' >"$T/nt-nosecret.conf"
check "a webhook without a secret fails" 1 "$SIGAP" --config "$T/nt-nosecret.conf" case list
has "it says the two go together" "$err" "webhook_url and webhook_secret go together"
printf '[notify]\nwebhook_secret = pendek\n' >"$T/nt-short.conf"
check "a short webhook secret fails" 1 "$SIGAP" --config "$T/nt-short.conf" case list
has "it says the length" "$err" "nt-short.conf:2: webhook_secret must be 16 characters or more"
printf '[notify]\nevents = langkah, surel\n' >"$T/nt-ev.conf"
check "an unknown event fails" 1 "$SIGAP" --config "$T/nt-ev.conf" case list
has "it names the event" "$err" "events: 'surel' is not langkah, ditutup, peringatan or tenggat"
printf '[notify]\ntelegram_token = rahasia\n' >"$T/nt-tg.conf"
check "a Telegram token that is none is refused" 1 "$SIGAP" --config "$T/nt-tg.conf" case list
has "it says the form" "$err" "telegram_token must be a bot token"
printf '[notify]\nwebhook_url = ftp://hook.example.go.id/\n' >"$T/nt-url.conf"
check "a webhook that is not http(s) fails" 1 "$SIGAP" --config "$T/nt-url.conf" case list
# [penandatangan]: a signatory of a role the SOPs name, not of a misspelt one
printf '[penandatangan]\nkabid.nama = Ir. Siti Rahma\nkabid.nip = 197805122005012003\n' >"$T/ttd.conf"
check "a signatory of a known role" 0 "$SIGAP" --config "$T/ttd.conf" case list
printf '[penandatangan]\nkabidd.nama = Ir. Siti Rahma\n' >"$T/ttd-typo.conf"
check "a signatory of an unknown role fails" 1 "$SIGAP" --config "$T/ttd-typo.conf" case list
has "it names the role" "$err" "no SOP names the role 'kabidd'"
printf '[dokumen]\nlogo = %s\n' "$ROOT/README.md" >"$T/logo.conf"
check "a logo that is no PNG fails at start" 1 "$SIGAP" --config "$T/logo.conf" case list
has "it names the file" "$err" "README.md is not a PNG image"
printf '[kalendar]\nzona = WIB\n' >"$T/typo.conf"
check "an unknown section fails" 1 "$SIGAP" --config "$T/typo.conf" case list
mkdir "$T/sops" && cp "$ROOT/tests/data/sop-good/contoh.yaml" "$T/sops/"
check "--sops adds an SOP" 0 "$SIGAP" --sops "$T/sops" sop list
has "the added SOP is listed" "$out" "contoh"
cp "$ROOT/tests/data/sop-bad/no-actor.yaml" "$T/sops/"
check "a broken SOP in the directory is reported" 1 "$SIGAP" --sops "$T/sops" case list
has "with its place" "$err" "no-actor.yaml:14:9"

# --- sigap config check: what serve would load, every problem with its place ------
check "config check --help" 0 "$SIGAP" config check --help
check "config without a subcommand is a usage error" 2 "$SIGAP" config
check "config check: all is well" 0 "$SIGAP" config check "$T/ok.conf"
has "saying what it read" "$out" "no problem: the store at schema"
check "config check: a directory is no configuration" 1 "$SIGAP" config check "$T"
has "saying so" "$err" "not a configuration file"
mkfifo "$T/fifo.conf"
check "config check: a FIFO is refused, not waited on" 1 timeout 10 "$SIGAP" config check "$T/fifo.conf"
has "saying so" "$err" "not a configuration file"
check "and any command named to it" 1 timeout 10 "$SIGAP" --config "$T/fifo.conf" case list
printf '[web]\nthreads = banyak\nlisten = 127.0.0.1:99999\n[pantau]\nwaktu = 5\n[kalendar]\nzona = WIB\n[notify]\nca_file = %s/tidak-ada.pem\n[evidence]\ndir = %s/evidence-check\n' "$T" "$T" >"$T/many.conf"
check "config check: every bad line, not the first alone" 1 "$SIGAP" config check "$T/many.conf"
has "the first" "$err" "many.conf:2: threads 'banyak' must be 0 to 256"
has "the next" "$err" "many.conf:5: unknown key 'waktu' in section [pantau]"
has "an unknown section" "$err" "many.conf:7: unknown"
has "a file that is not there, at its line" "$err" "many.conf:9: ca_file $T/tidak-ada.pem cannot be read"
has "an address that cannot be, at its line" "$err" "many.conf:3: [web] listen = 127.0.0.1:99999: port '99999' must be a number from 0 to 65535"
has "counting them" "$out" "5 problems"
printf '[web]\nini bukan baris\nthreads = 2\n[notify\nlagi salah\nsmtp_password = rahasia\n[intake]\nurl = imaps://mail.contoh.go.id/INBOX\n[evidence]\ndir = %s/evidence-check\n' "$T" >"$T/lines.conf"
check "config check: every line inih refuses, and the checks across keys at their lines" 1 "$SIGAP" config check "$T/lines.conf"
has "a line that is no INI" "$err" "lines.conf:2: not an INI line"
has "a section left open" "$err" "lines.conf:4: a section without its ']'"
has "the next line that is no INI" "$err" "lines.conf:5: not an INI line"
has "a key of the section before" "$err" "lines.conf:6: unknown key 'smtp_password' in section [web]"
has "a key that needs others, at its line" "$err" "lines.conf:8: [intake] url needs user and password"
if [ "$(grep -o '^[^ ]*lines.conf:[0-9]*' "$T/err" | cut -d: -f2 | tr '\n' ' ')" = "2 4 5 6 8 " ]; then
	ok "in the order of the file"
else
	not_ok "in the order of the file"; sed 's/^/# /' "$T/err"
fi
printf '[notify]\nwebhook_url = https://contoh.go.id/kait\n[intake]\nurl = imaps://mail.contoh.go.id/INBOX\n[evidence]\ndir = %s/evidence-check\n' "$T" >"$T/cross.conf"
printf '[detect]\nmapping = %s/tidak-ada.yaml\n[sop]\ndir = %s/tidak-ada-sop\n[evidence]\ndir = %s/evidence-check\n' "$T" "$T" "$T" >"$T/named-files.conf"
check "config check: a file or directory a key names that is not there" 1 "$SIGAP" config check "$T/named-files.conf"
has "at the key's line" "$err" "named-files.conf:2: [detect] mapping $T/tidak-ada.yaml: cannot open"
has "the SOP directory too" "$err" "named-files.conf:4: [sop] dir $T/tidak-ada-sop: cannot open the SOP directory"
has "each once" "$out" "2 problems"
check "config check: every check across keys, not the first alone" 1 "$SIGAP" config check "$T/cross.conf"
has "the webhook without its secret" "$err" "cross.conf:2: [notify] webhook_url and webhook_secret go together"
has "and the mailbox without its login" "$err" "cross.conf:4: [intake] url needs user and password"
check "config check: a broken SOP with its place" 1 "$SIGAP" --sops "$T/sops" config check "$T/ok.conf"
has "FILE:LINE:COL" "$err" "no-actor.yaml:14:9"
mkdir "$T/sops-open" && printf 'nama: [tidak ditutup\n' >"$T/sops-open/rusak.yaml"
check "config check: a YAML list left open" 1 "$SIGAP" --sops "$T/sops-open" config check "$T/ok.conf"
has "named where it began, not only where it was noticed" "$err" "rusak.yaml:2:1: while parsing a flow sequence (begun at 1:7)"
mkdir "$T/rules-bad" && printf 'title: Rusak\nlogsource: {product: linux, service: sshd}\ndetection:\n  sel: {a: 1}\n  condition: sel and\n' >"$T/rules-bad/rusak.yml"
printf '[detect]\nrules = %s/rules-bad\n' "$T" >"$T/rules-bad.conf"
check "config check: a broken Sigma rule" 1 "$SIGAP" config check "$T/rules-bad.conf"
has "named" "$err" "rusak.yml"
mkdir "$T/mon-bad" && printf 'id: [\n' >"$T/mon-bad/rusak.yaml"
printf '[pantau]\naturan = %s/mon-bad\n' "$T" >"$T/mon-bad.conf"
check "config check: a broken website content rule" 1 "$SIGAP" config check "$T/mon-bad.conf"
has "named" "$err" "rusak.yaml:"
if command -v openssl >/dev/null 2>&1; then
	for k in a b; do
		openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$k" -keyout "$T/$k.key" -out "$T/$k.pem" 2>/dev/null
	done
	printf '[web]\ntls_cert = %s/a.pem\ntls_key = %s/a.key\n[evidence]\ndir = %s/evidence-check\n' "$T" "$T" "$T" >"$T/tls.conf"
	check "config check: a certificate with its key" 0 "$SIGAP" config check "$T/tls.conf"
	printf '[web]\ntls_cert = %s/a.pem\ntls_key = %s/b.key\n[evidence]\ndir = %s/evidence-check\n' "$T" "$T" "$T" >"$T/tls-pair.conf"
	check "config check: a key that is not the certificate's" 1 "$SIGAP" config check "$T/tls-pair.conf"
	has "saying so" "$err" "b.key is not the key of"
	openssl req -new -key "$T/a.key" -subj /CN=a -out "$T/old.csr" 2>/dev/null
	openssl x509 -req -in "$T/old.csr" -signkey "$T/a.key" -days -1 -out "$T/old.pem" 2>/dev/null
	printf '[web]\ntls_cert = %s/old.pem\ntls_key = %s/a.key\n[evidence]\ndir = %s/evidence-check\n' "$T" "$T" "$T" >"$T/tls-old.conf"
	check "config check: an expired certificate" 1 "$SIGAP" config check "$T/tls-old.conf"
	has "saying so" "$err" "old.pem has expired"
	# serve itself: a pair that cannot serve is said as such, not as an
	# address that cannot be listened on
	check "serve with a key that is not the certificate's exits 1" 1 "$SIGAP" serve --listen 127.0.0.1:0 --tls-cert "$T/a.pem" --tls-key "$T/b.key"
	has "saying which" "$err" "b.key is not the key of $T/a.pem"
	if grep -q "cannot listen" "$err"; then not_ok "and not that it cannot listen"; else ok "and not that it cannot listen"; fi
	check "serve with an expired certificate in sigap.conf exits 1" 1 "$SIGAP" --config "$T/tls-old.conf" serve --listen 127.0.0.1:0
	has "naming the file and line" "$err" "tls-old.conf:2: [web] tls_cert: $T/old.pem has expired"
fi
printf '[web]\nmetrics_allow = 10.0.0.0/99\ntrusted_proxies = ::1/200\nlisten = 192.0.2.1:20490\nuser = tidak-ada-pengguna\n[evidence]\ndir = /proc/tidak/boleh\n' >"$T/start.conf"
check "config check: what serve refuses at its start is refused too" 1 "$SIGAP" config check "$T/start.conf"
has "an address list" "$err" "start.conf:2: [web] metrics_allow: '10.0.0.0/99' is not an address or range"
has "the other" "$err" "start.conf:3: [web] trusted_proxies: '::1/200'"
has "an address that is not this host's" "$err" "start.conf:4: [web] listen = 192.0.2.1:20490: not an address of this host"
has "a user that does not exist" "$err" "start.conf:5: [web] user 'tidak-ada-pengguna' does not exist"
has "an evidence directory that cannot be made" "$err" "start.conf:7: [evidence] dir /proc/tidak/boleh: /proc takes no files"
printf '[web]\nlisten = 127.0.0.1:21066\n[inputs]\nsyslog_tcp = 127.0.0.1:21066\n[evidence]\ndir = %s/evidence-check\n' "$T" >"$T/twice.conf"
check "config check: two listeners on one address and port" 1 "$SIGAP" config check "$T/twice.conf"
has "the second named, with the first" "$err" "twice.conf:4: [inputs] syslog_tcp = 127.0.0.1:21066: [web] listen listens there already"
printf '[database]\nurl = postgresql://sigap@127.0.0.1:1/sigap\n' >"$T/pg-noev.conf"
check "config check: a PostgreSQL store without [evidence] dir" 1 env SIGAP_DB= "$SIGAP" config check "$T/pg-noev.conf"
has "names the directory every node shares" "$err" "pg-noev.conf:2: a PostgreSQL store keeps its evidence in a directory every sigap node shares"
printf '[web]\nlisten = localhost:8080\n' >"$T/named.conf"
check "config check: a name where serve wants an address is refused, as serve refuses it" 1 "$SIGAP" config check "$T/named.conf"
has "saying so" "$err" "'localhost' is not an IP address"
check "serve --check: serve's own options are checked too" 1 "$SIGAP" serve --check --listen 127.0.0.1:99999
has "the address" "$err" "listen = 127.0.0.1:99999: port '99999' must be a number from 0 to 65535"
check "serve --check: all is well, nothing is started" 0 "$SIGAP" serve --check --listen 127.0.0.1:0
has "it says so" "$out" "no problem"

# --- logbook ----------------------------------------------------------------------
check "logbook verify" 0 "$SIGAP" logbook verify
has "the logbook is intact" "$out" "intact"
check "logbook list" 0 "$SIGAP" logbook list --limit 5
has "logbook has case steps" "$out" "case.step"
check "logbook list --object" 0 "$SIGAP" logbook list --object "case:$TICKET" --json
has "the case was closed in the logbook" "$out" "case.close"
sql "UPDATE logbook SET actor = 'mallory' WHERE seq = 5"
check "logbook verify after tampering fails" 1 "$SIGAP" logbook verify
has "the first broken entry is named" "$err" "broken at entry 5"

# a user's contact for notifications
check "user contact sets an address and quiet hours" 0 "$SIGAP" user contact petugas1 --email petugas@diskominfo.example.go.id --quiet-hours 22:00-06:00
has "it says both" "$out" "Quiet hours: 22:00-06:00"
check "a bad address is refused" 1 "$SIGAP" user contact petugas1 --email "bukan alamat"
has "it says why" "$err" "is not an e-mail address"
check "bad quiet hours are refused" 1 "$SIGAP" user contact petugas1 --quiet-hours 22-06
check "a Telegram chat" 0 "$SIGAP" user contact petugas1 --telegram -1001234567890
has "it is shown" "$out" "Telegram chat: -1001234567890."
check "a chat that is none is refused" 1 "$SIGAP" user contact petugas1 --telegram "bukan chat"
has "it says what a chat is" "$err" "is not a Telegram chat"
check "quiet hours cleared" 0 "$SIGAP" user contact petugas1 --no-quiet-hours --no-email --no-telegram
has "no address now" "$out" "has no e-mail address"
check "messages in English" 0 "$SIGAP" user contact petugas1 --language en
has "it says so" "$out" "Messages in English."
check "a language sigap does not write is refused" 1 "$SIGAP" user contact petugas1 --language jv
has "it names the two" "$err" "must be id (Bahasa Indonesia) or en (English)"

# --- schema --------------------------------------------------------------------------
sql "INSERT INTO schema_version (version) VALUES (999)"
check "a newer schema is refused" 1 "$SIGAP" case list
has "with a clear message" "$err" "newer than this sigap"

# --- detect and rules ------------------------------------------------
check "sigap detect --help" 0 "$SIGAP" detect --help
check "sigap rules check on the shipped rules" 0 "$SIGAP" rules check "$ROOT/rules"
has "rules check counts" "$out" "17 rules and 2 correlations loaded, 0 not loaded"
cat >"$T/bad.yml" <<'YML'
title: broken
logsource: {product: linux, service: sshd}
detection:
  sel:
    message|nosuch: x
  condition: sel
YML
check "rules check reports a bad rule" 1 "$SIGAP" rules check "$T/bad.yml"
has "with file, line and reason" "$out" "bad.yml:5:5: unknown modifier 'nosuch'"
# Placeholders (|expand): filled from --placeholders; a rule whose
# placeholder has no value is refused with its place, the others run.
cat >"$T/expand.yml" <<'YML'
title: Admin Tool from a Workstation Not an Admin's
logsource: {product: linux, service: sshd}
detection:
  sel:
    message|contains: 'Accepted password for root'
  filter:
    srcip|expand: '%admin_hosts%'
  condition: sel and not filter
---
title: Login from a Domain Controller
logsource: {product: linux, service: sshd}
detection:
  sel:
    srcip|expand: '%dc_addresses%'
  condition: sel
YML
printf 'admin_hosts: [10.0.0.9, 10.0.0.10]\n' >"$T/ph.yaml"
check "rules check without placeholders refuses both" 1 "$SIGAP" rules check "$T/expand.yml"
has "with place and reason" "$out" "expand.yml:7:19: placeholder %admin_hosts% has no value"
check "rules check with a placeholders file" 1 "$SIGAP" rules check --placeholders "$T/ph.yaml" "$T/expand.yml"
has "refuses only the one left empty" "$out" "expand.yml:14:19: placeholder %dc_addresses% has no value"
has "and loads the other" "$out" "1 rules and 0 correlations loaded, 1 not loaded"
printf 'Nov 23 08:00:01 web01 sshd[812]: Accepted password for root from 203.0.113.9 port 50122 ssh2\nNov 23 08:00:01 web01 sshd[812]: Accepted password for root from 10.0.0.10 port 50122 ssh2\n' >"$T/root.log"
check "detect --placeholders runs the filled rule" 0 "$SIGAP" detect --placeholders "$T/ph.yaml" --rules "$T/expand.yml" "$T/root.log"
has "outside the list it fires" "$out" "root.log:1: medium: Admin Tool from a Workstation Not an Admin's"
[ "$(printf '%s\n' "$out" | grep -c 'root.log:2')" -eq 0 ] && ok "inside the list it does not" || not_ok "placeholder filter ignored"
printf 'admin_hosts: {a: b}\n' >"$T/badph.yaml"
check "a bad placeholders file is an error" 2 "$SIGAP" detect --placeholders "$T/badph.yaml" --rules "$T/expand.yml" "$T/root.log"
has "saying why" "$err" "badph.yaml:1:14: placeholder 'admin_hosts' needs a list of values"
cat >"$T/mixed.log" <<'LOG'
Nov 23 08:00:01 web01 sshd[812]: Accepted password for root from 203.0.113.9 port 50122 ssh2
Nov 23 08:00:02 web01 sshd[812]: Accepted publickey for budi from 10.0.0.9 port 50123 ssh2
{"truncated": 
203.0.113.9 - - [23/Nov/2026:08:00:03 +0700] "GET / HTTP/1.1" 200 512 "-" "sqlmap/1.7"
LOG
check "detect finds matches (exit 0)" 0 "$SIGAP" detect --stats "$T/mixed.log"
has "text output names the rule" "$out" "mixed.log:1: high: Root Login over SSH Accepted"
has "and the scanner" "$out" "mixed.log:4: medium: Web Vulnerability Scanner User-Agent"
has "stats count the bad line" "$err" "4 events (2 syslog, 0 JSON, 0 Wazuh, 0 CEF, 0 auditd, 1 access log, 1 other), 1 bad, 2 matches"
check "detect --format jsonl" 0 "$SIGAP" detect --format jsonl "$T/mixed.log"
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && printf '%s\n' "$out" | node -e '
  const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
  if (lines[0].rule.level !== "high" || lines[0].event.fields.srcip !== "203.0.113.9" || lines[0].line !== 1) process.exit(1);'
then ok "jsonl: one object a match with rule, line and fields"; else not_ok "jsonl objects"; echo "$out" | sed 's/^/# /'; fi
# Many batches across threads: the same matches in the same order.
i=0; while [ $i -lt 3000 ]; do cat "$T/mixed.log"; i=$((i + 1)); done >"$T/big.log"
"$SIGAP" detect --threads 1 --format jsonl "$T/big.log" >"$T/one.jsonl" 2>/dev/null
"$SIGAP" detect --threads 3 --format jsonl "$T/big.log" >"$T/three.jsonl" 2>/dev/null
if [ "$(wc -l <"$T/one.jsonl")" -eq 6000 ] && cmp -s "$T/one.jsonl" "$T/three.jsonl"; then
	ok "detect --threads 3 prints what --threads 1 prints, in order"
else not_ok "threads change the output"; fi
check "detect --no-rules parses only" 1 "$SIGAP" detect --no-rules --stats "$T/mixed.log"
has "and counts formats" "$err" "1 access log, 1 other), 1 bad, 0 matches"
check "detect reads stdin" 0 sh -c "head -1 '$T/mixed.log' | '$SIGAP' detect --quiet -"
check "no match exits 1" 1 sh -c "sed -n 2p '$T/mixed.log' | '$SIGAP' detect -"
# A line over 1 MiB is skipped and counted as bad, whether it came whole in
# one read or not (from a file, from a pipe), and the lines after it are read;
# a last line without its newline is read too.
{ sed -n 1p "$T/mixed.log"; head -c 1048577 /dev/zero | tr '\0' x; echo; sed -n 4p "$T/mixed.log" | tr -d '\n'; } >"$T/long.log"
check "detect skips a line over 1 MiB" 0 "$SIGAP" detect --stats "$T/long.log"
has "and counts it as bad" "$err" "2 events (1 syslog, 0 JSON, 0 Wazuh, 0 CEF, 0 auditd, 1 access log, 0 other), 1 bad, 2 matches"
has "the last line, without its newline, is read" "$out" "long.log:3: medium: Web Vulnerability Scanner User-Agent"
check "the same from a pipe" 0 sh -c "cat '$T/long.log' | '$SIGAP' detect --stats -"
has "where it is skipped too" "$err" "2 events (1 syslog, 0 JSON, 0 Wazuh, 0 CEF, 0 auditd, 1 access log, 0 other), 1 bad, 2 matches"
# A line over 1 MiB that ends when the batch already holds its 4096 lines:
# only the bytes after it go on to the next batch (none of the long line's
# tail and no line twice).
{ i=0; while [ $i -lt 4096 ]; do echo "l$i"; i=$((i + 1)); done
  head -c 1049600 /dev/zero | tr '\0' x; echo; sed -n 1p "$T/mixed.log"; } >"$T/edge.log"
check "detect skips a long line after a full batch" 0 "$SIGAP" detect --stats "$T/edge.log"
has "and reads each line after it once" "$err" "4097 events (1 syslog, 0 JSON, 0 Wazuh, 0 CEF, 0 auditd, 0 access log, 4096 other), 1 bad, 1 matches"
has "at its own number" "$out" "edge.log:4098: high: Root Login over SSH Accepted"
check "a missing file exits 2" 2 "$SIGAP" detect "$T/nosuch.log"
check "a bad --rules path exits 2" 2 "$SIGAP" detect --rules "$T/nosuch" "$T/mixed.log"
check "a bad rule is skipped, the others run" 1 "$SIGAP" detect --rules "$T/bad.yml" --rules "$ROOT/rules/linux_sshd_invalid_user.yml" "$T/mixed.log"
has "the skipped rule is reported" "$err" "1 rules and 0 correlations loaded, 1 not loaded"
# The compiled pattern databases are kept beside the database and read back.
if sqlite_only "the compiled rules kept beside the database"; then
	rm -rf "$T/var/cache"
	check "detect compiles the rules and keeps them" 0 "$SIGAP" detect --stats "$T/mixed.log"
	has "beside the database" "$err" "pattern databases compiled and written to $T/var/cache/rules/"
	check "detect with the same rules" 0 "$SIGAP" detect --stats "$T/mixed.log"
	has "reads them back" "$err" "pattern databases read from $T/var/cache/rules/"
	has "and finds what it found" "$out" "mixed.log:4: medium: Web Vulnerability Scanner User-Agent"
fi
check "detect --cache DIR" 0 "$SIGAP" detect --stats --cache "$T/rc" "$T/mixed.log"
has "keeps them in DIR" "$err" "compiled and written to $T/rc/"
for f in "$T"/rc/*.hsdb; do head -c 1000 "$f" >"$f.cut" && mv "$f.cut" "$f"; done
check "a cache file cut short" 0 "$SIGAP" detect --cache "$T/rc" "$T/mixed.log"
has "is compiled again, said why" "$err" "checksum does not match: compiled again"
check "and is rewritten whole" 0 "$SIGAP" detect --stats --cache "$T/rc" "$T/mixed.log"
has "read back the next time" "$err" "pattern databases read from $T/rc/"
check "detect --no-cache" 0 "$SIGAP" detect --stats --no-cache "$T/mixed.log"
case "$err" in *"pattern databases"*) not_ok "--no-cache uses no cache" ;; *) ok "--no-cache uses no cache" ;; esac
check "--cache without a directory is a usage error" 2 "$SIGAP" detect --cache
check "detect elsewhere" 0 env SIGAP_DB="$T/elsewhere/sigap.db" "$SIGAP" detect --stats "$T/mixed.log"
[ ! -e "$T/elsewhere" ] && ok "leaves no cache where no sigap is installed" || not_ok "leaves no cache where no sigap is installed"
# Correlations: ten failures from one address in five minutes, five
# accounts among them; the single failures are not reported on their own.
i=0; while [ $i -lt 12 ]; do
	printf 'Nov 23 08:%02d:%02d web01 sshd[9]: Failed password for user%d from 192.0.2.66 port 4%03d ssh2\n' $((i / 6)) $((i * 7 % 60)) $((i % 6)) $i
	i=$((i + 1))
done >"$T/brute.log"
printf 'Nov 23 08:00:05 web01 sshd[9]: Failed password for root from 192.0.2.99 port 4000 ssh2\n' >>"$T/brute.log"
check "detect reports correlations" 0 "$SIGAP" detect --threads 2 "$T/brute.log"
has "event_count fires on the tenth failure" "$out" "brute.log:10: high: SSH Password Guessing from One Address [8d5b6c2e-1f0a-5b7d-a4c3-2e9f0d1b7a64] event_count 192.0.2.66: 10 in"
has "value_count fires on the fifth account" "$out" "brute.log:5: high: SSH Password Spraying from One Address [5e7a9c1d-3b2f-5d64-8e0a-7c4b1f2d9e53] value_count 192.0.2.66: 5 in"
[ "$(printf '%s\n' "$out" | grep -c 'SSH Password Failure')" -eq 0 ] && ok "member matches are not reported alone" || not_ok "member matches printed"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ] && ok "three correlation matches (spraying again after five more accounts), the lone failure of .99 none" || { not_ok "correlation count"; printf '%s\n' "$out" | sed 's/^/# /'; }
# Events without a time of their own (JSON lines) are correlated at the
# time they were received, as the server does, not at 0.
i=0; while [ $i -lt 10 ]; do
	printf '{"program":"sshd","action":"ssh_login_failed","srcip":"192.0.2.77","srcuser":"u%d"}\n' $i
	i=$((i + 1))
done >"$T/timeless.jsonl"
check "detect correlates events without a time" 0 "$SIGAP" detect --format jsonl "$T/timeless.jsonl"
printf '%s\n' "$out" | grep -q '"correlation":"event_count".*"first":0,' && not_ok "a timeless event correlated at time 0" || ok "a timeless event correlated at the time it was read"
has "and the correlation fired" "$out" '"correlation":"event_count"'
check "rules list shows correlations" 0 "$SIGAP" rules list
has "with their type" "$out" "value_count"

# --- threat indicators ---------------------------------------------------
I="$ROOT/tests/data/intel"
use_store "$T/ioc/sigap.db"
"$SIGAP" init >/dev/null 2>&1
check "sigap ioc --help" 0 "$SIGAP" ioc --help
has "ioc help names the formats" "$out" "STIX 2.1"
has "ioc help names the abuse.ch exports" "$out" "Feodo Tracker exports"
check "ioc import of a MISP feed, a STIX bundle and a CSV list" 0 "$SIGAP" ioc import "$I/misp-feed" "$I/bundle.json" "$I/list.csv"
has "the MISP feed is counted" "$out" "misp-feed: misp, 10 indicators: 10 new, 0 updated; 3 left out, 2 invalid"
has "the bundle is counted" "$out" "bundle.json: stix, 9 indicators: 9 new"
has "a bad CSV row is placed" "$err" "list.csv:6: not a valid ipv4: \"bad value here\""
has "a left-out pattern is named" "$err" "000000000003: pattern left out"
check "importing again updates instead of adding" 0 "$SIGAP" ioc import --tlp red --expires 7 "$I/list.txt" "$I/list.csv"
has "the second CSV import adds nothing" "$out" "list.csv: csv, 4 indicators: 0 new, 4 updated"
has "the plain list is read" "$out" "list.txt: plain, 5 indicators: 5 new"
check "ioc list" 0 "$SIGAP" ioc list --limit 5
has "ioc list counts" "$out" "5 of 28 shown"
check "ioc list --type cidr --json" 0 "$SIGAP" ioc list --type cidr --json
has "both ranges are listed" "$(printf '%s' "$out" | grep -c '"type": "cidr"')" "2"
check "ioc list with an unknown type" 1 "$SIGAP" ioc list --type mutex
check "ioc search finds a parent domain" 0 "$SIGAP" ioc search login.www.bansos-cair.example
has "and names it" "$out" "bansos-cair.example"
check "ioc search finds a range" 0 "$SIGAP" ioc search 198.51.100.200
has "the /24 of the MISP feed" "$out" "198.51.100.0/24"
check "ioc search of a URL finds its host" 0 "$SIGAP" ioc search "https://cdn.bansos-cair.example/x"
check "ioc search with no match exits 1" 1 "$SIGAP" ioc search 192.0.2.250
check "ioc search of no indicator value is a usage error" 2 "$SIGAP" ioc search "hello world"
check "ioc import of a file with no indicator fails" 1 "$SIGAP" ioc import "$ROOT/tests/data/sop-bad/not-a-mapping.yaml"
has "and says so" "$err" "no indicator could be read"
printf '{"objects": [' >"$T/broken.json"
check "ioc import of truncated JSON" 1 "$SIGAP" ioc import "$T/broken.json"
has "the place is given" "$err" "broken.json:1:"
check "ioc import with a bad TLP" 2 "$SIGAP" ioc import --tlp purple "$I/list.txt"
check "ioc expire --dry-run" 0 "$SIGAP" ioc expire --dry-run
has "the CSV row past its expiry is counted" "$out" "indicators are past their expiry"
check "logbook records the imports" 0 "$SIGAP" logbook list
has "ioc.import in the logbook" "$out" "ioc.import"
# feeds as they are published, in a database of their own
use_store "$T/feeds/sigap.db"
"$SIGAP" init >/dev/null 2>&1
check "ioc import of URLhaus, ThreatFox and Feodo Tracker CSV exports" 0 "$SIGAP" ioc import "$I/urlhaus.csv" "$I/threatfox.csv" "$I/feodo.csv"
has "URLhaus: the header in a comment" "$out" "urlhaus.csv: csv, 3 indicators: 3 new, 0 updated; 0 left out, 0 invalid"
has "ThreatFox: ip:port and hashes" "$out" "threatfox.csv: csv, 6 indicators: 6 new, 0 updated; 0 left out, 0 invalid"
has "Feodo Tracker: dst_ip" "$out" "feodo.csv: csv, 2 indicators: 2 new, 0 updated; 0 left out, 0 invalid"
check "a ThreatFox address is searched without its port" 0 "$SIGAP" ioc search 203.0.113.200
has "with its malware and port in the description" "$out" "203.0.113.200"
check "ioc list --json of the ThreatFox address" 0 "$SIGAP" ioc list --value 203.0.113.200 --json
has "the description keeps the port" "$out" "botnet_cc; Cobalt Strike; CobaltStrike; port 4444"
has "confidence_level is the confidence" "$out" '"confidence": 75'
check "ioc import of a MISP event without its wrapper and a STIX 2.0 bundle" 0 "$SIGAP" ioc import "$I/misp-event.json" "$I/bundle-2.0.json"
has "the bare MISP event is read" "$out" "misp-event.json: misp, 3 indicators: 3 new, 0 updated; 2 left out, 0 invalid"
has "and what it left out is said" "$out" "misp-event.json: left out: MISP attributes not for detection (to_ids false): 1; MISP attributes of type filename (a kind sigap does not look for): 1"
has "the STIX 2.0 bundle is read" "$out" "bundle-2.0.json: stix, 3 indicators: 3 new, 0 updated; 3 left out, 0 invalid"
has "its observed-data is said to be left out" "$out" "STIX 2.0 observed-data (the observables nested in it record what was seen; sigap reads 2.0 indicators): 1"
check "the logbook keeps the reasons" 0 "$SIGAP" logbook list --json
has "left_out in the import's details" "$out" "left_out"
printf 'no;alamat;x\n"1","192.0.2.77","a"\n' >"$T/semicolon.csv"
printf 'no,alamat,catatan\n1,192.0.2.77,pemindai\n2,"192.0.2.78,ganda\n' >"$T/aset.csv"
check "--column names the value column" 0 "$SIGAP" ioc import --column alamat "$T/aset.csv"
has "the row is read" "$out" "aset.csv: csv, 1 indicators: 1 new, 0 updated; 0 left out, 1 invalid"
has "a bad row is placed and quoted as the file has it" "$err" "aset.csv:3: a quote left open: 2,\"192.0.2.78,ganda"
check "--column that the header does not have" 1 "$SIGAP" ioc import --column ip "$T/aset.csv"
has "names the column and quotes the header" "$err" "aset.csv:1: no column \"ip\" in the header row: no,alamat,catatan"
check "--column with a JSON feed is a usage error" 2 "$SIGAP" ioc import --format stix --column ip "$I/bundle.json"
check "--type with an unknown type is a usage error" 2 "$SIGAP" ioc import --type mutex "$I/list.txt"
check "a first row that is no header is reported untouched" 1 "$SIGAP" ioc import "$T/semicolon.csv"
has "the value as the file has it" "$err" "semicolon.csv:2: not a valid indicator: \"\"1\"\""
printf '{"type": "bundle", "spec_version": "3.0", "objects": []}' >"$T/stix3.json"
check "a STIX version sigap does not read is refused" 1 "$SIGAP" ioc import "$T/stix3.json"
has "and says which" "$err" "a STIX 3.0 bundle: sigap reads STIX 2.1 and 2.0"
use_store "$T/ioc/sigap.db"
cat >"$T/iocs.log" <<'LOG'
Nov 23 08:00:01 web01 sshd[811]: Failed password for root from 198.51.100.23 port 52114 ssh2
Nov 23 08:00:03 dns01 named[44]: client 10.1.1.5#5353: query: www.update-check.example IN A
Nov 23 08:00:04 web01 sshd[811]: Failed password for budi from 192.0.2.1 port 52114 ssh2
Nov 23 08:00:05 proxy01 squid[9]: GET hxxp://nothing http://malware.example/payload.exe 200
LOG
check "detect --iocs finds indicators in syslog" 0 "$SIGAP" detect --no-rules --iocs "$I/bundle.json" --iocs "$I/list.txt" "$T/iocs.log"
has "an address hit" "$out" "iocs.log:1: indicator: ipv4 198.51.100.23 (Pusat Kontak Siber Contoh, TLP:AMBER)"
has "a subdomain hits its parent" "$out" "iocs.log:2: indicator: domain update-check.example"
has "an address in a range" "$out" "iocs.log:1: indicator: cidr 198.51.100.0/25 (list.txt, no TLP)"
has "a URL in free text" "$out" "iocs.log:4: indicator: url http://malware.example/payload.exe"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] && ok "four hits, none on the clean line" || not_ok "hit count: $out"
check "detect --iocs --format jsonl" 0 "$SIGAP" detect --iocs "$I/bundle.json" --format jsonl "$T/iocs.log"
if printf '%s\n' "$out" | node -e '
  const l = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
  const i = l.find(x => x.indicator);
  if (!i || i.indicator.value !== "198.51.100.23" || i.indicator.confidence !== 85 || i.indicator.observed !== "198.51.100.23" || i.event.fields.srcip !== "198.51.100.23") process.exit(1);'
then ok "jsonl: an indicator object with its source data and the event"; else not_ok "jsonl indicator"; echo "$out" | sed 's/^/# /'; fi
check "detect --iocs with a missing feed exits 2" 2 "$SIGAP" detect --iocs "$T/nosuch.csv" "$T/iocs.log"
printf '%s\n' '{"timestamp":"2026-11-23T09:00:00.000+0700","rule":{"id":"5715","level":3},"agent":{"id":"001","name":"simpeg"},"full_log":"Nov 23 09:00:00 simpeg sshd[42]: Accepted password for root from 198.51.100.23 port 4242 ssh2","predecoder":{"program_name":"sshd","hostname":"simpeg"},"location":"/var/log/auth.log"}' >"$T/wazuh.json"
check "a Wazuh alert of a relayed sshd line is decoded and matched" 0 "$SIGAP" detect "$T/wazuh.json"
has "the Sigma sshd rule fires on it" "$out" "high: Root Login over SSH Accepted"

# --- alerts ------------------------------------------------------------------
check "detect --store raises alerts" 0 "$SIGAP" detect --store --stats "$T/iocs.log" "$T/iocs.log"
has "new alerts are counted" "$err" "new alerts stored"
check "alert list" 0 "$SIGAP" alert list --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const ip = o.alerts.find(a => a.title === "Threat indicator: ipv4 198.51.100.23");
  if (!ip || ip.count !== 2 || ip.asset !== "web01" || ip.source_ip !== "198.51.100.23" || ip.status !== "new" || ip.level !== "high") process.exit(1);'
then ok "a repeat folds into one alert with a count, asset and source address"; else not_ok "folded alert"; echo "$out" | sed 's/^/# /'; fi
"$SIGAP" user add tia --role ttis --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
"$SIGAP" user add rina --role pelapor --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
check "alert show" 0 "$SIGAP" alert show ALR-1
has "alert show prints the event" "$out" "event:      Nov 23 08:00:01 web01 sshd[811]"
check "a false positive needs a reason" 1 "$SIGAP" alert decide 1 false_positive --as tia
has "and says so" "$err" "needs a reason"
check "only TTIS may triage" 1 "$SIGAP" alert decide 1 triage --as rina
check "an unknown decision is refused" 1 "$SIGAP" alert decide 1 maybe --as tia
check "alert decide with a reason" 0 "$SIGAP" alert decide 2 false_positive --as tia --reason "Rentang milik ISP lokal"
check "alert case opens a CTI case" 0 "$SIGAP" alert case 1 3 --as tia
has "with a CTI ticket" "$out" "CTI-"
check "the linked alerts are in triage" 0 "$SIGAP" alert list --status triage
has "two alerts linked" "$out" "2 of 2 shown"
check "an alert already in a case is refused" 1 "$SIGAP" alert case 1 --as tia
check "alert show of a missing alert" 1 "$SIGAP" alert show 9999
check "the logbook has the decision" 0 "$SIGAP" logbook list
has "alert.decide" "$out" "alert.decide"

# --- OPDs and the register of assets -------------------------------------
for c in "opd add" "opd list" "asset add" "asset list" "asset import" "asset export" "user opd"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
check "opd add" 0 "$SIGAP" opd add dinkes --name "Dinas Kesehatan" --head "dr. Sari"
check "opd add a second" 0 "$SIGAP" opd add DISDIK --name "Dinas Pendidikan"
check "a duplicate abbreviation is refused" 1 "$SIGAP" opd add DinKes --name "Dinkes lain"
has "and says so" "$err" "abbreviation 'DINKES' already exists"
check "opd list" 0 "$SIGAP" opd list
has "the abbreviation in upper case" "$out" "DINKES"
check "an agen_siber needs an OPD" 1 "$SIGAP" user add agen --role agen_siber
has "and is told so" "$err" "--opd"
"$SIGAP" user add agen --role agen_siber --opd dinkes --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
"$SIGAP" user add agen2 --role agen_siber --opd disdik --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
check "user list shows the OPD" 0 "$SIGAP" user list
has "agen of DINKES" "$(grep '^agen ' "$T/out")" "DINKES"
check "asset add" 0 "$SIGAP" asset add --opd DINKES --name SIMPUS --kind aplikasi --kse tinggi \
	--url https://simpus.example.id/ --host simpus.example.id --address 10.20.1.10 --agent-id 003 \
	--software 'Apache HTTP Server|2.4.57|cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*'
check "asset add a range" 0 "$SIGAP" asset add --opd DINKES --name "Jaringan Dinkes" --kind jaringan --address 10.20.0.0/16
check "asset add of another OPD" 0 "$SIGAP" asset add --opd DISDIK --name PPDB --kind aplikasi --url https://ppdb.example.id/
check "a bad CIDR is refused" 1 "$SIGAP" asset add --opd DINKES --name X --kind server --address 10.20.0.1/16
has "naming the range meant" "$err" "host bits set: the range is 10.20.0.0/16"
check "a bad CPE is refused" 1 "$SIGAP" asset add --opd DINKES --name X --kind server --software 'nginx|1.24|cpe:2.3:a:nginx'
has "saying how many components" "$err" "has 4 components; CPE 2.3 has 13"
check "an unknown OPD is refused" 1 "$SIGAP" asset add --opd BAPPEDA --name X --kind server
has "by name" "$err" "no OPD 'BAPPEDA'"
check "asset add without a kind is a usage error" 2 "$SIGAP" asset add --opd DINKES --name X
check "an agen_siber adds no asset of another OPD" 1 "$SIGAP" asset add --opd DISDIK --name X --kind server --as agen
printf 'opd,name,kind\nDINKES,Baris baik,server\nDINKES,"tanpa penutup,server\n' >"$T/open_quote.csv"
check "a CSV with a quote left open is refused" 1 "$SIGAP" asset import "$T/open_quote.csv"
has "counting the broken record among the rows" "$err" "1 of 2 rows are refused; nothing was stored"
check "a keeper gives PPDB its Wazuh agent" 0 "$SIGAP" asset edit 3 --agent-name srv-ppdb
check "an agen_siber names no Wazuh agent of another OPD's asset" 1 "$SIGAP" asset add --opd DINKES --name X --kind server --agent-name srv-ppdb --as agen
has "and is told whose it is" "$err" "Wazuh agent srv-ppdb is of asset 3 of another OPD"
check "asset list as the agen_siber" 0 "$SIGAP" asset list --as agen --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.total !== 2 || o.assets.some(a => a.opd.abbrev !== "DINKES")) process.exit(1);'
then ok "an agen_siber lists its own OPD's assets only"; else not_ok "agen list"; echo "$out" | sed 's/^/# /'; fi
check "another OPD's asset is not found for it" 1 "$SIGAP" asset show 3 --as agen
has "as an unknown one" "$err" "no asset 3"
# --- watched websites (the checks themselves: tests/http/test_monitor.mjs) ---
for c in "monitor add" "monitor list" "monitor show" "monitor edit" "monitor run" "monitor baseline"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
done
check "an interval under a minute is refused" 1 "$SIGAP" monitor add 1 https://simpus.example.id/ --every 30s
has "saying the range" "$err" "1 minute to 1 day"
check "a duration that is none is a usage error" 2 "$SIGAP" monitor add 1 https://simpus.example.id/ --every sebentar
check "a URL the asset does not have is refused" 1 "$SIGAP" monitor add 1 https://lain.example.id/
has "saying what to do" "$err" "add the URL to the asset first"
check "a bad dynamic region is refused" 1 "$SIGAP" monitor add 1 https://simpus.example.id/ --ignore 'div p'
has "naming the forms" "$err" "write tag, #id, .class, tag#id or tag.class"
check "an agen_siber watches no site" 1 "$SIGAP" monitor add 1 https://simpus.example.id/ --as agen
has "and is told so" "$err" "may not change the watched websites"
check "monitor add" 0 "$SIGAP" monitor add 1 https://simpus.example.id/ --path /profil --ignore '#berita'
has "naming the site" "$out" "site 1: https://simpus.example.id/ is watched"
check "the same URL twice is refused" 1 "$SIGAP" monitor add 1 https://simpus.example.id/
has "saying so" "$err" "is watched already"
check "monitor list" 0 "$SIGAP" monitor list
has "the new site, not checked yet" "$out" "baru       DINKES       -       0        https://simpus.example.id/"
check "another OPD's agent lists none" 0 "$SIGAP" monitor list --as agen2
has "counting none" "$out" "0 sites"
check "nor sees it" 1 "$SIGAP" monitor show 1 --as agen2
has "as one that does not exist" "$err" "no watched site 1"
check "an unknown state is refused" 1 "$SIGAP" monitor list --state rusak
check "a site never read has no page to accept" 1 "$SIGAP" monitor baseline 1
has "saying so" "$err" "has not been read yet"
check "monitor edit the interval only" 0 "$SIGAP" monitor edit 1 --every 2h
check "monitor show --json" 0 "$SIGAP" monitor show 1 --json
if printf '%s\n' "$out" | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (s.period !== 7200 || s.paths.join() !== "/profil" || s.regions.join() !== "#berita") process.exit(1);'
then ok "the interval changed, the pages and regions kept"; else not_ok "monitor edit kept"; echo "$out" | sed 's/^/# /'; fi
check "monitor edit the pages only" 0 "$SIGAP" monitor edit 1 --path /kontak --path /berita
check "monitor show --json" 0 "$SIGAP" monitor show 1 --json
if printf '%s\n' "$out" | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (s.paths.join() !== "/kontak,/berita" || s.regions.join() !== "#berita") process.exit(1);'
then ok "the pages replaced, the regions kept"; else not_ok "monitor edit pages only"; echo "$out" | sed 's/^/# /'; fi
check "monitor edit: one empty value empties a list" 0 "$SIGAP" monitor edit 1 --ignore ''
check "monitor show --json" 0 "$SIGAP" monitor show 1 --json
if printf '%s\n' "$out" | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (s.regions.length !== 0 || s.paths.length !== 2) process.exit(1);'
then ok "the regions emptied, the pages kept"; else not_ok "monitor edit empty"; echo "$out" | sed 's/^/# /'; fi
check "a script of the site that changes on every load is a dynamic region too" 0 "$SIGAP" monitor edit 1 --ignore /js/waktu.js
check "with a query it is refused" 1 "$SIGAP" monitor edit 1 --ignore '/js/waktu.js?v=2'
has "saying how" "$err" "must be a path on the site, without query"
check "monitor show" 0 "$SIGAP" monitor show 1
has "its checks" "$out" "checks:    the last 0 of 0"
has "its findings" "$out" "findings:"
check "monitor edit: the region emptied again" 0 "$SIGAP" monitor edit 1 --ignore ''
check "monitor stop" 0 "$SIGAP" monitor stop 1
check "a stopped site is not checked, even with --all" 0 "$SIGAP" monitor run --all
has "none checked" "$out" "0 sites checked"
check "monitor start" 0 "$SIGAP" monitor start 1
check "a site number that is none is a usage error" 2 "$SIGAP" monitor show satu
check "each change is in the logbook" 0 "$SIGAP" logbook list --limit 10
has "add" "$out" "monitor.add"
has "stop" "$out" "monitor.stop"
check "asset find by address in a range" 0 "$SIGAP" asset find --host 10.20.77.1
has "the range" "$out" "Jaringan Dinkes"
check "asset find: the exact address beats the range" 0 "$SIGAP" asset find --host 10.20.1.10
has "SIMPUS" "$out" "SIMPUS"
check "asset find by URL" 0 "$SIGAP" asset find --url https://ppdb.example.id/daftar?x=1
has "PPDB" "$out" "PPDB"
check "asset find with nothing matching exits 1" 1 "$SIGAP" asset find --host 192.0.2.1
check "asset edit" 0 "$SIGAP" asset edit 1 --kse strategis --criticality kritis
check "asset show" 0 "$SIGAP" asset show 1
has "the change" "$out" "strategis"
check "asset export" 0 "$SIGAP" asset export
printf '%s\n' "$out" >"$T/aset.csv"
has "the header" "$(head -1 "$T/aset.csv")" "opd,name,kind,kse,criticality,contact,wazuh_agent_name,wazuh_agent_id,urls,hosts,addresses,software,notes"
check "export imports back, changing nothing" 0 "$SIGAP" asset import "$T/aset.csv"
has "none added, none changed" "$out" "0 assets added, 0 changed"
check "export again" 0 "$SIGAP" asset export
if [ "$out" = "$(cat "$T/aset.csv")" ]; then ok "the round trip gives the same CSV"; else not_ok "round trip"; fi
printf 'opd,name,kind,addresses\nDINKES,Baru 1,server,10.20.9.9\nDINKES,Baru 2,server,10.1.1.1/8\nDINKES,Baru 3,meja,\n' >"$T/buruk.csv"
check "a bad CSV is refused" 1 "$SIGAP" asset import "$T/buruk.csv"
has "line 3 named" "$err" "buruk.csv:3: '10.1.1.1/8' has host bits set"
has "line 4 named" "$err" "buruk.csv:4: kind 'meja'"
has "nothing stored" "$err" "2 of 3 rows are refused; nothing was stored"
check "and the good row is not stored either" 0 "$SIGAP" asset list --q "Baru 1"
has "no Baru 1" "$out" "0 of 0 shown"
check "asset retire needs a reason" 2 "$SIGAP" asset retire 3
check "asset retire" 0 "$SIGAP" asset retire 3 --reason "Digantikan aplikasi provinsi"
check "a retired asset matches nothing" 1 "$SIGAP" asset find --url https://ppdb.example.id/
check "an OPD in use is not deleted" 1 "$SIGAP" opd delete DINKES
has "saying what holds it" "$err" "2 assets and 1 users"
check "user opd moves a user" 0 "$SIGAP" user opd agen DISDIK
check "an agen_siber keeps an OPD" 1 "$SIGAP" user opd agen --none
check "the logbook has the register's history" 0 "$SIGAP" logbook list
has "asset.update" "$out" "asset.update"
has "asset.retire" "$out" "asset.retire"
has "asset.import" "$out" "asset.import"
has "opd.add" "$out" "opd.add"
# --- the risk register ----------------------------------------------------------
for c in "risk add" "risk list" "risk matrix"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
check "risk matrix" 0 "$SIGAP" risk matrix
has "the levels of the default" "$out" "4=Sangat Tinggi (30 days)"
check "risk add" 0 "$SIGAP" risk add --title "Kebocoran data SIMPUS" --likelihood 4 --impact 5 \
	--treatment mitigasi --opd DINKES --asset 1 --review 2027-02-01
has "its level from the matrix" "$out" "Sangat Tinggi"
check "a step outside the matrix is refused" 1 "$SIGAP" risk add --title x --likelihood 6 --impact 1 --treatment terima
has "saying the steps" "$err" "1 (the lowest) to 5"
check "a residual is two steps" 2 "$SIGAP" risk edit 1 --residual 2
check "risk edit" 0 "$SIGAP" risk edit 1 --residual 2,2 --plan "Pasang otentikasi"
has "the residual level" "$out" "Rendah"
check "an agen_siber keeps no risk" 1 "$SIGAP" risk edit 1 --title diubah --as agen2
check "another OPD's risk is not found for an agen_siber" 1 "$SIGAP" risk show 1 --as agen2
has "as an unknown one" "$err" "no risk 1"
check "risk list" 0 "$SIGAP" risk list --json
if printf '%s\n' "$out" | node -e '
  const l = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (l.length !== 1 || l[0].inherent.level !== 4 || l[0].residual.level !== 1) process.exit(1);'
then ok "the list has the risk with both levels"; else not_ok "risk list"; echo "$out" | sed 's/^/# /'; fi
printf '[risiko]\nkemungkinan = Jarang, Mungkin, Sering\n' >"$T/rk.conf"
check "a matrix without its cells is refused" 1 "$SIGAP" --config "$T/rk.conf" risk matrix
has "saying what is missing" "$err" "needs its matriks"
printf '[risiko]\nkemungkinan = Jarang, Mungkin, Sering\ndampak = Kecil, Besar\nlevel = Rendah, Tinggi\nmatriks = 1 1 / 1 2 / 2 2\ntinjauan = 180, 30\n' >"$T/rk3.conf"
check "a 3 x 2 matrix of the configuration" 0 "$SIGAP" --config "$T/rk3.conf" risk matrix
has "its levels" "$out" "2=Tinggi (30 days)"
# --- the catalogue of controls --------------------------------------------------
check "control list" 0 "$SIGAP" control list
has "Indeks KAMI's risk area" "$out" "Pengelolaan Risiko Keamanan Informasi"
has "BSSN 4/2021's process" "$out" "Perbaikan berkelanjutan"
check "control list of an unknown framework" 1 "$SIGAP" control list --framework iso
mkdir -p "$T/kontrol"
printf 'framework: iso27001-2022\nname: ISO/IEC 27001:2022 (salinan instansi)\ncontrols:\n  - {id: A.8.8, title: Pengelolaan kerentanan teknis}\n' >"$T/kontrol/iso.yaml"
printf '[kontrol]\ndir = %s/kontrol\n' "$T" >"$T/kontrol.conf"
check "a catalogue of [kontrol] dir" 0 "$SIGAP" --config "$T/kontrol.conf" control list --framework iso27001-2022
has "its control" "$out" "A.8.8"
printf 'framework: iso27001-2022\nname: x\ncontrols:\n  - {id: A.8.8}\n' >"$T/kontrol/iso-rusak.yaml"
check "a broken catalogue stops the start" 1 "$SIGAP" --config "$T/kontrol.conf" case list
has "with its place" "$err" "iso-rusak.yaml:4:5: a control needs its id and title"
# --- exceptions to the ISMS (made on cases of SOP pengecualian) ----------------
for c in "exception list" "exception show" "exception change" "exception revoke" "exception round"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
check "exception list with none in force" 0 "$SIGAP" exception list
has "says so" "$out" "No exception in this view."
check "an unknown view is refused" 2 "$SIGAP" exception list --view selamanya
has "naming the views" "$err" "berlaku, segera, kedaluwarsa, diajukan or semua"
check "an unknown exception is not found" 1 "$SIGAP" exception show 99
has "saying which" "$err" "no exception 99"
check "a number too large is a usage error" 2 "$SIGAP" exception show 99999999999999999999
check "so for a policy too" 2 "$SIGAP" policy show 99999999999999999999
check "a change says why" 2 "$SIGAP" exception change 1 --until 2027-01-01
check "a revocation says why" 2 "$SIGAP" exception revoke 1
check "exception round" 0 "$SIGAP" exception round
has "counting what it did" "$out" "0 changes"
printf '[pengecualian]\npengingat = 7 7\n' >"$T/exc.conf"
check "reminders named twice are refused" 1 "$SIGAP" --config "$T/exc.conf" exception list
has "saying the form" "$err" "pengingat '7 7' must be up to 8 different numbers of days"
printf '[pengecualian]\nmasa_maksimal = 0\n' >"$T/exc.conf"
check "a maximum of no months is refused" 1 "$SIGAP" --config "$T/exc.conf" exception list
has "saying the range" "$err" "masa_maksimal '0' must be 1 to 60 months"
# --- the library of policies (written on cases of SOP kebijakan) -------------
for c in "policy list" "policy show" "policy diff" "policy withdraw" "policy round"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
check "policy list of an empty library" 0 "$SIGAP" policy list
has "says so" "$out" "The library is empty."
check "an unknown policy is not found" 1 "$SIGAP" policy show 7
has "saying which" "$err" "no policy 7"
check "a diff needs two versions" 2 "$SIGAP" policy diff 7 1
check "a withdrawal says why" 2 "$SIGAP" policy withdraw 7
check "withdrawing an unknown policy" 1 "$SIGAP" policy withdraw 7 --why "Tidak berlaku"
check "policy round" 0 "$SIGAP" policy round
has "counting what it opened" "$out" "0 evaluation cases opened."
check "control check names it too" 1 "$SIGAP" --config "$T/kontrol.conf" control check
rm "$T/kontrol/iso-rusak.yaml"
# --- alerts and cases on the register; an agen_siber's constituency --------
# The alerts of iocs.log were raised before any asset was registered.
# agen is DINKES's agen_siber again, agen2 DISDIK's.
"$SIGAP" user opd agen DINKES >/dev/null
check "alert list --unmatched" 0 "$SIGAP" alert list --unmatched --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.total < 3 || o.alerts.some(a => a.asset_id !== null) || !o.alerts.some(a => a.asset === "web01")) process.exit(1);'
then ok "alerts of no asset are kept and listed"; else not_ok "unmatched alerts"; echo "$out" | sed 's/^/# /'; fi
check "an asset named as the alerts' host is added" 0 "$SIGAP" asset add --opd DISDIK --name "Web 01" --kind server --host web01
WEB01=$("$SIGAP" asset list --json | node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(o.assets.find(a => a.name === "Web 01").id)')
check "alert list --unmatched after it" 0 "$SIGAP" alert list --unmatched --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.alerts.some(a => a.asset === "web01") || !o.alerts.some(a => a.asset === "dns01")) process.exit(1);'
then ok "the new asset took web01's alerts, in its own change"; else not_ok "claim"; echo "$out" | sed 's/^/# /'; fi
DNS=$(printf '%s\n' "$out" | node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(o.alerts.find(a => a.asset === "dns01").id)')
check "alert list --asset-id" 0 "$SIGAP" alert list --asset-id "$WEB01" --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.total < 1 || o.alerts.some(a => a.asset !== "web01" || a.asset_name !== "Web 01")) process.exit(1);'
then ok "an asset's alerts by its number"; else not_ok "alerts by asset"; echo "$out" | sed 's/^/# /'; fi
check "alert list --as the OPD's agen_siber" 0 "$SIGAP" alert list --as agen2 --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.total < 1 || o.alerts.some(a => a.asset_name !== "Web 01")) process.exit(1);'
then ok "an agen_siber lists its OPD's alerts only"; else not_ok "agen alerts"; echo "$out" | sed 's/^/# /'; fi
check "alert list --as another OPD's agen_siber" 0 "$SIGAP" alert list --as agen
has "none for it" "$out" "0 of 0 shown"
check "another OPD's alert is not found for an agen_siber" 1 "$SIGAP" alert show ALR-1 --as agen
has "as a missing one" "$err" "no alert 1"
check "alert show as the OPD's agen_siber" 0 "$SIGAP" alert show ALR-1 --as agen2
has "with its asset" "$out" "Web 01 (named web01)"
check "alert attach without --asset is a usage error" 2 "$SIGAP" alert attach "$DNS" --as tia
check "an agen_siber attaches no alert" 1 "$SIGAP" alert attach "$DNS" --asset 1 --as agen
check "alert attach" 0 "$SIGAP" alert attach "$DNS" --asset 1 --as tia
check "alert show names the asset" 0 "$SIGAP" alert show "$DNS"
has "SIMPUS" "$out" "SIMPUS (named dns01)"
check "the logbook has the attachments" 0 "$SIGAP" logbook list
has "alert.attach" "$out" "alert.attach"
has "asset.claim" "$out" "asset.claim"
check "an agen_siber reports an incident for its OPD" 0 "$SIGAP" case new insiden --title "SIMPUS diubah" --as agen \
	--field pelapor_nama=Agen --field pelapor_kontak=agen@dinkes.example.id \
	--field sistem_terdampak=https://simpus.example.id/ --field uraian_kejadian=Deface --field aset=1
INC=$out
check "it sees its report" 0 "$SIGAP" case show "$INC" --as agen
check "another OPD's agen_siber does not" 1 "$SIGAP" case show "$INC" --as agen2
has "as if it did not exist" "$err" "no case"
check "nor in its list" 0 "$SIGAP" case list --as agen2 --tickets
case "$out" in *"$INC"*) not_ok "another OPD's case listed" ;; *) ok "another OPD's case not listed" ;; esac
check "an agen_siber names only its OPD's assets" 1 "$SIGAP" case new insiden --as agen \
	--field pelapor_nama=Agen --field pelapor_kontak=a@b.id --field sistem_terdampak=x --field uraian_kejadian=y --field aset="$WEB01"
check "a ref field that is no id is refused" 1 "$SIGAP" case new insiden --as agen \
	--field pelapor_nama=Agen --field pelapor_kontak=a@b.id --field sistem_terdampak=x --field uraian_kejadian=y --field aset="Web 01"
has "naming the entity with its article" "$err" "field 'aset' must name the asset by its id, not 'Web 01'"
check "case asset without --as is a usage error" 2 "$SIGAP" case asset "$INC" --asset "$WEB01"
check "an agen_siber attaches no asset to a case" 1 "$SIGAP" case asset "$INC" --asset "$WEB01" --as agen
check "case asset by TTIS" 0 "$SIGAP" case asset "$INC" --asset "$WEB01" --as tia
check "then the other OPD sees it too" 0 "$SIGAP" case show "$INC" --as agen2 --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o.sight !== "limited" || o.assets.length !== 1 || o.assets[0].name !== "Web 01") process.exit(1);'
then ok "its part, and only its own asset among the case's"; else not_ok "agen2 sight"; echo "$out" | sed 's/^/# /'; fi

# --- vulnerability intelligence ----------------------------------------------
V="$ROOT/tests/data/vuln/intel"
use_store "$T/vuln/sigap.db"
"$SIGAP" init >/dev/null 2>&1
check "sigap vuln --help" 0 "$SIGAP" vuln --help
has "vuln help names intel" "$out" "sigap vuln intel import"
for c in "vuln intel" "vuln intel import" "vuln intel show"; do
	check "sigap $c --help exits 0" 0 "$SIGAP" $c --help
	has "sigap $c --help prints usage" "$out" "usage:"
done
has "intel help names the three sources" "$out" "Known"
check "an unknown vuln command is a usage error" 2 "$SIGAP" vuln frob
check "an unknown --kind is a usage error" 2 "$SIGAP" vuln intel import --kind nvd "$V/kev.json"
check "vuln intel import of CVE records, KEV and EPSS" 0 "$SIGAP" vuln intel import "$V/cve-cna.json" "$V/cve-adp.json" "$V/cve-rejected.json" "$V/kev.json" "$V/epss.csv.gz"
has "a CVE record counted" "$out" "cve-cna.json: cve, 1 file, 1 record: 1 new, 0 changed, 0 unchanged; 0 refused"
has "the KEV catalog counted" "$out" "kev.json: kev (catalog 2026.04.21), 3 entries: 3 new, 0 changed (0 due dates moved, 0 ransomware use changed), 0 unchanged; 0 refused"
has "the gzip EPSS file counted" "$out" "epss.csv.gz: epss (model v2025.03.14, scores of 2026-04-21, gzip), 4 scores: 4 new"
check "importing again says unchanged" 0 "$SIGAP" vuln intel import "$V/kev.csv" "$V/epss.csv" "$V/cve-cna.json"
has "the KEV CSV is the same catalog" "$out" "kev.csv: kev (catalog CSV), 3 entries: 0 new, 0 changed (0 due dates moved, 0 ransomware use changed), 3 unchanged"
has "the plain EPSS file the same scores" "$out" "4 scores: 0 new, 0 changed (0 scores moved), 4 unchanged"
has "the record is unchanged" "$out" "1 record: 0 new, 0 changed, 1 unchanged"
sed 's/2026-05-12,Unknown/2026-05-01,Unknown/' "$V/kev.csv" >"$T/kev-next.csv"
check "a newer KEV file moves a due date" 0 "$SIGAP" vuln intel import --kind kev "$T/kev-next.csv"
has "and says how many" "$out" "0 new, 1 changed (1 due date moved, 0 ransomware use changed), 2 unchanged"
check "vuln intel show" 0 "$SIGAP" vuln intel show cve-2026-90002
has "the ADP's score" "$out" "CVSS 3.1:    7.5 HIGH CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N (from CISA-ADP)"
has "the KEV due date" "$out" "added 2026-04-21, due 2026-05-01; ransomware use Unknown"
has "the EPSS score" "$out" "EPSS:        0.21500 (percentile 0.95500), model v2025.03.14, scores of 2026-04-21"
check "vuln intel show --json" 0 "$SIGAP" vuln intel show --json CVE-2026-90001
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const r = o.record;
  if (o.cve !== "CVE-2026-90001" || r.cvss["4.0"].score !== 9.3 || r.cvss["3.1"].source !== "cna" ||
      r.cwes.join() !== "CWE-89,CWE-20" || o.kev.ransomware !== "Known" || o.epss.score !== 0.9421) process.exit(1);'
then ok "show --json gives the record, KEV entry and EPSS score"; else not_ok "show --json"; echo "$out" | sed 's/^/# /'; fi
check "vuln intel show of a CVE nothing is known of" 1 "$SIGAP" vuln intel show CVE-1999-0001
has "says so" "$err" "no CVE record, KEV entry or EPSS score of CVE-1999-0001 is stored"
check "vuln intel show of no CVE id is a usage error" 2 "$SIGAP" vuln intel show log4shell
printf '#model_version:v2025.03.14,score_date:2026-04-22T00:00:00+0000\ncve,epss,percentile\nCVE-2026-90001,0.97,0.999\nCVE-2026-90002,7,0.5\n' >"$T/epss-bad.csv"
check "an EPSS file with a bad row stores the good ones" 0 "$SIGAP" vuln intel import "$T/epss-bad.csv"
has "the bad row is placed" "$err" "epss-bad.csv:4: CVE-2026-90002: epss \"7\" is not a number from 0 to 1"
has "and counted" "$out" "2 scores: 0 new, 1 changed (1 score moved), 0 unchanged; 1 refused"
imports_before=$(sql "SELECT COUNT(*) FROM vuln_intel_imports" 2>/dev/null || echo none)
printf '{"catalogVersion": "2026.04.22", "vulnerabilities": [{"cveID": "CVE-2026-1", ' >"$T/kev-cut.json"
check "a KEV catalog cut short is refused" 1 "$SIGAP" vuln intel import "$T/kev-cut.json"
has "with its place" "$err" "kev-cut.json:1:"
has "and nothing stored" "$err" "nothing was stored"
check "a file of no known kind is refused" 1 "$SIGAP" vuln intel import "$ROOT/sops/insiden.yaml"
has "and the kinds are named" "$err" "name the kind with --kind"
check "a CSV that is no KEV catalog is refused" 1 "$SIGAP" vuln intel import --kind kev "$V/epss.csv"
has "its header is faulted" "$err" "not a KEV CSV"
if [ "$imports_before" = none ] || [ "$(sql "SELECT COUNT(*) FROM vuln_intel_imports")" = "$imports_before" ]; then
	ok "the refused files left no import behind"; else not_ok "the refused files left no import behind"; fi
mkdir -p "$T/cvelist/cves/2026/90xxx"
cp "$V/cve-cna.json" "$T/cvelist/cves/2026/90xxx/CVE-2026-90001.json"
cp "$V/cve-adp.json" "$T/cvelist/cves/2026/90xxx/CVE-2026-90002.json"
printf '{}' >"$T/cvelist/cves/delta.json"
check "a cvelistV5 tree is imported" 0 "$SIGAP" vuln intel import "$T/cvelist"
has "its record files counted" "$out" "cvelist: cve, 2 files, 2 records: 0 new, 0 changed, 2 unchanged; 0 refused"
check "the logbook has the imports" 0 "$SIGAP" logbook list
has "vuln.intel.import" "$out" "vuln.intel.import"
# --- vuln intel update: the configured URLs over HTTP --------------------------
# A local HTTP server (python3 -m http.server) stands for CISA's and
# FIRST's: no internet here. Each failure stores nothing.
use_store "$T/intel-up/sigap.db"
"$SIGAP" init >/dev/null 2>&1
mkdir -p "$T/www"
cp "$V/kev.json" "$V/epss.csv.gz" "$T/www/"
printf '<!doctype html><html><body>Captive portal: sign in first</body></html>\n' >"$T/www/portal.html"
awk 'BEGIN { print "cveID,vendorProject,product"; for (i = 0; i < 400; i++) printf "CVE-2026-%05d,Contoh,Produk\n", i }' >"$T/www/big.csv"
(cd "$T/www" && exec python3 -m http.server 0 --bind 127.0.0.1 >"$T/http.out" 2>&1) &
HTTP_PID=$!
for _ in $(seq 50); do grep -q 'port' "$T/http.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$T/http.out" | head -n 1)
U="http://127.0.0.1:$PORT"
intel_imports() { sql "SELECT COUNT(*) FROM vuln_intel_imports"; }
check "vuln intel update is off by default" 1 "$SIGAP" vuln intel update
has "and says where to turn it on" "$err" "vuln intel update is off: set update = on"
printf '[vuln_intel]\nupdate = on\nkev_url = %s/kev.json\nepss_url = %s/epss.csv.gz\n' "$U" "$U" >"$T/up.conf"
evidence_conf "$T/up.conf"
check "vuln intel update fetches and imports KEV and EPSS" 0 env SIGAP_CONFIG="$T/up.conf" "$SIGAP" vuln intel update
has "the KEV catalog imported" "$out" "$U/kev.json: kev (catalog 2026.04.21), 3 entries: 3 new"
has "the EPSS scores imported" "$out" "$U/epss.csv.gz: epss (model v2025.03.14, scores of 2026-04-21, gzip), 4 scores: 4 new"
[ "$(sql "SELECT COUNT(*) FROM vuln_kev")" = 3 ] && ok "three KEV entries stored" || not_ok "three KEV entries stored"
before=$(intel_imports)
printf '[vuln_intel]\nupdate = on\nkev_url = %s/gone.json\n' "$U" >"$T/up404.conf"
evidence_conf "$T/up404.conf"
check "a URL the server does not have fails" 1 env SIGAP_CONFIG="$T/up404.conf" "$SIGAP" vuln intel update
has "with the HTTP status" "$err" "$U/gone.json: the server answered HTTP 404"
has "and nothing stored" "$err" "1 of 1 downloads failed; nothing of them is stored"
printf '[vuln_intel]\nupdate = on\nkev_url = %s/big.csv\nmax_size = 4K\n' "$U" >"$T/upbig.conf"
evidence_conf "$T/upbig.conf"
check "a file over max_size is refused" 1 env SIGAP_CONFIG="$T/upbig.conf" "$SIGAP" vuln intel update
has "and says so" "$err" "$U/big.csv: larger than [vuln_intel] max_size (4096 bytes)"
printf '[vuln_intel]\nupdate = on\nkev_url = %s/portal.html\nepss_url = %s/epss.csv.gz\n' "$U" "$U" >"$T/upkind.conf"
evidence_conf "$T/upkind.conf"
check "a page that is no KEV catalog is refused" 1 env SIGAP_CONFIG="$T/upkind.conf" "$SIGAP" vuln intel update --only kev
has "naming the URL" "$err" "$U/portal.html"
case "$out$err" in *epss.csv.gz*) not_ok "only kev was fetched" ;; *) ok "only kev was fetched" ;; esac
has "the import's refusal given" "$err" "$U/portal.html: "
[ "$(intel_imports)" = "$before" ] && ok "the failed updates stored nothing" || not_ok "the failed updates stored nothing"
[ -d "$T/intel-up/evidence" ] && [ -z "$(ls -A "$T/intel-up/evidence" | grep '^\.intel-')" ] && ok "no temporary file left" || not_ok "no temporary file left"
check "update takes no file" 2 "$SIGAP" vuln intel update "$V/kev.json"
check "--only of an unknown kind is a usage error" 2 "$SIGAP" vuln intel update --only nvd
printf '[vuln_intel]\nkev_url = ftp://example.org/kev.json\n' >"$T/upftp.conf"
evidence_conf "$T/upftp.conf"
check "a URL that is not http(s) is a configuration error" 1 env SIGAP_CONFIG="$T/upftp.conf" "$SIGAP" vuln intel update
has "named" "$err" "kev_url 'ftp://example.org/kev.json' must be an http:// or https:// URL"
kill "$HTTP_PID" 2>/dev/null
# --- vulnerability findings ----------------------------------------------------
# Findings come from scanner imports (tested in tests/unit/test_findings.c);
# here two are put in the store as an import leaves them, in a store of
# their own with the officers who decide them.
use_store "$T/findings/sigap.db"
"$SIGAP" init >/dev/null 2>&1
for u in tia:ttis rina:pelapor; do
	"$SIGAP" user add "${u%%:*}" --role "${u#*:}" --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
done
SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
sql <<SQL
INSERT INTO opd (id, name, abbrev, created_at, updated_at) VALUES (1, 'Dinas Kesehatan', 'DINKES', 0, 0);
INSERT INTO assets (id, opd_id, name, kind, created_at, created_by, updated_at)
  VALUES (1, 1, 'Server SIMPUS', 'server', 0, 'test', 0);
INSERT INTO evidence (sha256, size, first_seen) VALUES ('$SHA', 10, 0);
INSERT INTO vuln_imports (id, sha256, filename, size, scanner, imported_by, imported_at, origin)
  VALUES (1, '$SHA', 'openvas.xml', 10, 'openvas', 'test', 1764000000, 'test');
-- a vulnerability's text is kept once (0022_finding_texts.sql)
INSERT INTO finding_texts (id, digest, solution) VALUES (1, 'uji', 'Upgrade Log4j to 2.17.1');
INSERT INTO findings (id, asset_id, opd_id, host, vuln_key, endpoint, scanner, title, severity,
  cvss3_score, first_seen, last_seen, first_import, last_import, sla_start, due_at, text_id)
  VALUES (1, 1, 1, '10.0.0.5', '1.3.6.1.4.1.25623.1.0.144', '443/tcp', 'openvas',
  'Apache Log4j RCE', 'critical', 10.0, 1764000000, 1764000000, 1, 1, 1764000000, 1764604800,
  1),
  (2, NULL, NULL, '203.0.113.9', 'ssh-weak', '22/tcp', 'openvas', 'Weak SSH ciphers', 'low', NULL,
  1764000000, 1764000000, 1, 1, 1764000000, NULL, NULL);
-- what an import adds at its end (0019_finding_import.sql)
INSERT INTO finding_counts (asset_id, severity, state, n) VALUES (1, 'critical', 'baru', 1),
  (0, 'low', 'baru', 1);
INSERT INTO finding_totals (severity, state, n) VALUES ('critical', 'baru', 1), ('low', 'baru', 1);
-- and for the list's filters (0020_finding_filters.sql)
INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n)
  VALUES (1, 'critical', 'baru', 0, 0, 1), (0, 'low', 'baru', 0, 0, 1);
INSERT INTO finding_due_days (day, severity, n) VALUES (1764604800 / 86400, 'critical', 1);
INSERT INTO finding_cves (finding_id, cve) VALUES (1, 'CVE-2021-44228');
INSERT INTO finding_history (finding_id, at, actor, to_state, import_id)
  VALUES (1, 1764000000, 'test', 'baru', 1), (2, 1764000000, 'test', 'baru', 1);
SQL
# rows given their ids: PostgreSQL's numbering goes on after them
[ -n "$PG" ] && for t in opd assets vuln_imports finding_texts findings; do
	sql "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t))" >/dev/null
done
"$SIGAP" user add kabid2 --role kabid --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
check "sigap vuln --help exits 0" 0 "$SIGAP" vuln --help
for c in list show decide attach; do
	check "sigap vuln $c --help exits 0" 0 "$SIGAP" vuln $c --help
	has "sigap vuln $c --help prints usage" "$out" "usage:"
done
check "vuln without a command is a usage error" 2 "$SIGAP" vuln
check "vuln list" 0 "$SIGAP" vuln list
has "both findings listed" "$out" "2 of 2 shown"
has "the unattached one shows its host" "$out" "(203.0.113.9)"
check "vuln list --json" 0 "$SIGAP" vuln list --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const f = o.findings[0];
  if (o.total !== 2 || f.id !== 1 || f.severity !== "critical" || f.cves[0] !== "CVE-2021-44228" || f.asset.opd !== "DINKES" || f.overdue !== true || f.cvss3_score !== 10) process.exit(1);'
then ok "vuln list --json: the most urgent first, with CVEs, OPD and overdue"; else not_ok "vuln list --json"; echo "$out" | sed 's/^/# /'; fi
check "vuln list --cve" 0 "$SIGAP" vuln list --cve cve-2021-44228
has "finds the finding by CVE" "$out" "1 of 1 shown"
check "vuln list --overdue" 0 "$SIGAP" vuln list --overdue
has "the critical one is overdue" "$out" "1 of 1 shown"
check "vuln list --unmatched" 0 "$SIGAP" vuln list --unmatched
has "one finding has no asset" "$out" "FND-2"
check "vuln list --opd" 0 "$SIGAP" vuln list --opd dinkes --min-severity high
has "by OPD and severity" "$out" "1 of 1 shown"
check "vuln list as someone outside the CSIRT" 0 "$SIGAP" vuln list --as rina
has "sees none" "$out" "0 of 0 shown"
check "vuln list with an unknown state fails" 1 "$SIGAP" vuln list --state closed
has "and names the states" "$err" "unknown finding state \"closed\""
check "vuln list with an unknown sort is a usage error" 2 "$SIGAP" vuln list --sort worst
check "vuln show" 0 "$SIGAP" vuln show FND-1
has "vuln show prints the CVE" "$out" "cve:        CVE-2021-44228"
has "vuln show prints the solution" "$out" "Upgrade Log4j to 2.17.1"
has "vuln show prints the history" "$out" "- -> baru"
check "vuln show of a missing finding" 1 "$SIGAP" vuln show 99
has "names it" "$err" "no finding 99"
check "vuln show of another OPD's finding is not found" 1 "$SIGAP" vuln show 1 --as rina
check "vuln decide without --as is a usage error" 2 "$SIGAP" vuln decide 1 terverifikasi
check "a false positive needs a reason" 1 "$SIGAP" vuln decide 1 positif_palsu --as tia
has "and says so" "$err" "needs a reason"
check "only the CSIRT decides findings" 1 "$SIGAP" vuln decide 1 terverifikasi --as rina
check "a reason of blanks is no reason" 1 "$SIGAP" vuln decide 1 positif_palsu --as tia --reason "$(printf ' \t\342\200\213\n \342\200\213')"
has "it needs one" "$err" "needs a reason of at least three characters"
# each named twice: decided once each, not refused as "already terverifikasi"
check "vuln decide of two findings" 0 "$SIGAP" vuln decide 1 2 2 1 terverifikasi --as tia
has "both decided" "$out" "FND-2: terverifikasi"
[ "$(printf '%s\n' "$out" | grep -c ': terverifikasi')" = 2 ] && ok "each said once" || not_ok "each said once"
check "a risk acceptance needs an expiry" 1 "$SIGAP" vuln decide 1 risiko_diterima --as tia --reason "Sistem lama, terisolasi"
check "a risk acceptance with expiry and approver" 0 "$SIGAP" vuln decide 1 risiko_diterima --as tia \
	--reason "Sistem lama, terisolasi" --until "$(date -d "+180 days" +%F)" --approver kabid2
check "vuln show after acceptance" 0 "$SIGAP" vuln show 1
has "the acceptance is shown" "$out" "approved by kabid2"
check "a transition not allowed is refused" 1 "$SIGAP" vuln decide 1 terverifikasi --as tia
has "with the states it may go to" "$err" "from risiko_diterima it may become: dibuka_kembali, diperbaiki"
check "vuln attach without --asset is a usage error" 2 "$SIGAP" vuln attach 2 --as tia
check "vuln attach" 0 "$SIGAP" vuln attach 2 --asset 1 --as tia
has "one finding, in the singular" "$out" "1 finding attached to asset 1"
check "no finding is left without an asset" 0 "$SIGAP" vuln list --unmatched
has "none unmatched" "$out" "0 of 0 shown"
check "the logbook has the findings' decisions" 0 "$SIGAP" logbook list
has "vuln.decide" "$out" "vuln.decide"
has "vuln.attach" "$out" "vuln.attach"
# a patch case from findings, and a CTI case's assessment linking them
"$SIGAP" user add adm --role administrator --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
for c in patch link; do
	check "sigap vuln $c --help exits 0" 0 "$SIGAP" vuln $c --help
	has "sigap vuln $c --help names it" "$out" "sigap vuln $c"
done
check "vuln patch without --as is a usage error" 2 "$SIGAP" vuln patch 2
check "vuln patch without a finding is a usage error" 2 "$SIGAP" vuln patch --as adm
check "vuln patch of an accepted risk is refused" 1 "$SIGAP" vuln patch 1 2 --as adm
has "naming the finding and its state" "$err" "finding 1 is risiko_diterima"
check "nothing moved" 0 "$SIGAP" vuln show 2
has "finding 2 is as it was" "$out" "terverifikasi"
check "a CTI officer may not open a patch case" 1 "$SIGAP" vuln patch 2 --as tia
check "vuln patch" 0 "$SIGAP" vuln patch FND-2 --as adm
has "prints the ticket" "$out" "PAT-20"
has "of one finding, in the singular" "$out" ": patch case for 1 finding, now dalam_perbaikan"
PATCH=${out%%:*}
check "the finding is dalam_perbaikan" 0 "$SIGAP" vuln show 2
has "with the ticket as reason" "$out" "kasus patch $PATCH"
check "case show of the patch case" 0 "$SIGAP" case show "$PATCH"
has "lists its finding" "$out" "FND-2"
has "and its first step's draft" "$out" "Temuan kerentanan (1) dari pemindai"
check "vuln patch of it again is refused" 1 "$SIGAP" vuln patch 2 --as adm
has "naming the case" "$err" "already in patch case $PATCH"
check "a CTI case" 0 "$SIGAP" case new cti --as tia --field sistem=SIMPUS
CTI=$out
check "vuln link without a finding is a usage error" 2 "$SIGAP" vuln link "$CTI" --as tia
check "vuln link" 0 "$SIGAP" vuln link "$CTI" FND-2 --as tia
has "says so, in the singular" "$out" "1 finding linked to $CTI"
check "case show of the CTI case" 0 "$SIGAP" case show "$CTI" --json
has "lists the assessment's finding" "$out" '"kind": "assessment"'
check "vuln link to a patch case is refused" 1 "$SIGAP" vuln link "$PATCH" 2 --as adm
has "saying why" "$err" "is not a CTI case"
check "the logbook has the patch case" 0 "$SIGAP" logbook list
has "vuln.patch" "$out" "vuln.patch"
has "vuln.assessment" "$out" "vuln.assessment"

# --- scanner reports imported into findings -------------------------------------
V="$ROOT/tests/data/vuln/scanners"
use_store "$T/scans/sigap.db"
"$SIGAP" init >/dev/null 2>&1
"$SIGAP" opd add DINKES --name "Dinas Kesehatan" >/dev/null 2>&1
"$SIGAP" asset add --opd DINKES --name "Server SIMPUS" --kind server --address 192.0.2.10 >/dev/null 2>&1
"$SIGAP" user add tia --role ttis --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
check "sigap vuln import --help" 0 "$SIGAP" vuln import --help
has "names the scanners" "$out" "openvas|nmap|nuclei|wpscan"
check "vuln import without a file is a usage error" 2 "$SIGAP" vuln import --as tia
"$SIGAP" user add agen.dinkes --role agen_siber --opd dinkes --password-stdin >/dev/null 2>&1 <<PW
sandi-rahasia-2026
PW
check "an agen_siber may not import a report" 1 "$SIGAP" vuln import --as agen.dinkes "$V/openvas_gmp.xml"
has "and is told it is the import it may not do" "$err" "agen.dinkes may not import scanner reports (CSIRT staff only)"
case "$err" in *"decide"*) not_ok "not a refusal to decide" ;; *) ok "not a refusal to decide" ;; esac
check "vuln import with an unknown scanner is a usage error" 2 "$SIGAP" vuln import --scanner nessus "$V/openvas_gmp.xml"
check "vuln import of a Greenbone report" 0 "$SIGAP" vuln import --as tia "$V/openvas_gmp.xml"
has "counts what it made" "$out" "3 results: 3 new, 0 seen again, 0 reopened, 0 no longer present, 2 without an asset"
check "the same report again" 0 "$SIGAP" vuln import --as tia "$V/openvas_gmp.xml"
has "is seen again, not duplicated" "$out" "3 results: 0 new, 3 seen again"
check "the finding on the registered address is on its asset" 0 "$SIGAP" vuln list --asset 1
has "with its severity from the score" "$out" "critical"
sed '/<result id="r2">/,/<\/result>/d' "$V/openvas_gmp.xml" >"$T/rescan.xml"
check "a rescan without one result" 0 "$SIGAP" vuln import --as tia "$T/rescan.xml"
has "marks it no longer present" "$out" "1 no longer present"
check "vuln show of the fixed finding" 0 "$SIGAP" vuln show 2
has "it is diperbaiki" "$out" "diperbaiki"
check "the first report once more" 0 "$SIGAP" vuln import --as tia "$V/openvas_gmp.xml"
has "reopens it" "$out" "1 reopened"
check "vuln import of an XXE file is refused" 1 "$SIGAP" vuln import --as tia "$V/xxe.xml"
has "and says why" "$err" "ENTITY"
check "a refused report stores nothing" 0 sql "SELECT count(*) FROM vuln_imports"
has "four imports, not five" "$out" "4"
check "the wrong scanner named is refused" 1 "$SIGAP" vuln import --as tia --scanner nmap "$V/openvas_gmp.xml"
check "Nmap, Nuclei and WPScan reports" 0 "$SIGAP" vuln import --as tia "$V/nmap.xml" "$V/nuclei_v3.jsonl" "$V/wpscan.json"
has "says what WPScan's parser skipped and why" "$out" "2 skipped: WPScan's interesting findings (headers, robots.txt, XML-RPC, readme files) are observations, not vulnerabilities; they stay in the kept report"
has "says what Nmap's parser skipped" "$out" "skipped: hosts down and ports not open"
# a pipe is read once, as a file is: parsed as it is copied into the
# evidence store
mkfifo "$T/report.fifo"
cat "$V/nuclei_v3.jsonl" >"$T/report.fifo" &
check "a report through a named pipe" 0 "$SIGAP" vuln import --as tia "$T/report.fifo"
wait
has "is read whole, its findings seen again" "$out" "results: 0 new, "
case "$out" in *"0 seen again"*) not_ok "none of it lost" ;; *) ok "none of it lost" ;; esac
has "saying it waits for the pipe's writer" "$err" "report.fifo is a named pipe: waiting for what is written into it"
: >"$T/report.fifo" &
check "a named pipe that brings nothing is refused" 1 "$SIGAP" vuln import --as tia "$T/report.fifo"
wait
has "saying nothing was read" "$err" "nothing was read"
check "a report on standard input (-)" 0 sh -c "\"\$0\" vuln import --as tia - <\"\$1\"" "$SIGAP" "$V/nuclei_v3.jsonl"
has "is named standard input, read whole" "$out" "standard input: 2 results: 0 new, 2 seen again"
check "standard input named twice is a usage error" 2 "$SIGAP" vuln import --as tia - -
has "saying it is read once" "$err" "standard input (-) can be read once"
stdin_before=$(sql "SELECT COUNT(*) FROM vuln_imports")
check "a closed standard input is refused" 1 sh -c "\"\$0\" vuln import --as tia - <&-" "$SIGAP"
has "saying so" "$err" "cannot read standard input"
check "an empty standard input is refused" 1 sh -c "\"\$0\" vuln import --as tia - </dev/null" "$SIGAP"
has "saying how to import Nuclei's report of nothing" "$err" "nothing was read; a report of Nuclei that found nothing is imported with --scanner nuclei"
stdin_after=$(sql "SELECT COUNT(*) FROM vuln_imports")
[ "$stdin_before" = "$stdin_after" ] && ok "neither left an import" || not_ok "neither left an import ($stdin_before, then $stdin_after)"
check "with --scanner nuclei it is Nuclei's report of nothing found" 0 sh -c "\"\$0\" vuln import --as tia --scanner nuclei - </dev/null" "$SIGAP"
check "a device that gives no report is refused at once" 1 "$SIGAP" vuln import --as tia /dev/zero
has "naming it" "$err" "/dev/zero"
mkdir "$T/adir"
check "a directory is refused" 1 "$SIGAP" vuln import --as tia "$T/adir"
has "with the reason" "$err" "Is a directory"
check "a missing file is refused" 1 "$SIGAP" vuln import --as tia "$T/no-such-report.xml"
has "with the reason" "$err" "No such file or directory"
# an import killed half-way leaves its part in the spool: the next one
# settles it (a machine without sigap serve would keep it for ever)
case "$SIGAP_DB" in
postgres*) spool="$(sed -n 's/^dir = //p' "$SIGAP_CONFIG")/.spool" ;;
*) spool="$(dirname "$SIGAP_DB")/evidence/.spool" ;;
esac
host=$(hostname | tr -c 'A-Za-z0-9-\n' '-')
mkdir -p "$spool" && : >"$spool/$host.00000000deadbeef.0.part"
check "an import after one that was killed" 0 "$SIGAP" vuln import --as tia "$V/nuclei_v3.jsonl"
has "says what it settled" "$err" "1 partial files removed"
[ ! -e "$spool/$host.00000000deadbeef.0.part" ] && ok "the killed import's part is gone" || not_ok "the killed import's part is gone"
left=$(find "$T" -path "*/.spool/*" ! -name "*.lock" -type f | wc -l)
[ "$left" = 0 ] && ok "nothing of them is left in the spool" || not_ok "nothing of them is left in the spool ($left files)"
# a rescan closes only what it scanned: Nmap's ports 80 and up, port 22
# not in the scan (its findings stay open), nothing open on 80 any more
sed -e '/portid="22"/,/<\/port>/d' -e '/portid="80"/d' -e 's/services="1-10000"/services="80-10000"/' "$V/nmap.xml" >"$T/nmap_some.xml"
check "a rescan of some ports" 0 "$SIGAP" vuln import --as tia "$T/nmap_some.xml"
has "closes the findings of the ports it scanned" "$out" "2 no longer present"
has "and says what it left open" "$out" "3 left open on ports the report did not scan"
check "a partial rescan" 0 "$SIGAP" vuln import --as tia --partial "$T/nmap_some.xml"
has "closes nothing and says so" "$out" "0 no longer present, 3 without an asset (a partial scan: nothing was marked no longer present)"
check "vuln import --json" 0 "$SIGAP" vuln import --as tia --json "$V/nuclei_v2.jsonl"
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (!Array.isArray(o) || o.length !== 1 || !(o[0].results > 0) || o[0].new !== o[0].results) process.exit(1);'
then ok "vuln import --json gives the counts"; else not_ok "vuln import --json"; echo "$out" | sed 's/^/# /'; fi
# the report kept beside the store, whichever directory sigap runs in
if sqlite_only "the report kept beside the SQLite file, whatever the working directory"; then
	mkdir -p "$T/cwd-a" "$T/cwd-b"
	wp_sha=$(sha256sum "$V/wpscan.json" | cut -d' ' -f1)
	check "an import run from another directory" 0 env SIGAP_DB="$T/ev-store/sigap.db" sh -c 'cd "$1" && "$2" init && "$2" vuln import "$3"' sh "$T/cwd-a" "$SIGAP" "$V/wpscan.json"
	[ -f "$T/ev-store/evidence/$(printf %.2s "$wp_sha")/$wp_sha" ] && ok "keeps the report in the store's evidence directory" || not_ok "keeps the report in the store's evidence directory"
	[ ! -e "$T/cwd-a/var" ] && ok "and nothing in the working directory" || not_ok "and nothing in the working directory"
	check "the same report from a third directory" 0 env SIGAP_DB="$T/ev-store/sigap.db" sh -c 'cd "$1" && "$2" vuln import "$3"' sh "$T/cwd-b" "$SIGAP" "$V/wpscan.json"
	has "finds the same findings" "$out" "0 new, 4 seen again"
	[ "$(find "$T/ev-store/evidence" -type f | wc -l)" = 1 ] && [ ! -e "$T/cwd-b/var" ] && ok "one file kept, in one place" || not_ok "one file kept, in one place"
fi
check "the logbook has the imports" 0 "$SIGAP" logbook list
has "finding.import" "$out" "vuln.import"
# KEV and EPSS beside CVSS: the project's report whose CVEs are in the
# project's KEV and EPSS files
"$SIGAP" vuln intel import "$ROOT/tests/data/vuln/intel/kev.json" "$ROOT/tests/data/vuln/intel/epss.csv" >/dev/null 2>&1
check "a report of KEV CVEs" 0 "$SIGAP" vuln import --as tia "$ROOT/tests/data/vuln/web/kev_portal.jsonl"
check "vuln list --kev yes --sort epss" 0 "$SIGAP" vuln list --kev yes --sort epss
has "two findings in KEV" "$out" "2 of 2 shown"
has "the ransomware one first, with its EPSS" "$out" "critical KEV-R 9.8   94.2%"
check "vuln list --min-epss" 0 "$SIGAP" vuln list --min-epss 0.5 --json
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const f = o.findings[0];
  if (o.total !== 1 || f.kev !== true || f.kev_ransomware !== true || f.epss !== 0.9421 || f.kev_due_date !== "2026-05-05") process.exit(1);'
then ok "vuln list --min-epss --json: KEV and EPSS of the finding"; else not_ok "vuln list --min-epss --json"; echo "$out" | sed 's/^/# /'; fi
check "vuln list --kev no" 0 "$SIGAP" vuln list --kev no --search "Admin Panel"
has "the finding of no CVE" "$out" "1 of 1 shown"
check "vuln list --kev takes yes or no" 2 "$SIGAP" vuln list --kev maybe
check "vuln list --min-epss takes 0 to 1" 2 "$SIGAP" vuln list --min-epss 50
head -n 1 "$V/nuclei_v3.jsonl" >"$T/one.jsonl"
check "vuln import of a report of one result" 0 "$SIGAP" vuln import --as tia "$T/one.jsonl"
has "says 1 result, not 1 results" "$out" "one.jsonl: 1 result: "
# severities read trimmed and case-blind; the ones still unknown are info, and said
for sev in '"medium "' '"EXTREME"' '""' '"unknown"'; do
	printf '{"template-id": "sev-%s", "host": "sev.example", "matched-at": "https://sev.example/", "info": {"name": "Sev", "severity": %s}}\n' "$(printf %s "$sev" | tr -dc a-zA-Z)" "$sev"
done >"$T/sev.jsonl"
check "vuln import of unknown severities" 0 "$SIGAP" vuln import --as tia "$T/sev.jsonl"
has "says how many were stored as info" "$out" "3 with a severity the scanner did not give or sigap does not know (stored as info)"
check "vuln import --json of unknown severities" 0 "$SIGAP" vuln import --as tia --json "$T/sev.jsonl"
if printf '%s\n' "$out" | node -e '
  const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (o[0].severity_unknown_as_info !== 3 || o[0].results !== 4) process.exit(1);'
then ok "vuln import --json counts them"; else not_ok "vuln import --json counts them"; echo "$out" | sed 's/^/# /'; fi
check "vuln list of the medium one" 0 "$SIGAP" vuln list --search Sev --min-severity medium
has "medium despite its space" "$out" "1 of 1 shown"
# every real report of ../shared imports (their counts: tests/unit/test_vuln_parse.c)
SHARED_VULN="$ROOT/../shared/data/vuln/scanners"
if [ -d "$SHARED_VULN" ]; then
	bad=0
	for f in $(find "$SHARED_VULN" -type f \( -name '*.xml' -o -name '*.json' -o -name '*.jsonl' -o -name '*.csv' \) | sort); do
		"$SIGAP" vuln import --as tia "$f" >/dev/null 2>"$T/imp.err" || { bad=$((bad + 1)); echo "# $f: $(cat "$T/imp.err")"; }
	done
	if [ "$bad" -eq 0 ]; then ok "every real scanner report of ../shared imports"; else not_ok "$bad real reports refused"; fi
else
	ok "# SKIP ../shared/data/vuln absent"
fi

# sigap serve refusing its options exits 1 every time: nothing it started
# (the metrics thread opening the store) is left running as it exits
bad=0
for i in $(seq 1 30); do
	"$SIGAP" serve --listen 127.0.0.1:0 --tls-cert "$T/out" >/dev/null 2>"$T/serve.err"
	rc=$?
	[ "$rc" -eq 1 ] || { bad=$((bad + 1)); echo "# run $i: exit $rc"; }
done
if [ "$bad" -eq 0 ]; then ok "serve with only --tls-cert exits 1, thirty times of thirty"; else not_ok "serve refusing its options: $bad of 30 runs did not exit 1"; fi
has "and says why" "$(cat "$T/serve.err")" "both --tls-cert and --tls-key"

# a SIGHUP while the server starts is a reload once it serves, not its end
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >"$T/hup.out" 2>"$T/hup.err" &
hup_pid=$!
# as soon as serve holds SIGHUP (its first act; a sanitizer's build takes
# longer to get there), well before it listens
i=0
while [ $i -lt 500 ] && ! grep -q '^SigBlk:.*[13579bdf]$' /proc/$hup_pid/status 2>/dev/null; do sleep 0.005; i=$((i + 1)); done
grep -q 'listening on' "$T/hup.out" && echo "# (serve was listening already)"
kill -HUP $hup_pid 2>/dev/null
i=0
while ! grep -q 'listening on' "$T/hup.out" && kill -0 $hup_pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
if kill -0 $hup_pid 2>/dev/null; then ok "serve survives a SIGHUP in its first moments"; else not_ok "serve survives a SIGHUP in its first moments"; sed 's/^/# /' "$T/hup.err" | tail -3; fi
kill -TERM $hup_pid 2>/dev/null
wait $hup_pid 2>/dev/null

# --- the website monitor's one-off check (the sites: tests/http/test_monitor_check.mjs)
check "sigap monitor check --help exits 0" 0 "$SIGAP" monitor check --help
has "and names the exit status of a finding" "$out" "3 something found"
check "a port nobody listens on is found unreachable (exit 3)" 3 "$SIGAP" monitor check --no-crawler http://127.0.0.1:9/
has "with the reason" "$out" "[high] tidak_terjangkau: No answer:"
check "a URL that is not http(s) is a usage error" 2 "$SIGAP" monitor check file:///etc/passwd
has "saying so" "$err" "'file:///etc/passwd' is not an http:// or https:// URL"
for kv in "serentak = 0|serentak '0' must be 1 to 1000" "interval = 0|interval '0' must be a duration" \
	"max_halaman = 1K|max_halaman '1K' must be a size from 4K to 64M" "sertifikat = 400|sertifikat '400' must be 0 to 365" \
	"simpan = 1h|simpan '1h' must be a duration of a day or more" \
	"alamat_dalam = boleh|alamat_dalam 'boleh' must be tolak or izinkan" \
	"warna = merah|unknown key 'warna' in section [pantau]"; do
	printf '[pantau]\n%s\n' "${kv%%|*}" >"$T/pantau.conf"
	check "[pantau] ${kv%%|*} is refused" 1 "$SIGAP" --config "$T/pantau.conf" monitor check http://127.0.0.1:9/
	has "saying why" "$err" "${kv#*|}"
done
printf '[pantau]\naturan = %s/tidak-ada\n' "$T" >"$T/pantau.conf"
check "content rules that cannot be read stop the check" 1 "$SIGAP" --config "$T/pantau.conf" monitor check http://127.0.0.1:9/
has "naming the path" "$err" "tidak-ada: cannot read"

echo "1..$n"
[ "$fails" -eq 0 ]
