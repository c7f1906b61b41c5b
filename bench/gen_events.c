/*
 * gen_events.c: a reproducible mixed log corpus and a rule set of a given
 * size for the detection benchmark (make bench).
 *
 *   sigap-gen-events events N > corpus.log     N events, fixed seed
 *   sigap-gen-events rules N DIR               N Sigma rules into DIR
 *   sigap-gen-events iocs N > iocs.csv         N indicators, a CSV feed
 *
 * The corpus mixes what a kabupaten's SIEM sees: Wazuh alerts (sshd and
 * Sysmon process creation, as alerts.json lines), RFC 3164 syslog (sshd,
 * sudo, cron), RFC 5424 syslog, and nginx access lines, with addresses,
 * users and paths drawn from small pools, and a few attacks among them.
 * The rules test the fields those events carry, with literals drawn so
 * that most never match: the cost measured is the engine's, not output's.
 * The indicators are of every type, drawn from their own seed; addresses
 * and ranges come from the corpus's address space, so a few hundred
 * events hit one, as in a real feed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(uint32_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % n);
}

static const char *const users[] = {"budi", "sari", "andi", "dewi", "root", "admin", "oracle",
				    "operator", "backup", "www-data"};
static const char *const hosts[] = {"web01", "web02", "db01", "mail01", "simpeg", "sipd",
				    "jdih", "ppid", "dns01", "fw01"};
static const char *const paths[] = {"/", "/berita/2026/11/rapat.html", "/layanan/izin.php?id=7",
				    "/wp-login.php", "/assets/app.js", "/api/v1/pengumuman?page=2",
				    "/index.php?page=../../etc/passwd", "/favicon.ico",
				    "/lapor?kategori=phishing", "/img/logo.png"};
static const char *const agents[] = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
				     "Mozilla/5.0 (Linux; Android 14)", "curl/8.5.0",
				     "sqlmap/1.7.2#stable", "Googlebot/2.1"};
static const char *const images[] = {
	"C:\\\\\\\\Windows\\\\\\\\System32\\\\\\\\svchost.exe",
	"C:\\\\\\\\Windows\\\\\\\\explorer.exe",
	"C:\\\\\\\\Program Files\\\\\\\\Mozilla Firefox\\\\\\\\firefox.exe",
	"C:\\\\\\\\Windows\\\\\\\\System32\\\\\\\\WindowsPowerShell\\\\\\\\v1.0\\\\\\\\powershell.exe",
	"C:\\\\\\\\Windows\\\\\\\\System32\\\\\\\\cmd.exe"};
static const char *const commands[] = {"-k netsvcs -p", "/factory,{75dff2b7}", "-contentproc",
				       "-NoP -NonI -W Hidden -enc SQBFAFgA", "/c whoami /priv"};

static void ip(char *out)
{
	sprintf(out, "%u.%u.%u.%u", 10 + rnd(200), rnd(256), rnd(256), 1 + rnd(254));
}

static void events(long n)
{
	char a[32];
	for (long i = 0; i < n; i++) {
		int kind = (int)rnd(100);
		int sec = (int)(i % 86400);
		int hh = sec / 3600, mm = sec / 60 % 60, ss = sec % 60;
		const char *host = hosts[rnd(10)], *user = users[rnd(10)];
		ip(a);
		if (kind < 15) {
			printf("{\"timestamp\":\"2026-11-23T%02d:%02d:%02d.000+0700\",\"rule\":{\"level\":5,"
			       "\"description\":\"sshd: authentication failed.\",\"id\":\"5760\",\"groups\":[\"syslog\",\"sshd\",\"authentication_failed\"]},"
			       "\"agent\":{\"id\":\"0%02u\",\"name\":\"%s\",\"ip\":\"10.1.1.%u\"},\"manager\":{\"name\":\"wazuh\"},"
			       "\"id\":\"1764%06ld\",\"full_log\":\"Nov 23 %02d:%02d:%02d %s sshd[%u]: Failed password for %s from %s port %u ssh2\","
			       "\"predecoder\":{\"program_name\":\"sshd\",\"timestamp\":\"Nov 23 %02d:%02d:%02d\",\"hostname\":\"%s\"},"
			       "\"decoder\":{\"parent\":\"sshd\",\"name\":\"sshd\"},\"data\":{\"srcip\":\"%s\",\"dstuser\":\"%s\"},"
			       "\"location\":\"/var/log/auth.log\"}\n",
			       hh, mm, ss, rnd(99), host, rnd(254), i % 1000000, hh, mm, ss, host,
			       1000 + rnd(60000), user, a, 1024 + rnd(60000), hh, mm, ss, host, a, user);
		} else if (kind < 25) {
			int k = (int)rnd(5);
			printf("{\"timestamp\":\"2026-11-23T%02d:%02d:%02d.000+0700\",\"rule\":{\"level\":3,"
			       "\"description\":\"Sysmon - Event 1\",\"id\":\"61603\"},\"agent\":{\"id\":\"1%02u\",\"name\":\"PC-%s\"},"
			       "\"data\":{\"win\":{\"system\":{\"providerName\":\"Microsoft-Windows-Sysmon\",\"eventID\":\"1\","
			       "\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"computer\":\"PC-%s.kab.go.id\"},"
			       "\"eventdata\":{\"image\":\"%s\",\"commandLine\":\"\\\\\\\"%s\\\\\\\" %s\",\"user\":\"KAB\\\\\\\\%s\","
			       "\"parentImage\":\"C:\\\\\\\\Windows\\\\\\\\explorer.exe\",\"processId\":\"%u\"}}},"
			       "\"location\":\"EventChannel\"}\n",
			       hh, mm, ss, rnd(99), user, user, images[k], images[k], commands[k], user,
			       100 + rnd(60000));
		} else if (kind < 50) {
			int m = (int)rnd(4);
			if (m == 0)
				printf("Nov 23 %02d:%02d:%02d %s sshd[%u]: Failed password for invalid user %s from %s port %u ssh2\n",
				       hh, mm, ss, host, 1000 + rnd(60000), user, a, 1024 + rnd(60000));
			else if (m == 1)
				printf("Nov 23 %02d:%02d:%02d %s sshd[%u]: Accepted publickey for %s from %s port %u ssh2: RSA SHA256:abc\n",
				       hh, mm, ss, host, 1000 + rnd(60000), user, a, 1024 + rnd(60000));
			else if (m == 2)
				printf("Nov 23 %02d:%02d:%02d %s sudo[%u]:     %s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx\n",
				       hh, mm, ss, host, 1000 + rnd(60000), user, rnd(5), user);
			else
				printf("Nov 23 %02d:%02d:%02d %s CRON[%u]: (root) CMD (/usr/local/bin/backup.sh >/dev/null 2>&1)\n",
				       hh, mm, ss, host, 1000 + rnd(60000));
		} else if (kind < 65) {
			printf("<86>1 2026-11-23T%02d:%02d:%02d.%03u+07:00 %s sshd %u - [meta sequenceId=\"%ld\"] Connection closed by %s port %u [preauth]\n",
			       hh, mm, ss, rnd(1000), host, 1000 + rnd(60000), i, a, 1024 + rnd(60000));
		} else {
			printf("%s - - [23/Nov/2026:%02d:%02d:%02d +0700] \"GET %s HTTP/1.1\" %u %u \"-\" \"%s\"\n",
			       a, hh, mm, ss, paths[rnd(10)], rnd(10) ? 200 : 404, rnd(50000),
			       agents[rnd(5)]);
		}
	}
}

/* A word unlikely to occur in the corpus: the rule that holds it stays
 * quiet while costing what any literal costs. */
