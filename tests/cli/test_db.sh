#!/bin/sh
# test_db.sh: moving and keeping a whole installation (sigap db copy,
# sigap db backup, sigap db restore) as a sysadmin does it. Speaks TAP.
#   tests/cli/test_db.sh PATH/TO/sigap
# With SIGAP_TEST_PG set (tests/run.sh's private PostgreSQL 15: "host=…
# &port=…&user=…"), also SQLite to PostgreSQL and back, and a pg_dump of
# the PostgreSQL store restored into an empty database.
set -u
SIGAP=${1:?usage: test_db.sh PATH/TO/sigap}
T=$(mktemp -d "${TMPDIR:-/tmp}/sigap-db-XXXXXX")
trap 'kill $writer $server 2>/dev/null; rm -rf "$T"' EXIT
writer=
server=
unset SIGAP_CONFIG SIGAP_SOPS
export SIGAP_DB="$T/a.db"
cd "$T"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { # check NAME EXPECTED_EXIT COMMAND...
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else
		not_ok "$name (exit $got, wanted $want)"
		sed 's/^/# /' "$T/out" "$T/err"
	fi
}
has() { # has NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"
		sed 's/^/# /' "$2"
	fi
}
new_case() { # new_case TITLE: an incident report as the demo's pelapor
	"$SIGAP" case new insiden --title "$1" --as pelapor --field pelapor_nama=Siti \
		--field pelapor_kontak=0812 --field sistem_terdampak=https://contoh.go.id \
		--field "uraian_kejadian=Halaman depan berubah"
}
head_of() { # the logbook's chain head of store $1
	SIGAP_DB=$1 "$SIGAP" logbook verify | sed -n 's/.*chain head \([0-9a-f]*\).*/\1/p'
}
# every table's rows, sorted, of SQLite file $1 (not the search index's
# own tables, which hold the same rows in FTS5's form)
rows_of() {
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%' AND name <> 'schema_version' ORDER BY 1"); do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM $t" | sort
	done
}

check "init --demo" 0 "$SIGAP" init --demo
# more indicators than one batch of the copy holds (500 rows), and a last
# batch not full
i=0
while [ $i -lt 1234 ]; do
	echo "198.51.$((i / 250)).$((i % 250 + 1))"
	i=$((i + 1))
done >"$T/feed.txt"
check "1,234 indicators" 0 "$SIGAP" ioc import --source uji "$T/feed.txt"
src_head=$(head_of "$T/a.db")

# ---- usage ----
check "db copy without --to is a usage error" 2 "$SIGAP" db copy --from "$T/a.db"
has "it says what is missing" "$T/err" "give both --from and --to"
check "db copy onto itself is refused" 2 "$SIGAP" db copy --from "$T/a.db" --to "$T/a.db"
check "db copy from a store that does not exist" 1 "$SIGAP" db copy --from "$T/none.db" --to "$T/x.db"
has "it names the missing store" "$T/err" "sigap init"
has "as the source" "$T/err" "--from: database"
check "db backup to an empty name is a usage error" 2 "$SIGAP" db backup ''
printf '[database]\nurl = postgresql:///sigap\npath = %s/a.db\n' "$T" >"$T/two.conf"
check "a configuration naming two stores is refused" 1 "$SIGAP" --config "$T/two.conf" case list
has "it says to keep one" "$T/err" "two.conf:3: [database] names its store twice"
check "db help names both commands" 0 "$SIGAP" db --help
has "help: copy" "$T/out" "sigap db copy --from PATH_OR_URL --to PATH_OR_URL"

# ---- SQLite to SQLite: the same rows, the same chain ----
check "db copy to a new SQLite file" 0 "$SIGAP" db copy --from "$T/a.db" --to "sqlite:$T/b.db"
has "the copy says every table matches and the logbook is intact" "$T/out" "every table holds the rows of its source; logbook intact"
has "progress names each table" "$T/err" "logbook"
if [ "$(head_of "$T/b.db")" = "$src_head" ]; then ok "the copy's chain head is the source's"; else not_ok "the copy's chain head is the source's"; fi
rows_of "$T/a.db" >"$T/a.rows"
rows_of "$T/b.db" >"$T/b.rows"
if cmp -s "$T/a.rows" "$T/b.rows"; then ok "every row of every table copied as it was"; else
	not_ok "every row of every table copied as it was"
	diff "$T/a.rows" "$T/b.rows" | head -20 | sed 's/^/# /'
fi
check "a target holding data is refused" 1 "$SIGAP" db copy --from "$T/a.db" --to "$T/b.db"
has "it says why" "$T/err" "the target already holds data"
if [ "$(head_of "$T/b.db")" = "$src_head" ]; then ok "the refused copy changed nothing"; else not_ok "the refused copy changed nothing"; fi

# ---- backup of a running installation ----
# a writer adds cases the whole time the backup runs
(
	i=0
	while :; do
		i=$((i + 1))
		new_case "Kasus saat pencadangan $i" >/dev/null 2>&1
	done
) &
writer=$!
sleep 1
check "db backup while cases are written" 0 "$SIGAP" db backup "$T/backup.db"
kill $writer 2>/dev/null
wait $writer 2>/dev/null
writer=
has "it says where" "$T/out" "Backup written: $T/backup.db"
check "the backup's logbook is intact" 0 env SIGAP_DB="$T/backup.db" "$SIGAP" logbook verify
sum=$(md5sum <"$T/backup.db")
env SIGAP_DB="$T/backup.db" "$SIGAP" config check >/dev/null 2>&1
if [ "$(md5sum <"$T/backup.db")" = "$sum" ]; then
	ok "verifying and checking the backup write nothing into it"
else
	not_ok "verifying or checking the backup changed it"
fi
cases_b=$(sqlite3 "$T/backup.db" "SELECT COUNT(*) FROM cases")
logged_b=$(sqlite3 "$T/backup.db" "SELECT COUNT(*) FROM logbook WHERE action = 'case.create'")
cases_a=$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")
demo_cases=$(sqlite3 "$T/b.db" "SELECT COUNT(*) FROM cases")
if [ "$cases_a" -gt "$demo_cases" ]; then ok "the writer added cases meanwhile ($((cases_a - demo_cases)))"; else not_ok "the writer added cases meanwhile"; fi
if [ "$cases_b" -gt 0 ] && [ "$cases_b" = "$logged_b" ]; then
	ok "the backup is one moment: each of its $cases_b cases has its logbook entry"
else
	not_ok "the backup is one moment ($cases_b cases, $logged_b logged)"
fi
case "$(stat -c %a "$T/backup.db")" in
600) ok "the backup is readable by its owner only" ;;
*) not_ok "the backup is readable by its owner only ($(stat -c %a "$T/backup.db"))" ;;
esac
[ ! -e "$T/backup.db.part" ] && ok "no partial file is left" || not_ok "no partial file is left"
check "a backup never overwrites a file" 1 "$SIGAP" db backup "$T/backup.db"
has "it says so" "$T/err" "never overwrites"
echo "catatan rapat" >"$T/catatan.part"
check "a backup whose temporary name is taken is refused" 1 "$SIGAP" db backup "$T/catatan"
has "saying so" "$T/err" "catatan.part exists"
if [ "$(cat "$T/catatan.part")" = "catatan rapat" ] && [ ! -e "$T/catatan" ]; then
	ok "and the file of that name is left as it was"
else
	not_ok "the file of that name is left as it was"
fi
ln -s "$T/nowhere.db" "$T/link.db"
check "a backup never replaces a symbolic link, even one to nothing" 1 "$SIGAP" db backup "$T/link.db"
if [ -L "$T/link.db" ] && [ ! -e "$T/nowhere.db" ]; then ok "the link is left as it was"; else not_ok "the link is left as it was"; fi