static void word(char *out, int len)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (int i = 0; i < len; i++)
		out[i] = alpha[rnd(36)];
	out[len] = '\0';
}

static int rules(long n, const char *dir)
{
	static const struct {
		const char *logsource, *field, *mod;
	} kinds[] = {
		{"{product: windows, category: process_creation}", "CommandLine", "contains"},
		{"{product: windows, category: process_creation}", "Image", "endswith"},
		{"{product: linux, service: sshd}", "srcuser", ""},
		{"{product: linux, service: sshd}", "", ""},
		{"{category: webserver}", "c-uri", "contains"},
		{"{category: webserver}", "c-useragent", "contains"},
		{"{product: linux, service: sudo}", "command", "contains"},
	};
	for (long i = 0; i < n; i++) {
		char path[4096], w1[16], w2[16];
		snprintf(path, sizeof path, "%s/bench_%04ld.yml", dir, i);
		FILE *f = fopen(path, "w");
		if (f == NULL) {
			perror(path);
			return 1;
		}
		int k = (int)rnd(sizeof kinds / sizeof kinds[0]);
		word(w1, 6 + (int)rnd(8));
		word(w2, 6 + (int)rnd(8));
		fprintf(f, "title: Bench rule %ld\nid: 00000000-0000-4000-8000-%012ld\nlevel: low\n"
			   "logsource: %s\ndetection:\n",
			i, i, kinds[k].logsource);
		if (kinds[k].field[0] == '\0')
			fprintf(f, "  keywords:\n    - '%s'\n    - '%s'\n  condition: keywords\n", w1, w2);
		else
			fprintf(f, "  selection:\n    %s%s%s:\n      - '%s'\n      - '%s'\n"
				   "  filter:\n    %s|contains: '%s'\n  condition: selection and not filter\n",
				kinds[k].field, kinds[k].mod[0] ? "|" : "", kinds[k].mod, w1, w2,
				kinds[k].field, w2);
		fclose(f);
	}
	return 0;
}