# ---- backup while sigap serve ingests ----
# Wazuh alerts posted the whole time; the backup is one moment: its
# alerts are what its counters say, and its logbook is intact
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >"$T/ingest.out" 2>"$T/ingest.err" &
server=$!
i=0
while ! grep -q 'listening on' "$T/ingest.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/ingest.out" | head -1)
tok=$("$SIGAP" token new ttis --name backup 2>/dev/null)
(
	i=0
	while :; do
		i=$((i + 1))
		curl -s -o /dev/null -X POST -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
			--data "{\"timestamp\":\"2026-11-23T09:00:00.000+0700\",\"agent\":{\"id\":\"001\",\"name\":\"host-$i\"},\"rule\":{\"level\":5,\"description\":\"sshd: authentication failed.\",\"id\":\"5760\"},\"full_log\":\"Nov 23 09:00:00 host-$i sshd[42]: Failed password for invalid user u$i from 198.51.100.$((i % 250 + 1)) port 4242 ssh2\",\"predecoder\":{\"program_name\":\"sshd\",\"hostname\":\"host-$i\"},\"decoder\":{\"name\":\"sshd\"},\"data\":{\"srcip\":\"198.51.100.$((i % 250 + 1))\"},\"location\":\"/var/log/auth.log\"}" \
			"http://127.0.0.1:$port/api/v1/ingest/wazuh?wait=1"
	done
) &
writer=$!
sleep 2
check "db backup while the server ingests alerts" 0 "$SIGAP" db backup "$T/ingest-backup.db"
sleep 1
kill $writer 2>/dev/null
wait $writer 2>/dev/null
writer=
kill -TERM $server
wait $server
server=
alerts_b=$(sqlite3 "$T/ingest-backup.db" "SELECT COUNT(*) FROM alerts")
counted_b=$(sqlite3 "$T/ingest-backup.db" "SELECT COALESCE(SUM(n), 0) FROM alert_counts")
alerts_a=$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM alerts")
if [ "$alerts_a" -gt "$alerts_b" ] && [ "$alerts_b" -gt 0 ]; then
	ok "alerts were stored before and after the backup ($alerts_b in it, $alerts_a after)"
else
	not_ok "alerts were stored before and after the backup ($alerts_b in it, $alerts_a after)"
	sed 's/^/# /' "$T/ingest.err" | tail -5
fi
if [ "$alerts_b" = "$counted_b" ]; then ok "the backup is one moment: its $alerts_b alerts are what its counters say"; else
	not_ok "the backup is one moment ($alerts_b alerts, counters $counted_b)"
fi
check "the backup's logbook is intact" 0 env SIGAP_DB="$T/ingest-backup.db" "$SIGAP" logbook verify
rm -f "$T/ingest-backup.db"

# ---- upgrade: a store made by an earlier schema ----
# tests/data/upgrade/schema-31.db.gz: made by sigap at schema version 31
# (init --demo, indicators, vulnerability intelligence, four scanner
# reports, alerts from an auth.log, a CTI case, an issued document).
# The binary migrates it; every row of every table is there with the
# same values, and the logbook's chain verifies.
UP="${SIGAP_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/data/upgrade/schema-31.db.gz"
gzip -dc "$UP" >"$T/old.db"
cp "$T/old.db" "$T/up.db"
sum=$(md5sum <"$T/up.db")
check "an older store is backed up as it is, before an upgrade" 0 env SIGAP_DB="$T/up.db" "$SIGAP" db backup "$T/pre-upgrade.db"
if [ "$(sqlite3 "$T/pre-upgrade.db" "SELECT MAX(version) FROM schema_version")" = 31 ]; then ok "the backup is of schema 31, as the store"; else not_ok "the backup is of schema 31"; fi
check "an older backup's logbook is verified as it is" 0 env SIGAP_DB="$T/up.db" "$SIGAP" logbook verify
if [ "$(md5sum <"$T/up.db")" = "$sum" ] && [ "$(sqlite3 "$T/up.db" "SELECT MAX(version) FROM schema_version")" = 31 ]; then
	ok "verifying changes nothing: not migrated, not rewritten"
else
	not_ok "verifying changed the file"
fi
rm -f "$T/up.db-wal" "$T/up.db-shm"
check "an older store is upgraded by init" 0 "$SIGAP" --db "$T/up.db" init
latest=$(sqlite3 "$T/a.db" "SELECT MAX(version) FROM schema_version")
has "to the schema this binary writes" "$T/out" "(schema version $latest)"
missing=0
tables=0
for t in $(sqlite3 "$T/old.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY 1"); do
	tables=$((tables + 1))
	cols=$(sqlite3 "$T/old.db" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
	gone=$(sqlite3 "$T/up.db" "ATTACH '$T/old.db' AS o; SELECT COUNT(*) FROM (SELECT $cols FROM o.\"$t\" EXCEPT SELECT $cols FROM main.\"$t\")" 2>&1)
	[ "$gone" = 0 ] || { missing=$((missing + 1)); echo "# $t: $gone rows not found"; }
done
rows=$(sqlite3 "$T/old.db" "SELECT COUNT(*) FROM logbook")
if [ "$missing" -eq 0 ] && [ "$tables" -gt 40 ]; then ok "every row of its $tables tables is there, with its values"; else not_ok "rows lost in $missing of $tables tables"; fi
check "its logbook verifies after the upgrade" 0 "$SIGAP" --db "$T/up.db" logbook verify
has "every entry of the old chain" "$T/out" "$rows entries"
check "its cases are listed" 0 "$SIGAP" --db "$T/up.db" case list --as ttis
has "the CTI case made from an alert" "$T/out" "CTI-2026-0002"
check "its findings are listed" 0 "$SIGAP" --db "$T/up.db" vuln list --as ttis --json
has "with their CVEs" "$T/out" "CVE-"
check "and the upgraded store takes new work" 0 "$SIGAP" --db "$T/up.db" case new insiden --title "Setelah pemutakhiran" --as pelapor \
	--field pelapor_nama=Siti --field pelapor_kontak=0812 --field sistem_terdampak=https://contoh.go.id \
	--field "uraian_kejadian=Uji setelah pemutakhiran skema"
check "and its chain still verifies" 0 "$SIGAP" --db "$T/up.db" logbook verify

# ---- restore ----
check "db restore puts the backup in place of a new store" 0 env SIGAP_DB="$T/restored-b.db" "$SIGAP" db restore "$T/backup.db"
has "it says what it restored, and that the chain holds" "$T/out" "Restored $T/backup.db (schema"
has "with the count of entries" "$T/out" "chain intact"
if [ "$(sqlite3 "$T/restored-b.db" "SELECT COUNT(*) FROM cases")" = "$cases_b" ]; then
	ok "the restored store holds the backup's $cases_b cases"
else
	not_ok "the restored store holds the backup's cases"
fi
# a store in a running server's hands is not replaced under it
"$SIGAP" serve --listen 127.0.0.1:0 --quiet >"$T/serve.out" 2>"$T/serve.err" &
server=$!
i=0
while ! grep -q 'listening on' "$T/serve.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "db restore over a store sigap serve holds is refused" 1 "$SIGAP" db restore "$T/backup.db"
has "saying to stop it first" "$T/err" "is in use"
kill -TERM $server
wait $server
cases_now=$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")
if [ "$cases_now" -ge "$cases_b" ]; then ok "and the store is as it was ($cases_now cases)"; else not_ok "the store is as it was"; fi
# a process that holds the store open and does nothing is seen too
python3 -c "import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute('SELECT COUNT(*) FROM cases').fetchall()
print('open', flush=True); time.sleep(60)" "$T/a.db" >"$T/idle.out" 2>&1 &
idle=$!
i=0
while ! grep -q open "$T/idle.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "db restore over a store another process holds open, idle, is refused" 1 "$SIGAP" db restore "$T/backup.db"
has "saying it is in use" "$T/err" "is in use"
kill $idle 2>/dev/null
wait $idle 2>/dev/null
printf 'Laporan bulanan, bukan basis data.\n%.0s' $(seq 1 200) >"$T/laporan.txt"
check "a file that is no database is refused" 1 env SIGAP_DB="$T/never.db" "$SIGAP" db restore "$T/laporan.txt"
has "saying what it is not" "$T/err" "is not an intact SQLite database"
sqlite3 "$T/other.db" "CREATE TABLE catatan (isi TEXT); INSERT INTO catatan VALUES ('x')"
check "a database that is no sigap store is refused" 1 env SIGAP_DB="$T/never.db" "$SIGAP" db restore "$T/other.db"
has "saying so" "$T/err" "holds no sigap store"
[ ! -e "$T/never.db" ] && ok "and nothing is made" || not_ok "and nothing is made"
cp "$T/backup.db" "$T/tampered.db"
sqlite3 "$T/tampered.db" "UPDATE logbook SET details = '{\"diubah\":1}' WHERE seq = (SELECT MIN(seq) + 3 FROM logbook)"
cases_before=$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")
check "a backup whose logbook chain does not hold is refused" 1 "$SIGAP" db restore "$T/tampered.db"
has "saying so" "$T/err" "was not restored: its logbook chain does not hold"
if [ "$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")" = "$cases_before" ]; then ok "and the store is left as it was"; else not_ok "and the store is left as it was"; fi
cp "$T/backup.db" "$T/newer.db"
sqlite3 "$T/newer.db" "INSERT INTO schema_version (version) VALUES (999)"
check "a backup of a newer sigap is refused" 1 env SIGAP_DB="$T/never.db" "$SIGAP" db restore "$T/newer.db"
has "saying so" "$T/err" "newer than this sigap's"
chmod 0640 "$T/a.db"
check "db restore over the stopped store" 0 "$SIGAP" db restore "$T/backup.db"
case "$(stat -c %a "$T/a.db")" in
640) ok "the store keeps its mode (and owner): the service still opens it" ;;
*) not_ok "the store keeps its mode ($(stat -c %a "$T/a.db"))" ;;
esac
ln -s "$T/a.db" "$T/via-link.db"
check "a store named through a symbolic link is restored where it is" 0 env SIGAP_DB="$T/via-link.db" "$SIGAP" db restore "$T/backup.db"
if [ -L "$T/via-link.db" ]; then ok "the link stays a link"; else not_ok "the link stays a link"; fi
check "the store itself is no backup" 1 "$SIGAP" db restore "$T/a.db"
has "saying so" "$T/err" "is the store itself"
if [ "$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")" = "$cases_b" ] && [ -z "$(ls "$T" | grep '^a\.db\.')" ]; then
	ok "the store is the backup again ($cases_b cases), nothing left beside it"