static void iocs(long n)
{
	static const char *const tlds[] = {"com", "net", "org", "info", "xyz", "top", "id"};
	char w[32], a[32];
	seed = 0xD1B54A32D192ED03ULL; /* apart from the corpus's draws */
	printf("value,type,source,tlp,confidence\n");
	for (long i = 0; i < n; i++) {
		int kind = (int)rnd(100);
		const char *src = i % 3 ? "bench-feed-a" : "bench-feed-b";
		if (kind < 40) {
			ip(a);
			printf("%s,ipv4,%s,amber,%u\n", a, src, 50 + rnd(50));
		} else if (kind < 41) {
			printf("%u.%u.%u.0/24,cidr,%s,green,60\n", 10 + rnd(200), rnd(256), rnd(256), src);
		} else if (kind < 66) {
			word(w, 6 + (int)rnd(10));
			printf("%s.%s,domain,%s,amber,70\n", w, tlds[rnd(7)], src);
		} else if (kind < 76) {
			word(w, 8 + (int)rnd(8));
			printf("http://%s.%s/%ld/dl.php,url,%s,amber,70\n", w, tlds[rnd(7)], i, src);
		} else if (kind < 80) {
			word(w, 5 + (int)rnd(6));
			printf("%s@mail-%ld.%s,email,%s,green,40\n", w, i % 5000, tlds[rnd(7)], src);
		} else {
			int len = kind < 85 ? 32 : 64;
			static const char hex[] = "0123456789abcdef";
			for (int k = 0; k < len; k++)
				putchar(hex[rnd(16)]);
			printf(",%s,%s,amber,80\n", len == 32 ? "md5" : "sha256", src);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "iocs") == 0) {
		iocs(atol(argv[2]));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "events") == 0) {
		events(atol(argv[2]));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "rules") == 0)
		return rules(atol(argv[2]), argv[3]);
	fputs("usage: sigap-gen-events events N | rules N DIR | iocs N\n", stderr);
	return 2;
}