else
	not_ok "the store is the backup again"
fi
check "its logbook is intact" 0 "$SIGAP" logbook verify
cp "$T/backup.db" "$T/pages.db"
sqlite3 "$T/pages.db" "PRAGMA journal_mode = DELETE; PRAGMA page_size = 8192; VACUUM;" >/dev/null
check "a backup with another page size is restored over a store in WAL" 0 "$SIGAP" db restore "$T/pages.db"
if [ "$(sqlite3 "$T/a.db" "PRAGMA page_size")" = 8192 ] && [ "$(sqlite3 "$T/a.db" "SELECT COUNT(*) FROM cases")" = "$cases_b" ]; then
	ok "the store is the backup, its pages as the backup's"
else
	not_ok "the store is the backup, its pages as the backup's"
fi

# targets that name no store sigap has are refused before anything is made
mkdir "$T/odd" && cd "$T/odd"
for target in 'PostgreSQL:///sigap' 'mysql://db/sigap' 'sqlite:' ':memory:' ''; do
	check "init of '$target' is refused" 1 "$SIGAP" --db "$target" init
done
has "an empty name is refused" "$T/err" "'' names no file"
check "an upper-case scheme is refused" 1 "$SIGAP" --db 'PostgreSQL:///sigap' case list
has "and told how to write it" "$T/err" "postgresql://…, in lower case"
if [ -z "$(ls -A)" ]; then ok "nothing was made for them"; else
	not_ok "nothing was made for them"
	find . | sed 's/^/# /'
fi
cd "$T"
# a URL's password is never printed
check "a server that cannot be reached" 1 "$SIGAP" --db 'postgresql://sigap:Rahasia123@127.0.0.1:1/sigap?password=Lain456' case list
has "is named without its password" "$T/err" "postgresql://sigap:***@127.0.0.1:1/sigap?password=***"
if grep -q 'Rahasia123\|Lain456' "$T/out" "$T/err"; then not_ok "the password is not printed"; else ok "the password is not printed"; fi

# init makes the directory of the SQLite file it names, by either spelling
mkdir "$T/fresh" && cd "$T/fresh"
check "init of sqlite:sub/s.db" 0 env SIGAP_DB=sqlite:sub/s.db "$SIGAP" init
if [ -f sub/s.db ] && [ ! -e sqlite:sub ]; then ok "the file is in sub/, no directory named sqlite:"; else
	not_ok "the file is in sub/, no directory named sqlite:"
	ls -la | sed 's/^/# /'
fi
cd "$T"

if [ -z "${SIGAP_TEST_PG:-}" ]; then
	echo "ok $((n + 1)) - SQLite to PostgreSQL and back # SKIP SIGAP_TEST_PG is not set (tests/run.sh sets it)"
	n=$((n + 1))
	echo "1..$n"
	[ "$fails" -eq 0 ]
	exit
fi

# ---- SQLite to PostgreSQL and back ----
pg_db() { # a new database on the test server; prints its URL
	psql -qX "postgresql:///postgres?$SIGAP_TEST_PG" -c "CREATE DATABASE $1" >/dev/null &&
		echo "postgresql:///$1?$SIGAP_TEST_PG"
}
suffix=$$
PG1=$(pg_db "copy_a_$suffix")
PG2=$(pg_db "copy_b_$suffix")
PG3=$(pg_db "init_$suffix")
mkdir "$T/empty" && cd "$T/empty"
check "init of a PostgreSQL store" 0 env SIGAP_DB="$PG3" "$SIGAP" init
check "rules reload on a PostgreSQL store" 0 env SIGAP_DB="$PG3" "$SIGAP" rules reload
if [ -z "$(ls -A)" ]; then ok "init and a rules reload on a PostgreSQL URL make no directory here"; else
	not_ok "init and a rules reload on a PostgreSQL URL make no directory here"
	find . | sed 's/^/# /'
fi
cd "$T"
cp "$T/b.db" "$T/c-src.db" # the source as the copy above left it
check "db copy SQLite to PostgreSQL" 0 "$SIGAP" db copy --from "$T/b.db" --to "$PG1"
has "PostgreSQL: every table matches and the logbook is intact" "$T/out" "logbook intact"
if [ "$(head_of "$PG1")" = "$src_head" ]; then ok "PostgreSQL's chain head is SQLite's"; else not_ok "PostgreSQL's chain head is SQLite's"; fi
SIGAP_DB="$T/b.db" "$SIGAP" case list >"$T/list.sqlite"
SIGAP_DB="$PG1" "$SIGAP" case list >"$T/list.pg"
if cmp -s "$T/list.sqlite" "$T/list.pg"; then ok "the case list reads the same on both stores"; else
	not_ok "the case list reads the same on both stores"
	diff "$T/list.sqlite" "$T/list.pg" | head -10 | sed 's/^/# /'
fi
# new rows on PostgreSQL take ids after the copied ones
cases_before=$(SIGAP_DB="$PG1" "$SIGAP" case list --tickets | wc -l)
SIGAP_DB=$PG1
check "a new case on the copy" 0 new_case "Setelah salinan"
SIGAP_DB=$T/a.db
has "it takes the next ticket number" "$T/out" "INS-20"
if [ "$(SIGAP_DB="$PG1" "$SIGAP" case list --tickets | wc -l)" -eq $((cases_before + 1)) ]; then
	ok "the copy lists one case more"
else
	not_ok "the copy lists one case more"
fi
check "the copy's logbook is intact after a write" 0 env SIGAP_DB="$PG1" "$SIGAP" logbook verify
# the copy turned the schema's triggers off for itself: they are on again,
# and the new case is in the case search and the counts they keep
off=$(psql -qXAt "$PG1" -c "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'")
[ "$off" = 0 ] && ok "no trigger is left off after the copy" || not_ok "no trigger is left off after the copy ($off)"
found=$(psql -qXAt "$PG1" -c "SELECT COUNT(*) FROM case_search WHERE title LIKE '%Setelah salinan%'")
[ "$found" = 1 ] && ok "the new case is in the case search" || not_ok "the new case is in the case search ($found)"
counted=$(psql -qXAt "$PG1" -c "SELECT (SELECT SUM(n) FROM case_counts) = (SELECT COUNT(*) FROM cases)")
[ "$counted" = t ] && ok "the case counts count it" || not_ok "the case counts count it ($counted)"
check "db copy PostgreSQL to SQLite" 0 "$SIGAP" db copy --from "$PG1" --to "$T/c.db"
SIGAP_DB="$PG1" "$SIGAP" logbook verify >"$T/pg.verify"
SIGAP_DB="$T/c.db" "$SIGAP" logbook verify >"$T/c.verify"
if cmp -s "$T/pg.verify" "$T/c.verify"; then ok "logbook verify says the same of both"; else not_ok "logbook verify says the same of both"; fi
check "db backup of a PostgreSQL store points to pg_dump" 1 env SIGAP_DB="$PG1" "$SIGAP" db backup "$T/pg.db"
has "it says pg_dump" "$T/err" "pg_dump"
check "a PostgreSQL target holding data is refused" 1 "$SIGAP" db copy --from "$T/a.db" --to "$PG1"

# ---- pg_dump restored into an empty server's database ----
PGBIN=/usr/lib/postgresql/15/bin
check "pg_dump of the store" 0 "$PGBIN/pg_dump" -d "$PG1" -f "$T/dump.sql"
check "restored into an empty database" 0 psql -qX -v ON_ERROR_STOP=1 -d "$PG2" -f "$T/dump.sql"
SIGAP_DB="$PG2" "$SIGAP" logbook verify >"$T/restored.verify" 2>&1
if cmp -s "$T/pg.verify" "$T/restored.verify"; then ok "the restored store's logbook verifies to the same head"; else
	not_ok "the restored store's logbook verifies to the same head"
	sed 's/^/# /' "$T/restored.verify"
fi
echo "1..$n"
[ "$fails" -eq 0 ]
